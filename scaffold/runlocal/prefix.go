package runlocal

import (
	"bytes"
	"io"
	"sync"
)

// prefixWriter labels each line of a child's output with its name.
func prefixWriter(out io.Writer, name string) io.Writer {
	return &prefixed{out: out, prefix: []byte("[" + name + "] ")}
}

type prefixed struct {
	mu     sync.Mutex
	out    io.Writer
	prefix []byte
	buf    []byte
}

func (p *prefixed) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.buf = append(p.buf, b...)
	for {
		i := bytes.IndexByte(p.buf, '\n')
		if i < 0 {
			return len(b), nil
		}
		line := append(append([]byte{}, p.prefix...), p.buf[:i+1]...)
		p.buf = p.buf[i+1:]
		if _, err := p.out.Write(line); err != nil {
			return len(b), err
		}
	}
}
