package differential

// Difference is one row of the table of intended differences between a
// kind served by aggen and a CRD made by controller-gen from the same Go
// types (docs/crd-differences.md). A divergence the test finds is
// documented only when a classifier below ties it to one row, from the
// status codes, the field paths and the Go types of the fields involved,
// never from the wording of a message.
type Difference string

const (
	// DecodeStatus: a value of the wrong JSON type, or a number that
	// does not fit its Go type, fails the typed decoder: 400 BadRequest,
	// where a CRD answers 422 Invalid with the field.
	DecodeStatus Difference = "decode-400"
	// NonOmitempty: a non-pointer field without omitempty, or of a
	// struct type, is always present in a Go value: absent in the
	// request, it is stored (and validated) as its zero value, which the
	// schema's required lets pass; a pointer without omitempty is
	// stored as null. A CRD keeps it absent, and refuses a required one.
	NonOmitempty Difference = "non-omitempty"
	// OmitemptyZero: a zero value of a field tagged omitempty (a zero
	// struct, 0, "", false, an empty list or map) cannot be told from an
	// absent one in Go: it is dropped, not validated and not stored; a
	// CRD keeps and validates it.
	OmitemptyZero Difference = "omitempty-zero"
	// Canonical: resource.Quantity, metav1.Duration and metav1.Time
	// values are stored in their canonical form ("1000m" is "1", "1m"
	// is "1m0s"); a CRD stores the string as sent.
	Canonical Difference = "canonical-values"
	// DefaulterFirst: defaulter-gen's defaults (+default, SetDefaults_)
	// apply before the schema's and where the schema has none.
	DefaulterFirst Difference = "defaulter-gen-first"
	// StrategicMergePatch: aggen accepts strategic merge patches; a CRD
	// answers 415.
	StrategicMergePatch Difference = "strategic-merge-patch"
	// AgeColumn: the table of `kubectl get` has one Age column, the
	// kind's own when it declares one.
	AgeColumn Difference = "age-column"
	// ObjectMetaCheck: ObjectMeta goes through the generic checks of a
	// typed apiserver before the CRD rules.
	ObjectMetaCheck Difference = "objectmeta-check"
	// HooksAfterSchema: errors of the user hooks (hooks.go) come after
	// the schema's, and only when the schema passes.
	HooksAfterSchema Difference = "hooks-after-schema"
	// TypedScale: /scale is served from the typed object.
	TypedScale Difference = "typed-scale"
	// DeclarativeTags: +k8s: tags controller-gen ignores are enforced,
	// with validation-gen's output, as kube-apiserver does for built-in
	// types (+k8s:ifDisabled(Gate)=+k8s:forbidden; +k8s:required refuses
	// a zero value too).
	DeclarativeTags Difference = "k8s-tags"
)

// Differences lists every row, in the order of the table.
var Differences = []Difference{
	DecodeStatus, NonOmitempty, OmitemptyZero, Canonical, DefaulterFirst, StrategicMergePatch,
	AgeColumn, ObjectMetaCheck, HooksAfterSchema, TypedScale, DeclarativeTags,
}
