//go:build unix && !linux

package embedded

import "syscall"

// sysProcAttr: see proc_linux.go. Without Pdeathsig (Linux only) the server
// outlives us if we crash; the next Start clears its stale postmaster.pid
// only once it has gone.
func sysProcAttr(a *account) *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Setpgid: true}
	if a != nil {
		attr.Credential = &syscall.Credential{Uid: a.uid, Gid: a.gid}
	}
	return attr
}

// isPostmaster tells whether pid is alive; without /proc we cannot check
// that it is postgres, so assume it is.
func isPostmaster(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}
