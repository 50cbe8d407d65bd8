//go:build unix && !linux

package pgtest

import "syscall"

// sysProcAttr runs a PostgreSQL process as cred's user (nil: as this one)
// in a process group of its own.
func sysProcAttr(cred *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Credential: cred}
}
