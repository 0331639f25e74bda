package goformat

import (
	"os"
	"path/filepath"
	"testing"
)

const unformatted = "package p\n\nfunc f( ) {\nreturn\n}\n"
const formatted = "package p\n\nfunc f() {\n\treturn\n}\n"

// TestMemo: what a run formatted, the next run of the same tag gets
// without formatting; another tag, a damaged file or an unused entry
// gets nothing.
func TestMemo(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sub", "memo")
	m := LoadMemo(file, "tool-1")
	out, err := m.Source([]byte(unformatted))
	if err != nil || string(out) != formatted {
		t.Fatalf("Source = %q, %v; want %q", out, err, formatted)
	}
	if _, err := m.Source([]byte("package p\nfunc (")); err == nil {
		t.Fatal("a source that does not parse was formatted")
	}
	if err := m.Save(); err != nil {
		t.Fatal(err)
	}

	// The memo of the same tag has the entry: poison it on disk to see
	// that it is what Source returns, not a new formatting.
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	poisoned := []byte(string(b[:len(b)-len(formatted)]) + "package p\n\nfunc g() {\n\treturn\n}\n")
	if err := os.WriteFile(file, poisoned, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, _ := LoadMemo(file, "tool-1").Source([]byte(unformatted)); string(out) != "package p\n\nfunc g() {\n\treturn\n}\n" {
		t.Errorf("the memo's entry was not used: %q", out)
	}
	if out, _ := LoadMemo(file, "tool-2").Source([]byte(unformatted)); string(out) != formatted {
		t.Errorf("another tag's memo was used: %q", out)
	}
	if err := os.WriteFile(file, poisoned[:len(poisoned)-3], 0o644); err != nil {
		t.Fatal(err)
	}
	if out, _ := LoadMemo(file, "tool-1").Source([]byte(unformatted)); string(out) != formatted {
		t.Errorf("a truncated memo was used: %q", out)
	}

	// A run that uses nothing of the memo leaves an empty one.
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	m = LoadMemo(file, "tool-1")
	if len(m.old) != 1 {
		t.Fatalf("memo has %d entries, want 1", len(m.old))
	}
	if err := m.Save(); err != nil {
		t.Fatal(err)
	}
	if n := len(LoadMemo(file, "tool-1").old); n != 0 {
		t.Errorf("an unused entry was kept: %d entries", n)
	}

	// A nil memo formats.
	var none *Memo
	if out, err := none.Source([]byte(unformatted)); err != nil || string(out) != formatted {
		t.Errorf("nil memo: %q, %v", out, err)
	}
	if err := none.Save(); err != nil {
		t.Error(err)
	}
}
