package v1

type Odd struct {
	Entries map[string]struct{ A string } `json:"entries,omitempty"`
}
