package scaffold

import (
	"errors"
	"os"
	"syscall"
)

// stagesLikeTree reports whether a file created in tmp and renamed into
// root ends up as one created in root would: the same file system (a
// rename must move it), and nothing root would give a new file that tmp
// does not, namely the group of a setgid directory or a default ACL.
func stagesLikeTree(tmp, root string) bool {
	ti, err := os.Stat(tmp)
	if err != nil {
		return false
	}
	ri, err := os.Stat(root)
	if err != nil || ri.Mode()&os.ModeSetgid != 0 {
		return false
	}
	ts, ok := ti.Sys().(*syscall.Stat_t)
	rs, ok2 := ri.Sys().(*syscall.Stat_t)
	if !ok || !ok2 || ts.Dev != rs.Dev {
		return false
	}
	// A default ACL would be inherited by files created in root only.
	_, err = syscall.Getxattr(root, "system.posix_acl_default", nil)
	return errors.Is(err, syscall.ENODATA) || errors.Is(err, syscall.ENOTSUP)
}
