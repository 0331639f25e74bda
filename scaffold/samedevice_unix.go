//go:build unix

package scaffold

import (
	"os"
	"syscall"
)

// sameDevice reports whether a and b are on one file system, so that a
// file renames from one to the other.
func sameDevice(a, b string) bool {
	ia, err := os.Stat(a)
	if err != nil {
		return false
	}
	ib, err := os.Stat(b)
	if err != nil {
		return false
	}
	sa, ok := ia.Sys().(*syscall.Stat_t)
	sb, ok2 := ib.Sys().(*syscall.Stat_t)
	return ok && ok2 && uint64(sa.Dev) == uint64(sb.Dev)
}
