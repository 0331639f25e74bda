// Command bench times `aggen generate` against kube_codegen.sh on the same
// example, generator binaries already built for both, and prints the
// medians and their ratio. It is a benchmark, not a test: it asserts
// nothing, since these machines are noisy.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"time"

	"github.com/aggen-dev/aggen/test/upstream"
)

func main() {
	runs := flag.Int("runs", 5, "timed runs of each")
	example := flag.String("example", "examples/insects", "project to generate")
	aggen := flag.String("aggen", "bin/aggen", "aggen binary")
	flag.Parse()
	if err := bench(*example, *aggen, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func bench(example, aggen string, runs int) error {
	example, err := filepath.Abs(example)
	if err != nil {
		return err
	}
	aggen, err = filepath.Abs(aggen)
	if err != nil {
		return err
	}
	module, err := upstream.ModulePath(example)
	if err != nil {
		return err
	}
	tools, err := upstream.FindTools(".")
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "aggen-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	fresh := func(name string) (string, error) {
		dir := filepath.Join(work, name)
		os.RemoveAll(dir)
		if err := upstream.CopyTree(example, dir); err != nil {
			return "", err
		}
		return dir, upstream.Prune(dir)
	}
	kube := func() error {
		dir, err := fresh("kube")
		if err != nil {
			return err
		}
		return tools.Run(dir, module, upstream.Schema{})
	}
	ours := func() error {
		dir, err := fresh("aggen")
		if err != nil {
			return err
		}
		cmd := exec.Command(aggen, "generate", "--dir", dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("aggen generate: %v\n%s", err, out)
		}
		return nil
	}
	verify := func() error {
		cmd := exec.Command(aggen, "verify", "--dir", example)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("aggen verify: %v\n%s", err, out)
		}
		return nil
	}
	// One untimed run each builds the generator binaries and warms caches.
	fmt.Println("warming up (builds kube_codegen.sh's generators once)")
	for _, f := range []func() error{kube, ours, verify} {
		if err := f(); err != nil {
			return err
		}
	}
	k, err := timeRuns(kube, runs)
	if err != nil {
		return err
	}
	a, err := timeRuns(ours, runs)
	if err != nil {
		return err
	}
	v, err := timeRuns(verify, runs)
	if err != nil {
		return err
	}
	fmt.Printf("\nexample: %s, %d runs each, median wall time\n", filepath.Base(example), runs)
	fmt.Printf("  kube_codegen.sh   %8.0f ms\n", ms(k))
	fmt.Printf("  aggen generate    %8.0f ms\n", ms(a))
	fmt.Printf("  aggen verify      %8.0f ms\n", ms(v))
	fmt.Printf("  ratio kube_codegen.sh / aggen generate: %.1fx\n", float64(k)/float64(a))
	fmt.Printf("  ratio aggen generate / aggen verify:    %.2fx\n", float64(a)/float64(v))
	return nil
}

func timeRuns(f func() error, n int) (time.Duration, error) {
	var ds []time.Duration
	for i := 0; i < n; i++ {
		start := time.Now()
		if err := f(); err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(start))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2], nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
