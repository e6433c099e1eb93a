package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// knob is a documented configuration variable the tool sets so that
// Gatehouse's own limits do not refuse a load run, and why.
type knob struct {
	name, value, why string
}

// loadKnobs are the settings a run changes (README's configuration
// table), listed in the output. Nothing else differs from `make run`.
func loadKnobs(timeout time.Duration) []knob {
	ttl := min(24*time.Hour, max(15*time.Minute, timeout+5*time.Minute))
	return []knob{
		{"GATEHOUSE_RATE_SIGN_IN_PER_MINUTE", "1000000", "every sign-in comes from one client address (default 30/min)"},
		{"GATEHOUSE_RATE_SIGNUP_STARTS_PER_HOUR", "1000000", "each OTP journey starts a phone sign-up from the one client address (default 20/h)"},
		{"GATEHOUSE_OTP_CLIENT_SENDS_PER_HOUR", "100000", "each OTP journey's code is charged to the one client's budget (default 10/h; 100000 is the most allowed)"},
		{"GATEHOUSE_ACCESS_TOKEN_TTL", ttl.String(), "the seeded users' tokens must outlive the run (-timeout)"},
		{"GATEHOUSE_MFA", "NEW_DEVICE", "the default, set so that an ALWAYS in the environment cannot turn password sign-in into a challenge"},
	}
}

// server is the Gatehouse process under load.
type server struct {
	bin      string
	env      []string
	baseURL  string
	cmd      *exec.Cmd
	codes    *codeBook
	logPath  string
	done     chan struct{} // closed when the process has exited
	exitErr  error
	stopping atomic.Bool // the tool stopped it (an exit then is no failure)
}

// serverEnv is the environment of the server and of the one-shot
// commands run beside it: the tool's own (so GATEHOUSE_ARGON2_* and
// DATABASE_URL pass through), then dev on a throwaway data directory.
func serverEnv(dataDir, addr string, knobs []knob) []string {
	env := os.Environ()
	env = append(env,
		"GATEHOUSE_ENV=dev",
		"GATEHOUSE_DATA_DIR="+dataDir,
		"GATEHOUSE_HTTP_ADDR="+addr,
		"GATEHOUSE_DEV_ADMIN_PHONE=none", // the tool makes its own staff user
		"GATEHOUSE_LOG_FORMAT=text",      // codes are read from the log
		"GATEHOUSE_LOG_LEVEL=info",
	)
	for _, k := range knobs {
		env = append(env, k.name+"="+k.value)
	}
	return env
}

// buildServer builds ./cmd/gatehouse into dir, as `make build` does.
func buildServer(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "gatehouse")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/gatehouse")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/gatehouse (run the tool from the repository root): %w", err)
	}
	return bin, nil
}

// startServer runs `gatehouse serve` and waits until /readyz answers.
// Its output is added to logPath and goes through the code book.
func startServer(ctx context.Context, bin string, env []string, addr, logPath string) (*server, error) {
	logFile, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	s := &server{bin: bin, env: env, baseURL: "http://" + addr, codes: newCodeBook(), logPath: logPath, done: make(chan struct{})}
	pr, pw := io.Pipe()
	s.cmd = exec.Command(bin, "serve")
	s.cmd.Env = env
	s.cmd.Stdout, s.cmd.Stderr = pw, pw
	if err := s.cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	var lines sync.WaitGroup
	lines.Add(1)
	go func() {
		defer lines.Done()
		defer logFile.Close()
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			line := sc.Text()
			s.codes.line(line)
			fmt.Fprintln(logFile, line)
		}
		_, _ = io.Copy(logFile, pr) // a line over 1 MiB: keep draining
	}()
	go func() {
		s.exitErr = s.cmd.Wait()
		pw.Close()
		lines.Wait()
		close(s.done)
	}()
	deadline := time.Now().Add(2 * time.Minute) // initdb and migrations on a busy machine
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.baseURL+"/readyz", nil)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case <-s.done:
			return nil, fmt.Errorf("gatehouse exited before it was ready (%v); its log: %s\n%s", s.exitErr, logPath, tail(logPath, 20))
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("gatehouse was not ready within 2 minutes; its log: %s", logPath)
		}
	}
}

// stop sends SIGTERM (a clean shutdown stops the embedded PostgreSQL too)
// and waits; a server that does not stop within 30 s is killed.
func (s *server) stop() {
	s.stopping.Store(true)
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// command runs a one-shot subcommand (admin create, dev seed, version)
// beside the server, on its database, with stdin.
func (s *server) command(ctx context.Context, stdin string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, s.bin, args...)
	cmd.Env = s.env
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("gatehouse %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// resetPeakRSS resets the server's VmHWM to its current RSS (Linux
// clear_refs "5"), so the next reading is the peak of one run alone.
func (s *server) resetPeakRSS() error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.cmd.Process.Pid), []byte("5"), 0)
}

// peakRSS is the server's VmHWM, in bytes.
func (s *server) peakRSS() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	return statusKiB(string(b), "VmHWM")
}

// statusKiB reads a "Name:   123 kB" line of /proc/<pid>/status.
func statusKiB(status, name string) (int64, error) {
	for _, line := range strings.Split(status, "\n") {
		rest, ok := strings.CutPrefix(line, name+":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("%s: unexpected %q", name, line)
		}
		kib, err := strconv.ParseInt(f[0], 10, 64)
		return kib * 1024, err
	}
	return 0, errors.New(name + " not in /proc/<pid>/status")
}

// tail is the last n lines of a file, for error messages.
func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
