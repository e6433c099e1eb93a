package main

import (
	"os"
	"os/signal"

	"golang.org/x/sys/unix"
)

// takeTerminal makes this process, in a process group of its own, the
// terminal's foreground group, and returns what gives the terminal back.
//
// Ctrl-C sends SIGINT to the whole foreground group: under `make run`
// that is make (and a shell) as well as the server. The server shuts down
// cleanly and exits 0, but make, hit by the same signal, dies of it and
// reports the run as failed. With the terminal to itself the server alone
// gets Ctrl-C, and make sees the exit status the server chose. Ctrl-Z is
// ignored meanwhile: a stopped server in the foreground would hold the
// terminal with no shell watching it.
//
// serve calls it under make only (MAKELEVEL set): there an interactive
// shell waits for make and takes its terminal back whatever happens to
// the server, even a kill -9 that leaves no chance to restore it; a
// non-interactive parent would not. Nothing changes unless stdin is a
// terminal whose foreground group is ours (not in CI or a pipeline).
func takeTerminal() (restore func()) {
	noop := func() {}
	fd := int(os.Stdin.Fd())
	fg, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP)
	if err != nil || fg != unix.Getpgrp() {
		return noop
	}
	if err := unix.Setpgid(0, 0); err != nil {
		return noop
	}
	// A background group that sets the foreground group gets SIGTTOU.
	signal.Ignore(unix.SIGTTOU, unix.SIGTSTP)
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPGRP, unix.Getpgrp()); err != nil {
		_ = unix.Setpgid(0, fg)
		signal.Reset(unix.SIGTTOU, unix.SIGTSTP)
		return noop
	}
	return func() {
		// Back to the group that had it (make's); if that group is gone
		// the shell takes the terminal back when its job ends.
		_ = unix.IoctlSetPointerInt(fd, unix.TIOCSPGRP, fg)
		signal.Reset(unix.SIGTTOU, unix.SIGTSTP)
	}
}
