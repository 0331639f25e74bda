package loader

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/generators/model"
)

func at(file string, line, col int) model.Position {
	return model.Position{File: file, Line: line, Column: col}
}

func TestMerge(t *testing.T) {
	loaded := Errors{
		&InputError{Pos: at("b.go", 3, 1), Msg: "kind X has no list type"},
		&InputError{Pos: at("b.go", 3, 1), Msg: "kind X has a Status field but no /status subresource"},
		&InputError{Pos: at("a.go", 9, 5), Msg: `marker "+m" applies to a string, but field F is Strin`,
			about: &span{From: at("a.go", 10, 4), To: at("a.go", 10, 9)}},
	}
	typed := Errors{
		&InputError{Pos: at("b.go", 3, 1), Msg: "X redeclared in this block"},
		&InputError{Pos: at("a.go", 10, 4), Msg: "undefined: Strin"},
		&InputError{Pos: at("a.go", 1, 1), Msg: `"fmt" imported and not used`},
	}
	err := Merge(loaded, typed)
	var got []string
	for _, e := range err.(Errors) {
		got = append(got, e.Error())
	}
	want := []string{
		`a.go:1:1: "fmt" imported and not used`,
		"a.go:10:4: undefined: Strin",
		"b.go:3:1: kind X has no list type",
		"b.go:3:1: kind X has a Status field but no /status subresource",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Merge:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if Merge(nil, nil) != nil {
		t.Error("Merge of nothing is not nil")
	}
	if !IsInputError(Merge(errors.New("plain"), typed)) {
		t.Error("a merge with input errors is not an input error")
	}
	if !strings.HasPrefix(err.Error(), "4 errors:\n") {
		t.Errorf("Errors.Error() = %q", err.Error())
	}
}

func TestReadConfig(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"version: \"1\"\ndomian: example.com\nrepo: example.com/x\nname: x\n", `aggen.yaml:2:1: unknown setting "domian" (did you mean domain?)`},
		{"version: \"1\"\ndomain: [x\n", "aggen.yaml:2:1: did not find expected ',' or ']'"},
		{"version: \"1\"\ndomain:\n  - a\nrepo: example.com/x\nname: x\n", "aggen.yaml:2:1: domain must be a string, not a YAML array"},
		{"version: \"1\"\ndomain: example.com\nrepo: example.com/x\n", "aggen.yaml:1:1: name is required"},
		{"version: \"1\"\ndomain: example.com\nrepo: Example.com/x y\nname: x\n", `aggen.yaml:3:7: repo "Example.com/x y" is not a valid Go module path: malformed module path "Example.com/x y": invalid char ' '`},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, ConfigFile), []byte(c.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadConfig(dir)
		if err == nil || err.Error() != c.want || !IsInputError(err) {
			t.Errorf("ReadConfig(%q) = %v, want input error %s", c.yaml, err, c.want)
		}
	}
	if _, err := ReadConfig(t.TempDir()); !errors.Is(err, ErrNoProject) {
		t.Errorf("ReadConfig of an empty directory: %v", err)
	}
}

func TestSplitPath(t *testing.T) {
	for path, want := range map[string]string{
		"spec.replicas": "spec|replicas",
		`status.conditions[?(@.type=="Ready")].status`: `status|conditions[?(@.type=="Ready")]|status`,
		"metadata.labels.app":                          "metadata|labels|app",
		"spec":                                         "spec",
	} {
		if got := strings.Join(splitPath(path), "|"); got != want {
			t.Errorf("splitPath(%q) = %s, want %s", path, got, want)
		}
	}
}

func TestKindNameProblem(t *testing.T) {
	for name, ok := range map[string]bool{"Bee": true, "HoneyBee2": true, "bee": false, "Bee_Hive": false, "Status": false, "List": false, "Ünicode": false} {
		if got := KindNameProblem(name) == ""; got != ok {
			t.Errorf("KindNameProblem(%q) = %q", name, KindNameProblem(name))
		}
	}
}
