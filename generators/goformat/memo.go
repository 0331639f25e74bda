package goformat

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"sync"
)

// memoVersion changes whenever the memo file's form does.
const memoVersion = "aggen-format-memo-1"

type memoKey [sha256.Size]byte

// Memo remembers across runs what Source made of each source: a project
// regenerated after an edit renders most of its files exactly as the run
// before did, and formatting them again was the largest part of aggen's
// own generators' time (0.6 s of CPU at 200 kinds).
//
// Entries are keyed by the source's hash, so an entry is right for any
// file with that source; the whole memo is tied to a tag naming the
// formatter (the aggen binary and the toolchain), and a memo of another
// tag is ignored. A memo keeps only the entries its last run used. The
// zero of *Memo (nil) formats without remembering.
//
// Recall and Keep hold other results derived from their whole input by
// the same aggen (crdschema's validated CRDs), each kind in a space of
// its own.
type Memo struct {
	tag string

	mu   sync.Mutex
	old  map[memoKey][]byte
	used map[memoKey][]byte
}

// NewMemo is the memo saved (what an earlier Marshal returned; nil for
// none) if it was made for tag; a damaged or foreign one gives an empty
// memo.
func NewMemo(saved []byte, tag string) *Memo {
	m := &Memo{tag: tag, old: map[memoKey][]byte{}, used: map[memoKey][]byte{}}
	header := memoHeader(tag)
	if !bytes.HasPrefix(saved, header) {
		return m
	}
	b := saved[len(header):]
	entries := map[memoKey][]byte{}
	for len(b) > 0 {
		if len(b) < sha256.Size {
			return m
		}
		var k memoKey
		copy(k[:], b)
		b = b[sha256.Size:]
		n, w := binary.Uvarint(b)
		if w <= 0 || uint64(len(b)-w) < n {
			return m
		}
		entries[k] = b[w : w+int(n) : w+int(n)]
		b = b[w+int(n):]
	}
	m.old = entries
	return m
}

func memoHeader(tag string) []byte { return []byte(memoVersion + "\n" + tag + "\n") }

// Source is Source through the memo.
func (m *Memo) Source(src []byte) ([]byte, error) {
	if m == nil {
		return Source(src)
	}
	k := memoKey(sha256.Sum256(src))
	if out, ok := m.recall(k); ok {
		return out, nil
	}
	out, err := Source(src)
	if err != nil {
		return nil, err
	}
	m.keep(k, out)
	return out, nil
}

// recall returns the entry k of this run or of the last one, and keeps
// it for the next run.
func (m *Memo) recall(k memoKey) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if out, ok := m.used[k]; ok {
		return out, true
	}
	out, ok := m.old[k]
	if ok {
		m.used[k] = out
	}
	return out, ok
}

func (m *Memo) keep(k memoKey, data []byte) {
	m.mu.Lock()
	m.used[k] = data
	m.mu.Unlock()
}

// Recall returns what Keep stored for key in space, in this run or the
// last one, and keeps it for the next. Spaces keep other results than
// formatting apart from the formatted sources and from each other.
func (m *Memo) Recall(space string, key []byte) ([]byte, bool) {
	if m == nil {
		return nil, false
	}
	return m.recall(spaceKey(space, key))
}

// Keep stores data for key in space, for Recall in the next run.
func (m *Memo) Keep(space string, key, data []byte) {
	if m != nil {
		m.keep(spaceKey(space, key), data)
	}
}

// spaceKey is the entry of key in space. A formatted source's entry is
// the hash of the source alone; a space's begins with a NUL, which no Go
// source does.
func spaceKey(space string, key []byte) memoKey {
	h := sha256.New()
	h.Write([]byte{0})
	h.Write([]byte(space))
	h.Write([]byte{0})
	h.Write(key)
	var k memoKey
	h.Sum(k[:0])
	return k
}

// Marshal returns this run's entries, to be given to NewMemo by the next
// run, and whether they differ from the ones the memo was made with (when
// they do not, there is nothing to save).
func (m *Memo) Marshal() ([]byte, bool) {
	if m == nil {
		return nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	changed := len(m.used) != len(m.old)
	keys := make([]memoKey, 0, len(m.used))
	for k := range m.used {
		keys = append(keys, k)
		if _, ok := m.old[k]; !ok {
			changed = true
		}
	}
	if !changed {
		return nil, false
	}
	// Sorted, so that the same entries always make the same bytes.
	slices.SortFunc(keys, func(a, b memoKey) int { return bytes.Compare(a[:], b[:]) })
	var buf bytes.Buffer
	buf.Write(memoHeader(m.tag))
	for _, k := range keys {
		buf.Write(k[:])
		buf.Write(binary.AppendUvarint(nil, uint64(len(m.used[k]))))
		buf.Write(m.used[k])
	}
	return buf.Bytes(), true
}
