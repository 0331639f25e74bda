package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aggen-dev/aggen/test/e2e/harness"
)

func TestParseSizes(t *testing.T) {
	got, err := parseSizes("10000, 1000,1000")
	if err != nil || len(got) != 2 || got[0] != 1000 || got[1] != 10000 {
		t.Errorf("parseSizes = %v, %v; want [1000 10000]", got, err)
	}
	for _, bad := range []string{"", "0", "10,x", "-5"} {
		if _, err := parseSizes(bad); err == nil {
			t.Errorf("parseSizes(%q): no error", bad)
		}
	}
}

// The table divides aggen's figure by the others' and says, per row,
// whether aggen is at least as good as the CRD, in the row's direction.
func TestReport(t *testing.T) {
	ms := time.Millisecond
	r := &results{
		targetNames: []string{"aggen", "CRD", "sample", "aggen direct"},
		created:     map[string]int{"aggen": 100, "CRD": 100, "sample": 100},
		createTime:  map[string]time.Duration{"aggen": time.Second, "CRD": 2 * time.Second, "sample": 500 * ms},
		createLat:   map[string]harness.Latencies{"aggen": {10 * ms}, "CRD": {20 * ms}, "sample": {5 * ms}},
		roundRates:  map[string][]float64{"aggen": {300, 100, 200}, "CRD": {150, 160, 140, 170}, "aggen direct": {400}},
		roundLat:    map[string]harness.Latencies{"aggen": {8 * ms}, "CRD": {4 * ms}, "aggen direct": {2 * ms}},
		roundCPU: map[string]map[string]time.Duration{
			"aggen":        {cpuServer: 16 * ms, cpuKube: 8 * ms, cpuEtcd: 4 * ms},
			"CRD":          {cpuKube: 10 * ms, cpuEtcd: 4 * ms},
			"aggen direct": {cpuServer: 12 * ms, cpuKube: 1 * ms, cpuEtcd: 4 * ms},
		},
		lists: map[string]map[listKey]harness.Latencies{
			"aggen":  {{size: 100}: {30 * ms}, {size: 100, table: true}: {10 * ms}},
			"CRD":    {{size: 100}: {10 * ms}, {size: 100, table: true}: {10 * ms}},
			"sample": {{size: 100}: {15 * ms}, {size: 100, table: true}: {10 * ms}},
		},
		watch: map[string]time.Duration{"aggen": 100 * ms, "CRD": 50 * ms},
		watchDelivery: map[string]harness.Latencies{
			"aggen": {-1 * ms, 4 * ms, 6 * ms, 30 * ms}, "CRD": {2 * ms, 3 * ms, 3 * ms, 10 * ms},
			"aggen direct": {1 * ms, 2 * ms, 2 * ms, 5 * ms},
		},
		rssBefore:  map[string]memory{"aggen": {rss: 1024, hwm: 1024}, "CRD": {rss: 4096}, "sample": {rss: 1024, hwm: 1024}},
		rssAfter:   map[string]memory{"aggen": {rss: 3072, hwm: 4096}, "CRD": {rss: 8192}, "sample": {rss: 2048, hwm: 2048}},
		kubeGrowth: map[string]int64{"aggen": 512, "CRD": 4096, "sample": 0},
	}
	var out bytes.Buffer
	report(&out, config{sizes: []int{100}, concurrency: 10, rounds: 3, roundSize: 10, watchers: 2, events: 3, watchRounds: 1}, r)
	for figure, want := range map[string]string{
		"create c=10 (objects/s)":                         `100\s+50\s+200\s+-\s+2.00x\s+0.50x\s+yes`,
		"create c=10, 3 alternating rounds of 10":         `200\s+155\s+-\s+400\s+1.29x\s+-\s+yes`,
		"create p50, rounds (ms)":                         `8.0\s+4.0\s+-\s+2.0\s+2.00x\s+-\s+no`,
		"create CPU, rounds: server (ms/object)":          `16.00\s+-\s+-\s+12.00\s+-\s+-\s+-`,
		"create CPU, rounds: total (ms/object)":           `28.00\s+14.00\s+-\s+17.00\s+2.00x\s+-\s+no`,
		"aggregation hop on creates":                      `aggen 200/s through kube-apiserver vs 400/s direct \(0.50x\); p50 8.0 vs 2.0 ms`,
		"create p50 (ms)":                                 `10.0\s+20.0\s+5.0\s+-\s+0.50x\s+2.00x\s+yes`,
		"LIST 100 JSON p50 (ms)":                          `30.0\s+10.0\s+15.0\s+-\s+3.00x\s+2.00x\s+no`,
		"LIST 100 Table p99 (ms)":                         `10.0\s+10.0\s+10.0\s+-\s+1.00x\s+1.00x\s+yes`,
		"watch events delivered (/s)":                     `60\s+120\s+-\s+-\s+0.50x\s+-\s+no`,
		"watch: create response to last watcher p50 (ms)": `4.0\s+3.0\s+-\s+2.0\s+1.33x\s+-\s+no`,
		"watch: create response to last watcher p99 (ms)": `30.0\s+10.0\s+-\s+5.0\s+3.00x\s+-\s+no`,
		"RSS growth, 100 objects":                         `2.0\s+4.0\s+1.0\s+-\s+0.50x\s+2.00x\s+yes`,
	} {
		line := lineOf(out.String(), figure)
		if !regexp.MustCompile(want).MatchString(line) {
			t.Errorf("row %q = %q, want it to match %s\n%s", figure, line, want, out.String())
		}
	}
}

func lineOf(s, prefix string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// TestServingTiny runs the benchmark at a tiny size, so that it keeps
// working: every server answers, every figure is measured.
func TestServingTiny(t *testing.T) {
	if os.Getenv("AGGEN_E2E") != "1" || testing.Short() {
		t.Skip("set AGGEN_E2E=1: builds the example's apiserver, runs etcd, kube-apiserver and sample-apiserver")
	}
	example, err := harness.FindRepoDir("examples/insects")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var out bytes.Buffer
	cfg := config{
		example: example, sizes: []int{20}, concurrency: 5, lists: 2, rounds: 2, roundSize: 5, watchers: 5, events: 5, watchRounds: 2,
		sample: true, direct: true, busyKube: true, logf: t.Logf,
	}
	if err := run(ctx, cfg, &out); err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", out.String())
	number := `\d+(\.\d+)?`
	for figure, want := range map[string]string{
		"create c=5 (objects/s)":           strings.Repeat(number+`\s+`, 3) + `-`,
		"create c=5, 2 alternating rounds": strings.Repeat(number+`\s+`, 4),
		"create p50, rounds (ms)":          strings.Repeat(number+`\s+`, 4),
		"create CPU, rounds: server":       number + `\s+-\s+` + strings.Repeat(number+`\s+`, 2),
		"create CPU, rounds: kube-apiser":  strings.Repeat(number+`\s+`, 4),
		"create CPU, rounds: total":        strings.Repeat(number+`\s+`, 4),
		"aggregation hop on creates":       `aggen ` + number + `/s through kube-apiserver vs ` + number + `/s direct`,
		"shared cores":                     `the server's CPU per create is ` + number + ` ms directly, ` + number + ` ms directly while`,
		"LIST 20 JSON p99 (ms)":            strings.Repeat(number+`\s+`, 4),
		"LIST 20 Table p50 (ms)":           strings.Repeat(number+`\s+`, 4),
		"watch: all 5 see 5 events (ms, m": number + `\s+` + number + `\s+-\s+` + number,
		"watch: create response to last w": `-?` + number + `\s+-?` + number + `\s+-\s+-?` + number,
		"RSS growth, 20 objects (MiB)":     strings.Repeat(`-?`+number+`\s+`, 3),
		"extension servers' RSS before th": `aggen \d`,
	} {
		line := lineOf(out.String(), figure)
		if !regexp.MustCompile(regexp.QuoteMeta(figure) + `.*?\s` + want).MatchString(line) {
			t.Errorf("row %q = %q, want figures matching %s", figure, line, want)
		}
	}
}

// A delivery is the time from an object's create response to the last
// watcher's sight of it, negative when a watcher was quicker than the
// response; an object no watcher saw is an error, not a figure.
func TestDeliveries(t *testing.T) {
	t0 := time.Unix(1000, 0)
	ms := time.Millisecond
	created := map[string]time.Time{"a": t0, "b": t0.Add(10 * ms)}
	got, err := deliveries(created, map[string]time.Time{"a": t0.Add(7 * ms), "b": t0.Add(8 * ms), "c": t0})
	if err != nil {
		t.Fatal(err)
	}
	if want := (harness.Latencies{7 * ms, -2 * ms}); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("deliveries = %v, want %v", got, want)
	}
	if _, err := deliveries(created, map[string]time.Time{"a": t0}); err == nil || !strings.Contains(err.Error(), "no watcher saw b") {
		t.Errorf("deliveries without b seen: err = %v, want one naming b", err)
	}
}

// countAdded tells the name of every ADDED object, skips other events,
// stops at the count wanted and fails on an ERROR event or a nameless
// object.
func TestCountAdded(t *testing.T) {
	stream := `{"type":"ADDED","object":{"metadata":{"name":"x"}}}
{"type":"MODIFIED","object":{"metadata":{"name":"x"}}}
{"type":"ADDED","object":{"metadata":{"name":"y"}}}
{"type":"ADDED","object":{"metadata":{"name":"z"}}}
`
	var names []string
	seen := func(name string, _ time.Time) { names = append(names, name) }
	if err := countAdded(strings.NewReader(stream), 2, seen); err != nil {
		t.Fatal(err)
	}
	if strings.Join(names, ",") != "x,y" {
		t.Errorf("seen %v, want [x y]", names)
	}
	for _, bad := range []string{
		`{"type":"ERROR","object":{"message":"too old"}}`,
		`{"type":"ADDED","object":{"metadata":{}}}`,
		`{"type":"ADDED","object":{"metadata":{"name":"x"}}}`, // ends before the second
	} {
		if err := countAdded(strings.NewReader(bad), 2, seen); err == nil {
			t.Errorf("countAdded(%s): no error", bad)
		}
	}
}

// The counters a profiled window reads from /proc (CPU time, the context
// switches of a process's threads and of the machine) are this process's
// own and the machine's, and they only grow.
func TestReadWindow(t *testing.T) {
	procs := map[string]int{cpuServer: os.Getpid()}
	before, err := readWindow(procs, os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		time.Sleep(time.Millisecond) // a voluntary switch each
	}
	after, err := readWindow(procs, os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if after.server.voluntary+after.server.involuntary <= before.server.voluntary+before.server.involuntary || after.machine <= before.machine {
		t.Errorf("switches did not grow: process %+v -> %+v, machine %d -> %d", before.server, after.server, before.machine, after.machine)
	}
	if after.cpu[cpuServer] < before.cpu[cpuServer] {
		t.Errorf("CPU time went back: %v -> %v", before.cpu[cpuServer], after.cpu[cpuServer])
	}
	if _, err := readSwitches(-1); err == nil {
		t.Error("readSwitches(-1): no error")
	}
}

// With -busy-kube the table has a column of the server measured directly
// while kube-apiserver is busy: only its server's CPU is charged to it, so
// it has no total, and a line sets its CPU per create beside the direct
// and the proxied one.
func TestReportBusyKube(t *testing.T) {
	ms := time.Millisecond
	r := &results{
		targetNames: []string{"aggen", "CRD", "aggen direct", busyKubeTarget},
		roundRates:  map[string][]float64{"aggen": {200}, "CRD": {150}, "aggen direct": {400}, busyKubeTarget: {250}},
		roundLat:    map[string]harness.Latencies{"aggen": {8 * ms}, "CRD": {4 * ms}, "aggen direct": {2 * ms}, busyKubeTarget: {3 * ms, 3 * ms}},
		roundCPU: map[string]map[string]time.Duration{
			"aggen":        {cpuServer: 16 * ms, cpuKube: 8 * ms, cpuEtcd: 4 * ms},
			"CRD":          {cpuKube: 10 * ms, cpuEtcd: 4 * ms},
			"aggen direct": {cpuServer: 12 * ms, cpuKube: 1 * ms, cpuEtcd: 4 * ms},
			busyKubeTarget: {cpuServer: 28 * ms},
		},
		watch:         map[string]time.Duration{"aggen": 10 * ms, "CRD": 20 * ms},
		watchDelivery: map[string]harness.Latencies{"aggen": {-1 * ms}, "CRD": {2 * ms}},
		rssBefore:     map[string]memory{"aggen": {rss: 1024}, busyKubeTarget: {rss: 1024}, "CRD": {rss: 1024}},
		rssAfter:      map[string]memory{"aggen": {rss: 2048}, busyKubeTarget: {rss: 2048}, "CRD": {rss: 2048}},
		kubeGrowth:    map[string]int64{},
	}
	var out bytes.Buffer
	report(&out, config{sizes: []int{100}, concurrency: 10, rounds: 1, roundSize: 1, watchers: 2, events: 3, watchRounds: 1}, r)
	for figure, want := range map[string]string{
		"create c=10, 1 alternating rounds of 1": `200\s+150\s+400\s+250\s+1.33x\s+yes`,
		"create CPU, rounds: server (ms/object)": `16.00\s+-\s+12.00\s+14.00\s+-\s+-`,
		"create CPU, rounds: kube-apiserver":     `8.00\s+10.00\s+1.00\s+-\s+0.80x\s+yes`,
		"create CPU, rounds: total (ms/object)":  `28.00\s+14.00\s+17.00\s+-\s+2.00x\s+no`,
		"watch: create response to last watcher": `-1.0\s+2.0\s+-\s+-\s+-\s+yes`,
		"extension servers' RSS before":          `MiB, fixed cost a CRD does not have\): aggen 1.0 \(after 2.0\); kube`,
		"shared cores":                           `12.00 ms directly, 14.00 ms directly while kube-apiserver creates CRD objects, 16.00 ms through kube-apiserver`,
	} {
		line := lineOf(out.String(), figure)
		if !regexp.MustCompile(want).MatchString(line) {
			t.Errorf("row %q = %q, want it to match %s\n%s", figure, line, want, out.String())
		}
	}
}

// TestSetUpFails: a set-up that fails early (here: a binary that is not
// there) returns its error and tears down what it made, rather than
// tearing down through the nil bench it returns.
func TestSetUpFails(t *testing.T) {
	t.Setenv(harness.BinaryEnvVar(harness.BinEtcd), t.TempDir()+"/no-etcd")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	b, err := setUp(context.Background(), config{example: "examples/insects", logf: t.Logf})
	if err == nil || b != nil {
		t.Fatalf("setUp = %v, %v; want nil and an error", b, err)
	}
	if !strings.Contains(err.Error(), "no-etcd") {
		t.Errorf("error %q does not name the missing binary", err)
	}
}
