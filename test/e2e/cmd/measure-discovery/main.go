// Command measure-discovery times GETs of a discovery path through
// kube-apiserver with harness.MeasureDiscovery and prints the percentiles.
// It is the entry point a bench script uses for both sample-apiserver and an
// aggen-generated server:
//
//	go run ./test/e2e/cmd/measure-discovery -kubeconfig admin.kubeconfig \
//	    -path /apis/wardle.example.com/v1alpha1 -n 1000
//
// Output is one line: "path=<path> n=<n> p50_us=<int> p99_us=<int>".
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/aggen-dev/aggen/test/e2e/harness"
)

func main() {
	kubeconfig := flag.String("kubeconfig", os.Getenv("KUBECONFIG"), "kubeconfig of the kube-apiserver to go through")
	path := flag.String("path", "", "discovery path, e.g. /apis/<group>/<version>")
	n := flag.Int("n", 500, "number of timed requests")
	timeout := flag.Duration("timeout", 5*time.Minute, "overall time limit")
	flag.Parse()
	if *kubeconfig == "" || *path == "" || *n <= 0 {
		fmt.Fprintln(os.Stderr, "usage: measure-discovery -kubeconfig FILE -path /apis/<group>/<version> [-n N]")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	p50, p99, err := harness.MeasureDiscovery(ctx, *kubeconfig, *path, *n)
	if err != nil {
		fmt.Fprintln(os.Stderr, "measure-discovery:", err)
		os.Exit(1)
	}
	fmt.Printf("path=%s n=%d p50_us=%d p99_us=%d\n", *path, *n, p50.Microseconds(), p99.Microseconds())
}
