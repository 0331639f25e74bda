package codegen_test

import (
	"testing"
	"time"

	"github.com/aggen-dev/aggen/generators/codegen/rendertest"
)

const metaV1 = "k8s.io/apimachinery/pkg/apis/meta/v1"

// TestFork: a fork's lookups add to its own copy of the universe, never
// to its parent's; a fork cannot load packages; and the parent loads a
// package the parse has not processed only once the fork is released,
// since processing it writes to types the fork reads, while loading a
// processed one again does not wait.
func TestFork(t *testing.T) {
	p := rendertest.Load(t, rendertest.Example(t))
	s := p.Session
	parent, err := s.Universe()
	if err != nil {
		t.Fatal(err)
	}
	meta := parent[metaV1]
	if meta == nil || meta.Types["ObjectMeta"] == nil {
		t.Fatalf("%s.ObjectMeta is not in the parse of the example", metaV1)
	}
	objectMeta := meta.Types["ObjectMeta"]
	if len(objectMeta.CommentLines) > 0 {
		t.Fatalf("%s is processed already; the test needs a package loaded as a dependency only", metaV1)
	}
	var own string
	for path, pkg := range parent {
		if len(pkg.Imports) > 0 && pkg.Imports[metaV1] != nil && path != metaV1 && len(pkg.Name) > 0 {
			own = path
			break
		}
	}
	if own == "" {
		t.Fatal("no processed package of the example imports meta/v1")
	}

	fork, err := s.Fork()
	if err != nil {
		t.Fatal(err)
	}
	forked, err := fork.Universe()
	if err != nil {
		t.Fatal(err)
	}
	forked.Package("example.com/no/such/package").Type("Missing")
	forked[metaV1].Type("Missing")
	if _, ok := parent["example.com/no/such/package"]; ok {
		t.Error("a package looked up on the fork was added to the parent's universe")
	}
	if _, ok := parent[metaV1].Types["Missing"]; ok {
		t.Error("a type looked up on the fork was added to the parent's package")
	}
	if forked[own].Imports[metaV1] != forked[metaV1] {
		t.Errorf("%s's import of meta/v1 on the fork is the parent's package, not the fork's copy", own)
	}
	if forked[metaV1].Types["ObjectMeta"] != objectMeta {
		t.Error("the fork does not share the parent's types")
	}
	if err := fork.Include(metaV1); err == nil {
		t.Error("a fork loaded a package")
	}

	// Loading a processed package again changes nothing: no wait.
	done := make(chan error, 1)
	go func() { done <- s.Include(own) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("including %s, processed already, waited for the fork", own)
	}

	included := make(chan error, 1)
	go func() { included <- s.Include(metaV1) }()
	select {
	case err := <-included:
		t.Fatalf("%s was processed while the fork ran (error %v)", metaV1, err)
	case <-time.After(300 * time.Millisecond):
	}
	if len(objectMeta.CommentLines) > 0 {
		t.Fatal("ObjectMeta's comments were written while the fork ran")
	}
	fork.Release()
	fork.Release() // a second release is a no-op, not a negative count
	if err := <-included; err != nil {
		t.Fatal(err)
	}
	if len(objectMeta.CommentLines) == 0 {
		t.Error("ObjectMeta has no comments after meta/v1 was included")
	}
}
