package differential

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"regexp"
	"sort"
	"strings"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
)

// Class is where an object of the corpus comes from.
type Class string

const (
	// Valid is the smallest object the schema asks for: every required
	// field, each with a value that meets its constraints.
	Valid Class = "valid"
	// Violation is the valid object with one constraint of the schema
	// broken at one field.
	Violation Class = "violation"
	// Fuzzed is a random object drawn from the schema.
	Fuzzed Class = "fuzzed"
)

// Object is one object of the corpus, the part below metadata.
type Object struct {
	Class Class
	// Name says what the object is, e.g. "minimum at spec.replicas".
	Name string
	// Body holds every top-level field but apiVersion, kind and metadata.
	Body map[string]any
}

// maxDepth bounds how deep generated objects and violations go: the
// schemas of pod templates are deep, their upper part is what kinds add.
const maxDepth = 8

// segment is one step of a path into an object: a property, the first
// item of a list, or a key of a map.
type segment struct {
	prop  string
	item  bool
	key   string
	isKey bool
}

func (s segment) String() string {
	switch {
	case s.item:
		return "[0]"
	case s.isKey:
		return "[" + s.key + "]"
	}
	return "." + s.prop
}

func pathString(p []segment) string {
	var b strings.Builder
	for _, s := range p {
		b.WriteString(s.String())
	}
	return strings.TrimPrefix(b.String(), ".")
}

// minimal returns the smallest value the schema accepts, as far as it
// can be told without evaluating CEL rules.
func minimal(s *apiextensionsv1.JSONSchemaProps, depth int) any {
	if s == nil {
		return nil
	}
	if s.Default != nil {
		var v any
		if json.Unmarshal(s.Default.Raw, &v) == nil {
			return v
		}
	}
	if len(s.Enum) > 0 {
		var v any
		if json.Unmarshal(s.Enum[0].Raw, &v) == nil {
			return v
		}
	}
	if s.XIntOrString {
		if s.Pattern != "" {
			return "1"
		}
		return 1
	}
	switch s.Type {
	case "object":
		obj := map[string]any{}
		if s.XEmbeddedResource {
			obj["apiVersion"], obj["kind"] = "v1", "Embedded"
		}
		if depth >= maxDepth+4 {
			return obj
		}
		for _, r := range s.Required {
			p, ok := s.Properties[r]
			if ok {
				obj[r] = minimal(&p, depth+1)
			}
		}
		if s.MinProperties != nil && s.AdditionalProperties != nil && s.AdditionalProperties.Schema != nil {
			for i := int64(len(obj)); i < *s.MinProperties; i++ {
				obj[fmt.Sprintf("k%d", i)] = minimal(s.AdditionalProperties.Schema, depth+1)
			}
		}
		return obj
	case "array":
		list := []any{}
		if s.MinItems != nil && s.Items != nil && s.Items.Schema != nil {
			for i := int64(0); i < *s.MinItems; i++ {
				list = append(list, distinct(minimal(s.Items.Schema, depth+1), s.Items.Schema, int(i)))
			}
		}
		return list
	case "string":
		return minimalString(s)
	case "integer", "number":
		return minimalNumber(s)
	case "boolean":
		return true
	}
	if s.XPreserveUnknownFields != nil && *s.XPreserveUnknownFields {
		return map[string]any{}
	}
	return nil
}

// distinct makes the i-th item of a list differ from the others where
// the items are strings or maps keyed by a string.
func distinct(v any, items *apiextensionsv1.JSONSchemaProps, i int) any {
	if i == 0 {
		return v
	}
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%s%d", x, i)
	case map[string]any:
		for k, kv := range x {
			if s, ok := kv.(string); ok && len(items.Properties[k].Enum) == 0 {
				x[k] = fmt.Sprintf("%s%d", s, i)
			}
		}
	}
	return v
}

// formatValues are values of the formats kube-apiserver checks.
var formatValues = map[string]string{
	"date-time": "2026-01-01T00:00:00Z", "date": "2026-01-01", "duration": "1s", "byte": "YQ==",
	"int-or-string": "1", "uri": "https://example.com", "email": "a@example.com", "hostname": "example.com",
	"ipv4": "10.0.0.1", "ipv6": "::1", "cidr": "10.0.0.0/24", "uuid": "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
	"password": "a", "mac": "00:00:00:00:00:00",
}

// patternCandidates are tried in turn against a pattern.
var patternCandidates = []string{
	"a", "abc", "1", "10", "1s", "30s", "1m", "1h", "1Gi", "100Mi", "a.b", "example.com", "https://example.com",
	"http://example.com/a", "10.0.0.1", "10.0.0.0/24", "a-b", "A", "Aa", "a_b", "/a", "a/b", "a:1", "a@b.c",
	"1.0", "v1", "1d", "0.5", "true", "a=b", "Secret", "UTC", "*", "a.b.c",
}

func minimalString(s *apiextensionsv1.JSONSchemaProps) string {
	min := int64(0)
	if s.MinLength != nil {
		min = *s.MinLength
	}
	fits := func(v string) bool {
		if int64(len(v)) < min || (s.MaxLength != nil && int64(len(v)) > *s.MaxLength) {
			return false
		}
		if s.Pattern != "" {
			re, err := regexp.Compile(s.Pattern)
			return err == nil && re.MatchString(v)
		}
		return true
	}
	if v, ok := formatValues[s.Format]; ok && fits(v) {
		return v
	}
	if s.Pattern == "" {
		if min == 0 && s.Format == "" {
			return "a"
		}
		return strings.Repeat("a", int(max(min, 1)))
	}
	for _, c := range patternCandidates {
		for _, v := range []string{c, strings.Repeat(c, int(max(min, 1)))} {
			if fits(v) {
				return v
			}
		}
	}
	return strings.Repeat("a", int(max(min, 1)))
}

func minimalNumber(s *apiextensionsv1.JSONSchemaProps) any {
	v := 1.0
	if s.Minimum != nil {
		v = *s.Minimum
		if s.ExclusiveMinimum {
			v++
		}
		v = max(v, 1)
		if s.Maximum != nil && v > *s.Maximum {
			v = *s.Minimum
			if s.ExclusiveMinimum {
				v++
			}
		}
	} else if s.Maximum != nil && v > *s.Maximum {
		v = *s.Maximum
		if s.ExclusiveMaximum {
			v--
		}
	}
	if s.MultipleOf != nil && *s.MultipleOf > 0 {
		m := *s.MultipleOf
		v = float64(int64(v/m)) * m
		if s.Minimum != nil && v < *s.Minimum {
			v += m
		}
	}
	if s.Type == "integer" {
		return int64(v)
	}
	return v
}

// breach is one constraint broken at one path.
type breach struct {
	marker string
	path   []segment
	// value replaces the field; remove drops it instead (a required
	// field left out).
	value  any
	remove bool
}

// violations lists, for every field the schema reaches (up to maxDepth),
// one breach of each constraint the field's schema carries: the
// constraints controller-gen makes from the markers on the types.
func violations(s *apiextensionsv1.JSONSchemaProps, path []segment, depth int) []breach {
	if s == nil || depth > maxDepth {
		return nil
	}
	var out []breach
	at := func(marker string, v any) {
		out = append(out, breach{marker: marker, path: append([]segment(nil), path...), value: v})
	}
	if len(path) > 0 {
		if s.Minimum != nil {
			v := *s.Minimum - 1
			if s.ExclusiveMinimum {
				v = *s.Minimum
			}
			at("minimum", number(s, v))
		}
		if s.Maximum != nil {
			v := *s.Maximum + 1
			if s.ExclusiveMaximum {
				v = *s.Maximum
			}
			at("maximum", number(s, v))
		}
		if s.MultipleOf != nil && *s.MultipleOf > 1 {
			at("multipleOf", number(s, *s.MultipleOf+1))
		}
		if s.MinLength != nil && *s.MinLength > 0 {
			at("minLength", strings.Repeat("a", int(*s.MinLength-1)))
		}
		if s.MaxLength != nil {
			at("maxLength", strings.Repeat("a", int(*s.MaxLength+1)))
		}
		if s.Pattern != "" {
			at("pattern", "#not matching#")
		}
		if len(s.Enum) > 0 {
			at("enum", "NotInTheEnum")
		}
		if _, ok := formatValues[s.Format]; ok && s.Format != "password" && s.Format != "int-or-string" {
			at("format", "not a "+s.Format)
		}
		switch s.Type {
		case "string":
			at("type", 12345)
		case "integer", "number":
			at("type", "twelve")
		case "boolean":
			at("type", "yes")
		case "object":
			at("type", []any{"x"})
		case "array":
			at("type", "x")
		}
	}
	switch s.Type {
	case "object":
		if len(path) > 0 && s.MaxProperties != nil && s.AdditionalProperties != nil && s.AdditionalProperties.Schema != nil {
			obj := map[string]any{}
			for i := int64(0); i <= *s.MaxProperties; i++ {
				obj[fmt.Sprintf("k%d", i)] = minimal(s.AdditionalProperties.Schema, depth+1)
			}
			at("maxProperties", obj)
		}
		for _, r := range s.Required {
			out = append(out, breach{marker: "required", path: append(append([]segment(nil), path...), segment{prop: r}), remove: true})
		}
		for _, name := range sortedKeys(s.Properties) {
			if len(path) == 0 && (name == "apiVersion" || name == "kind" || name == "metadata") {
				continue
			}
			p := s.Properties[name]
			out = append(out, violations(&p, append(append([]segment(nil), path...), segment{prop: name}), depth+1)...)
		}
		if s.AdditionalProperties != nil && s.AdditionalProperties.Schema != nil {
			out = append(out, violations(s.AdditionalProperties.Schema, append(append([]segment(nil), path...), segment{key: "k", isKey: true}), depth+1)...)
		}
	case "array":
		if s.Items == nil || s.Items.Schema == nil {
			break
		}
		if s.MaxItems != nil && *s.MaxItems < 64 {
			list := []any{}
			for i := int64(0); i <= *s.MaxItems; i++ {
				list = append(list, distinct(minimal(s.Items.Schema, depth+1), s.Items.Schema, int(i)))
			}
			at("maxItems", list)
		}
		if s.MinItems != nil && *s.MinItems > 0 {
			list := []any{}
			for i := int64(0); i < *s.MinItems-1; i++ {
				list = append(list, distinct(minimal(s.Items.Schema, depth+1), s.Items.Schema, int(i)))
			}
			at("minItems", list)
		}
		if s.XListType != nil && (*s.XListType == "set" || *s.XListType == "map") {
			item := minimal(s.Items.Schema, depth+1)
			at("listType="+*s.XListType, []any{item, item})
		}
		out = append(out, violations(s.Items.Schema, append(append([]segment(nil), path...), segment{item: true}), depth+1)...)
	}
	return out
}

func number(s *apiextensionsv1.JSONSchemaProps, v float64) any {
	if s.Type == "integer" {
		return int64(v)
	}
	return v
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// apply returns the valid object with the breach made: the fields on
// the way to it are created with their smallest values.
func apply(root *apiextensionsv1.JSONSchemaProps, valid map[string]any, b breach) map[string]any {
	obj := deepCopy(valid).(map[string]any)
	var cur any = obj
	s := root
	for i, seg := range b.path {
		last := i == len(b.path)-1
		switch {
		case seg.item:
			list := cur.([]any)
			var items *apiextensionsv1.JSONSchemaProps
			if s.Items != nil {
				items = s.Items.Schema
			}
			if last {
				list[0] = b.value
				return obj
			}
			cur, s = list[0], items
		default:
			m := cur.(map[string]any)
			name := seg.prop
			var next *apiextensionsv1.JSONSchemaProps
			if seg.isKey {
				name = seg.key
				next = s.AdditionalProperties.Schema
			} else {
				p := s.Properties[name]
				next = &p
			}
			if last {
				if b.remove {
					delete(m, name)
				} else {
					m[name] = b.value
				}
				return obj
			}
			child, ok := m[name]
			if !ok || child == nil {
				child = minimal(next, 0)
				m[name] = child
			}
			// A list on the way needs an item to reach into.
			if l, isList := child.([]any); isList && len(l) == 0 && next.Items != nil {
				l = []any{minimal(next.Items.Schema, 0)}
				m[name] = l
				child = l
			}
			cur, s = child, next
		}
	}
	return obj
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

// fuzz draws a random value from the schema: each optional property
// with probability one half, values near and beyond the schema's
// limits, strings from the valid candidates and from a few invalid ones.
func fuzz(r *rand.Rand, s *apiextensionsv1.JSONSchemaProps, depth int) any {
	if s == nil {
		return nil
	}
	if depth > 5 {
		return minimal(s, depth)
	}
	if len(s.Enum) > 0 && r.Intn(4) > 0 {
		var v any
		_ = json.Unmarshal(s.Enum[r.Intn(len(s.Enum))].Raw, &v)
		return v
	}
	if s.XIntOrString {
		switch r.Intn(4) {
		case 0:
			return r.Intn(10)
		case 1:
			return "25%"
		case 2:
			return []string{"1", "500m", "1Gi", "1000m", "1.5", "2e3", "0.1"}[r.Intn(7)]
		}
		return "x"
	}
	switch s.Type {
	case "object":
		obj := map[string]any{}
		if s.XEmbeddedResource {
			obj["apiVersion"], obj["kind"] = "v1", "Embedded"
		}
		req := map[string]bool{}
		for _, n := range s.Required {
			req[n] = true
		}
		for _, name := range sortedKeys(s.Properties) {
			if depth == 0 && (name == "apiVersion" || name == "kind" || name == "metadata" || name == "status") {
				continue
			}
			if req[name] || r.Intn(2) == 0 {
				p := s.Properties[name]
				obj[name] = fuzz(r, &p, depth+1)
			}
		}
		if s.AdditionalProperties != nil && s.AdditionalProperties.Schema != nil && r.Intn(2) == 0 {
			for i := 0; i < 1+r.Intn(2); i++ {
				obj[fmt.Sprintf("k%d", i)] = fuzz(r, s.AdditionalProperties.Schema, depth+1)
			}
		}
		return obj
	case "array":
		if s.Items == nil || s.Items.Schema == nil {
			return []any{}
		}
		n := r.Intn(3)
		list := make([]any, 0, n)
		for i := 0; i < n; i++ {
			list = append(list, distinct(fuzz(r, s.Items.Schema, depth+1), s.Items.Schema, i))
		}
		return list
	case "string":
		switch r.Intn(5) {
		case 0:
			return ""
		case 1:
			return "Not_Valid!"
		case 2:
			if v, ok := formatValues[s.Format]; ok {
				return v
			}
		}
		return minimalString(s)
	case "integer", "number":
		base := minimalNumber(s)
		f, _ := toFloat(base)
		v := []float64{f, 0, -1, f + 1, 1e6, 3}[r.Intn(6)]
		return number(s, v)
	case "boolean":
		return r.Intn(2) == 0
	}
	return minimal(s, depth)
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case int:
		return float64(x), true
	}
	return 0, false
}

// Corpus returns the objects of a kind: the valid one, one per breach
// (at most maxViolations of them, spread evenly over the list when
// there are more) and n fuzzed ones from seed.
func Corpus(schema *apiextensionsv1.JSONSchemaProps, maxViolations, n int, seed int64) []Object {
	valid := minimal(schema, 0).(map[string]any)
	for _, k := range []string{"apiVersion", "kind", "metadata", "status"} {
		delete(valid, k)
	}
	out := []Object{{Class: Valid, Name: "valid", Body: valid}}
	bs := violations(schema, nil, 0)
	var kept []breach
	for _, b := range bs {
		if len(b.path) > 0 && b.path[0].prop == "status" {
			continue
		}
		kept = append(kept, b)
	}
	if maxViolations >= 0 && len(kept) > maxViolations {
		step := float64(len(kept)) / float64(maxViolations)
		var sample []breach
		for i := 0; i < maxViolations; i++ {
			sample = append(sample, kept[int(float64(i)*step)])
		}
		kept = sample
	}
	for _, b := range kept {
		out = append(out, Object{Class: Violation, Name: b.marker + " at " + pathString(b.path), Body: apply(schema, valid, b)})
	}
	r := rand.New(rand.NewSource(seed))
	for i := 0; i < n; i++ {
		body := fuzz(r, schema, 0).(map[string]any)
		out = append(out, Object{Class: Fuzzed, Name: fmt.Sprintf("fuzzed #%d", i), Body: body})
	}
	return out
}
