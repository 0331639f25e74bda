package runlocal

import (
	"errors"
	"io"
	"net"
	"net/http"
	"sync/atomic"

	"github.com/soheilhy/cmux"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"google.golang.org/grpc"
)

// etcdLogger is the embedded etcd's logger: errors only, one line
// each with the [etcd] prefix and no stack traces (etcd's own logger adds
// one to every error), and nothing of what a stop makes its listeners
// report once stopping has begun.
type etcdLogger struct {
	logger   *zap.Logger
	stopping *atomic.Bool
}

func newEtcdLogger(out io.Writer) *etcdLogger {
	enc := zap.NewDevelopmentEncoderConfig()
	enc.TimeKey = ""
	enc.CallerKey = ""
	core := zapcore.NewCore(zapcore.NewConsoleEncoder(enc), zapcore.AddSync(prefixWriter(out, "etcd")), zapcore.ErrorLevel)
	l := &etcdLogger{stopping: &atomic.Bool{}}
	l.logger = zap.New(&quietStop{Core: core, stopping: l.stopping})
	return l
}

// stop marks the start of a stop asked for by run local.
func (l *etcdLogger) stop() { l.stopping.Store(true) }

// quietStop drops the entries that report a listener closed under etcd
// by a stop (embed logs each as "setting up serving from embedded etcd
// failed"), once the stop has begun.
type quietStop struct {
	zapcore.Core
	stopping *atomic.Bool
}

func (q *quietStop) With(fields []zapcore.Field) zapcore.Core {
	return &quietStop{Core: q.Core.With(fields), stopping: q.stopping}
}

func (q *quietStop) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if q.Enabled(e.Level) {
		return ce.AddCore(e, q)
	}
	return ce
}

func (q *quietStop) Write(e zapcore.Entry, fields []zapcore.Field) error {
	if q.stopping.Load() {
		for _, f := range fields {
			if err, ok := f.Interface.(error); ok && f.Type == zapcore.ErrorType && closedByStop(err) {
				return nil
			}
		}
	}
	return q.Core.Write(e, fields)
}

// closedByStop reports whether err is what a server's Serve or Accept
// returns when its listener is closed.
func closedByStop(err error) bool {
	return errors.Is(err, net.ErrClosed) || errors.Is(err, http.ErrServerClosed) ||
		errors.Is(err, cmux.ErrServerClosed) || errors.Is(err, cmux.ErrListenerClosed) ||
		errors.Is(err, grpc.ErrServerStopped)
}
