package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// embeddedServe starts `serve` on a data directory of its own, with the
// embedded PostgreSQL (no DATABASE_URL), and waits until it is ready.
func embeddedServe(t *testing.T) (cmd *exec.Cmd, out *lockedBuffer, addr, pgDir string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "gatehouse-watch-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	addr = freeAddr(t)
	cmd, out = gatehouse(t, []string{"GATEHOUSE_ENV=dev", "DATABASE_URL=", "GATEHOUSE_DATA_DIR=" + dir,
		"GATEHOUSE_HTTP_ADDR=" + addr, "GATEHOUSE_DEV_ADMIN_PHONE=none"}, "serve")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	waitReady(t, "http://"+addr+"/readyz", out)
	return cmd, out, addr, filepath.Join(dir, "pg")
}

// postmaster is the pid and port in the cluster's postmaster.pid.
func postmaster(t *testing.T, pgDir string) (pid int, port string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(pgDir, "postmaster.pid"))
	if err != nil {
		return 0, ""
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 4 {
		return 0, ""
	}
	pid, _ = strconv.Atoi(strings.TrimSpace(lines[0]))
	return pid, strings.TrimSpace(lines[3])
}

// termsCode asks for something only the database knows: "" when it
// answers, else the error's code.
func termsCode(t *testing.T, addr string) string {
	t.Helper()
	var res struct {
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	b := postGraphQL(t, addr, `{"query":"{ termsAndConditions(kind: GENERAL) { version } }"}`)
	if err := json.Unmarshal([]byte(b), &res); err != nil {
		t.Fatalf("not JSON: %s", b)
	}
	if len(res.Errors) == 0 {
		return ""
	}
	if strings.Contains(res.Errors[0].Message, "127.0.0.1") || strings.Contains(res.Errors[0].Message, "postgres") {
		t.Fatalf("driver text in the answer: %s", b)
	}
	c, _ := res.Errors[0].Extensions["code"].(string)
	return c
}

// TestEmbeddedPostgresIsRestartedAfterItDies kills the embedded
// postmaster under a running server: requests answer UNAVAILABLE
// meanwhile, and Gatehouse starts PostgreSQL again on the same port and
// data directory and answers again, without a restart of its own.
func TestEmbeddedPostgresIsRestartedAfterItDies(t *testing.T) {
	t.Parallel()
	cmd, out, addr, pgDir := embeddedServe(t)
	must(t, termsCode(t, addr) == "", "the database does not answer before the test:\n%s", out)
	pid, port := postmaster(t, pgDir)
	must(t, pid > 0, "no postmaster.pid in %s", pgDir)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	sawUnavailable := false
	deadline := time.Now().Add(30 * time.Second)
	for {
		code := termsCode(t, addr)
		if code == "" && sawUnavailable {
			break
		}
		switch code {
		case "UNAVAILABLE":
			sawUnavailable = true
		case "":
		default:
			t.Fatalf("while PostgreSQL is down a request answered %s, want UNAVAILABLE:\n%s", code, out)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery (saw UNAVAILABLE: %v):\n%s", sawUnavailable, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	newPid, newPort := postmaster(t, pgDir)
	must(t, newPid != pid && newPid > 0 && newPort == port, "restarted as pid %d port %s (was %d, %s)", newPid, newPort, pid, port)
	// The database can answer a request a moment before the restart
	// returns and says so.
	waitOutput(t, out, "the embedded PostgreSQL is running again")

	_ = cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, out)
	}
}

// TestEmbeddedPostgresThatCannotRestartStopsGatehouse: when PostgreSQL
// dies and cannot be started again, Gatehouse exits non-zero with one
// clear line instead of serving errors forever.
func TestEmbeddedPostgresThatCannotRestartStopsGatehouse(t *testing.T) {
	t.Parallel()
	cmd, out, _, pgDir := embeddedServe(t)
	pid, _ := postmaster(t, pgDir)
	must(t, pid > 0, "no postmaster.pid in %s", pgDir)
	// Its data directory broken, PostgreSQL refuses every start.
	version := filepath.Join(pgDir, "PG_VERSION")
	if err := os.Rename(version, version+".moved"); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		must(t, errors.As(err, &exit) && exit.ExitCode() == 1, "exit: %v, want code 1\n%s", err, out)
	case <-time.After(60 * time.Second):
		t.Fatalf("Gatehouse still runs without its database:\n%s", out)
	}
	var last string
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if strings.HasPrefix(l, "gatehouse: ") {
			last = l
		}
	}
	must(t, strings.HasPrefix(last, "gatehouse: the embedded PostgreSQL stopped and could not be restarted"),
		"no clear last word:\n%s", out)
	t.Logf("its last word: %s", last)
}
