package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds cmd/gatehouse once for the tests that run it as a process.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gatehouse-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "gatehouse")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func gatehouse(t *testing.T, envs []string, args ...string) (*exec.Cmd, *lockedBuffer) {
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), envs...)
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	return cmd, out
}

// TestServeDrainsOnSIGTERM sends SIGTERM while a request is half-sent:
// the request still completes, then the process exits 0.
func TestServeDrainsOnSIGTERM(t *testing.T) {
	t.Parallel()
	addr := freeAddr(t)
	cmd, out := gatehouse(t, []string{"GATEHOUSE_ENV=dev", "DATABASE_URL=" + pgtest.URL(t),
		"GATEHOUSE_DATA_DIR=" + t.TempDir(), "GATEHOUSE_HTTP_ADDR=" + addr}, "serve")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill() //nolint:errcheck
	waitReady(t, "http://"+addr+"/readyz", out)

	body, w := io.Pipe()
	done := make(chan *http.Response, 1)
	errc := make(chan error, 1)
	go func() {
		res, err := http.Post("http://"+addr+"/graphql", "application/json", body)
		if err != nil {
			errc <- err
			return
		}
		done <- res
	}()
	_, _ = io.WriteString(w, `{"query": "{ appConfig(platform: ANDROID) `)
	time.Sleep(300 * time.Millisecond) // the server is now reading this request
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	_, _ = io.WriteString(w, `{ minimumVersion } }"}`)
	w.Close()
	select {
	case res := <-done:
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || !strings.Contains(string(b), "minimumVersion") {
			t.Fatalf("in-flight request: %d %s", res.StatusCode, b)
		}
	case err := <-errc:
		t.Fatalf("in-flight request failed: %v\n%s", err, out)
	case <-time.After(10 * time.Second):
		t.Fatalf("in-flight request never answered\n%s", out)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, out)
	}
	must(t, strings.Contains(out.String(), "draining in-flight requests"), "no drain log:\n%s", out)
}

func waitReady(t *testing.T, url string, out *lockedBuffer) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("not ready at %s:\n%s", url, out)
}

// TestMigrateCommands rolls the schema back and forward with the CLI.
func TestMigrateCommands(t *testing.T) {
	t.Parallel()
	envs := []string{"GATEHOUSE_ENV=dev", "DATABASE_URL=" + pgtest.URL(t), "GATEHOUSE_DATA_DIR=" + t.TempDir()}
	run := func(args ...string) string {
		cmd, out := gatehouse(t, envs, args...)
		if err := cmd.Run(); err != nil {
			t.Fatalf("gatehouse %v: %v\n%s", args, err, out)
		}
		return out.String()
	}
	must(t, strings.Contains(run("migrate", "status"), "applied at"), "fresh test database should be migrated")
	must(t, strings.Contains(run("migrate", "down"), "rolled back 20261123000001"), "down did not roll back")
	must(t, strings.Contains(run("migrate", "status"), "pending"), "status after down")
	must(t, strings.Contains(run("migrate", "up"), "applied 20261123000001"), "up did not apply")
	must(t, strings.Contains(run("migrate", "up"), "up to date"), "second up should do nothing")
	must(t, strings.Contains(run("version"), "gatehouse "), "version output")
}

// TestProdRefusesConsoleSMS: the console adapter prints codes, so prod
// must not start with it.
func TestProdRefusesConsoleSMS(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cmd, out := gatehouse(t, []string{"GATEHOUSE_ENV=prod", "DATABASE_URL=" + pgtest.URL(t),
		"GATEHOUSE_DATA_DIR=" + dir, "GATEHOUSE_HTTP_ADDR=" + freeAddr(t),
		"GATEHOUSE_SIGNING_KEY_FILE=" + filepath.Join(dir, "missing.pem"),
		"GATEHOUSE_OTP_HMAC_KEY=" + strings.Repeat("ab", 32)}, "serve")
	err := cmd.Run()
	must(t, err != nil, "prod started with a missing signing key and console SMS:\n%s", out)
	must(t, strings.Contains(out.String(), "missing.pem"), "error does not name the missing key file:\n%s", out)
}

func must(t *testing.T, cond bool, format string, args ...any) {
	t.Helper()
	if !cond {
		t.Fatalf(format, args...)
	}
}
