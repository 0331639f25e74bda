package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// better says which way a figure is good.
type better int

const (
	higher better = iota
	lower
)

// line is one row of the table: a figure per target ("" when not
// measured).
type line struct {
	figure string
	better better
	values map[string]float64
	format string // fmt verb for the values
}

// report prints the table: absolute figures of every target, then the
// ratios aggen/CRD and aggen/sample-apiserver, and whether the generated
// server is at least as good as the CRD on the row.
func report(w io.Writer, cfg config, r *results) {
	fmt.Fprintf(w, "\nserving through kube-apiserver: aggen's generated server (aggregated) vs the same Go types as a CRD (controller-gen) in the same kube-apiserver")
	if has(r, "sample") {
		fmt.Fprintf(w, " vs sample-apiserver (aggregated, Flunder)")
	}
	fmt.Fprintf(w, "; one etcd, one run\n")
	fmt.Fprintf(w, "objects: %s; creates at concurrency %d; %d LISTs per server, size and kind in interleaved rounds; watch: %d watchers x %d events\n\n",
		joinInts(cfg.sizes), cfg.concurrency, cfg.lists, cfg.watchers, cfg.events)

	var lines []line
	creates := line{figure: fmt.Sprintf("create c=%d (objects/s)", cfg.concurrency), better: higher, values: map[string]float64{}, format: "%.0f"}
	p50 := line{figure: "create p50 (ms)", better: lower, values: map[string]float64{}, format: "%.1f"}
	p99 := line{figure: "create p99 (ms)", better: lower, values: map[string]float64{}, format: "%.1f"}
	for name, n := range r.created {
		if d := r.createTime[name]; d > 0 {
			creates.values[name] = float64(n) / d.Seconds()
		}
		p50.values[name] = ms(r.createLat[name].Percentile(50))
		p99.values[name] = ms(r.createLat[name].Percentile(99))
	}
	rounds := line{figure: fmt.Sprintf("create c=%d, %d alternating rounds of %d (objects/s, median)", cfg.concurrency, cfg.rounds, cfg.roundSize), better: higher, values: map[string]float64{}, format: "%.0f"}
	roundP50 := line{figure: "create p50, rounds (ms)", better: lower, values: map[string]float64{}, format: "%.1f"}
	for name, rates := range r.roundRates {
		rounds.values[name] = median(rates)
		roundP50.values[name] = ms(r.roundLat[name].Percentile(50))
	}
	lines = append(lines, creates, rounds, roundP50)
	lines = append(lines, cpuLines(r)...)
	lines = append(lines, p50, p99)
	for _, size := range cfg.sizes {
		for _, table := range []bool{false, true} {
			kind := "JSON"
			if table {
				kind = "Table"
			}
			for _, q := range []float64{50, 99} {
				l := line{figure: fmt.Sprintf("LIST %d %s p%.0f (ms)", size, kind, q), better: lower, values: map[string]float64{}, format: "%.1f"}
				for name, byKey := range r.lists {
					if lat := byKey[listKey{size: size, table: table}]; len(lat) > 0 {
						l.values[name] = ms(lat.Percentile(q))
					}
				}
				lines = append(lines, l)
			}
		}
	}
	if len(r.watch) > 0 {
		all := line{figure: fmt.Sprintf("watch: all %d see %d events (ms, median of %d)", cfg.watchers, cfg.events, cfg.watchRounds), better: lower, values: map[string]float64{}, format: "%.0f"}
		rate := line{figure: "watch events delivered (/s)", better: higher, values: map[string]float64{}, format: "%.0f"}
		del50 := line{figure: "watch: create response to last watcher p50 (ms)", better: lower, values: map[string]float64{}, format: "%.1f"}
		del99 := line{figure: "watch: create response to last watcher p99 (ms)", better: lower, values: map[string]float64{}, format: "%.1f"}
		for name, d := range r.watch {
			all.values[name] = ms(d)
			rate.values[name] = float64(cfg.watchers*cfg.events) / d.Seconds()
		}
		for name, lat := range r.watchDelivery {
			if len(lat) > 0 {
				del50.values[name] = ms(lat.Percentile(50))
				del99.values[name] = ms(lat.Percentile(99))
			}
		}
		lines = append(lines, all, rate, del50, del99)
	}
	last := cfg.sizes[len(cfg.sizes)-1]
	growth := line{figure: fmt.Sprintf("RSS growth, %d objects (MiB)", last), better: lower, values: map[string]float64{}, format: "%.1f"}
	peak := line{figure: "peak RSS VmHWM growth (MiB)", better: lower, values: map[string]float64{}, format: "%.1f"}
	for _, name := range r.targetNames {
		if name == "CRD" {
			growth.values[name] = mib(r.kubeGrowth[name])
			continue
		}
		if _, ok := r.created[name]; !ok {
			continue
		}
		growth.values[name] = mib(r.rssAfter[name].rss - r.rssBefore[name].rss)
		peak.values[name] = mib(r.rssAfter[name].hwm - r.rssBefore[name].hwm)
	}
	lines = append(lines, growth, peak)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := []string{"figure"}
	header = append(header, r.targetNames...)
	header = append(header, "aggen/CRD")
	if has(r, "sample") {
		header = append(header, "aggen/sample")
	}
	header = append(header, "aggen >= CRD")
	fmt.Fprintln(tw, strings.Join(header, "\t")+"\t")
	for _, l := range lines {
		cells := []string{l.figure}
		for _, name := range r.targetNames {
			if v, ok := l.values[name]; ok {
				cells = append(cells, fmt.Sprintf(l.format, v))
			} else {
				cells = append(cells, "-")
			}
		}
		cells = append(cells, ratioCell(l, "CRD"))
		if has(r, "sample") {
			cells = append(cells, ratioCell(l, "sample"))
		}
		cells = append(cells, verdict(l))
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	_ = tw.Flush()

	fmt.Fprintln(w)
	fmt.Fprintln(w, "ratios are aggen's figure over the other's: above 1 is better for objects/s and events/s, below 1 for times and memory.")
	fmt.Fprintln(w, "structural cost: every aggen and sample request is proxied by kube-apiserver to the extension server (a second TLS hop,")
	fmt.Fprintln(w, "the body copied through); a CRD's request ends in kube-apiserver. \"aggen direct\" is the generated server without the proxy.")
	if a, d := median(r.roundRates["aggen"]), median(r.roundRates["aggen direct"]); a > 0 && d > 0 {
		fmt.Fprintf(w, "aggregation hop on creates (rounds): aggen %.0f/s through kube-apiserver vs %.0f/s direct (%.2fx); p50 %.1f vs %.1f ms.\n",
			a, d, a/d, ms(r.roundLat["aggen"].Percentile(50)), ms(r.roundLat["aggen direct"].Percentile(50)))
	}
	if busy := r.roundCPU[busyKubeTarget][cpuServer]; busy > 0 && len(r.roundLat[busyKubeTarget]) > 0 && len(r.roundLat["aggen direct"]) > 0 && len(r.roundLat["aggen"]) > 0 {
		per := func(name string, d time.Duration) float64 { return ms(d) / float64(len(r.roundLat[name])) }
		fmt.Fprintf(w, "shared cores: the server's CPU per create is %.2f ms directly, %.2f ms directly while kube-apiserver creates CRD objects, %.2f ms through kube-apiserver.\n",
			per("aggen direct", r.roundCPU["aggen direct"][cpuServer]), per(busyKubeTarget, busy), per("aggen", r.roundCPU["aggen"][cpuServer]))
	}
	if g, ok := r.kubeGrowth["aggen"]; ok {
		fmt.Fprintf(w, "kube-apiserver's RSS grew %.1f MiB while it proxied the creates of aggen's objects; for the CRD its growth is the CRD column.\n", mib(g))
	}
	fmt.Fprintf(w, "extension servers' RSS before the fills (MiB, fixed cost a CRD does not have):")
	for _, name := range r.targetNames {
		if name == "CRD" || name == "aggen direct" || name == busyKubeTarget {
			continue
		}
		fmt.Fprintf(w, " %s %.1f (after %.1f)", name, mib(r.rssBefore[name].rss), mib(r.rssAfter[name].rss))
	}
	fmt.Fprintf(w, "; kube-apiserver %.1f (after %.1f)\n", mib(r.rssBefore["CRD"].rss), mib(r.rssAfter["CRD"].rss))
}

// cpuLines are the CPU time per object created in the rounds, of each
// process and in all: what decides the create rate of a machine whose
// cores the processes share.
func cpuLines(r *results) []line {
	var out []line
	total := line{figure: "create CPU, rounds: total (ms/object)", better: lower, values: map[string]float64{}, format: "%.2f"}
	for _, proc := range []string{cpuServer, cpuKube, cpuEtcd} {
		l := line{figure: fmt.Sprintf("create CPU, rounds: %s (ms/object)", proc), better: lower, values: map[string]float64{}, format: "%.2f"}
		for name, byProc := range r.roundCPU {
			d, ok := byProc[proc]
			n := len(r.roundLat[name])
			if !ok || n == 0 {
				continue
			}
			l.values[name] = ms(d) / float64(n)
			if name != busyKubeTarget { // only its server's CPU is its own
				total.values[name] += ms(d) / float64(n)
			}
		}
		out = append(out, l)
	}
	return append(out, total)
}

func has(r *results, name string) bool {
	for _, n := range r.targetNames {
		if n == name {
			return true
		}
	}
	return false
}

func ratioCell(l line, other string) string {
	a, ok1 := l.values["aggen"]
	b, ok2 := l.values[other]
	// A ratio of a negative figure (a watch event seen before its
	// create's response arrived) means nothing.
	if !ok1 || !ok2 || a <= 0 || b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", a/b)
}

// verdict says whether aggen is at least as good as the CRD on the row.
func verdict(l line) string {
	a, ok1 := l.values["aggen"]
	c, ok2 := l.values["CRD"]
	if !ok1 || !ok2 {
		return "-"
	}
	if (l.better == higher && a >= c) || (l.better == lower && a <= c) {
		return "yes"
	}
	return "no"
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func mib(kb int64) float64 { return float64(kb) / 1024 }

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ",")
}
