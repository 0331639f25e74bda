package harness

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// stopGrace is how long Stop waits after SIGTERM before it sends SIGKILL.
const stopGrace = 10 * time.Second

// Process is a child process whose stdout and stderr go to a log file. It is
// owned by whoever started it: that owner must call Stop.
type Process struct {
	Name    string
	LogPath string

	cmd      *exec.Cmd
	logFile  *os.File
	done     chan struct{}
	waitErr  error
	stopOnce sync.Once
	stopErr  error
	killMu   sync.Mutex
	wasKill  bool
}

// ProcessOptions describe a process to start.
type ProcessOptions struct {
	Name    string   // short name used in errors
	Binary  string   // path of the executable
	Args    []string // arguments, without argv[0]
	Dir     string   // working directory; "" keeps the caller's
	LogPath string   // file receiving stdout and stderr (created or truncated)
	Env     []string // extra KEY=VALUE entries on top of the caller's environment
}

// StartProcess starts a process. The log file is opened before the start and
// closed when the process has been reaped.
func StartProcess(opts ProcessOptions) (*Process, error) {
	if opts.Binary == "" {
		return nil, fmt.Errorf("%s: no binary given", opts.Name)
	}
	if opts.LogPath == "" {
		return nil, fmt.Errorf("%s: no log path given", opts.Name)
	}
	logFile, err := os.Create(opts.LogPath)
	if err != nil {
		return nil, fmt.Errorf("%s: create log: %w", opts.Name, err)
	}
	cmd := exec.Command(opts.Binary, opts.Args...)
	cmd.Dir = opts.Dir
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.Env = append(os.Environ(), opts.Env...)
	cmd.SysProcAttr = childSysProcAttr()
	fmt.Fprintf(logFile, "# %s %s\n", opts.Binary, strings.Join(opts.Args, " "))
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("%s: start %s: %w", opts.Name, opts.Binary, err)
	}
	p := &Process{Name: opts.Name, LogPath: opts.LogPath, cmd: cmd, logFile: logFile, done: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		logFile.Close()
		close(p.done)
	}()
	return p, nil
}

// Pid is the operating-system process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Done is closed once the process has exited and been reaped.
func (p *Process) Done() <-chan struct{} { return p.done }

// Exited reports whether the process has exited, and with what error.
func (p *Process) Exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.waitErr
	default:
		return false, nil
	}
}

// Stop sends SIGTERM, waits up to 10 s, then SIGKILL, and always waits for the
// process to be reaped. It is safe to call more than once and concurrently.
// An exit caused by Stop's own signal is not an error.
func (p *Process) Stop() error {
	p.stopOnce.Do(func() {
		select {
		case <-p.done:
			// Already gone by itself: report how it ended.
			p.stopErr = p.exitError()
			return
		default:
		}
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(stopGrace):
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p.stopErr
}

// Kill sends SIGKILL (kill -9: the process gets no chance to clean up)
// and waits until it is reaped. Stop afterwards reports no error for it.
func (p *Process) Kill() error {
	p.killMu.Lock()
	p.wasKill = true
	p.killMu.Unlock()
	if err := p.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("%s: kill: %w", p.Name, err)
	}
	<-p.done
	return nil
}

func (p *Process) killed() bool {
	p.killMu.Lock()
	defer p.killMu.Unlock()
	return p.wasKill
}

func (p *Process) exitError() error {
	if p.killed() {
		return nil
	}
	if p.waitErr == nil {
		return nil
	}
	return fmt.Errorf("%s exited on its own: %w (log %s)", p.Name, p.waitErr, p.LogPath)
}

// LogTail returns the last n lines of the process log.
func (p *Process) LogTail(n int) string {
	b, err := os.ReadFile(p.LogPath)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", p.LogPath, err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// diedError describes an early exit, with the end of the log.
func (p *Process) diedError() error {
	_, werr := p.Exited()
	return fmt.Errorf("%s exited before it was ready (%v); last log lines from %s:\n%s", p.Name, werr, p.LogPath, p.LogTail(30))
}

// portInUse reports whether the process log says a port was already taken,
// which happens when another program grabs a free port between FreePort and
// the bind. Callers retry with new ports then.
func (p *Process) portInUse() bool {
	b, err := os.ReadFile(p.LogPath)
	return err == nil && strings.Contains(string(b), "address already in use")
}

// FreePort asks the kernel for a free TCP port on 127.0.0.1. The port is
// released before returning, so a small race with other programs remains;
// the Start functions retry when they lose it.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pick a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// FreePorts returns n distinct free ports.
func FreePorts(n int) ([]int, error) {
	ls := make([]net.Listener, 0, n)
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	ports := make([]int, 0, n)
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("pick a free port: %w", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// errNotYet is returned by a poll condition that wants another try.
var errNotYet = errors.New("not yet")

// waitUntil calls check every interval until it returns nil, the process (if
// any) dies, or ctx ends. The last error of check is reported on timeout.
func waitUntil(ctx context.Context, proc *Process, interval time.Duration, what string, check func(context.Context) error) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	var last error
	for {
		if proc != nil {
			if exited, _ := proc.Exited(); exited {
				return proc.diedError()
			}
		}
		last = check(ctx)
		if last == nil {
			return nil
		}
		var done <-chan struct{}
		if proc != nil {
			done = proc.Done()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w (last: %v)", what, ctx.Err(), last)
		case <-done:
			return proc.diedError()
		case <-t.C:
		}
	}
}
