// Command storage measures, in one run on this machine, the latency of
// create and list on each storage backend of a generated server: one
// project (test/storage) with a kind in etcd, one in SQLite and one in
// memory (the last two through kine inside the server), and one in
// PostgreSQL where the machine has it (a throwaway cluster), one apiserver in
// --local mode over HTTPS, a real etcd. Creates are sequential; each list
// is a consistent list (no resourceVersion) of every object the creates
// made. The backends take turns in interleaved rounds so that drift of a
// noisy machine hits them alike. It prints p50/p99 per backend and the
// ratio to etcd. It is a benchmark: it asserts nothing about the figures.
//
//	go run ./test/bench/storage -aggen bin/aggen [-n 500] [-lists 200] [-rounds 5]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/aggen-dev/aggen/test/e2e/harness"
	"github.com/aggen-dev/aggen/test/storage"
)

func main() {
	aggen := flag.String("aggen", "bin/aggen", "the aggen binary")
	n := flag.Int("n", 500, "objects created per backend")
	lists := flag.Int("lists", 200, "lists per backend")
	rounds := flag.Int("rounds", 5, "interleaved rounds the operations are split into")
	keep := flag.Bool("keep", false, "keep the work directory (logs)")
	flag.Parse()
	if *n < *rounds || *lists < *rounds || *rounds < 1 {
		fmt.Fprintln(os.Stderr, "storage: -n and -lists must be at least -rounds")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	if err := run(ctx, *aggen, *n, *lists, *rounds, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "storage:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, aggen string, n, lists, rounds int, keep bool) (err error) {
	aggen, err = filepath.Abs(aggen)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "aggen-bench-storage-")
	if err != nil {
		return err
	}
	defer func() {
		if keep || err != nil {
			fmt.Fprintln(os.Stderr, "work directory (logs):", work)
			return
		}
		os.RemoveAll(work)
	}()
	fmt.Println("create and list latency per storage backend (one generated apiserver, --local, HTTPS)")
	fmt.Println("setting up: a project with a kind per backend, its apiserver built with kine, etcd")
	etcdBin, err := harness.ResolveBinary(ctx, harness.BinEtcd)
	if err != nil {
		return err
	}
	project := filepath.Join(work, "shop")
	if err := os.MkdirAll(project, 0o755); err != nil {
		return err
	}
	kinds := storage.Kinds
	var flags []string
	if pg, err := storage.StartPostgres(ctx); err == nil {
		defer pg.Stop()
		kinds = append(kinds, storage.PostgresKind)
		flags = append(flags, "--storage-postgres-endpoint="+pg.Endpoint)
	} else if errors.Is(err, storage.ErrNoPostgres) {
		fmt.Println("no PostgreSQL on this machine: postgres not measured")
	} else {
		return err
	}
	bin, _, err := storage.Build(ctx, aggen, project, kinds)
	if err != nil {
		return err
	}
	etcd, err := harness.StartEtcd(ctx, harness.EtcdOptions{Binary: etcdBin, Dir: filepath.Join(work, "etcd")})
	if err != nil {
		return err
	}
	defer etcd.Stop()
	flags = append(flags, "--etcd-servers="+etcd.ClientURL, "--storage-sqlite-path="+filepath.Join(work, "shop.sqlite"))
	s, err := storage.Start(ctx, project, bin, flags...)
	if err != nil {
		return err
	}
	defer s.Stop()

	creates := map[string]harness.Latencies{}
	listed := map[string]harness.Latencies{}
	// Warm up every path (connections, watch caches) before timing.
	for _, k := range kinds {
		if err := do(ctx, s, http.MethodPost, k.Collection(), k.Manifest("warmup", "x"), http.StatusCreated); err != nil {
			return err
		}
		if err := do(ctx, s, http.MethodGet, k.Collection(), nil, http.StatusOK); err != nil {
			return err
		}
	}
	for r := 0; r < rounds; r++ {
		for _, k := range kinds {
			for i := r * n / rounds; i < (r+1)*n/rounds; i++ {
				start := time.Now()
				if err := do(ctx, s, http.MethodPost, k.Collection(), k.Manifest(fmt.Sprintf("o%d", i), "benchmark"), http.StatusCreated); err != nil {
					return err
				}
				creates[k.Backend] = append(creates[k.Backend], time.Since(start))
			}
		}
	}
	for r := 0; r < rounds; r++ {
		for _, k := range kinds {
			for i := 0; i < lists/rounds; i++ {
				start := time.Now()
				if err := do(ctx, s, http.MethodGet, k.Collection(), nil, http.StatusOK); err != nil {
					return err
				}
				listed[k.Backend] = append(listed[k.Backend], time.Since(start))
			}
		}
	}
	fmt.Printf("\n%d creates and %d lists (of %d objects) per backend, %d rounds\n\n", n, lists-lists%rounds, n+1, rounds)
	fmt.Printf("%-8s %-7s %10s %10s %10s %10s\n", "backend", "op", "p50", "p99", "p50/etcd", "p99/etcd")
	for _, op := range []struct {
		name string
		lat  map[string]harness.Latencies
	}{{"create", creates}, {"list", listed}} {
		base := op.lat["etcd"]
		for _, k := range kinds {
			l := op.lat[k.Backend]
			p50, p99 := l.Percentile(50), l.Percentile(99)
			fmt.Printf("%-8s %-7s %10s %10s %9.2fx %9.2fx\n", k.Backend, op.name, round(p50), round(p99),
				float64(p50)/float64(base.Percentile(50)), float64(p99)/float64(base.Percentile(99)))
		}
	}
	return nil
}

func do(ctx context.Context, s *storage.Server, method, path string, body []byte, want int) error {
	code, b, err := s.Do(ctx, method, path, "application/json", body)
	if err != nil {
		return err
	}
	if code != want {
		return fmt.Errorf("%s %s: HTTP %d, want %d: %s", method, path, code, want, b)
	}
	return nil
}

func round(d time.Duration) time.Duration {
	if d > time.Millisecond {
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
