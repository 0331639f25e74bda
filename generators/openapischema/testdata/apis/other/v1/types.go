package v1

// Custom names itself.
type Custom struct {
	Value string `json:"value,omitempty"`
}

// OpenAPIModelName is hand-written, not generated.
func (Custom) OpenAPIModelName() string { return "io.example.custom.Custom" }

// Legacy is named after its Go name.
type Legacy struct {
	// +listType=map
	// +listMapKey=key
	Items []Item `json:"items"`
}

// Item is in a list map.
type Item struct {
	Key string `json:"key"`
}
