package harness

import "syscall"

// childSysProcAttr makes the kernel kill a child if the test process dies
// without running its cleanups, so no etcd or apiserver outlives its test.
func childSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
