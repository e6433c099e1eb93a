package embedded

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// sysProcAttr puts the server in its own process group, so a Ctrl-C in the
// terminal reaches only us and we choose how PostgreSQL shuts down, and asks
// the kernel to SIGQUIT (immediate shutdown) the server if we die without
// calling Stop. Go sets Pdeathsig after switching credentials, so the
// kernel does not clear it. Pdeathsig follows the creating OS thread, not
// the process; Go only retires threads of goroutines that exit while
// locked to them, which this package never does.
func sysProcAttr(a *account) *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGQUIT}
	if a != nil {
		attr.Credential = &syscall.Credential{Uid: a.uid, Gid: a.gid}
	}
	return attr
}

// isPostmaster tells whether pid is a live postgres process. A pid alone is
// not enough: after a container restart a stale postmaster.pid often names
// a pid that now belongs to something else (often pid 1).
func isPostmaster(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil && err != syscall.EPERM {
		return false
	}
	comm, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	if err != nil {
		return true // cannot tell; assume the worst
	}
	return strings.HasPrefix(strings.TrimSpace(string(comm)), "postgres")
}
