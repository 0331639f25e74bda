package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aggen-dev/aggen/test/e2e/harness"
)

// tableAccept is what kubectl get asks for.
const tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"

// results are the figures of one run, by target name.
type results struct {
	created    map[string]int
	createTime map[string]time.Duration
	createLat  map[string]harness.Latencies
	roundRates map[string][]float64 // objects/s of each interleaved create round
	roundLat   map[string]harness.Latencies
	// roundCPU is the CPU time each process used during a target's
	// rounds, by target and process (server, kube-apiserver, etcd).
	roundCPU map[string]map[string]time.Duration
	lists    map[string]map[listKey]harness.Latencies
	watch    map[string]time.Duration
	// watchDelivery is, per event of the fan-out, the time from its
	// create's response until the last watcher saw it.
	watchDelivery map[string]harness.Latencies
	rssBefore     map[string]memory // of the target's process before the fills
	rssAfter      map[string]memory
	kubeGrowth    map[string]int64 // kube-apiserver's VmRSS growth while the target's objects were created, kB
	targetNames   []string
}

type listKey struct {
	size  int
	table bool
}

// memory is VmRSS and VmHWM of a process, in kB.
type memory struct{ rss, hwm int64 }

func (b *bench) measure(ctx context.Context) (*results, error) {
	res := &results{
		created: map[string]int{}, createTime: map[string]time.Duration{}, createLat: map[string]harness.Latencies{}, roundRates: map[string][]float64{}, roundLat: map[string]harness.Latencies{}, roundCPU: map[string]map[string]time.Duration{},
		lists: map[string]map[listKey]harness.Latencies{}, watch: map[string]time.Duration{}, watchDelivery: map[string]harness.Latencies{},
		rssBefore: map[string]memory{}, rssAfter: map[string]memory{}, kubeGrowth: map[string]int64{},
	}
	clients := map[string]*harness.Client{}
	for _, t := range b.targets {
		res.targetNames = append(res.targetNames, t.name)
		c, err := t.newClient()
		if err != nil {
			return nil, err
		}
		defer c.CloseIdle()
		clients[t.name] = c
		// Warm up: the connection, the authorization caches.
		for i := 0; i < 20; i++ {
			if _, err := c.Get(ctx, t.collection(listNamespace)+"?limit=1"); err != nil {
				return nil, fmt.Errorf("%s: %w", t.name, err)
			}
		}
	}
	// Let start-up work (informer syncs, the aggregator's OpenAPI
	// downloads) settle.
	time.Sleep(5 * time.Second)
	for _, t := range b.targets {
		m, err := readMemory(t.pid)
		if err != nil {
			return nil, err
		}
		res.rssBefore[t.name] = m
	}

	writers := b.writers()
	last := len(b.cfg.sizes) - 1
	for step, size := range b.cfg.sizes {
		// The generated server fills first: what kube-apiserver grows by
		// proxying it is then not charged to the CRD, whose objects are
		// created after.
		for _, t := range writers {
			from := res.created[t.name]
			if from >= size {
				continue
			}
			var stops []func() error
			if step == last && b.cfg.profileDir != "" {
				stops = b.profiles(ctx, t, "create")
			}
			before, err := readMemory(b.kubePID)
			if err != nil {
				return nil, err
			}
			b.cfg.logf("%s: creating objects %d to %d", t.name, from, size-1)
			start := time.Now()
			lat, err := createObjects(ctx, clients[t.name], t, listNamespace, "o", from, size, b.cfg.concurrency)
			res.createTime[t.name] += time.Since(start)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.name, err)
			}
			after, err := readMemory(b.kubePID)
			if err != nil {
				return nil, err
			}
			res.created[t.name] = size
			res.createLat[t.name] = append(res.createLat[t.name], lat...)
			res.kubeGrowth[t.name] += after.rss - before.rss
			for _, stop := range stops {
				if err := stop(); err != nil {
					return nil, err
				}
			}
		}
		if err := b.waitListed(ctx, clients, size); err != nil {
			return nil, err
		}
		var stops []func() error
		if step == last && b.cfg.profileDir != "" {
			// kube-apiserver serves the CRD and proxies aggen: one profile.
			stops = append(stops, b.profile(ctx, "aggen", "list"), b.profile(ctx, "kube-apiserver", "list"))
		}
		listers := b.listers()
		for _, table := range []bool{false, true} {
			key := listKey{size: size, table: table}
			for round := 0; round < b.cfg.lists; round++ {
				for i := range listers {
					// Rotate who goes first.
					t := listers[(i+round)%len(listers)]
					d, err := timeList(ctx, clients[t.name], t.collection(listNamespace), table, size)
					if err != nil {
						return nil, fmt.Errorf("%s: %w", t.name, err)
					}
					if res.lists[t.name] == nil {
						res.lists[t.name] = map[listKey]harness.Latencies{}
					}
					res.lists[t.name][key] = append(res.lists[t.name][key], d)
				}
			}
		}
		for _, stop := range stops {
			if err := stop(); err != nil {
				return nil, err
			}
		}
	}
	for _, t := range b.targets {
		m, err := readMemory(t.pid)
		if err != nil {
			return nil, err
		}
		res.rssAfter[t.name] = m
	}

	// Throughput in short rounds that alternate between the servers, who
	// goes first rotating: the fills above run one server after the other
	// (so that kube-apiserver's growth is charged to the right one), and
	// a machine that slows down meanwhile tilts their rates. The generated
	// server measured directly takes part, so that the rounds show what the
	// aggregation hop costs a create; its objects go to aggen's collection
	// under names of their own.
	var creators []*target
	for _, t := range b.targets {
		if t.rounds {
			creators = append(creators, t)
		}
	}
	for round := 0; round < b.cfg.rounds; round++ {
		for i := range creators {
			j := (i + round) % len(creators)
			t := creators[j]
			procs := b.roundProcesses(t)
			stopBusy, err := b.busy(ctx, t, fmt.Sprintf("rb%d-%d", round, j))
			if err != nil {
				return nil, err
			}
			before, err := readCPUs(procs)
			if err != nil {
				stopBusy()
				return nil, err
			}
			start := time.Now()
			lat, err := createObjects(ctx, clients[t.name], t, listNamespace, fmt.Sprintf("r%d-%d", round, j), 0, b.cfg.roundSize, b.cfg.concurrency)
			if err == nil {
				err = stopBusy()
			} else {
				stopBusy()
			}
			if err != nil {
				return nil, fmt.Errorf("%s: create round %d: %w", t.name, round, err)
			}
			res.roundRates[t.name] = append(res.roundRates[t.name], float64(b.cfg.roundSize)/time.Since(start).Seconds())
			res.roundLat[t.name] = append(res.roundLat[t.name], lat...)
			after, err := readCPUs(procs)
			if err != nil {
				return nil, err
			}
			if res.roundCPU[t.name] == nil {
				res.roundCPU[t.name] = map[string]time.Duration{}
			}
			for name := range procs {
				res.roundCPU[t.name][name] += after[name] - before[name]
			}
		}
	}

	if b.cfg.profileDir != "" {
		if err := b.profileCreates(ctx, creators); err != nil {
			return nil, err
		}
	}

	// One fan-out is a third of a second: alternating rounds, as for the
	// creates, so that a noisy machine's drift hits every server alike.
	fanouts := map[string][]float64{}
	for r := 0; r < b.cfg.watchRounds; r++ {
		for i, t := range b.targets {
			if !t.watch {
				continue
			}
			b.cfg.logf("%s: %d watchers, %d events (round %d of %d)", t.name, b.cfg.watchers, b.cfg.events, r+1, b.cfg.watchRounds)
			fo, err := watchFanout(ctx, t, fmt.Sprintf("w%d-%d", r, i), b.cfg.watchers, b.cfg.events, b.cfg.concurrency)
			if err != nil {
				return nil, fmt.Errorf("%s watch fan-out: %w", t.name, err)
			}
			fanouts[t.name] = append(fanouts[t.name], float64(fo.all))
			res.watchDelivery[t.name] = append(res.watchDelivery[t.name], fo.delivery...)
		}
	}
	for name, all := range fanouts {
		res.watch[name] = time.Duration(median(all))
	}
	if b.cfg.profileDir != "" {
		if err := b.profileWatches(ctx); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// roundProcesses are the processes whose CPU time a create round of t is
// charged: kube-apiserver, etcd and, for an extension server, the server.
func (b *bench) roundProcesses(t *target) map[string]int {
	if t.busy != nil {
		// kube-apiserver's and etcd's CPU is mostly the background's.
		return map[string]int{cpuServer: t.pid}
	}
	procs := map[string]int{cpuKube: b.kubePID, cpuEtcd: b.etcdPID}
	if t.pid != b.kubePID {
		procs[cpuServer] = t.pid
	}
	return procs
}

// busy starts, for a target with a busy background, creates of the
// background target's objects (prefix-<n>, at concurrency 5, in the
// round's namespace) that last until the function returned is called; it
// returns their first error. For other targets it does nothing.
func (b *bench) busy(ctx context.Context, t *target, prefix string) (func() error, error) {
	if t.busy == nil {
		return func() error { return nil }, nil
	}
	c, err := t.busy.newClient()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		var err error
		for n := 0; ctx.Err() == nil; n += 50 {
			if _, err = createObjects(ctx, c, t.busy, listNamespace, prefix, n, n+50, 5); err != nil {
				break
			}
		}
		if ctx.Err() != nil {
			err = nil // cancelled: the round is over
		}
		done <- err
	}()
	// Let the background reach its pace before the round starts.
	time.Sleep(500 * time.Millisecond)
	return func() error {
		cancel()
		err := <-done
		c.CloseIdle()
		if err != nil {
			return fmt.Errorf("background creates of %s: %w", t.busy.name, err)
		}
		return nil
	}, nil
}

// The processes of the CPU figures.
const (
	cpuServer = "server"
	cpuKube   = "kube-apiserver"
	cpuEtcd   = "etcd"
)

// readCPUs reads the CPU time of each process.
func readCPUs(procs map[string]int) (map[string]time.Duration, error) {
	out := map[string]time.Duration{}
	for name, pid := range procs {
		d, err := readCPU(pid)
		if err != nil {
			return nil, err
		}
		out[name] = d
	}
	return out, nil
}

// clockTicks is the unit of utime and stime in /proc/<pid>/stat (USER_HZ,
// 100 on Linux).
const clockTicks = 100

// readCPU reads the user and system CPU time a process used so far.
func readCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces: fields count
	// from after its closing parenthesis, where field 3 (state) starts.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: %q", pid, s)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %q", pid, s)
	}
	var ticks int64
	for _, v := range f[11:13] { // utime, stime: fields 14 and 15
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// writers are the targets that create objects, the generated server first.
func (b *bench) writers() []*target {
	var out []*target
	for _, t := range b.targets {
		if t.writes {
			out = append(out, t)
		}
	}
	return out
}

// listers are the targets whose LISTs are timed: all but those measured
// with a busy background, which only create.
func (b *bench) listers() []*target {
	var out []*target
	for _, t := range b.targets {
		if t.busy == nil {
			out = append(out, t)
		}
	}
	return out
}

// waitListed waits until every target lists size objects (a consistent
// LIST answers at once; this guards against a short list being timed).
func (b *bench) waitListed(ctx context.Context, clients map[string]*harness.Client, size int) error {
	for _, t := range b.listers() {
		err := harness.Eventually(ctx, 60*time.Second, fmt.Sprintf("%s lists %d objects", t.name, size), func(ctx context.Context) error {
			_, err := timeList(ctx, clients[t.name], t.collection(listNamespace), false, size)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// createObjects creates objects prefix-<from> to prefix-<to-1> with
// concurrency workers sharing c and returns the latency of each create.
func createObjects(ctx context.Context, c *harness.Client, t *target, ns, prefix string, from, to, concurrency int) (harness.Latencies, error) {
	return createObjectsNotify(ctx, c, t, ns, prefix, from, to, concurrency, nil)
}

// createObjectsNotify is createObjects that, when created is not nil,
// tells it the name of each object created and when its create answered.
func createObjectsNotify(ctx context.Context, c *harness.Client, t *target, ns, prefix string, from, to, concurrency int, created func(name string, at time.Time)) (harness.Latencies, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	go func() {
		defer close(next)
		for i := from; i < to; i++ {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var mu sync.Mutex
	var lat harness.Latencies
	var firstErr error
	var wg sync.WaitGroup
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				name := fmt.Sprintf("%s-%06d", prefix, i)
				start := time.Now()
				err := c.Create(ctx, t.collection(ns), t.object(name, ns))
				end := time.Now()
				d := end.Sub(start)
				if err == nil && created != nil {
					created(name, end)
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
					cancel()
				}
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return lat, firstErr
}

// timeList times one full LIST (no limit) and checks it holds want items.
func timeList(ctx context.Context, c *harness.Client, path string, table bool, want int) (time.Duration, error) {
	accept := "application/json"
	if table {
		accept = tableAccept
	}
	start := time.Now()
	resp, err := get(ctx, c, path, accept)
	if err != nil {
		return 0, err
	}
	d := time.Since(start)
	var list struct {
		Items []json.RawMessage `json:"items"`
		Rows  []json.RawMessage `json:"rows"`
	}
	if err := json.Unmarshal(resp, &list); err != nil {
		return 0, fmt.Errorf("decoding the LIST of %s: %w", path, err)
	}
	got := len(list.Items)
	if table {
		got = len(list.Rows)
	}
	if got != want {
		return 0, fmt.Errorf("LIST %s (table %v): %d items, want %d", path, table, got, want)
	}
	return d, nil
}

// get is Client.Get with an Accept header of its own.
func get(ctx context.Context, c *harness.Client, path, accept string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Server+path, nil)
	if err != nil {
		return nil, err
	}
	for k, vs := range c.Header {
		req.Header[k] = vs
	}
	req.Header.Set("Accept", accept)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &harness.StatusError{Method: "GET", Path: path, StatusCode: resp.StatusCode, Body: string(body)}
	}
	return body, nil
}

// watchersPerClient is how many watches share one client (one HTTP/2
// connection), as informers of a few processes would.
const watchersPerClient = 10

// fanout is what one watch fan-out measured.
type fanout struct {
	// all is the time from the first create until every watcher has seen
	// every ADDED event: the creates' own time included.
	all time.Duration
	// delivery is, per event, the time from its create's response until
	// the last watcher saw it: the fan-out alone, without the creates'
	// latency. A watcher may see an event before its create's response
	// arrives, so a delivery can be negative.
	delivery harness.Latencies
}

// watchFanout starts watchers watches of the watch namespace, creates
// events objects there and measures the time from the first create until
// every watcher has seen every ADDED event, and the delivery of each.
func watchFanout(ctx context.Context, t *target, prefix string, watchers, events, concurrency int) (fanout, error) {
	var fo fanout
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	writer, err := t.newClient()
	if err != nil {
		return fo, err
	}
	defer writer.CloseIdle()
	body, err := writer.Get(ctx, t.collection(watchNamespace))
	if err != nil {
		return fo, err
	}
	var list struct {
		Metadata struct {
			ResourceVersion string `json:"resourceVersion"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return fo, err
	}
	path := t.collection(watchNamespace) + "?watch=1&resourceVersion=" + list.Metadata.ResourceVersion

	var clients []*harness.Client
	defer func() {
		for _, c := range clients {
			c.CloseIdle()
		}
	}()
	var bodies []io.Closer
	defer func() {
		for _, b := range bodies {
			b.Close()
		}
	}()
	var mu sync.Mutex
	createdAt := map[string]time.Time{}
	lastSeen := map[string]time.Time{}
	seen := func(name string, at time.Time) {
		mu.Lock()
		if at.After(lastSeen[name]) {
			lastSeen[name] = at
		}
		mu.Unlock()
	}
	done := make(chan error, watchers)
	for i := 0; i < watchers; i++ {
		if i%watchersPerClient == 0 {
			c, err := t.newClient()
			if err != nil {
				return fo, err
			}
			clients = append(clients, c)
		}
		c := clients[len(clients)-1]
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Server+path, nil)
		if err != nil {
			return fo, err
		}
		for k, vs := range c.Header {
			req.Header[k] = vs
		}
		req.Header.Set("Accept", "application/json")
		// No client timeout: the watch lasts as long as the fan-out.
		resp, err := (&http.Client{Transport: c.HTTP.Transport}).Do(req)
		if err != nil {
			return fo, fmt.Errorf("watch %d: %w", i, err)
		}
		if resp.StatusCode != http.StatusOK {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return fo, &harness.StatusError{Method: "GET", Path: path, StatusCode: resp.StatusCode, Body: string(b)}
		}
		bodies = append(bodies, resp.Body)
		go func() { done <- countAdded(resp.Body, events, seen) }()
	}
	start := time.Now()
	created := func(name string, at time.Time) {
		mu.Lock()
		createdAt[name] = at
		mu.Unlock()
	}
	if _, err := createObjectsNotify(ctx, writer, t, watchNamespace, prefix, 0, events, concurrency, created); err != nil {
		return fo, err
	}
	for i := 0; i < watchers; i++ {
		select {
		case err := <-done:
			if err != nil {
				return fo, fmt.Errorf("watcher: %w", err)
			}
		case <-ctx.Done():
			return fo, fmt.Errorf("%d of %d watchers saw every event: %w", i, watchers, ctx.Err())
		}
	}
	fo.all = time.Since(start)
	mu.Lock()
	defer mu.Unlock()
	if fo.delivery, err = deliveries(createdAt, lastSeen); err != nil {
		return fo, err
	}
	return fo, nil
}

// deliveries are, per object created, the time from its create's response
// until the last watcher saw it; every object must have been seen.
func deliveries(createdAt, lastSeen map[string]time.Time) (harness.Latencies, error) {
	names := make([]string, 0, len(createdAt))
	for name := range createdAt {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make(harness.Latencies, 0, len(names))
	for _, name := range names {
		seen, ok := lastSeen[name]
		if !ok {
			return nil, fmt.Errorf("no watcher saw %s", name)
		}
		out = append(out, seen.Sub(createdAt[name]))
	}
	return out, nil
}

// countAdded reads watch events until it has seen want ADDED ones, and
// tells seen the name of each object ADDED and when it was read.
func countAdded(r io.Reader, want int, seen func(name string, at time.Time)) error {
	dec := json.NewDecoder(bufio.NewReader(r))
	added := 0
	for added < want {
		var ev struct {
			Type   string          `json:"type"`
			Object json.RawMessage `json:"object"`
		}
		if err := dec.Decode(&ev); err != nil {
			return fmt.Errorf("after %d of %d events: %w", added, want, err)
		}
		at := time.Now()
		switch ev.Type {
		case "ADDED":
			var obj struct {
				Metadata struct {
					Name string `json:"name"`
				} `json:"metadata"`
			}
			if err := json.Unmarshal(ev.Object, &obj); err != nil || obj.Metadata.Name == "" {
				return fmt.Errorf("ADDED event without a name: %s", ev.Object)
			}
			seen(obj.Metadata.Name, at)
			added++
		case "ERROR":
			return fmt.Errorf("watch error event: %s", ev.Object)
		}
	}
	return nil
}

// readMemory reads VmRSS and VmHWM of a process from /proc.
func readMemory(pid int) (memory, error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return memory{}, err
	}
	var m memory
	for _, line := range strings.Split(string(b), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		var dst *int64
		switch name {
		case "VmRSS":
			dst = &m.rss
		case "VmHWM":
			dst = &m.hwm
		default:
			continue
		}
		f := strings.Fields(value)
		if len(f) != 2 || f[1] != "kB" {
			return memory{}, fmt.Errorf("/proc/%d/status: %s: %q", pid, name, value)
		}
		if *dst, err = strconv.ParseInt(f[0], 10, 64); err != nil {
			return memory{}, fmt.Errorf("/proc/%d/status: %s: %w", pid, name, err)
		}
	}
	if m.rss == 0 {
		return memory{}, errors.New("/proc/" + strconv.Itoa(pid) + "/status has no VmRSS")
	}
	return m, nil
}

// profiles starts CPU profiles of the processes serving t: for the
// generated server, the server (through a direct client) and kube-apiserver,
// which proxies its requests; for the CRD, kube-apiserver. The functions
// returned wait for each and write it to the profile directory.
func (b *bench) profiles(ctx context.Context, t *target, phase string) []func() error {
	switch t.pid {
	case b.aggenPID:
		return []func() error{b.profile(ctx, "aggen", phase), b.profile(ctx, "kube-apiserver", "aggen-"+phase)}
	case b.kubePID:
		return []func() error{b.profile(ctx, "kube-apiserver", "crd-"+phase)}
	}
	return nil
}

// profile starts a CPU profile of the generated server ("aggen") or of
// kube-apiserver and returns a function that waits for it and writes it
// to the profile directory.
func (b *bench) profile(ctx context.Context, name, phase string) func() error {
	var c *harness.Client
	var err error
	if name == "aggen" {
		c, err = b.dep.DirectClient(harness.AdminUser, "system:masters", "system:authenticated")
	} else {
		c, err = harness.NewClientFromKubeconfig(b.cp.AdminKubeconfig)
	}
	file := filepath.Join(b.cfg.profileDir, name+"-"+phase+".pprof")
	ch := make(chan error, 1)
	go func() {
		if err != nil {
			ch <- err
			return
		}
		defer c.CloseIdle()
		hc := &http.Client{Transport: c.HTTP.Transport}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Server+"/debug/pprof/profile?seconds="+strconv.Itoa(b.cfg.profileSecs), nil)
		if err != nil {
			ch <- err
			return
		}
		for k, vs := range c.Header {
			req.Header[k] = vs
		}
		resp, err := hc.Do(req)
		if err != nil {
			ch <- err
			return
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("profile of %s: HTTP %d: %s", name, resp.StatusCode, data)
		}
		if err == nil {
			err = os.MkdirAll(b.cfg.profileDir, 0o755)
		}
		if err == nil {
			err = os.WriteFile(file, data, 0o644)
		}
		ch <- err
	}()
	return func() error {
		err := <-ch
		if err == nil {
			b.cfg.logf("CPU profile written to %s", file)
		}
		return err
	}
}

// profileCreates profiles the generated server and kube-apiserver while
// the generated server's objects are created through kube-apiserver and,
// when it is measured, directly: the same objects, in two passes that
// alternate (through, direct, through, direct; the second pass's files end
// in -2), so that the profiles of the server can be set side by side
// (go tool pprof -diff_base aggen-create-direct.pprof aggen-create-proxied.pprof).
// Each window logs the objects created, the CPU per object of the server
// and kube-apiserver and the context switches per object, of the server's
// threads and of the whole machine. The objects go to a namespace of their
// own, created after every other figure of the creates was taken.
func (b *bench) profileCreates(ctx context.Context, creators []*target) error {
	if err := b.cp.EnsureNamespace(ctx, profileNamespace); err != nil {
		return err
	}
	for pass := 1; pass <= 2; pass++ {
		for _, t := range creators {
			if t.pid != b.aggenPID || t.busy != nil {
				continue
			}
			phase := "create-proxied"
			if !t.writes {
				phase = "create-direct"
			}
			if pass > 1 {
				phase += fmt.Sprintf("-%d", pass)
			}
			if err := b.profileCreate(ctx, t, phase); err != nil {
				return err
			}
		}
	}
	return nil
}

// profileCreate is one window of profileCreates.
func (b *bench) profileCreate(ctx context.Context, t *target, phase string) error {
	b.cfg.logf("%s: creating objects for %ds under CPU profiles (%s)", t.name, b.cfg.profileSecs, phase)
	c, err := t.newClient()
	if err != nil {
		return err
	}
	defer c.CloseIdle()
	procs := b.roundProcesses(t)
	before, err := readWindow(procs, b.aggenPID)
	if err != nil {
		return err
	}
	stops := []func() error{b.profile(ctx, "aggen", phase), b.profile(ctx, "kube-apiserver", "aggen-"+phase)}
	end := time.Now().Add(time.Duration(b.cfg.profileSecs) * time.Second)
	n := 0
	for ; time.Now().Before(end); n += 100 {
		if _, err := createObjects(ctx, c, t, profileNamespace, phase, n, n+100, b.cfg.concurrency); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
	}
	after, err := readWindow(procs, b.aggenPID)
	if err != nil {
		return err
	}
	for _, stop := range stops {
		if err := stop(); err != nil {
			return err
		}
	}
	// What a profile's samples are divided by to compare per create.
	per := func(d int64) float64 { return float64(d) / float64(n) }
	b.cfg.logf("%s (%s): %d objects created under the profiles; CPU per object: server %.2f ms, kube-apiserver %.2f ms; context switches per object: server %.1f voluntary, %.1f involuntary, machine %.1f",
		t.name, phase, n, ms(after.cpu[cpuServer]-before.cpu[cpuServer])/float64(n), ms(after.cpu[cpuKube]-before.cpu[cpuKube])/float64(n),
		per(after.server.voluntary-before.server.voluntary), per(after.server.involuntary-before.server.involuntary), per(after.machine-before.machine))
	return nil
}

// window is what a profiled window reads at its start and its end: the
// CPU time of its processes, the context switches of the server's
// threads and of the whole machine.
type window struct {
	cpu     map[string]time.Duration
	server  switches
	machine int64
}

func readWindow(procs map[string]int, serverPID int) (window, error) {
	var w window
	var err error
	if w.cpu, err = readCPUs(procs); err != nil {
		return w, err
	}
	if w.server, err = readSwitches(serverPID); err != nil {
		return w, err
	}
	w.machine, err = readMachineSwitches()
	return w, err
}

// switches are the context switches of a process's threads.
type switches struct{ voluntary, involuntary int64 }

// readSwitches sums voluntary_ctxt_switches and nonvoluntary_ctxt_switches
// over the threads of a process (/proc/<pid>/task/*/status). A thread that
// ended meanwhile takes its count with it; the Go runtime keeps its threads.
func readSwitches(pid int) (switches, error) {
	dir := filepath.Join("/proc", strconv.Itoa(pid), "task")
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return switches{}, err
	}
	var out switches
	for _, task := range tasks {
		b, err := os.ReadFile(filepath.Join(dir, task.Name(), "status"))
		if errors.Is(err, os.ErrNotExist) {
			continue // the thread ended
		}
		if err != nil {
			return switches{}, err
		}
		for _, line := range strings.Split(string(b), "\n") {
			name, value, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			var dst *int64
			switch name {
			case "voluntary_ctxt_switches":
				dst = &out.voluntary
			case "nonvoluntary_ctxt_switches":
				dst = &out.involuntary
			default:
				continue
			}
			n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
			if err != nil {
				return switches{}, fmt.Errorf("%s/%s/status: %s: %w", dir, task.Name(), name, err)
			}
			*dst += n
		}
	}
	return out, nil
}

// readMachineSwitches reads the context switches of the whole machine
// since boot (ctxt in /proc/stat).
func readMachineSwitches() (int64, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "ctxt "); ok {
			return strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		}
	}
	return 0, errors.New("/proc/stat has no ctxt line")
}

// profileWatches profiles, for each target of the fan-out, the processes
// serving it while fan-outs of -watchers watchers and -events events
// repeat: the generated server through kube-apiserver (the server and
// kube-apiserver), directly (the server) and the CRD (kube-apiserver).
func (b *bench) profileWatches(ctx context.Context) error {
	for i, t := range b.targets {
		if !t.watch {
			continue
		}
		var stops []func() error
		switch {
		case t.pid == b.kubePID:
			stops = []func() error{b.profile(ctx, "kube-apiserver", "crd-watch")}
		case t.writes:
			stops = []func() error{b.profile(ctx, "aggen", "watch-proxied"), b.profile(ctx, "kube-apiserver", "aggen-watch-proxied")}
		default:
			stops = []func() error{b.profile(ctx, "aggen", "watch-direct")}
		}
		b.cfg.logf("%s: watch fan-outs for %ds under CPU profiles", t.name, b.cfg.profileSecs)
		end := time.Now().Add(time.Duration(b.cfg.profileSecs) * time.Second)
		n := 0
		for ; time.Now().Before(end); n++ {
			if _, err := watchFanout(ctx, t, fmt.Sprintf("pw%d-%d", i, n), b.cfg.watchers, b.cfg.events, b.cfg.concurrency); err != nil {
				return fmt.Errorf("%s watch fan-out: %w", t.name, err)
			}
		}
		for _, stop := range stops {
			if err := stop(); err != nil {
				return err
			}
		}
		b.cfg.logf("%s: %d fan-outs under the profiles", t.name, n)
	}
	return nil
}
