package v2

// Other is plain.
type Other struct {
	Name string `json:"name"`
}
