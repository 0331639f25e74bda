package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// EtcdOptions configure StartEtcd.
type EtcdOptions struct {
	Binary string // path of the etcd binary (required)
	Dir    string // work directory; data lives in Dir/data, log in Dir/etcd.log
	// ReadyTimeout bounds the wait for /health; default 60 s.
	ReadyTimeout time.Duration
}

// Etcd is a running single-member etcd on loopback.
type Etcd struct {
	*Process
	ClientURL string // http://127.0.0.1:<port>
	PeerURL   string
	DataDir   string
}

// StartEtcd starts etcd with client and peer URLs on free loopback ports and
// waits until /health reports true. On failure nothing is left running.
func StartEtcd(ctx context.Context, opts EtcdOptions) (*Etcd, error) {
	if opts.ReadyTimeout == 0 {
		opts.ReadyTimeout = 60 * time.Second
	}
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, err
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		e, retry, err := startEtcdOnce(ctx, opts)
		if err == nil {
			return e, nil
		}
		lastErr = err
		if !retry {
			break
		}
	}
	return nil, lastErr
}

func startEtcdOnce(ctx context.Context, opts EtcdOptions) (*Etcd, bool, error) {
	ports, err := FreePorts(2)
	if err != nil {
		return nil, false, err
	}
	clientURL := "http://127.0.0.1:" + strconv.Itoa(ports[0])
	peerURL := "http://127.0.0.1:" + strconv.Itoa(ports[1])
	dataDir := filepath.Join(opts.Dir, "data")
	if err := os.RemoveAll(dataDir); err != nil {
		return nil, false, err
	}
	args := []string{
		"--name=aggen-e2e",
		"--data-dir=" + dataDir,
		"--listen-client-urls=" + clientURL,
		"--advertise-client-urls=" + clientURL,
		"--listen-peer-urls=" + peerURL,
		"--initial-advertise-peer-urls=" + peerURL,
		"--initial-cluster=aggen-e2e=" + peerURL,
		"--initial-cluster-state=new",
		// Test data is thrown away: skip fsync to spare the 2-core disk.
		"--unsafe-no-fsync",
		"--log-level=warn",
	}
	proc, err := StartProcess(ProcessOptions{
		Name: "etcd", Binary: opts.Binary, Args: args, Dir: opts.Dir,
		LogPath: filepath.Join(opts.Dir, "etcd.log"),
	})
	if err != nil {
		return nil, false, err
	}
	e := &Etcd{Process: proc, ClientURL: clientURL, PeerURL: peerURL, DataDir: dataDir}
	hc := &http.Client{Timeout: 2 * time.Second}
	wctx, cancel := context.WithTimeout(ctx, opts.ReadyTimeout)
	defer cancel()
	err = waitUntil(wctx, proc, 100*time.Millisecond, "etcd health", func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, clientURL+"/health", nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var h struct {
			Health string `json:"health"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
			return err
		}
		if h.Health != "true" {
			return fmt.Errorf("health=%q", h.Health)
		}
		return nil
	})
	if err != nil {
		_ = proc.Stop()
		return nil, proc.portInUse(), err
	}
	return e, false, nil
}
