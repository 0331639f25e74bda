package scaffold

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/txtar"

	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/templates"
)

// RecordFile is the scaffold record: for every user-owned file aggen
// scaffolded, the bytes it scaffolded, as one txtar archive committed with
// the project. `aggen upgrade` takes them as the base of its three-way
// merges. init, create api and generate add the files they scaffold;
// upgrade replaces each with what the running aggen scaffolds.
const RecordFile = "aggen.scaffold.txtar"

// unmerged are user-owned files aggen scaffolds but upgrade does not merge:
// the project file and go.mod are migrated, go.sum is derived, and the
// boilerplate is the user's licence header, rendered with a year.
var unmerged = map[string]bool{
	loader.ConfigFile: true, "go.mod": true, "go.sum": true, "hack/boilerplate.go.txt": true,
}

// recordComment heads the archive; the revision line is read back.
const recordComment = `aggen scaffold record: what aggen scaffolded for each user-owned file,
the base of aggen upgrade's three-way merges. Commit it; aggen keeps it.
`

// Record is the content of RecordFile.
type Record struct {
	// Revision is the template revision of the last scaffolding.
	Revision int
	Files    map[string][]byte
}

// ReadRecord reads dir's scaffold record; a project without one (made
// before aggen kept it) gives an empty record and no error.
func ReadRecord(dir string) (*Record, error) {
	r := &Record{Files: map[string][]byte{}}
	b, err := os.ReadFile(filepath.Join(dir, RecordFile))
	if errors.Is(err, fs.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", RecordFile, err)
	}
	ar := txtar.Parse(b)
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		if v, ok := strings.CutPrefix(line, "templates: "); ok {
			if r.Revision, err = strconv.Atoi(v); err != nil {
				return nil, fmt.Errorf("%s:%d: templates: %q is not a number", RecordFile, 3, v)
			}
		}
	}
	for _, f := range ar.Files {
		r.Files[f.Name] = f.Data
	}
	return r, nil
}

// Marshal renders the record, files sorted by path.
func (r *Record) Marshal() []byte {
	ar := &txtar.Archive{Comment: []byte(recordComment + "templates: " + strconv.Itoa(r.Revision) + "\n")}
	names := make([]string, 0, len(r.Files))
	for n := range r.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ar.Files = append(ar.Files, txtar.File{Name: n, Data: r.Files[n]})
	}
	return txtar.Format(ar)
}

// recordScaffold adds to the plan the update of the scaffold record for
// every scaffolded user-owned file the plan writes.
func (p *Plan) recordScaffold() error {
	var written []*Change
	for _, c := range p.Changes {
		if c.Scaffold && !unmerged[c.Path] && (c.Action == Create || c.Action == Update) {
			written = append(written, c)
		}
	}
	if len(written) == 0 {
		return nil
	}
	rec, err := ReadRecord(p.Root)
	if err != nil {
		return err
	}
	rec.Revision = templates.Revision
	for _, c := range written {
		rec.Files[c.Path] = c.New
	}
	return p.putRecord(rec)
}

func (p *Plan) putRecord(rec *Record) error {
	b := rec.Marshal()
	// txtar has no escaping: a file with a line such as "-- name --"
	// would split in two when read back. Refuse to record what would not
	// come back as it went in.
	back := txtar.Parse(b)
	if len(back.Files) != len(rec.Files) {
		return fmt.Errorf("%s: a scaffolded file holds a txtar file marker line (-- name --) and cannot be recorded", RecordFile)
	}
	for _, f := range back.Files {
		if want, ok := rec.Files[f.Name]; !ok || !bytes.Equal(bytes.TrimSuffix(want, []byte("\n")), bytes.TrimSuffix(f.Data, []byte("\n"))) {
			return fmt.Errorf("%s: %s cannot be recorded as it is (a txtar file marker line)", RecordFile, f.Name)
		}
	}
	if old, err := os.ReadFile(filepath.Join(p.Root, RecordFile)); err == nil && bytes.Equal(old, b) {
		return nil
	}
	return p.Put(RecordFile, b, 0o644)
}
