package cli_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/test/upstream"
)

// elsewhere names the targets of the generated Makefile that other tests
// run, because they need what those tests set up.
var elsewhere = map[string]string{
	"run":      "TestRunLocal (make run, stopped with Ctrl-C)",
	"test-e2e": "TestNewProjectE2EPasses (make test-e2e in a new project)",
	"deploy":   "test/e2e/insects TestManifestsOnRestrictedPodSecurity (make deploy against a real kube-apiserver)",
	"undeploy": "test/e2e/insects TestManifestsOnRestrictedPodSecurity (make undeploy after make deploy)",
}

// phonyTargets lists the .PHONY targets of a Makefile.
func phonyTargets(t *testing.T, makefile string) []string {
	t.Helper()
	f, err := os.Open(makefile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), ".PHONY:"); ok {
			out = append(out, strings.Fields(rest)...)
		}
	}
	sort.Strings(out)
	return out
}

// TestMakefileTargets runs every target of the Makefile aggen scaffolds,
// on a copy of the example, the way its user types them, and checks what
// each promises. A target that neither this test nor another (see
// elsewhere) runs fails the test, so a new target comes with its test.
func TestMakefileTargets(t *testing.T) {
	if testing.Short() {
		t.Skip("builds, vets and tests a generated project")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	dir := t.TempDir()
	if err := upstream.CopyTree("../../examples/insects", dir); err != nil {
		t.Fatal(err)
	}
	makeIn := func(target string) string {
		t.Helper()
		return runIn(t, dir, nil, "make", target, "AGGEN="+aggenBin)
	}
	unchanged := func(target string, run func() string) string {
		t.Helper()
		before := treeState(t, dir)
		out := run()
		if d := treeDiff(before, treeState(t, dir)); len(d) > 0 {
			t.Errorf("make %s on a current project changed it:\n%s", target, strings.Join(d, "\n"))
		}
		return out
	}
	checks := map[string]func(){
		"help": func() {
			out := makeIn("help")
			for _, target := range phonyTargets(t, filepath.Join(dir, "Makefile")) {
				if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(target) + ` +\S`).MatchString(out) {
					t.Errorf("make help does not describe %s:\n%s", target, out)
				}
			}
		},
		"generate": func() {
			out := unchanged("generate", func() string { return makeIn("generate") })
			if !strings.Contains(out, "generate: 0 created, 0 updated, 0 deleted") {
				t.Errorf("make generate on a current project:\n%s", out)
			}
		},
		"manifests": func() {
			out := unchanged("manifests", func() string { return makeIn("manifests") })
			if !strings.Contains(out, "generate: 0 created, 0 updated, 0 deleted") {
				t.Errorf("make manifests on a current project:\n%s", out)
			}
		},
		"verify": func() {
			if out := makeIn("verify"); !strings.Contains(out, "verify: all generated files are current") {
				t.Errorf("make verify:\n%s", out)
			}
		},
		// Everything aggen writes is formatted already.
		"fmt": func() { unchanged("fmt", func() string { return makeIn("fmt") }) },
		"vet": func() { makeIn("vet") },
		"test": func() {
			// Without AGGEN_E2E the aggregation test skips; the rest runs.
			out := runIn(t, dir, []string{"AGGEN_E2E="}, "make", "test", "AGGEN="+aggenBin)
			if !strings.Contains(out, "ok  \tgithub.com/aggen-dev/aggen/examples/insects/test/e2e") {
				t.Errorf("make test did not run the project's tests:\n%s", out)
			}
		},
		"build": func() {
			makeIn("build")
			for _, bin := range []string{"apiserver", "controller-manager"} {
				runIn(t, dir, nil, filepath.Join(dir, "bin", bin), "--help")
			}
		},
		"all": func() {
			out := makeIn("all")
			if !strings.Contains(out, "generate: 0 created") || !strings.Contains(out, "go build -o bin/apiserver") {
				t.Errorf("make all does not generate and build:\n%s", out)
			}
		},
		"docker-build": func() { dockerBuild(t, dir) },
	}
	for _, target := range phonyTargets(t, filepath.Join(dir, "Makefile")) {
		check, ok := checks[target]
		if !ok {
			if where, ok := elsewhere[target]; ok {
				t.Logf("make %s: %s", target, where)
			} else {
				t.Errorf("make %s: no test runs this target of the generated Makefile", target)
			}
			continue
		}
		t.Run(target, func(t *testing.T) { check() })
	}
	for target := range checks {
		if !strings.Contains(strings.Join(phonyTargets(t, filepath.Join(dir, "Makefile")), " ")+" ", target+" ") {
			t.Errorf("the test checks make %s, which the Makefile no longer has", target)
		}
	}
}

// dockerBuild checks make docker-build as far as this machine allows.
// There is no Docker engine here, so it checks the command make runs,
// and, with AGGEN_E2E=1, carries out the build stage of the Dockerfile
// without Docker: each COPY copies from the project into a build
// directory standing for WORKDIR, each RUN runs there with /out mapped
// to a directory of its own. The final stage must then find the
// binaries it copies and its ENTRYPOINT among them. This is what breaks
// when the project grows code outside what the Dockerfile copies.
func dockerBuild(t *testing.T, dir string) {
	t.Helper()
	out := runIn(t, dir, nil, "make", "-n", "docker-build")
	if strings.TrimSpace(out) != "docker build -t insects:latest ." {
		t.Errorf("make -n docker-build: %q", out)
	}
	if os.Getenv("AGGEN_E2E") == "" {
		t.Log("set AGGEN_E2E=1 to carry out the Dockerfile's build stage (a static build of both binaries)")
		return
	}
	b, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	work, outDir := t.TempDir(), t.TempDir()
	var final []string
	stage := 0
	for _, line := range joinContinuations(string(b)) {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch {
		case f[0] == "FROM":
			stage++
		case stage == 1 && f[0] == "WORKDIR":
			if f[1] != "/src" {
				t.Fatalf("the build stage works in %s; this check maps /src", f[1])
			}
		case stage == 1 && f[0] == "COPY":
			srcs, dst := f[1:len(f)-1], f[len(f)-1]
			for _, src := range srcs {
				// A file copied into a directory keeps its name.
				target := filepath.Join(work, dst)
				if strings.HasSuffix(dst, "/") && !strings.HasSuffix(src, "/") {
					target = filepath.Join(work, dst, filepath.Base(src))
				}
				if err := upstream.CopyTree(filepath.Join(dir, src), target); err != nil {
					t.Fatalf("%s: %v", line, err)
				}
			}
		case stage == 1 && f[0] == "RUN":
			script := strings.ReplaceAll(strings.TrimSpace(strings.TrimPrefix(line, "RUN")), "/out/", outDir+"/")
			runIn(t, work, []string{"GOFLAGS="}, "sh", "-c", script)
		case stage == 2 && f[0] == "COPY" && strings.HasPrefix(f[1], "--from=build"):
			for _, src := range f[2 : len(f)-1] {
				final = append(final, filepath.Base(src))
				if _, err := os.Stat(filepath.Join(outDir, strings.TrimPrefix(src, "/out/"))); err != nil {
					t.Errorf("the image copies %s, which the build stage did not make: %v", src, err)
				}
			}
		case stage == 2 && f[0] == "ENTRYPOINT":
			entry := strings.Trim(strings.TrimPrefix(line, "ENTRYPOINT"), ` []"`)
			if !strings.Contains(" "+strings.Join(final, " ")+" ", " "+strings.TrimPrefix(entry, "/")+" ") {
				t.Errorf("ENTRYPOINT %s is not among the binaries the image holds: %v", entry, final)
			}
		}
	}
	if len(final) != 2 {
		t.Errorf("the image holds %v, want the apiserver and the controller manager", final)
	}
}

// joinContinuations returns the lines of a Dockerfile with the ones
// continued by a backslash joined.
func joinContinuations(s string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if strings.HasSuffix(line, "\\") {
			cur.WriteString(strings.TrimSuffix(line, "\\") + " ")
			continue
		}
		cur.WriteString(line)
		out = append(out, cur.String())
		cur.Reset()
	}
	return out
}
