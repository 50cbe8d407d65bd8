package pgtest

import "syscall"

// sysProcAttr runs a PostgreSQL process as cred's user (nil: as this one)
// in a process group of its own, and has the kernel stop it should the
// test binary die before Main stops it.
func sysProcAttr(cred *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGQUIT, Credential: cred}
}
