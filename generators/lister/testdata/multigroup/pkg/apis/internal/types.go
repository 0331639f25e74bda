// Package internal has +genclient types but is no version: no input.
package internal

// +genclient

// Stray is not generated for.
type Stray struct{}
