package insects

// The generated server grows the stack of a request's goroutines once, at
// their start (zz_generated.stack.go), instead of letting the runtime grow
// it step by step deep in k8s.io/apiserver's chain. This test checks that
// the reservation is real: goroutines parked inside the wrapped
// authenticator hold larger stacks than goroutines parked inside the bare
// one. A compiler that dropped the reserved frame would fail it.

import (
	"net/http"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"

	"k8s.io/apiserver/pkg/authentication/authenticator"

	"github.com/aggen-dev/aggen/examples/insects/pkg/apiserver"
)

func TestWithReservedStackGrowsTheStackFirst(t *testing.T) {
	// A collection would shrink the stacks of the parked goroutines.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))

	const goroutines = 200
	bare := stackBytesWhileParked(t, goroutines, func(a authenticator.Request) authenticator.Request { return a })
	reserved := stackBytesWhileParked(t, goroutines, apiserver.WithReservedStack)
	t.Logf("stack memory of %d goroutines parked in the authenticator: %d KiB bare, %d KiB with the reservation", goroutines, bare>>10, reserved>>10)
	// Each reserving goroutine has 32 KiB, a bare one a few KiB at most.
	if want := bare + goroutines*16<<10; reserved < want {
		t.Errorf("goroutines in WithReservedStack hold %d bytes of stack, want at least %d (%d bare + 16 KiB each)", reserved, want, bare)
	}
}

// stackBytesWhileParked starts goroutines that each authenticate a request
// through wrap(inner), where inner parks them, and returns how much the
// runtime's stack memory grew while all of them were parked.
func stackBytesWhileParked(t *testing.T, goroutines int, wrap func(authenticator.Request) authenticator.Request) uint64 {
	t.Helper()
	var parked sync.WaitGroup
	release := make(chan struct{})
	inner := authenticator.RequestFunc(func(*http.Request) (*authenticator.Response, bool, error) {
		parked.Done()
		<-release
		return nil, false, nil
	})
	a := wrap(inner)
	req, err := http.NewRequest(http.MethodGet, "https://example.com/apis", nil)
	if err != nil {
		t.Fatal(err)
	}
	before := stackBytes()
	var finished sync.WaitGroup
	parked.Add(goroutines)
	finished.Add(goroutines)
	for range goroutines {
		go func() {
			defer finished.Done()
			if _, _, err := a.AuthenticateRequest(req); err != nil {
				t.Error(err)
			}
		}()
	}
	parked.Wait()
	after := stackBytes()
	close(release)
	finished.Wait()
	if after < before {
		return 0
	}
	return after - before
}

// stackBytes is the memory the runtime holds for goroutine stacks.
func stackBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/stacks:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
