package g

// Thing holds a value of any type.
type Thing struct {
	Name  string      `json:"name"`
	Size  int64       `json:"size"`
	Value interface{} `json:"value"`
}

// Other is plain.
type Other struct {
	Name string `json:"name"`
}
