package importer

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"sort"
	"strings"
)

// addMarkers adds to the kinds of the copied version packages the
// markers aggen needs to serve them as the original server did:
// +kubebuilder:subresource:status where the kind has a status and its
// generated client calls UpdateStatus (aggen refuses a status without a
// /status subresource), and +kubebuilder:storageversion in the version
// the original server stored.
func (r *Result) addMarkers(versions []*version) error {
	byDir := map[string]*version{}
	for _, v := range versions {
		byDir[v.dst] = v
	}
	for _, f := range r.Files {
		v := byDir[path.Dir(f.Path)]
		if v == nil || !strings.HasSuffix(f.Path, ".go") || strings.HasSuffix(f.Path, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		af, err := parser.ParseFile(fset, f.Path, f.Data, parser.ParseComments)
		if err != nil {
			return fmt.Errorf("%s: %w", f.Path, err)
		}
		type insert struct {
			line int
			text string
		}
		var inserts []insert
		prevEnd := 0
		for _, d := range af.Decls {
			gd, ok := d.(*ast.GenDecl)
			start := fset.Position(d.Pos()).Line
			if ok && gd.Tok == token.TYPE && len(gd.Specs) == 1 {
				ts := gd.Specs[0].(*ast.TypeSpec)
				if st, ok := ts.Type.(*ast.StructType); ok && isKind(st) {
					text := markersBefore(fset, af, prevEnd, start)
					var add []string
					if hasField(st, "Status") && !strings.Contains(text, "+kubebuilder:subresource:status") && !strings.Contains(text, "+genclient:noStatus") {
						add = append(add, "+kubebuilder:subresource:status")
						r.Report.changed(r.srcPos(f.Path, fset.Position(ts.Pos())),
							fmt.Sprintf("kind %s has a status and its client calls UpdateStatus: added +kubebuilder:subresource:status, so the server serves /status", ts.Name.Name))
					}
					if v.storage && !strings.Contains(text, "+kubebuilder:storageversion") {
						add = append(add, "+kubebuilder:storageversion")
						r.Report.changed(r.srcPos(f.Path, fset.Position(ts.Pos())),
							fmt.Sprintf("kind %s is stored in %s: added +kubebuilder:storageversion", ts.Name.Name, v.name))
					}
					for _, a := range add {
						inserts = append(inserts, insert{start, "// " + a})
					}
				}
			}
			prevEnd = fset.Position(d.End()).Line
		}
		// Markers that annotate types, standing where no type is: they
		// do nothing for the upstream generators, and aggen refuses
		// them as misplaced.
		var drop []int
		for _, cg := range af.Comments {
			if owner := typeAfter(fset, af, cg); owner {
				continue
			}
			for _, c := range cg.List {
				t := strings.TrimSpace(strings.TrimPrefix(c.Text, "//"))
				if t == "+genclient" || strings.HasPrefix(t, "+genclient:") || t == "+kubebuilder:object:root=true" {
					p := fset.Position(c.Pos())
					drop = append(drop, p.Line)
					r.Report.changed(r.srcPos(f.Path, p), fmt.Sprintf("%s annotates no type here (it stands before no type declaration): removed", t))
				}
			}
		}
		for _, l := range drop {
			inserts = append(inserts, insert{l, ""})
		}
		if len(inserts) == 0 {
			continue
		}
		sort.SliceStable(inserts, func(i, j int) bool { return inserts[i].line > inserts[j].line })
		lines := strings.SplitAfter(string(f.Data), "\n")
		for _, in := range inserts {
			at := in.line - 1
			if in.text == "" {
				lines = append(lines[:at], lines[at+1:]...)
				continue
			}
			lines = append(lines[:at], append([]string{in.text + "\n"}, lines[at:]...)...)
		}
		f.Data = []byte(strings.Join(lines, ""))
	}
	return nil
}

// srcPos names a position in a copied file by the source file it came from.
func (r *Result) srcPos(dst string, p token.Position) string {
	for _, it := range r.Report.Carried {
		if it.To == dst {
			return fmt.Sprintf("%s:%d:%d", it.Path, p.Line, p.Column)
		}
	}
	return fmt.Sprintf("%s:%d:%d", dst, p.Line, p.Column)
}

// markersBefore is the text of the comments between two lines.
func markersBefore(fset *token.FileSet, af *ast.File, after, before int) string {
	var b strings.Builder
	for _, cg := range af.Comments {
		l := fset.Position(cg.End()).Line
		if l > after && l < before {
			b.WriteString(cg.Text())
			for _, c := range cg.List {
				b.WriteString(c.Text + "\n")
			}
		}
	}
	return b.String()
}

// isKind is a struct embedding TypeMeta and ObjectMeta.
func isKind(st *ast.StructType) bool {
	meta := 0
	for _, f := range st.Fields.List {
		if len(f.Names) > 0 {
			continue
		}
		if sel, ok := f.Type.(*ast.SelectorExpr); ok && (sel.Sel.Name == "TypeMeta" || sel.Sel.Name == "ObjectMeta") {
			meta++
		}
	}
	return meta == 2
}

func hasField(st *ast.StructType, name string) bool {
	for _, f := range st.Fields.List {
		for _, n := range f.Names {
			if n.Name == name {
				return true
			}
		}
	}
	return false
}

// typeAfter reports whether the comment group is followed, after at most
// one blank line, by a type declaration: the markers in it belong to that
// type, as the upstream generators read them.
func typeAfter(fset *token.FileSet, af *ast.File, cg *ast.CommentGroup) bool {
	end := fset.Position(cg.End()).Line
	if cg.Pos() < af.Name.Pos() {
		return false
	}
	for _, d := range af.Decls {
		start := fset.Position(d.Pos()).Line
		if start <= end {
			continue
		}
		gd, ok := d.(*ast.GenDecl)
		return ok && gd.Tok == token.TYPE && start-end <= 2 || nextComment(fset, af, end, start)
	}
	return false
}

// nextComment reports whether another comment group lies between lines
// after and before (markers split from their type by a comment block
// are read through it, so leave them alone).
func nextComment(fset *token.FileSet, af *ast.File, after, before int) bool {
	for _, cg := range af.Comments {
		l := fset.Position(cg.Pos()).Line
		if l > after && l < before {
			return true
		}
	}
	return false
}
