// Command bench measures `aggen generate` on synthetic projects of
// several sizes against kube_codegen.sh and against the floor of any
// generator (test/bench/floor: loading ./pkg/apis/... and the library
// packages whose comments the generators read, the other dependencies'
// types from export data), all in the same run, and prints
// the ratios with the absolute figures as context.
//
// Each size is a project made with `aggen init` and the given number of
// kinds spread over groups, every other kind served in two versions. A
// round runs, in a rotating order: kube_codegen.sh on a copy without
// upstream output; aggen generate on such a copy (full), again on the
// result (no-op), then aggen verify; and the floor. Times are medians
// over the rounds of the child's CPU time (user+sys of it and every
// process it waited for) and wall time; on a shared machine CPU time is
// the steadier figure. Peak memory is the largest resident set of any
// process of the run.
//
// It is a benchmark, not a test: it asserts nothing.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/aggen-dev/aggen/test/upstream"
)

func main() {
	runs := flag.Int("runs", 3, "timed rounds at each size")
	kinds := flag.String("kinds", "1,10,50,200", "project sizes to measure: comma-separated numbers of kinds")
	aggen := flag.String("aggen", "bin/aggen", "aggen binary")
	keep := flag.Bool("keep", false, "keep the work directory")
	kube := flag.Bool("kube", true, "also time kube_codegen.sh (the slow part)")
	warmKube := flag.Bool("warm-kube", true, "run kube_codegen.sh once untimed first, building its generators")
	flag.Parse()
	var sizes []int
	for _, s := range strings.Split(*kinds, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "bench: -kinds: %q is not a number of kinds\n", s)
			os.Exit(2)
		}
		sizes = append(sizes, n)
	}
	if err := bench(*aggen, sizes, *runs, *keep, *kube, *warmKube); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// sample is one measured process.
type sample struct {
	wall, cpu time.Duration
	rss       int64 // bytes
}

func measure(cmd *exec.Cmd, start time.Time) sample {
	s := sample{wall: time.Since(start)}
	if cmd.ProcessState == nil {
		return s
	}
	s.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.rss = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return s
}

func run(dir string, name string, args ...string) (sample, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	start := time.Now()
	err := cmd.Run()
	s := measure(cmd, start)
	if err != nil {
		return s, fmt.Errorf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out.String())
	}
	return s, nil
}

// result holds the samples of one size.
type result struct {
	kinds, groups, versions                int
	full, noop, verify, floor, kubeCodegen []sample
}

func bench(aggen string, sizes []int, runs int, keep, kube, warmKube bool) error {
	aggen, err := filepath.Abs(aggen)
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
	if keep {
		fmt.Println("work directory:", work)
	} else {
		defer os.RemoveAll(work)
	}
	floor := filepath.Join(work, "floor")
	if out, err := exec.Command("go", "build", "-o", floor, "./test/bench/floor").CombinedOutput(); err != nil {
		return fmt.Errorf("building the floor: %v\n%s", err, out)
	}
	var results []*result
	for _, kinds := range sizes {
		// kube_codegen.sh's generators are built by the first warm-up.
		r, err := benchSize(aggen, floor, tools, filepath.Join(work, fmt.Sprint(kinds)), kinds, runs, kube, warmKube && len(results) == 0)
		if err != nil {
			return fmt.Errorf("%d kinds: %w", kinds, err)
		}
		results = append(results, r)
	}
	report(os.Stdout, results, runs)
	return nil
}

func benchSize(aggen, floor string, tools *upstream.Tools, dir string, kinds, runs int, kube, warmKube bool) (*result, error) {
	base := filepath.Join(dir, "base")
	r, err := makeProject(aggen, base, kinds)
	if err != nil {
		return nil, err
	}
	module, err := upstream.ModulePath(base)
	if err != nil {
		return nil, err
	}
	fresh := func(name string) (string, error) {
		d := filepath.Join(dir, name)
		if err := os.RemoveAll(d); err != nil {
			return "", err
		}
		if err := upstream.CopyTree(base, d); err != nil {
			return "", err
		}
		return d, upstream.Prune(d)
	}
	steps := []func() error{
		func() error {
			d, err := fresh("kube")
			if err != nil {
				return err
			}
			start := time.Now()
			cmd, err := tools.RunCommand(d, module, upstream.Schema{})
			if err != nil {
				return err
			}
			r.kubeCodegen = append(r.kubeCodegen, measure(cmd, start))
			return nil
		},
		func() error {
			d, err := fresh("aggen")
			if err != nil {
				return err
			}
			for _, step := range []struct {
				to   *[]sample
				args []string
			}{
				{&r.full, []string{"generate"}},
				{&r.noop, []string{"generate"}},
				{&r.verify, []string{"verify"}},
			} {
				s, err := run(d, aggen, step.args...)
				if err != nil {
					return err
				}
				*step.to = append(*step.to, s)
			}
			return nil
		},
		func() error {
			s, err := run(base, floor)
			if err != nil {
				return err
			}
			r.floor = append(r.floor, s)
			return nil
		},
	}
	if !kube {
		steps = steps[1:]
	}
	warm := steps
	if kube && warmKube {
		fmt.Printf("%d kinds: warming up (builds kube_codegen.sh's generators once)\n", kinds)
	} else {
		// At 200 kinds a kube_codegen.sh run takes minutes; once its
		// generators are built it has nothing to warm.
		fmt.Printf("%d kinds: warming up\n", kinds)
		if kube {
			warm = steps[1:]
		}
	}
	for _, f := range warm {
		if err := f(); err != nil {
			return nil, err
		}
	}
	*r = result{kinds: r.kinds, groups: r.groups, versions: r.versions}
	for i := 0; i < runs; i++ {
		fmt.Printf("%d kinds: round %d of %d\n", kinds, i+1, runs)
		// Rotate the order so no side always runs first after a pause.
		for j := range steps {
			if err := steps[(i+j)%len(steps)](); err != nil {
				return nil, err
			}
		}
	}
	return r, nil
}

// groupsFor spreads kinds over 1, 5 or 10 groups.
func groupsFor(kinds int) int {
	switch {
	case kinds < 5:
		return 1
	case kinds <= 10:
		return 5
	default:
		return 10
	}
}

// makeProject writes a project with the given number of kinds under dir
// and generates it once.
func makeProject(aggen, dir string, kinds int) (*result, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if _, err := run(dir, aggen, "init", "--domain", "example.com", "--repo", "example.com/bench",
		"--owner", "The bench Authors", "--year", "2026"); err != nil {
		return nil, err
	}
	groups := groupsFor(kinds)
	r := &result{kinds: kinds, groups: groups}
	files := map[string]string{}
	for i := 0; i < kinds; i++ {
		group := fmt.Sprintf("group%d", i%groups)
		kind := fmt.Sprintf("Kind%03d", i)
		versions := []string{"v1beta1"}
		if i%2 == 0 {
			versions = append(versions, "v1alpha1")
		}
		for _, v := range versions {
			r.versions++
			files[filepath.Join("pkg", "apis", group, v, "doc.go")] = versionDoc(group, v)
			files[filepath.Join("pkg", "apis", group, v, strings.ToLower(kind)+"_types.go")] = types(v, kind)
		}
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return nil, err
		}
	}
	if _, err := run(dir, aggen, "generate"); err != nil {
		return nil, err
	}
	return r, nil
}

func versionDoc(group, version string) string {
	return fmt.Sprintf(`// Package %[2]s is version %[2]s of API group %[1]s.example.com.
//
// +k8s:deepcopy-gen=package
// +k8s:conversion-gen=example.com/bench/pkg/apis/%[1]s
// +k8s:defaulter-gen=TypeMeta
// +k8s:openapi-gen=true
// +k8s:openapi-model-package=com.example.bench.pkg.apis.%[1]s.%[2]s
// +groupName=%[1]s.example.com
package %[2]s
`, group, version)
}

func types(version, kind string) string {
	return fmt.Sprintf(`package %[1]s

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// %[2]sSpec is the desired state of a %[2]s.
type %[2]sSpec struct {
	// Replicas is the desired number of replicas.
	// +kubebuilder:validation:Minimum=0
	// +default=1
	// +optional
	Replicas *int32 `+"`json:\"replicas,omitempty\"`"+`
	// Description says what it is for.
	// +kubebuilder:validation:MaxLength=256
	// +optional
	Description string `+"`json:\"description,omitempty\"`"+`
	// Labels are copied to what it makes.
	// +optional
	Labels map[string]string `+"`json:\"labels,omitempty\"`"+`
}

// %[2]sStatus is the observed state of a %[2]s.
type %[2]sStatus struct {
	// ObservedGeneration is the generation the controller last acted on.
	// +optional
	ObservedGeneration int64 `+"`json:\"observedGeneration,omitempty\"`"+`

	// Conditions describe the state of the %[2]s.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `+"`json:\"conditions,omitempty\"`"+`
}

// %[2]s is a kind of the benchmark.
//
// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
// +kubebuilder:resource:scope=Namespaced
// +kubebuilder:subresource:status
type %[2]s struct {
	metav1.TypeMeta   `+"`json:\",inline\"`"+`
	metav1.ObjectMeta `+"`json:\"metadata,omitempty\"`"+`

	Spec   %[2]sSpec   `+"`json:\"spec,omitempty\"`"+`
	Status %[2]sStatus `+"`json:\"status,omitempty\"`"+`
}

// %[2]sList is a list of %[2]s objects.
//
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type %[2]sList struct {
	metav1.TypeMeta `+"`json:\",inline\"`"+`
	metav1.ListMeta `+"`json:\"metadata,omitempty\"`"+`

	Items []%[2]s `+"`json:\"items\"`"+`
}
`, version, kind)
}

func median(ss []sample, f func(sample) time.Duration) time.Duration {
	if len(ss) == 0 {
		return 0
	}
	ds := make([]time.Duration, len(ss))
	for i, s := range ss {
		ds[i] = f(s)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}

func cpu(s sample) time.Duration  { return s.cpu }
func wall(s sample) time.Duration { return s.wall }

func peak(ss []sample) int64 {
	var m int64
	for _, s := range ss {
		m = max(m, s.rss)
	}
	return m
}

func report(w io.Writer, results []*result, runs int) {
	fmt.Fprintf(w, "\ngenerate: medians of %d rounds; times are CPU seconds (user+sys of the process and its children) with wall seconds in parentheses, ratios likewise CPU (wall)\n\n", runs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "kinds\tgroups\tkind-versions\tfull\tno-op\tverify\tfloor\tfull/floor\tkube_codegen.sh\tkube_codegen.sh/full\tfull peak RSS\tkube_codegen.sh peak RSS\t")
	for _, r := range results {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d MiB\t%s\t\n", r.kinds, r.groups, r.versions,
			pair(r.full), pair(r.noop), pair(r.verify), pair(r.floor),
			ratios(r.full, r.floor, "%.2fx"), pair(r.kubeCodegen), ratios(r.kubeCodegen, r.full, "%.1fx"),
			peak(r.full)>>20, rss(r.kubeCodegen))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nfull: aggen generate on a copy without upstream output; no-op: generate again; verify: aggen verify;\n"+
		"floor: go/packages loading ./pkg/apis/... and the library packages whose comments the generators read (other types from export data)\n")
}

// ratios is the ratio of the medians of a to those of b, CPU (wall);
// "-" when b was not measured.
func ratios(a, b []sample, format string) string {
	if len(a) == 0 || len(b) == 0 {
		return "-"
	}
	return fmt.Sprintf(format+" ("+format+")", ratio(median(a, cpu), median(b, cpu)), ratio(median(a, wall), median(b, wall)))
}

func rss(ss []sample) string {
	if len(ss) == 0 {
		return "-"
	}
	return fmt.Sprintf("%d MiB", peak(ss)>>20)
}

func pair(ss []sample) string {
	if len(ss) == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f (%.2f)", median(ss, cpu).Seconds(), median(ss, wall).Seconds())
}

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
