package registry

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/aggen-dev/aggen/generators/model"
)

// importSet collects the imports a rendered file needs, path to alias.
type importSet map[string]string

func (s importSet) add(path, alias string) { s[path] = alias }

// Import is one import line of a rendered file.
type Import struct {
	Alias string
	Path  string
}

func (s importSet) sorted() []Import {
	out := make([]Import, 0, len(s))
	for p, a := range s {
		out = append(out, Import{Alias: a, Path: p})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// pattern is a package-level compiled regular expression.
type pattern struct {
	Var     string
	Pattern string
}

// codeGen writes the validation or defaulting functions of the types of
// one API version. Types are qualified with qual ("insects." for the hub,
// "" inside the version package itself).
type codeGen struct {
	v        *model.Version
	qual     string
	imports  importSet
	registry string // import path of the shared pkg/registry package
	funcs    []string
	done     map[string]bool
	memo     map[string]bool
	patterns []pattern
	n        int
}

func newCodeGen(v *model.Version, qual string, imports importSet) *codeGen {
	return &codeGen{v: v, qual: qual, imports: imports, done: map[string]bool{}, memo: map[string]bool{}}
}

func (g *codeGen) tmp(prefix string) string {
	g.n++
	return fmt.Sprintf("%s%d", prefix, g.n)
}

// namedType returns the named type of the package that ft refers to
// (after one pointer), or nil.
func (g *codeGen) namedType(ft model.FieldType) *model.Type {
	if ft.Local != "" {
		return g.v.Type(ft.Local)
	}
	if ft.Pointer && ft.Elem != nil && ft.Elem.Local != "" {
		return g.v.Type(ft.Elem.Local)
	}
	return nil
}

// typeValidation returns the constraints declared on the named non-struct
// type that ft refers to.
func (g *codeGen) typeValidation(ft model.FieldType) model.Validation {
	if t := g.namedType(ft); t != nil && t.Kind != model.StructType {
		return t.Validation
	}
	return model.Validation{}
}

// merge returns field constraints completed by type constraints.
func merge(f, t model.Validation) model.Validation {
	out := f
	if out.Minimum == nil {
		out.Minimum, out.ExclusiveMinimum = t.Minimum, t.ExclusiveMinimum
	}
	if out.Maximum == nil {
		out.Maximum, out.ExclusiveMaximum = t.Maximum, t.ExclusiveMaximum
	}
	if out.MultipleOf == nil {
		out.MultipleOf = t.MultipleOf
	}
	if out.MinLength == nil {
		out.MinLength = t.MinLength
	}
	if out.MaxLength == nil {
		out.MaxLength = t.MaxLength
	}
	if out.Pattern == "" {
		out.Pattern = t.Pattern
	}
	if len(out.Enum) == 0 {
		out.Enum = t.Enum
	}
	if out.MinItems == nil {
		out.MinItems = t.MinItems
	}
	if out.MaxItems == nil {
		out.MaxItems = t.MaxItems
	}
	out.UniqueItems = out.UniqueItems || t.UniqueItems
	if out.Format == "" {
		out.Format = t.Format
	}
	if out.MinProperties == nil {
		out.MinProperties = t.MinProperties
	}
	if out.MaxProperties == nil {
		out.MaxProperties = t.MaxProperties
	}
	return out
}

func isNumeric(basic string) bool {
	switch basic {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64", "byte", "rune", "uintptr":
		return true
	}
	return false
}

func lit(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '`' && s[len(s)-1] == '`') {
		if u, err := strconv.Unquote(s); err == nil {
			return u
		}
		return s[1 : len(s)-1]
	}
	return s
}

// ---------------------------------------------------------------------------
// Validation

// structHasValidation reports whether validating a value of the named struct
// type checks anything.
func (g *codeGen) structHasValidation(name string) bool {
	if v, ok := g.memo[name]; ok {
		return v
	}
	g.memo[name] = false // cycles validate nothing more
	t := g.v.Type(name)
	has := false
	if t != nil && t.Kind == model.StructType {
		for _, f := range t.Fields {
			if g.fieldHasValidation(f) {
				has = true
				break
			}
		}
	}
	g.memo[name] = has
	return has
}

func (g *codeGen) fieldHasValidation(f *model.Field) bool {
	if f.JSONName == "" && !f.Inline && !f.Embedded {
		return false
	}
	if f.Required && !f.Inline && f.JSONName != "" && presenceCheckable(f.Type) {
		return true
	}
	return g.valueHasValidation(f.Type, merge(f.Validation, g.typeValidation(f.Type)))
}

// presenceCheckable reports whether a missing value of the type can be
// told apart: pointers, slices, maps and strings.
func presenceCheckable(ft model.FieldType) bool {
	return ft.Pointer || ft.Slice || ft.Map || (ft.Basic == "string" && ft.Local == "")
}

func (g *codeGen) valueHasValidation(ft model.FieldType, v model.Validation) bool {
	switch {
	case ft.Pointer && ft.Elem != nil:
		return g.valueHasValidation(*ft.Elem, merge(v, g.typeValidation(*ft.Elem)))
	case ft.Slice && ft.Elem != nil:
		if v.MinItems != nil || v.MaxItems != nil || (v.UniqueItems && ft.Elem.Basic != "" && !ft.Elem.Pointer) {
			return true
		}
		return g.valueHasValidation(*ft.Elem, g.typeValidation(*ft.Elem))
	case ft.Map && ft.Elem != nil:
		if v.MinProperties != nil || v.MaxProperties != nil {
			return true
		}
		return g.valueHasValidation(*ft.Elem, g.typeValidation(*ft.Elem))
	case ft.Basic == "string":
		return v.MinLength != nil || v.MaxLength != nil || v.Pattern != "" || len(v.Enum) > 0 || v.Format != ""
	case isNumeric(ft.Basic):
		return v.Minimum != nil || v.Maximum != nil || v.MultipleOf != nil || len(v.Enum) > 0
	case ft.Local != "":
		if t := g.v.Type(ft.Local); t != nil && t.Kind == model.StructType {
			return g.structHasValidation(ft.Local)
		}
	}
	return false
}

// validateFunc writes validate<Type> for a struct type and what it calls,
// and returns the function name.
func (g *codeGen) validateFunc(name string) string {
	fn := "validate" + name
	if g.done[fn] {
		return fn
	}
	g.done[fn] = true
	t := g.v.Type(name)
	var b strings.Builder
	fmt.Fprintf(&b, "func %s(o *%s%s, fldPath *field.Path) field.ErrorList {\n", fn, g.qual, name)
	b.WriteString("var errs field.ErrorList\n")
	for _, f := range t.Fields {
		if !g.fieldHasValidation(f) {
			continue
		}
		g.field(&b, t, f)
	}
	b.WriteString("return errs\n}\n")
	g.funcs = append(g.funcs, b.String())
	return fn
}

func (g *codeGen) field(b *strings.Builder, t *model.Type, f *model.Field) {
	expr := "o." + f.GoName
	if f.Inline || (f.Embedded && f.JSONName == "") {
		if st := localStruct(g.v, f.Type); st != nil && g.structHasValidation(st.Name) {
			fn := g.validateFunc(st.Name)
			if f.Type.Pointer {
				fmt.Fprintf(b, "if %s != nil {\nerrs = append(errs, %s(%s, fldPath)...)\n}\n", expr, fn, expr)
			} else {
				fmt.Fprintf(b, "errs = append(errs, %s(&%s, fldPath)...)\n", fn, expr)
			}
		}
		return
	}
	path := fmt.Sprintf("fldPath.Child(%q)", f.JSONName)
	v := merge(f.Validation, g.typeValidation(f.Type))
	ft := f.Type
	switch {
	case ft.Pointer && ft.Elem != nil:
		inner := g.value(*ft.Elem, "(*"+expr+")", expr, path, merge(v, g.typeValidation(*ft.Elem)))
		if f.Required {
			fmt.Fprintf(b, "if %s == nil {\nerrs = append(errs, field.Required(%s, \"\"))\n} else {\n%s}\n", expr, path, inner)
		} else if inner != "" {
			fmt.Fprintf(b, "if %s != nil {\n%s}\n", expr, inner)
		}
	case ft.Slice || ft.Map:
		inner := g.value(ft, expr, "&"+expr, path, v)
		switch {
		case f.Required:
			fmt.Fprintf(b, "if len(%s) == 0 {\nerrs = append(errs, field.Required(%s, \"\"))\n} else {\n%s}\n", expr, path, inner)
		case f.Optional && inner != "":
			fmt.Fprintf(b, "if len(%s) > 0 {\n%s}\n", expr, inner)
		default:
			b.WriteString(inner)
		}
	case ft.Basic == "string":
		inner := g.value(ft, expr, "&"+expr, path, v)
		switch {
		case f.Required:
			fmt.Fprintf(b, "if %s == \"\" {\nerrs = append(errs, field.Required(%s, \"\"))\n} else {\n%s}\n", expr, path, inner)
		case f.Optional && inner != "":
			fmt.Fprintf(b, "if %s != \"\" {\n%s}\n", expr, inner)
		default:
			b.WriteString(inner)
		}
	case isNumeric(ft.Basic):
		inner := g.value(ft, expr, "&"+expr, path, v)
		if f.Optional && inner != "" {
			fmt.Fprintf(b, "if %s != 0 {\n%s}\n", expr, inner)
		} else {
			b.WriteString(inner)
		}
	default:
		b.WriteString(g.value(ft, expr, "&"+expr, path, v))
	}
}

// value returns the checks of one value; val is an expression of the value,
// addr one of its address (for struct calls), path of its field path.
func (g *codeGen) value(ft model.FieldType, val, addr, path string, v model.Validation) string {
	var b strings.Builder
	switch {
	case ft.Pointer && ft.Elem != nil:
		inner := g.value(*ft.Elem, "(*"+val+")", val, path, merge(v, g.typeValidation(*ft.Elem)))
		if inner != "" {
			fmt.Fprintf(&b, "if %s != nil {\n%s}\n", val, inner)
		}
	case ft.Slice && ft.Elem != nil:
		if v.MinItems != nil {
			fmt.Fprintf(&b, "if len(%s) < %d {\nerrs = append(errs, field.Invalid(%s, len(%s), \"must have at least %d items\"))\n}\n", val, *v.MinItems, path, val, *v.MinItems)
		}
		if v.MaxItems != nil {
			fmt.Fprintf(&b, "if len(%s) > %d {\nerrs = append(errs, field.TooMany(%s, len(%s), %d))\n}\n", val, *v.MaxItems, path, val, *v.MaxItems)
		}
		if v.UniqueItems && ft.Elem.Basic != "" && !ft.Elem.Pointer && !ft.Elem.Slice && !ft.Elem.Map {
			seen, i := g.tmp("seen"), g.tmp("i")
			fmt.Fprintf(&b, "%s := map[%s]bool{}\nfor %s := range %s {\nif %s[%s[%s]] {\nerrs = append(errs, field.Duplicate(%s.Index(%s), %s[%s]))\n}\n%s[%s[%s]] = true\n}\n",
				seen, g.typeExpr(*ft.Elem), i, val, seen, val, i, path, i, val, i, seen, val, i)
		}
		ev := g.typeValidation(*ft.Elem)
		if g.valueHasValidation(*ft.Elem, ev) {
			i := g.tmp("i")
			inner := g.value(*ft.Elem, val+"["+i+"]", "&"+val+"["+i+"]", path+".Index("+i+")", ev)
			fmt.Fprintf(&b, "for %s := range %s {\n%s}\n", i, val, inner)
		}
	case ft.Map && ft.Elem != nil:
		if v.MinProperties != nil {
			fmt.Fprintf(&b, "if len(%s) < %d {\nerrs = append(errs, field.Invalid(%s, len(%s), \"must have at least %d properties\"))\n}\n", val, *v.MinProperties, path, val, *v.MinProperties)
		}
		if v.MaxProperties != nil {
			fmt.Fprintf(&b, "if len(%s) > %d {\nerrs = append(errs, field.TooMany(%s, len(%s), %d))\n}\n", val, *v.MaxProperties, path, val, *v.MaxProperties)
		}
		ev := g.typeValidation(*ft.Elem)
		if g.valueHasValidation(*ft.Elem, ev) {
			k, e := g.tmp("k"), g.tmp("v")
			g.imports.add("fmt", "")
			inner := g.value(*ft.Elem, e, "&"+e, path+".Key(fmt.Sprint("+k+"))", ev)
			fmt.Fprintf(&b, "for %s, %s := range %s {\n%s}\n", k, e, val, inner)
		}
	case ft.Basic == "string":
		s := "string(" + val + ")"
		if v.MinLength != nil {
			g.imports.add("unicode/utf8", "")
			fmt.Fprintf(&b, "if utf8.RuneCountInString(%s) < %d {\nerrs = append(errs, field.Invalid(%s, %s, \"must be at least %d characters long\"))\n}\n", s, *v.MinLength, path, val, *v.MinLength)
		}
		if v.MaxLength != nil {
			g.imports.add("unicode/utf8", "")
			fmt.Fprintf(&b, "if utf8.RuneCountInString(%s) > %d {\nerrs = append(errs, field.TooLong(%s, %s, %d))\n}\n", s, *v.MaxLength, path, val, *v.MaxLength)
		}
		if v.Pattern != "" {
			v.Pattern = unquote(v.Pattern)
			g.imports.add("regexp", "")
			pv := fmt.Sprintf("pattern%d", len(g.patterns)+1)
			g.patterns = append(g.patterns, pattern{Var: pv, Pattern: strconv.Quote(v.Pattern)})
			fmt.Fprintf(&b, "if !%s.MatchString(%s) {\nerrs = append(errs, field.Invalid(%s, %s, %s))\n}\n", pv, s, path, val, strconv.Quote("must match the regular expression "+v.Pattern))
		}
		if len(v.Enum) > 0 {
			quoted := make([]string, len(v.Enum))
			for i, e := range v.Enum {
				quoted[i] = strconv.Quote(unquote(e))
			}
			list := strings.Join(quoted, ", ")
			fmt.Fprintf(&b, "switch %s {\ncase %s:\ndefault:\nerrs = append(errs, field.NotSupported(%s, %s, []string{%s}))\n}\n", s, list, path, val, list)
		}
		if v.Format != "" {
			g.imports.add(g.registry, "genregistry")
			fmt.Fprintf(&b, "if msg := genregistry.CheckFormat(%q, %s); msg != \"\" {\nerrs = append(errs, field.Invalid(%s, %s, msg))\n}\n", v.Format, s, path, val)
		}
	case isNumeric(ft.Basic):
		n := "float64(" + val + ")"
		if v.Minimum != nil {
			op, msg := "<", "must be greater than or equal to "
			if v.ExclusiveMinimum {
				op, msg = "<=", "must be greater than "
			}
			fmt.Fprintf(&b, "if %s %s %s {\nerrs = append(errs, field.Invalid(%s, %s, %q))\n}\n", n, op, lit(*v.Minimum), path, val, msg+lit(*v.Minimum))
		}
		if v.Maximum != nil {
			op, msg := ">", "must be less than or equal to "
			if v.ExclusiveMaximum {
				op, msg = ">=", "must be less than "
			}
			fmt.Fprintf(&b, "if %s %s %s {\nerrs = append(errs, field.Invalid(%s, %s, %q))\n}\n", n, op, lit(*v.Maximum), path, val, msg+lit(*v.Maximum))
		}
		if v.MultipleOf != nil && *v.MultipleOf != 0 {
			g.imports.add("math", "")
			fmt.Fprintf(&b, "if math.Mod(%s, %s) != 0 {\nerrs = append(errs, field.Invalid(%s, %s, %q))\n}\n", n, lit(*v.MultipleOf), path, val, "must be a multiple of "+lit(*v.MultipleOf))
		}
		if len(v.Enum) > 0 {
			var cases, names []string
			for _, e := range v.Enum {
				e = unquote(e)
				if _, err := strconv.ParseFloat(e, 64); err != nil {
					continue
				}
				cases = append(cases, e)
				names = append(names, strconv.Quote(e))
			}
			if len(cases) > 0 {
				fmt.Fprintf(&b, "switch %s {\ncase %s:\ndefault:\nerrs = append(errs, field.NotSupported(%s, %s, []string{%s}))\n}\n", n, strings.Join(cases, ", "), path, val, strings.Join(names, ", "))
			}
		}
	case ft.Local != "":
		if t := g.v.Type(ft.Local); t != nil && t.Kind == model.StructType && g.structHasValidation(ft.Local) {
			fmt.Fprintf(&b, "errs = append(errs, %s(%s, %s)...)\n", g.validateFunc(ft.Local), addr, path)
		}
	}
	return b.String()
}

// typeExpr is the Go type of ft as seen from the generated file.
func (g *codeGen) typeExpr(ft model.FieldType) string {
	switch {
	case ft.Pointer && ft.Elem != nil:
		return "*" + g.typeExpr(*ft.Elem)
	case ft.Slice && ft.Elem != nil:
		return "[]" + g.typeExpr(*ft.Elem)
	case ft.Local != "":
		return g.qual + ft.Local
	case ft.Basic != "" && ft.Package == "":
		return ft.Basic
	}
	return ft.Expr
}

// ---------------------------------------------------------------------------
// Defaults

// structHasDefaults reports whether a value of the named struct type gets
// any marker default, directly or in nested structs.
func (g *codeGen) structHasDefaults(name string) bool {
	key := "defaults:" + name
	if v, ok := g.memo[key]; ok {
		return v
	}
	g.memo[key] = false
	t := g.v.Type(name)
	has := false
	if t != nil && t.Kind == model.StructType {
		for _, f := range t.Fields {
			if f.Default != nil || g.nestedDefaults(f.Type) != "" {
				has = true
				break
			}
		}
	}
	g.memo[key] = has
	return has
}

// nestedDefaults returns the struct type name whose defaults apply inside
// values of ft (directly, through a pointer, or as slice or map elements).
func (g *codeGen) nestedDefaults(ft model.FieldType) string {
	base := ft
	for (base.Pointer || base.Slice || base.Map) && base.Elem != nil {
		base = *base.Elem
	}
	if base.Local == "" {
		return ""
	}
	if t := g.v.Type(base.Local); t != nil && t.Kind == model.StructType && g.structHasDefaults(base.Local) {
		return base.Local
	}
	return ""
}

// defaultFunc writes setMarkerDefaults<Type> and returns its name.
func (g *codeGen) defaultFunc(name string) (string, error) {
	fn := "setMarkerDefaults" + name
	if g.done[fn] {
		return fn, nil
	}
	g.done[fn] = true
	t := g.v.Type(name)
	var b strings.Builder
	fmt.Fprintf(&b, "func %s(o *%s%s) {\n", fn, g.qual, name)
	for _, f := range t.Fields {
		expr := "o." + f.GoName
		if f.Default != nil {
			code, err := g.setDefault(f, expr)
			if err != nil {
				return "", err
			}
			b.WriteString(code)
		}
		if nested := g.nestedDefaults(f.Type); nested != "" {
			nfn, err := g.defaultFunc(nested)
			if err != nil {
				return "", err
			}
			b.WriteString(g.applyNested(f.Type, expr, nfn))
		}
	}
	b.WriteString("}\n")
	g.funcs = append(g.funcs, b.String())
	return fn, nil
}

func (g *codeGen) applyNested(ft model.FieldType, expr, fn string) string {
	switch {
	case ft.Pointer && ft.Elem != nil:
		return fmt.Sprintf("if %s != nil {\n%s}\n", expr, g.applyNestedAddr(*ft.Elem, expr, fn))
	default:
		return g.applyNestedAddr(ft, "&"+expr, fn)
	}
}

// applyNestedAddr applies fn to the value that addr points at.
func (g *codeGen) applyNestedAddr(ft model.FieldType, addr, fn string) string {
	val := strings.TrimPrefix(addr, "&")
	if !strings.HasPrefix(addr, "&") {
		val = "(*" + addr + ")"
	}
	switch {
	case ft.Slice && ft.Elem != nil:
		i := g.tmp("i")
		if ft.Elem.Pointer {
			return fmt.Sprintf("for %s := range %s {\nif %s[%s] != nil {\n%s(%s[%s])\n}\n}\n", i, val, val, i, fn, val, i)
		}
		return fmt.Sprintf("for %s := range %s {\n%s(&%s[%s])\n}\n", i, val, fn, val, i)
	case ft.Map && ft.Elem != nil:
		k, e := g.tmp("k"), g.tmp("v")
		if ft.Elem.Pointer {
			return fmt.Sprintf("for _, %s := range %s {\nif %s != nil {\n%s(%s)\n}\n}\n", e, val, e, fn, e)
		}
		return fmt.Sprintf("for %s, %s := range %s {\n%s(&%s)\n%s[%s] = %s\n}\n", k, e, val, fn, e, val, k, e)
	}
	return fmt.Sprintf("%s(%s)\n", fn, addr)
}

// setDefault writes the code that sets the default of f when it is unset.
func (g *codeGen) setDefault(f *model.Field, expr string) (string, error) {
	raw := strings.TrimSpace(*f.Default)
	var decoded interface{}
	jsonErr := json.Unmarshal([]byte(raw), &decoded)
	ft := f.Type
	base := ft
	if ft.Pointer && ft.Elem != nil {
		base = *ft.Elem
	}
	basicLit := ""
	if !base.Slice && !base.Map && base.Basic != "" {
		switch {
		case base.Basic == "string":
			if s, ok := decoded.(string); ok && jsonErr == nil {
				basicLit = strconv.Quote(s)
			} else if jsonErr != nil {
				basicLit = strconv.Quote(unquote(raw))
			} else {
				return "", &MarkerError{Pos: f.Pos, Marker: "default", Message: fmt.Sprintf("%s is not a string", raw)}
			}
		case base.Basic == "bool":
			b, ok := decoded.(bool)
			if !ok || jsonErr != nil {
				return "", &MarkerError{Pos: f.Pos, Marker: "default", Message: fmt.Sprintf("%s is not a boolean", raw)}
			}
			basicLit = strconv.FormatBool(b)
		case isNumeric(base.Basic):
			n, ok := decoded.(float64)
			if !ok || jsonErr != nil {
				return "", &MarkerError{Pos: f.Pos, Marker: "default", Message: fmt.Sprintf("%s is not a number", raw)}
			}
			if strings.HasPrefix(base.Basic, "int") || strings.HasPrefix(base.Basic, "uint") {
				if n != float64(int64(n)) {
					return "", &MarkerError{Pos: f.Pos, Marker: "default", Message: fmt.Sprintf("%s is not an integer", raw)}
				}
				basicLit = strconv.FormatInt(int64(n), 10)
			} else {
				basicLit = lit(n)
			}
		}
	}
	if basicLit != "" {
		if ft.Pointer {
			tv := g.tmp("d")
			return fmt.Sprintf("if %s == nil {\nvar %s %s = %s\n%s = &%s\n}\n", expr, tv, g.typeExpr(base), basicLit, expr, tv), nil
		}
		zero := "0"
		switch base.Basic {
		case "string":
			zero = `""`
		case "bool":
			return fmt.Sprintf("if !%s {\n%s = %s\n}\n", expr, expr, basicLit), nil
		}
		return fmt.Sprintf("if %s == %s {\n%s = %s\n}\n", expr, zero, expr, basicLit), nil
	}
	if jsonErr != nil {
		return "", &MarkerError{Pos: f.Pos, Marker: "default", Message: fmt.Sprintf("%s is not JSON: %v", raw, jsonErr)}
	}
	canonical, _ := json.Marshal(decoded)
	g.imports.add("encoding/json", "")
	cond := expr + " == nil"
	switch {
	case ft.Slice || ft.Map:
		cond = "len(" + expr + ") == 0"
	case !ft.Pointer:
		g.imports.add("reflect", "")
		cond = "reflect.ValueOf(" + expr + ").IsZero()"
	}
	return fmt.Sprintf("if %s {\n_ = json.Unmarshal([]byte(%s), &%s)\n}\n", cond, strconv.Quote(string(canonical)), expr), nil
}
