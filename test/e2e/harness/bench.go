package harness

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"sort"
	"time"
)

// Latencies are the durations of individual requests.
type Latencies []time.Duration

// Percentile returns the q-th percentile (0 < q <= 100) by the nearest-rank
// method; zero for no samples.
func (l Latencies) Percentile(q float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := append(Latencies(nil), l...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	rank := int(math.Ceil(q / 100 * float64(len(s))))
	if rank < 1 {
		rank = 1
	}
	if rank > len(s) {
		rank = len(s)
	}
	return s[rank-1]
}

// MeasureGET issues one untimed warm-up GET of path (it opens the
// connection), then n timed GETs, sequentially, with the same client and so
// the same kept-alive connection. Every response must be 200.
func MeasureGET(ctx context.Context, c *Client, path string, n int) (Latencies, error) {
	if n <= 0 {
		return nil, errors.New("MeasureGET: n must be positive")
	}
	if _, err := c.Get(ctx, path); err != nil {
		return nil, fmt.Errorf("warm-up: %w", err)
	}
	out := make(Latencies, 0, n)
	for i := 0; i < n; i++ {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		start := time.Now()
		resp, err := c.Do(ctx, http.MethodGet, path, nil)
		d := time.Since(start)
		if err != nil {
			return out, fmt.Errorf("request %d: %w", i, err)
		}
		if resp.StatusCode != http.StatusOK {
			return out, &StatusError{Method: "GET", Path: path, StatusCode: resp.StatusCode, Body: string(resp.Body)}
		}
		out = append(out, d)
	}
	return out, nil
}

// MeasureDiscovery issues n GETs of path (a discovery path such as
// /apis/wardle.example.com/v1alpha1) through the server of the kubeconfig,
// i.e. through kube-apiserver's aggregator, reusing one HTTP client, and
// returns the 50th and 99th percentile latencies.
func MeasureDiscovery(ctx context.Context, kubeconfig, path string, n int) (p50, p99 time.Duration, err error) {
	c, err := NewClientFromKubeconfig(kubeconfig)
	if err != nil {
		return 0, 0, err
	}
	defer c.CloseIdle()
	lat, err := MeasureGET(ctx, c, path, n)
	if err != nil {
		return 0, 0, err
	}
	return lat.Percentile(50), lat.Percentile(99), nil
}
