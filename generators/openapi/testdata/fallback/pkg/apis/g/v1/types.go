package v1

// Thing has a field whose default the renderer does not write itself:
// a JSON object, which openapi-gen prints with %#v for gofmt to tidy.
type Thing struct {
	// Labels default to one label.
	// +default={"app": "thing"}
	// +optional
	Labels map[string]string `json:"labels,omitempty"`
}
