//go:build !linux

package harness

import "syscall"

func childSysProcAttr() *syscall.SysProcAttr { return nil }
