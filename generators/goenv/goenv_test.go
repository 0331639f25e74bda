package goenv

import (
	"bytes"
	"os"
	"runtime"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/go.mod", []byte("module example.com/m\n\ngo 1.24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOFLAGS", "-not-a-flag")
	e, err := Read(dir)
	if err != nil {
		t.Fatalf("a malformed GOFLAGS must not fail the reading: %v", err)
	}
	if e.Get("GOOS") != runtime.GOOS || e.Get("GOARCH") != runtime.GOARCH {
		t.Errorf("GOOS/GOARCH = %s/%s, want %s/%s", e.Get("GOOS"), e.Get("GOARCH"), runtime.GOOS, runtime.GOARCH)
	}
	if e.Get("GOROOT") == "" || e.Get("GOVERSION") == "" {
		t.Errorf("GOROOT %q, GOVERSION %q: want both", e.Get("GOROOT"), e.Get("GOVERSION"))
	}
	if e.Flags() != "-not-a-flag" {
		t.Errorf("Flags() = %q, want the environment's GOFLAGS", e.Flags())
	}
}

func TestKey(t *testing.T) {
	a := &Env{vars: map[string]string{"GOOS": "linux", "GOARCH": "amd64", "GOFLAGS": "-mod=mod"}}
	b := &Env{vars: map[string]string{"GOARCH": "amd64", "GOFLAGS": "-mod=vendor", "GOOS": "linux"}}
	if bytes.Equal(a.Key(), b.Key()) {
		t.Error("readings that differ in GOFLAGS have the same key")
	}
	if !bytes.Equal(a.Key("GOFLAGS"), b.Key("GOFLAGS")) {
		t.Errorf("keys without GOFLAGS differ:\n%s\n%s", a.Key("GOFLAGS"), b.Key("GOFLAGS"))
	}
	c := &Env{vars: map[string]string{"GOOS": "darwin", "GOARCH": "amd64"}}
	if bytes.Equal(a.Key("GOFLAGS"), c.Key("GOFLAGS")) {
		t.Error("readings for different GOOS have the same key")
	}
}
