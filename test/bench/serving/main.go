// Command serving measures, in one run on this machine, how fast the
// apiserver aggen generates for examples/insects serves its objects
// through kube-apiserver's aggregation layer, next to the same Go types
// served as CustomResourceDefinitions (controller-gen's CRDs, group
// crd.insects.example.com) by the same kube-apiserver, and next to
// k8s.io/sample-apiserver v0.37.2 (its Flunder kind) on the same etcd:
//
//   - create throughput at concurrency 10 (objects/s, and per-request
//     p50/p99): while the collections fill, and again in short rounds
//     that alternate between the servers (the median round's rate), so
//     that a noisy machine's drift hits every server alike,
//   - LIST of every size of -objects (p50/p99, as JSON and as the Table
//     kubectl get asks for),
//   - watch fan-out: -watchers watchers of one namespace, the time until
//     each has seen -events ADDED events, and the events/s delivered
//     (the median of -watch-rounds fan-outs that alternate between the
//     servers),
//   - memory: the extension server's RSS growth (VmRSS, and its peak
//     VmHWM, from /proc) against kube-apiserver's RSS growth while the CRD
//     objects were created.
//
// Every request of the aggregated servers goes client → kube-apiserver →
// extension server; a CRD's requests end in kube-apiserver. That extra hop
// is the structural cost of aggregation, so the generated server is also
// measured directly ("aggen direct": the front-proxy client certificate
// and X-Remote-* headers kube-apiserver itself would send), which tells
// the proxy's share from the server's own. The servers are measured in
// interleaved rounds within the run so drift of a noisy machine hits them
// alike; the table prints absolute figures and ratios. It is a benchmark:
// it asserts nothing about the figures.
//
//	go run ./test/bench/serving [-objects 1000,10000] [-rounds 5] [-round-objects 300] [-watchers 100] [-events 100]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// config is what one run measures.
type config struct {
	example     string
	sizes       []int // objects in the namespace when the LISTs are timed, ascending
	concurrency int
	lists       int // timed LISTs per server, kind of LIST and size
	rounds      int // interleaved create rounds per writer for the throughput figure
	roundSize   int // objects created per writer and round
	watchers    int
	events      int
	watchRounds int  // fan-outs per watched server, alternating between them
	sample      bool // measure sample-apiserver too
	direct      bool // measure the generated server without kube-apiserver in between
	busyKube    bool // measure it directly too while kube-apiserver creates CRD objects
	profileDir  string
	profileSecs int
	keep        bool
	// serverArgs are appended to the generated server's flags; serverEnv
	// (KEY=VALUE) to its environment.
	serverArgs []string
	serverEnv  []string
	logf       func(format string, args ...any)
}

func main() {
	objects := flag.String("objects", "1000,10000", "sizes of the collection the LISTs are timed at, comma-separated (objects are created up to each in turn)")
	concurrency := flag.Int("concurrency", 10, "concurrent creates")
	lists := flag.Int("lists", 15, "timed LISTs per server, kind of LIST and size")
	rounds := flag.Int("rounds", 5, "interleaved create rounds per server for the create throughput figure (median of the rounds' rates)")
	roundSize := flag.Int("round-objects", 300, "objects each server creates per interleaved round")
	watchers := flag.Int("watchers", 100, "watchers of the fan-out")
	events := flag.Int("events", 100, "objects created while the watchers watch (each watcher must see every one)")
	watchRounds := flag.Int("watch-rounds", 3, "watch fan-outs per server, alternating between the servers (the median fan-out's time; the deliveries of all)")
	example := flag.String("example", "examples/insects", "the aggen-generated project")
	sample := flag.Bool("sample", true, "measure k8s.io/sample-apiserver too (create, LIST)")
	direct := flag.Bool("direct", true, "measure the generated server directly too, without the aggregator")
	busyKube := flag.Bool("busy-kube", false, "with -direct, add create rounds of the generated server measured directly while kube-apiserver creates CRD objects (c=5) meanwhile: the server's CPU per object when it shares the cores with a busy kube-apiserver, without the proxy hop")
	profile := flag.String("profile", "", "directory for CPU profiles of the generated server and kube-apiserver during the last fill and its LISTs, and while creating through kube-apiserver and directly (-profile-seconds each, after the rounds)")
	profileSecs := flag.Int("profile-seconds", 15, "length of each CPU profile")
	keep := flag.Bool("keep", false, "keep the work directory (logs)")
	serverArgs := flag.String("server-args", "", "flags appended to the generated server's, space-separated (to compare its settings)")
	serverEnv := flag.String("server-env", "", "KEY=VALUE entries added to the generated server's environment alone, space-separated (GOGC=200)")
	flag.Parse()
	sizes, err := parseSizes(*objects)
	if err == nil && (*concurrency < 1 || *lists < 1 || *rounds < 1 || *roundSize < 1 || *watchers < 1 || *events < 1 || *watchRounds < 1) {
		err = fmt.Errorf("-concurrency, -lists, -rounds, -round-objects, -watchers, -events and -watch-rounds must be positive")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "serving:", err)
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Minute)
	defer cancel()
	cfg := config{
		example: *example, sizes: sizes, concurrency: *concurrency, lists: *lists, rounds: *rounds, roundSize: *roundSize,
		watchers: *watchers, events: *events, watchRounds: *watchRounds, sample: *sample, direct: *direct, busyKube: *busyKube,
		profileDir: *profile, profileSecs: *profileSecs, keep: *keep, serverArgs: strings.Fields(*serverArgs), serverEnv: strings.Fields(*serverEnv),
		logf: func(format string, args ...any) { fmt.Fprintf(os.Stderr, "  "+format+"\n", args...) },
	}
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "serving:", err)
		os.Exit(1)
	}
}

// parseSizes reads "1000,10000": positive, distinct, sorted ascending.
func parseSizes(s string) ([]int, error) {
	var out []int
	seen := map[int]bool{}
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-objects: %q is not a positive number", f)
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out, nil
}

func run(ctx context.Context, cfg config, out io.Writer) error {
	b, err := setUp(ctx, cfg)
	if err != nil {
		return err
	}
	defer b.tearDown()
	res, err := b.measure(ctx)
	if err != nil {
		return err
	}
	report(out, cfg, res)
	return nil
}
