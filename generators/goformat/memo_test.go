package goformat

import (
	"testing"
)

const unformatted = "package p\n\nfunc f( ) {\nreturn\n}\n"
const formatted = "package p\n\nfunc f() {\n\treturn\n}\n"

// TestMemo: what a run formatted, the next run of the same tag gets
// without formatting; another tag, damaged bytes or an unused entry give
// nothing.
func TestMemo(t *testing.T) {
	m := NewMemo(nil, "tool-1")
	out, err := m.Source([]byte(unformatted))
	if err != nil || string(out) != formatted {
		t.Fatalf("Source = %q, %v; want %q", out, err, formatted)
	}
	if _, err := m.Source([]byte("package p\nfunc (")); err == nil {
		t.Fatal("a source that does not parse was formatted")
	}
	saved, changed := m.Marshal()
	if !changed {
		t.Fatal("a memo with a new entry says nothing changed")
	}

	// The next memo of the same tag has the entry: poison it to see that
	// it is what Source returns, not a new formatting.
	other := "package p\n\nfunc g() {\n\treturn\n}\n"
	poisoned := []byte(string(saved[:len(saved)-len(formatted)]) + other)
	if out, _ := NewMemo(poisoned, "tool-1").Source([]byte(unformatted)); string(out) != other {
		t.Errorf("the memo's entry was not used: %q", out)
	}
	if out, _ := NewMemo(poisoned, "tool-2").Source([]byte(unformatted)); string(out) != formatted {
		t.Errorf("another tag's memo was used: %q", out)
	}
	if out, _ := NewMemo(poisoned[:len(poisoned)-3], "tool-1").Source([]byte(unformatted)); string(out) != formatted {
		t.Errorf("a truncated memo was used: %q", out)
	}

	// A run that uses the same entries has nothing to save; one that uses
	// none of them leaves an empty memo.
	again := NewMemo(saved, "tool-1")
	if _, err := again.Source([]byte(unformatted)); err != nil {
		t.Fatal(err)
	}
	if _, changed := again.Marshal(); changed {
		t.Error("a run that used exactly the saved entries has something to save")
	}
	unused := NewMemo(saved, "tool-1")
	if len(unused.old) != 1 {
		t.Fatalf("memo has %d entries, want 1", len(unused.old))
	}
	b, changed := unused.Marshal()
	if !changed {
		t.Fatal("dropping an unused entry is no change")
	}
	if n := len(NewMemo(b, "tool-1").old); n != 0 {
		t.Errorf("an unused entry was kept: %d entries", n)
	}

	// A nil memo formats.
	var none *Memo
	if out, err := none.Source([]byte(unformatted)); err != nil || string(out) != formatted {
		t.Errorf("nil memo: %q, %v", out, err)
	}
	if _, changed := none.Marshal(); changed {
		t.Error("a nil memo has something to save")
	}
}

// Results kept in a space come back in the next run, in that space only;
// one the next run does not recall is gone from the run after.
func TestMemoSpaces(t *testing.T) {
	m := NewMemo(nil, "tool-1")
	if _, ok := m.Recall("crd", []byte("k1")); ok {
		t.Fatal("an empty memo recalled something")
	}
	m.Keep("crd", []byte("k1"), []byte("v1"))
	m.Keep("crd", []byte("k2"), nil)
	saved, changed := m.Marshal()
	if !changed {
		t.Fatal("new entries are not a change")
	}
	next := NewMemo(saved, "tool-1")
	if v, ok := next.Recall("crd", []byte("k1")); !ok || string(v) != "v1" {
		t.Fatalf("Recall(crd, k1) = %q, %v; want v1", v, ok)
	}
	if _, ok := next.Recall("other", []byte("k1")); ok {
		t.Error("an entry of one space was recalled in another")
	}
	if _, ok := next.Recall("crd", []byte("k1\x00")); ok {
		t.Error("another key recalled k1's entry")
	}
	again, changed := next.Marshal()
	if !changed {
		t.Fatal("dropping k2, not recalled, is not a change")
	}
	last := NewMemo(again, "tool-1")
	if _, ok := last.Recall("crd", []byte("k2")); ok {
		t.Error("k2 was kept though its run did not recall it")
	}
	if _, ok := last.Recall("crd", []byte("k1")); !ok {
		t.Error("k1 was dropped though its run recalled it")
	}
	if _, ok := NewMemo(again, "tool-2").Recall("crd", []byte("k1")); ok {
		t.Error("another tool's memo was trusted")
	}
	var none *Memo
	none.Keep("crd", []byte("k"), nil)
	if _, ok := none.Recall("crd", []byte("k")); ok {
		t.Error("a nil memo recalled something")
	}
}
