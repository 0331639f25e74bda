// Package model is the plain description of an aggen project that every
// generator reads. It is built by the loader from the Go types under
// pkg/apis and their markers, plus aggen.yaml, and holds no AST: generators
// see only these structs.
package model

import (
	"fmt"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sort"
	"strings"
)

// Position locates a declaration or marker in the project. File is
// slash-separated and relative to the project root, so positions never
// carry machine paths.
type Position struct {
	File   string
	Line   int
	Column int
}

func (p Position) String() string {
	if p.File == "" {
		return "-"
	}
	if p.Line == 0 {
		return p.File
	}
	if p.Column == 0 {
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// InputError is implemented by every error about the user's input (types,
// markers, names, project file): it knows where the problem is. aggen
// reports all of them together, sorted by position, and exits 3.
type InputError interface {
	error
	Position() Position
}

// Problem is a plain input error: a message at a position. Packages that
// need nothing more report their input errors as Problems.
type Problem struct {
	Pos Position
	Msg string
}

func (e *Problem) Error() string { return fmt.Sprintf("%s: %s", e.Pos, e.Msg) }

// Position is where the problem is.
func (e *Problem) Position() Position { return e.Pos }

// Project is the whole model.
type Project struct {
	// Module is the Go module path of the generated project.
	Module string
	// Domain qualifies short group names: group "insects" with domain
	// "example.com" serves API group "insects.example.com".
	Domain string
	// Name names the binaries, the namespace and the Kubernetes objects of
	// the deployment.
	Name string
	// Namespace is where the server and controller are deployed.
	Namespace string
	// Image is the container image of the apiserver and controller manager.
	Image string
	// Owner appears in the boilerplate header.
	Owner string
	// KubernetesVersion is the k8s.io library version, e.g. v0.37.2.
	KubernetesVersion string
	// Boilerplate is the header every generated Go file starts with
	// (hack/boilerplate.go.txt), already free of the YEAR placeholder.
	Boilerplate string
	// Groups are sorted by Name.
	Groups []*Group
	// Types indexes every named type the kinds reach, the project's own and
	// those of other packages (k8s.io/api/core/v1.PodTemplateSpec and all
	// under it), by TypeID. External types carry their doc comments and
	// markers too, read from their source, as controller-gen reads them.
	Types map[string]*Type
	// Storage is the project's default storage backend (aggen.yaml's
	// storage), which kinds without +aggen:storage use: etcd unless set.
	Storage StorageBackend
	// PackageMarkers holds the package-level markers of the project's API
	// packages and of the external packages whose types the kinds reach,
	// by import path.
	PackageMarkers map[string][]*Marker
}

// TypeID names a type across packages: "<import path>.<Name>".
func TypeID(pkg, name string) string { return pkg + "." + name }

// LookupType returns the named type of a package, or nil.
func (p *Project) LookupType(pkg, name string) *Type {
	if p == nil || p.Types == nil {
		return nil
	}
	return p.Types[TypeID(pkg, name)]
}

// Group is one API group: its internal (hub) package and its versions.
type Group struct {
	// Name is the short name and Go package name, e.g. "insects".
	Name string
	// GroupName is the API group, e.g. "insects.example.com".
	GroupName string
	// Package is the import path of the internal hub package.
	Package string
	// Dir is the hub package directory relative to the project root.
	Dir string
	// Versions are sorted by Kubernetes version priority, most preferred
	// first (v1 > v1beta2 > v1beta1 > v1alpha1).
	Versions []*Version
	// Kinds are the union of the kinds of all versions, by name, each
	// pointing at its storage-version declaration. Each kind has a storage
	// version of its own.
	Kinds []*Kind
	// Hub is the internal package written by hand, when the group has one
	// (k8s.io/sample-apiserver's pkg/apis/wardle/types.go): its types are
	// the hub every version converts through, and aggen derives none. Its
	// Name is "".
	Hub *Version
	// OwnInstall is set when the group's install package is written by
	// hand and declares Install.
	OwnInstall bool
}

// Version is one versioned API package, e.g. pkg/apis/insects/v1beta1.
type Version struct {
	Name    string
	Package string
	Dir     string
	// Kinds are the root types of this version, sorted by Name.
	Kinds []*Kind
	// Types are all named types declared in the package's own
	// (non-generated) files, sorted by Name.
	Types []*Type
	// DocPos is where the package doc.go declares the group.
	DocPos Position
	// Imports maps the import names used in the package's files to their
	// paths (the union over its files).
	Imports map[string]string
	// Declared holds the package-level names (types, functions, variables,
	// constants) that the package's own files declare.
	Declared map[string]bool
	// OwnFiles are the names of the package's own (not generated) files.
	OwnFiles []string
	// ImpliedTags are package tags of the upstream generators that the
	// package lacks and aggen's layout needs (a kubebuilder package has no
	// +k8s:conversion-gen, +k8s:openapi-gen, ...): added to the staged copy
	// above the +groupName marker, never to the user's file.
	ImpliedTags []string
	// SchemeBuilder is the type of the package's own SchemeBuilder
	// variable, when its files register the types themselves
	// (sample-apiserver's register.go: "k8s.io/apimachinery/pkg/runtime.SchemeBuilder";
	// kubebuilder's groupversion_info.go: "*sigs.k8s.io/controller-runtime/pkg/scheme.Builder"),
	// else "". register-gen then does not run for the package.
	SchemeBuilder string
}

// OwnRegistration reports whether the package registers its own types
// with a scheme.
func (v *Version) OwnRegistration() bool {
	return v.SchemeBuilder != "" || v.Declared["AddToScheme"] || v.Declared["localSchemeBuilder"]
}

// Kind is a root API type (one that has ObjectMeta and a List type).
type Kind struct {
	Name     string
	ListName string
	// Group and Version name the owning group and version.
	Group   string
	Version string
	// Plural is the resource name, Singular its singular (both lower case).
	Plural     string
	Singular   string
	ShortNames []string
	Categories []string
	Namespaced bool
	// Status is true when the kind has a /status subresource.
	Status bool
	// Scale is non-nil when the kind has a /scale subresource.
	Scale *Scale
	// StorageVersion is true on the version of this kind that etcd stores.
	StorageVersion bool
	PrintColumns   []PrintColumn
	// SelectableFields are the extra fields that field selectors accept,
	// beyond metadata.name and metadata.namespace.
	SelectableFields []SelectableField
	// Type is the root struct.
	Type *Type
	Pos  Position
	// Schema is the kind's structural OpenAPI v3 schema in this version,
	// as a CRD made by controller-gen from the same types carries it
	// (see package crdschema). Validation, defaulting and the published
	// OpenAPI of the generated server all derive from it.
	Schema *apiextensionsv1.JSONSchemaProps
	// Subresources are the kind's custom subresources in this version
	// (+aggen:subresource), sorted by Name.
	Subresources []*Subresource
	// Computed is true for a computed, read-only kind (+aggen:computed):
	// no stored objects; a source the user writes
	// (pkg/registry/<group>/<kind>/source.go) makes them on every read, and
	// only get, list and watch are served.
	Computed bool
	// Storage is where the kind's objects are stored: its +aggen:storage
	// marker (on any version's declaration; all must agree), else the
	// project's default, else etcd. Set on every version's Kind.
	Storage StorageBackend
	// StoragePos is where +aggen:storage is, or the zero Position.
	StoragePos Position
	// Controller is true when the project has a reconciler for the kind
	// (`aggen create api --controller`); the controller generator then
	// scaffolds pkg/controller/<group>/<kind>_controller.go and wires it
	// into the manager. Set on the storage-version Kind of the group.
	Controller bool
}

// HasSpec reports whether the root type has a Spec field.
func (k *Kind) HasSpec() bool { return k.Type != nil && k.Type.Field("Spec") != nil }

// HasStatusField reports whether the root type has a Status field.
func (k *Kind) HasStatusField() bool { return k.Type != nil && k.Type.Field("Status") != nil }

// Scale describes the /scale subresource by JSON paths into the object.
type Scale struct {
	SpecReplicasPath   string
	StatusReplicasPath string
	LabelSelectorPath  string
}

// StorageBackend names where a kind's objects are stored. Every backend
// but etcd runs inside the generated server through kine
// (github.com/k3s-io/kine), which serves the etcd API that
// k8s.io/apiserver's etcd3 storage talks to; see docs/storage.md.
type StorageBackend string

const (
	// EtcdStorage is the etcd of --etcd-servers, the default.
	EtcdStorage StorageBackend = "etcd"
	// SQLiteStorage is an SQLite file (--storage-sqlite-path) kept by kine
	// inside the server: one replica only.
	SQLiteStorage StorageBackend = "sqlite"
	// PostgresStorage is a PostgreSQL database (--storage-postgres-endpoint)
	// reached through kine.
	PostgresStorage StorageBackend = "postgres"
	// MySQLStorage is a MySQL database (--storage-mysql-endpoint) reached
	// through kine.
	MySQLStorage StorageBackend = "mysql"
	// MemoryStorage is kine's in-memory store: every object is gone when
	// the server stops; one replica only. For caches and tests.
	MemoryStorage StorageBackend = "memory"
)

// StorageBackends are the valid StorageBackend values.
var StorageBackends = []StorageBackend{EtcdStorage, SQLiteStorage, PostgresStorage, MySQLStorage, MemoryStorage}

// StorageBackendNames are StorageBackends as strings.
func StorageBackendNames() []string {
	out := make([]string, len(StorageBackends))
	for i, b := range StorageBackends {
		out[i] = string(b)
	}
	return out
}

// Kine reports whether the backend runs through kine inside the server.
func (b StorageBackend) Kine() bool { return b != EtcdStorage && b != "" }

// SingleReplica reports whether the backend's data lives in the server's
// process or on its disk, so that replicas would not share it.
func (b StorageBackend) SingleReplica() bool { return b == SQLiteStorage || b == MemoryStorage }

// KineBackends returns the kine backends the project's kinds use, in the
// order of StorageBackends.
func (p *Project) KineBackends() []StorageBackend {
	used := map[StorageBackend]bool{}
	for _, g := range p.Groups {
		for _, k := range g.Kinds {
			if k.Computed {
				continue
			}
			used[k.Storage] = true
		}
	}
	var out []StorageBackend
	for _, b := range StorageBackends {
		if used[b] && b.Kine() {
			out = append(out, b)
		}
	}
	return out
}

// UsesEtcd reports whether a kind of the project is stored in etcd (or the
// project has no kinds yet).
func (p *Project) UsesEtcd() bool {
	n := 0
	for _, g := range p.Groups {
		for _, k := range g.Kinds {
			if k.Computed {
				continue
			}
			n++
			if !k.Storage.Kine() {
				return true
			}
		}
	}
	return n == 0
}

// SubresourceType is what a custom subresource does.
type SubresourceType string

const (
	// ActionSubresource is a POST of a request kind that a handler acts on
	// (like pods/eviction): rest.NamedCreater.
	ActionSubresource SubresourceType = "action"
	// GetterSubresource is a GET of a view of the object that a handler
	// computes (like /scale, read only): rest.Getter.
	GetterSubresource SubresourceType = "getter"
	// ConnectSubresource is a stream or an upgraded connection (like
	// pods/log, pods/exec): rest.Connecter.
	ConnectSubresource SubresourceType = "connect"
)

// SubresourceTypes are the valid SubresourceType values.
var SubresourceTypes = []SubresourceType{ActionSubresource, GetterSubresource, ConnectSubresource}

// Subresource is a custom subresource of a kind (+aggen:subresource),
// served by a handler the user writes. Its request, response and options
// kinds are types of the kind's version package that embed
// metav1.TypeMeta.
type Subresource struct {
	// Name is the path segment below the object, e.g. "sting".
	Name string
	Type SubresourceType
	// Request is the kind an action receives; "" for the others.
	Request string
	// Response is the kind an action or a getter returns; "" for an
	// action means metav1.Status.
	Response string
	// Options is the kind a connect subresource decodes its query
	// parameters into (as pods/log's PodLogOptions).
	Options string
	Pos     Position
}

// ConnectMethods are the HTTP methods of a connect subresource: GET (a
// stream, or a WebSocket upgrade) and POST (an upgrade, as exec takes).
var ConnectMethods = []string{"GET", "POST"}

// Types returns the names of the kinds the subresource uses.
func (s *Subresource) Types() []string {
	var out []string
	for _, n := range []string{s.Request, s.Response, s.Options} {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}

// ClientMethod is the name of the typed client method client-gen
// generates for an action or getter ("" for connect): the action's name
// in Go ("sting" → Sting), a getter's with Get before it (GetSummary).
func (s *Subresource) ClientMethod() string {
	n := GoName(s.Name)
	switch s.Type {
	case ActionSubresource:
		return n
	case GetterSubresource:
		return "Get" + n
	}
	return ""
}

// GoName turns a lower-case name with dashes ("port-forward") into a Go
// identifier part ("PortForward").
func GoName(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			if up && r >= 'a' && r <= 'z' {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			up = false
		default:
			up = true
		}
	}
	return b.String()
}

// PrintColumn is an extra `kubectl get` column.
type PrintColumn struct {
	Name        string
	Type        string
	Format      string
	Description string
	JSONPath    string
	Priority    int32
}

// SelectableField is a field that field selectors accept.
type SelectableField struct {
	// JSONPath as written in the marker, e.g. ".spec.color".
	JSONPath string
	// FieldLabel is the selector key, e.g. "spec.color".
	FieldLabel string
	// GoPath is the Go field path from the root, e.g. ["Spec", "Color"].
	GoPath []string
	// Leaf is the field the path ends at.
	Leaf *Field
	Pos  Position
}

// TypeKind tells what a named type is.
type TypeKind string

const (
	StructType TypeKind = "struct"
	// OtherType is any non-struct named type: an alias of a basic type,
	// a slice or map type, and so on.
	OtherType TypeKind = "other"
)

// Type is a named type: declared in one of the project's API packages, or,
// when External, in a package the API types import.
type Type struct {
	Name string
	// Package is the import path of the declaring package.
	Package string
	// External is true for types of packages outside the project's API
	// packages (k8s.io/api, k8s.io/apimachinery, other modules).
	External bool
	Kind     TypeKind
	Fields   []*Field
	// Ref is the resolved underlying type: a struct, or for OtherType the
	// basic, slice, map, ... type it is defined as.
	Ref *TypeRef
	// Constants are the constants of this type declared in its package,
	// in declaration order (the values of an enum type).
	Constants []Constant
	// MarshalsJSON is true when the type (or its pointer) implements
	// json.Marshaler, MarshalsText when it implements encoding.TextMarshaler:
	// its JSON form is then not what its Go structure says.
	MarshalsJSON bool
	MarshalsText bool
	// Parsed holds the type's markers as the marker registry parsed them.
	Parsed []*Marker
	// Description is the doc comment as a schema description, formatted
	// as controller-gen formats it.
	Description string
	// Imports are the packages the declaration's source refers to, by the
	// name it uses for them (the project's own types only).
	Imports map[string]string
	// Uses are the other types of its own package the declaration's
	// source names, sorted: aliases among them (type PortNumber = int32),
	// which Ref and the fields' refs resolve away (the project's own
	// types only).
	Uses []string
	// ImpliedTags are upstream generator tags that the type's markers
	// imply but its source lacks (+kubebuilder:object:root implies
	// +k8s:deepcopy-gen:interfaces=...runtime.Object, as kubebuilder's
	// deepcopy generator has it). They are added to the copy of the source
	// the upstream generators parse, never to the user's file.
	ImpliedTags []string
	// Underlying is the Go source of the underlying type for OtherType.
	Underlying string
	// Source is the Go declaration, exactly as written, without its doc
	// comment; used to derive the internal hub types.
	Source string
	// Doc holds the doc comment lines that are not markers.
	Doc []string
	// Markers holds the raw marker lines of the doc comment.
	Markers    []string
	Validation Validation
	Pos        Position
	// Schema is the type's own structural schema, references resolved and
	// merged (see package crdschema): what a field of this type gets
	// before the field's own markers apply. Its properties carry each
	// field's constraints, defaults and CEL rules as enforced. Set for the
	// types of the project's version packages and for the external types
	// their fields refer to, for the API reference; nil for any other.
	Schema *apiextensionsv1.JSONSchemaProps
}

// Field returns the field with the given Go name, or nil.
func (t *Type) Field(goName string) *Field {
	for _, f := range t.Fields {
		if f.GoName == goName {
			return f
		}
	}
	return nil
}

// FieldType describes the Go type of a field, enough for validation and
// defaulting code.
type FieldType struct {
	// Expr is the Go source of the type, e.g. "*int32", "[]string", "metav1.Time".
	Expr string
	// Pointer, Slice and Map describe the outer shape; Elem is the element
	// (for pointers, slices and maps: the pointee, element or value type).
	Pointer bool
	Slice   bool
	Map     bool
	Elem    *FieldType
	// Basic is the Go basic kind when the type (after pointers) is one:
	// "string", "bool", "int32", "int64", "float64", ... or the basic
	// kind under a local named type.
	Basic string
	// Local is the name of a type declared in the same API package.
	Local string
	// Package is the import path of a type from another package, with Name.
	Package string
	Name    string
}

// Constant is a typed constant of a named type.
type Constant struct {
	Name string
	// Value is the constant's Go value: a string, int64, float64 or bool.
	Value any
}

// RefKind is the shape of a resolved type.
type RefKind int

const (
	InvalidRef RefKind = iota
	BasicRef
	NamedRef
	PointerRef
	SliceRef
	ArrayRef
	MapRef
	StructRef
	InterfaceRef
)

// TypeRef is a Go type as the type checker resolved it.
type TypeRef struct {
	Kind RefKind
	// Basic is the basic type's name for BasicRef ("string", "int32",
	// "uint8", ...; byte is "uint8").
	Basic string
	// Named is the declaration of a NamedRef, from Project.Types; nil when
	// the type could not be loaded (it is then opaque).
	Named *Type
	// Package and Name identify a NamedRef even when Named is nil.
	Package string
	Name    string
	// Elem is the pointee, element or map value; Key the map key.
	Elem *TypeRef
	Key  *TypeRef
	// Len is the length of an array.
	Len int64
}

// Underlying follows named types to the type they are defined as.
func (t *TypeRef) Underlying() *TypeRef {
	for range 64 {
		if t == nil || t.Kind != NamedRef || t.Named == nil || t.Named.Ref == nil {
			return t
		}
		t = t.Named.Ref
	}
	return t
}

// Deref drops pointers.
func (t *TypeRef) Deref() *TypeRef {
	for t != nil && t.Kind == PointerRef {
		t = t.Elem
	}
	return t
}

// String is the Go spelling of the type, with full import paths.
func (t *TypeRef) String() string {
	if t == nil {
		return "<nil>"
	}
	switch t.Kind {
	case BasicRef:
		return t.Basic
	case NamedRef:
		if t.Package == "" {
			return t.Name
		}
		return t.Package + "." + t.Name
	case PointerRef:
		return "*" + t.Elem.String()
	case SliceRef:
		return "[]" + t.Elem.String()
	case ArrayRef:
		return fmt.Sprintf("[%d]%s", t.Len, t.Elem.String())
	case MapRef:
		return "map[" + t.Key.String() + "]" + t.Elem.String()
	case StructRef:
		return "struct{...}"
	case InterfaceRef:
		return "interface{...}"
	}
	return "invalid type"
}

// Marker is one marker comment, parsed.
type Marker struct {
	// Name is the marker's registered name, e.g. "kubebuilder:validation:Minimum".
	Name string
	// Raw is the marker as written, from '+'.
	Raw string
	// Value is the parsed value: for the CRD markers, the value
	// controller-tools' definition parses it into (its typed marker);
	// for aggen's own markers, the `=value` text, unquoted.
	Value any
	// Args holds the named arguments of aggen's own `:key=value` markers.
	Args map[string]string
	// Vocabulary says whose marker this is.
	Vocabulary Vocabulary
	// Pos is the position of the marker's '+'. ValuePos and ArgPos point
	// at a value or argument, where known.
	Pos      Position
	ValuePos Position
	ArgPos   map[string]Position
}

// Vocabulary is the family a marker belongs to.
type Vocabulary int

const (
	// AggenVocabulary markers are aggen's own or the upstream code
	// generators' (+genclient, +k8s:deepcopy-gen, +groupName, ...).
	AggenVocabulary Vocabulary = iota
	// CRDVocabulary markers are controller-tools' CRD markers
	// (+kubebuilder:validation:*, +optional, +listType, ...).
	CRDVocabulary
	// DeclarativeVocabulary markers are validation-gen's +k8s: tags.
	DeclarativeVocabulary
)

// Text is the value of one of aggen's own markers: the `=value` text.
func (m *Marker) Text() string {
	s, _ := m.Value.(string)
	return s
}

// Arg returns a named argument.
func (m *Marker) Arg(key string) (string, bool) {
	v, ok := m.Args[key]
	return v, ok
}

// PosOf returns the position of a named argument, or of the marker when
// the argument is absent.
func (m *Marker) PosOf(key string) Position {
	if p, ok := m.ArgPos[key]; ok {
		return p
	}
	return m.Pos
}

// Find returns the first marker of the given name, or nil.
func Find(ms []*Marker, name string) *Marker {
	for _, m := range ms {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// Field is a struct field.
type Field struct {
	GoName string
	// Ref is the field's type as the type checker resolved it.
	Ref *TypeRef
	// JSONTag is the field's json struct tag, "" when it has none.
	JSONTag string
	HasJSON bool
	// Parsed holds the field's markers as the marker registry parsed them.
	Parsed []*Marker
	// Description is the doc comment as a schema description.
	Description string
	// JSONName is the name from the json tag ("" for inline/embedded).
	JSONName string
	Inline   bool
	Embedded bool
	Type     FieldType
	// Optional follows +optional / omitempty / +kubebuilder:validation:Optional.
	Optional bool
	Required bool
	// Default is the JSON of the default value from +default or
	// +kubebuilder:default, nil when none.
	Default    *string
	Validation Validation
	Doc        []string
	Pos        Position
}

// Validation is the set of +kubebuilder:validation constraints on a field
// or a named type. Nil pointers mean "no constraint".
type Validation struct {
	Minimum          *float64
	Maximum          *float64
	ExclusiveMinimum bool
	ExclusiveMaximum bool
	MultipleOf       *float64
	MinLength        *int64
	MaxLength        *int64
	Pattern          string
	Enum             []string
	MinItems         *int64
	MaxItems         *int64
	UniqueItems      bool
	Format           string
	MinProperties    *int64
	MaxProperties    *int64
}

// IsZero reports whether no constraint is set.
func (v Validation) IsZero() bool {
	return v.Minimum == nil && v.Maximum == nil && v.MultipleOf == nil && v.MinLength == nil &&
		v.MaxLength == nil && v.Pattern == "" && len(v.Enum) == 0 && v.MinItems == nil &&
		v.MaxItems == nil && !v.UniqueItems && v.Format == "" && v.MinProperties == nil && v.MaxProperties == nil
}

// StorageVersion returns the version a kind of the group is stored in.
func (g *Group) StorageVersion(kind string) *Version {
	if k := g.Kind(kind); k != nil {
		return g.Version(k.Version)
	}
	return nil
}

// Version returns the named version or nil.
func (g *Group) Version(name string) *Version {
	for _, v := range g.Versions {
		if v.Name == name {
			return v
		}
	}
	return nil
}

// Kind returns the named storage kind or nil.
func (g *Group) Kind(name string) *Kind {
	for _, k := range g.Kinds {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// Kind returns the named kind of this version or nil.
func (v *Version) Kind(name string) *Kind {
	for _, k := range v.Kinds {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// Type returns the named type of this version or nil.
func (v *Version) Type(name string) *Type {
	for _, t := range v.Types {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// Group returns the group with the given short name or nil.
func (p *Project) Group(name string) *Group {
	for _, g := range p.Groups {
		if g.Name == name {
			return g
		}
	}
	return nil
}

// SortVersions orders version names most preferred first, as Kubernetes
// does: GA before beta before alpha, higher numbers first.
func SortVersions(names []string) {
	sort.SliceStable(names, func(i, j int) bool { return CompareVersions(names[i], names[j]) > 0 })
}

// CompareVersions returns >0 when a is preferred over b, as
// k8s.io/apimachinery's version priority does.
func CompareVersions(a, b string) int {
	pa, pb := parseVersion(a), parseVersion(b)
	if !pa.ok || !pb.ok {
		return strings.Compare(b, a)
	}
	if pa.level != pb.level {
		return pa.level - pb.level
	}
	if pa.major != pb.major {
		return pa.major - pb.major
	}
	return pa.minor - pb.minor
}

type parsedVersion struct {
	ok           bool
	major, minor int
	level        int // 2 GA, 1 beta, 0 alpha
}

func parseVersion(s string) parsedVersion {
	var pv parsedVersion
	if !strings.HasPrefix(s, "v") {
		return pv
	}
	rest := s[1:]
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		pv.major = pv.major*10 + int(rest[i]-'0')
		i++
	}
	if i == 0 || rest[0] == '0' {
		return pv
	}
	rest = rest[i:]
	switch {
	case rest == "":
		pv.level = 2
		pv.ok = true
		return pv
	case strings.HasPrefix(rest, "beta"):
		pv.level = 1
		rest = rest[len("beta"):]
	case strings.HasPrefix(rest, "alpha"):
		pv.level = 0
		rest = rest[len("alpha"):]
	default:
		return pv
	}
	if rest == "" || rest[0] == '0' {
		return pv
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return pv
		}
		pv.minor = pv.minor*10 + int(c-'0')
	}
	pv.ok = true
	return pv
}

// ValidVersion reports whether s is a Kubernetes API version name such as
// v1, v1alpha1 or v2beta3.
func ValidVersion(s string) bool { return parseVersion(s).ok }
