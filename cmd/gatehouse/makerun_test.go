//go:build linux

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
)

// openPTY returns a new pseudo-terminal's controlling side and the
// terminal a child gets as its stdin, stdout and stderr.
func openPTY(t *testing.T) (control, term *os.File) {
	t.Helper()
	control, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	fd := int(control.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	term, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return control, term
}

// TestMakeRunExitsZeroOnCtrlC types Ctrl-C into the terminal `make run`
// runs in, as a developer does: the server shuts down cleanly, and make,
// which shares the terminal, reports success rather than dying of the
// same SIGINT (or printing "Error 1").
func TestMakeRunExitsZeroOnCtrlC(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	t.Parallel()
	control, term := openPTY(t)
	defer control.Close()

	addr := freeAddr(t)
	cmd := exec.Command("make", "--no-print-directory", "run", "BIN="+filepath.Join(t.TempDir(), "gatehouse"))
	cmd.Dir = filepath.Join("..", "..") // the repository, where the Makefile is
	cmd.Env = append(os.Environ(), "GATEHOUSE_ENV=dev", "DATABASE_URL="+pgtest.URL(t),
		"GATEHOUSE_DATA_DIR="+t.TempDir(), "GATEHOUSE_HTTP_ADDR="+addr, "GATEHOUSE_DEV_ADMIN_PHONE=none")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = term, term, term
	// A session of its own with the terminal as its controlling terminal:
	// make is then the foreground process group, as under a shell.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	term.Close()
	defer func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }()

	var mu sync.Mutex
	var screen bytes.Buffer
	drained := make(chan struct{})
	go func() {
		// Until every holder of the terminal has exited: then the read
		// fails (EIO) after what they wrote last.
		defer close(drained)
		buf := make([]byte, 4096)
		for {
			n, err := control.Read(buf)
			mu.Lock()
			screen.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	shown := func() string { mu.Lock(); defer mu.Unlock(); return screen.String() }

	deadline := time.Now().Add(3 * time.Minute) // the first build may be slow
	for !strings.Contains(shown(), "gatehouse listening") {
		if time.Now().After(deadline) {
			t.Fatalf("make run did not start:\n%s", shown())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := io.WriteString(control, "\x03"); err != nil { // Ctrl-C
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("make run ended with %v after Ctrl-C:\n%s", exit.ProcessState, shown())
		} else if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("make run still running 30 s after Ctrl-C:\n%s", shown())
	}
	select {
	case <-drained:
	case <-time.After(5 * time.Second):
	}
	out := shown()
	must(t, strings.Contains(out, "shutting down") && strings.Contains(out, "signal=interrupt"), "no clean shutdown:\n%s", out)
	must(t, !strings.Contains(out, "make: ***"), "make reported a failure:\n%s", out)
}
