//go:build !unix

package scaffold

// sameDevice is not known here: nothing is prestaged.
func sameDevice(a, b string) bool { return false }
