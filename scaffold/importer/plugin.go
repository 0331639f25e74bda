package importer

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// PluginFile turns the source's admission plugin p into the project's
// plugin file (pkg/admission/plugin/admission.go, package plugin, which
// the generated server registers through Register and PluginName). The
// plugin's logic is kept as written; what changes is its wiring: the
// package name, a PluginName constant for the name it registers, and
// the informer factory it asked of its own initializer, which it now
// gets from the generated one (pkg/admission/initializer) through
// SetInformerFactory.
func (r *Result) PluginFile(p *Plugin) ([]byte, error) {
	src := readFile(r.src.Dir, p.File)
	fset := token.NewFileSet()
	af, err := parser.ParseFile(fset, p.File, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	type edit struct {
		from, to int
		text     string
	}
	var edits []edit
	off := func(pos token.Pos) int { return fset.Position(pos).Offset }
	replace := func(n ast.Node, text string) { edits = append(edits, edit{off(n.Pos()), off(n.End()), text}) }
	replace(af.Name, "plugin")

	initializer := r.newMod + "/pkg/admission/initializer"
	inits := map[string]bool{} // import names of the source's initializers
	imports := importsOf(af)
	for _, is := range af.Imports {
		p, _ := strconv.Unquote(is.Path.Value)
		for _, d := range r.Initializers {
			if p == r.Module+"/"+d {
				name := path.Base(p)
				if is.Name != nil {
					name = is.Name.Name
				}
				inits[name] = true
				replace(is, strconv.Quote(initializer))
			}
		}
	}
	informers := func(e ast.Expr) bool {
		sel, ok := e.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "SharedInformerFactory" {
			return false
		}
		id, ok := sel.X.(*ast.Ident)
		return ok && strings.HasSuffix(imports[id.Name], "/informers/externalversions") && strings.HasPrefix(imports[id.Name], r.Module+"/")
	}
	wired := false
	for _, d := range af.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		if fd.Recv == nil && fd.Name.Name == "Register" {
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, _ := strconv.Unquote(lit.Value); s == p.Name {
						replace(lit, "PluginName")
					}
				}
				return true
			})
		}
		if fd.Recv != nil && strings.HasPrefix(fd.Name.Name, "Set") && strings.HasSuffix(fd.Name.Name, "InformerFactory") &&
			len(fd.Type.Params.List) == 1 && len(fd.Type.Params.List[0].Names) <= 1 && informers(fd.Type.Params.List[0].Type) {
			old := fd.Name.Name
			replace(fd.Name, "SetInformerFactory")
			if fd.Doc != nil && strings.HasPrefix(fd.Doc.List[0].Text, "// "+old+" ") {
				c := fd.Doc.List[0]
				edits = append(edits, edit{off(c.Pos()) + 3, off(c.Pos()) + 3 + len(old), "SetInformerFactory"})
			}
			wired = true
			r.Report.changed(posString(fset.Position(fd.Name.Pos())), fmt.Sprintf("%s renamed SetInformerFactory: the generated initializer hands the plugin the generated informers through it", old))
		}
	}
	ast.Inspect(af, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok && inits[id.Name] {
			if strings.HasPrefix(sel.Sel.Name, "Wants") && wired {
				replace(sel, "initializer.WantsInformerFactory")
			} else {
				replace(sel, "initializer."+sel.Sel.Name)
				r.Report.changed(posString(fset.Position(sel.Pos())), fmt.Sprintf("%s.%s has no counterpart in the generated initializer: the plugin does not compile until you port it", id.Name, sel.Sel.Name))
			}
		}
		return true
	})
	// The constant goes after the imports.
	last := af.Name.End()
	for _, d := range af.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			last = gd.End()
		}
	}
	edits = append(edits, edit{off(last), off(last), fmt.Sprintf("\n\n// PluginName is the name of the plugin in --enable-admission-plugins and\n// --disable-admission-plugins.\nconst PluginName = %q", p.Name)})
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].from > edits[j].from })
	out := append([]byte(nil), src...)
	for _, e := range edits {
		out = append(out[:e.from:e.from], append([]byte(e.text), out[e.to:]...)...)
	}
	out = r.rewriteImports(out)
	if from, to := r.Module+"/pkg/generated", r.newMod+"/pkg/generated"; from != to {
		out = bytes.ReplaceAll(out, []byte(`"`+from+`/`), []byte(`"`+to+`/`))
	}
	b, err := format.Source(out)
	if err != nil {
		return nil, fmt.Errorf("rewriting admission plugin %s: %w", p.File, err)
	}
	r.Report.replaced(p.File, fmt.Sprintf("admission plugin %s: now pkg/admission/plugin/admission.go, registered and enabled by the generated server", p.Name))
	return b, nil
}

var emptyHook = `func %s(ctx context.Context, %s *%s.%s) field.ErrorList {
	return nil
}`

var hubImport = regexp.MustCompile(`(?m)^import \($`)

// HookFile makes a kind's scaffolded hooks.go (data) call the
// hand-written validation the original strategy called.
func (r *Result) HookFile(h *Hook, hub string, data []byte) ([]byte, error) {
	s := string(data)
	alias := h.Group
	var imports []string
	sub := func(name, params, body string) error {
		old := fmt.Sprintf(emptyHook, name, params, alias, h.Kind)
		if !strings.Contains(s, old) {
			return fmt.Errorf("hooks.go of %s has no empty %s to fill", h.Kind, name)
		}
		s = strings.Replace(s, old, strings.Replace(old, "return nil", body, 1), 1)
		return nil
	}
	if h.Create.Name != "" {
		if err := sub("validateCreate", "obj", fmt.Sprintf("return %s.%s(obj)", path.Base(h.Create.Package), h.Create.Name)); err != nil {
			return nil, err
		}
		imports = append(imports, h.Create.Package)
	}
	if h.Update.Name != "" {
		args := "obj"
		if h.UpdateTakesOld {
			args = "obj, old"
		}
		if err := sub("validateUpdate", "obj, old", fmt.Sprintf("return %s.%s(%s)", path.Base(h.Update.Package), h.Update.Name, args)); err != nil {
			return nil, err
		}
		imports = append(imports, h.Update.Package)
	}
	sort.Strings(imports)
	var lines []string
	for i, p := range imports {
		if i == 0 || imports[i-1] != p {
			lines = append(lines, "\t"+strconv.Quote(p)+"\n")
		}
	}
	loc := hubImport.FindStringIndex(s)
	if loc == nil {
		return nil, fmt.Errorf("hooks.go of %s has no import block", h.Kind)
	}
	// Next to the hub's import, in its group.
	hubLine := fmt.Sprintf("\t%s %q\n", alias, hub)
	if i := strings.Index(s, hubLine); i >= 0 {
		s = s[:i] + strings.Join(lines, "") + s[i:]
	} else {
		s = s[:loc[1]+1] + strings.Join(lines, "") + s[loc[1]+1:]
	}
	b, err := format.Source([]byte(s))
	if err != nil {
		return nil, fmt.Errorf("hooks.go of %s: %w", h.Kind, err)
	}
	return b, nil
}
