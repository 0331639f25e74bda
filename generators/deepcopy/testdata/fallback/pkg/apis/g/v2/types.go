package v2

type Plain struct {
	Args []string `json:"args,omitempty"`
}
