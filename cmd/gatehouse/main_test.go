package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapters/hydra/hydratest"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
)

func TestMain(m *testing.M) {
	pgtest.Main(m, func() {
		hydratest.Stop() // before the database it uses goes
		if binPath != "" {
			_ = os.RemoveAll(filepath.Dir(binPath))
		}
	})
}

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
		// A connection of its own: a pooled keep-alive connection that the
		// server still counts as idle is closed by shutdown, by design.
		client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		res, err := client.Post("http://"+addr+"/graphql", "application/json", body)
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

// TestMakeRunPath serves as `make run` does: no DATABASE_URL, so the
// embedded cluster starts under the data dir, the dev admin is seeded and
// its printed PIN works, and stopping stops PostgreSQL too.
func TestMakeRunPath(t *testing.T) {
	t.Parallel()
	dir, err := os.MkdirTemp("", "gatehouse-run-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	addr := freeAddr(t)
	cmd, out := gatehouse(t, []string{"GATEHOUSE_ENV=dev", "DATABASE_URL=", "GATEHOUSE_DATA_DIR=" + dir,
		"GATEHOUSE_HTTP_ADDR=" + addr}, "serve")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill() //nolint:errcheck
	waitReady(t, "http://"+addr+"/readyz", out)
	const seeded = "dev admin created (shown once): phone +447911000001, PIN "
	waitOutput(t, out, seeded)
	i := strings.Index(out.String(), seeded)
	must(t, i >= 0, "no dev admin seeded:\n%s", out)
	pin := codeIn(out.String()[i+len(seeded):])
	b := postGraphQL(t, addr, `{"query":"mutation { signInWithPin(input: {phone: \"+447911000001\", pin: \"`+pin+`\", deviceId: \"laptop\"}) { status } }"}`)
	must(t, strings.Contains(b, "DEVICE_VERIFICATION_REQUIRED"), "dev admin sign-in: %s", b)

	// While serve runs, `admin create` shares its cluster (it cannot start
	// a second one on the same directory), and serve sees the new account.
	create, cout := gatehouse(t, []string{"GATEHOUSE_ENV=dev", "DATABASE_URL=", "GATEHOUSE_DATA_DIR=" + dir,
		"GATEHOUSE_DEV_ADMIN_PHONE=none"}, "admin", "create", "--email", "ops@example.com", "--role", "SUPPORT")
	create.Stdin = strings.NewReader("violet-Harbor-91-quiet\n")
	if err := create.Run(); err != nil {
		t.Fatalf("admin create beside serve: %v\n%s", err, cout)
	}
	b = postGraphQL(t, addr, `{"query":"mutation { signIn(input: {username: \"ops@example.com\", password: \"violet-Harbor-91-quiet\", deviceId: \"laptop\"}) { status } }"}`)
	must(t, strings.Contains(b, "DEVICE_VERIFICATION_REQUIRED"), "serve does not see the account admin create made: %s", b)

	_ = cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v\n%s", err, out)
	}
	must(t, strings.Contains(out.String(), "postgres stopped"), "embedded PostgreSQL not stopped:\n%s", out)
	_, err = os.Stat(filepath.Join(dir, "pg", "postmaster.pid"))
	must(t, os.IsNotExist(err), "postmaster.pid left behind: %v", err)
}

// TestAdminCreate makes a staff account from the command line; its printed
// PIN is the one the service accepts.
func TestAdminCreate(t *testing.T) {
	t.Parallel()
	addr := freeAddr(t)
	envs := []string{"GATEHOUSE_ENV=dev", "DATABASE_URL=" + pgtest.URL(t), "GATEHOUSE_DATA_DIR=" + t.TempDir(),
		"GATEHOUSE_HTTP_ADDR=" + addr, "GATEHOUSE_DEV_ADMIN_PHONE=none"}
	create, out := gatehouse(t, envs, "admin", "create", "--phone", "+447911123600", "--role", "ADMIN")
	if err := create.Run(); err != nil {
		t.Fatalf("admin create: %v\n%s", err, out)
	}
	pin := codeIn(out.String()[strings.Index(out.String(), "PIN "):])
	must(t, strings.Contains(out.String(), "role ADMIN") && pin != "", "admin create output:\n%s", out)
	again, out2 := gatehouse(t, envs, "admin", "create", "--phone", "+447911123600")
	must(t, again.Run() != nil && strings.Contains(out2.String(), "already has an account"), "second create:\n%s", out2)
	bad, out3 := gatehouse(t, envs, "admin", "create", "--phone", "+447911123601", "--role", "KING")
	must(t, bad.Run() != nil && strings.Contains(out3.String(), "role"), "unknown role accepted:\n%s", out3)

	// By email: the password comes from stdin and the email counts as
	// verified (the account is ACTIVE and signs in at once).
	const password = "violet-Harbor-91-quiet"
	byEmail, out4 := gatehouse(t, envs, "admin", "create", "--email", "Reviewer@Example.com", "--role", "COMPLIANCE")
	byEmail.Stdin = strings.NewReader(password + "\n")
	if err := byEmail.Run(); err != nil {
		t.Fatalf("admin create --email: %v\n%s", err, out4)
	}
	must(t, strings.Contains(out4.String(), "created reviewer@example.com") && strings.Contains(out4.String(), "role COMPLIANCE") &&
		!strings.Contains(out4.String(), password), "admin create --email output:\n%s", out4)
	weak, out5 := gatehouse(t, envs, "admin", "create", "--email", "weak@example.com")
	weak.Stdin = strings.NewReader("password\n")
	must(t, weak.Run() != nil && strings.Contains(out5.String(), "password"), "a common password was accepted:\n%s", out5)
	none, out6 := gatehouse(t, envs, "admin", "create", "--email", "none@example.com")
	none.Stdin = strings.NewReader("")
	must(t, none.Run() != nil && strings.Contains(out6.String(), "no password on stdin"), "an empty password was accepted:\n%s", out6)

	serve, sout := gatehouse(t, envs, "serve")
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer serve.Process.Kill() //nolint:errcheck
	waitReady(t, "http://"+addr+"/readyz", sout)
	signIn := func(pin string) string {
		return postGraphQL(t, addr, `{"query":"mutation { signInWithPin(input: {phone: \"+447911123600\", pin: \"`+pin+`\", deviceId: \"laptop\"}) { status } }"}`)
	}
	must(t, strings.Contains(signIn(pin), "DEVICE_VERIFICATION_REQUIRED"), "the printed PIN does not sign in")
	wrong := "902714"
	if pin == wrong {
		wrong = "583016"
	}
	must(t, strings.Contains(signIn(wrong), "UNAUTHENTICATED"), "a wrong PIN was accepted")

	signInEmail := func(pw string) string {
		return postGraphQL(t, addr, `{"query":"mutation { signIn(input: {username: \"reviewer@example.com\", password: \"`+pw+`\", deviceId: \"laptop\"}) { status } }"}`)
	}
	must(t, strings.Contains(signInEmail(password), "DEVICE_VERIFICATION_REQUIRED"), "the staff password does not sign in")
	must(t, strings.Contains(signInEmail("violet-Harbor-91-wrong"), "UNAUTHENTICATED"), "a wrong password was accepted")
}

// postGraphQL posts a GraphQL request body to the server at addr and
// returns the response body.
func postGraphQL(t *testing.T, addr, body string) string {
	t.Helper()
	res, err := http.Post("http://"+addr+"/graphql", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

func waitReady(t *testing.T, url string, out *lockedBuffer) {
	t.Helper()
	if !serving(url, nil) {
		t.Fatalf("not ready at %s:\n%s", url, out)
	}
}

// waitOutput waits until the process has written want: what it writes
// reaches the buffer through a pipe, a moment after it was written, and
// the server may answer /readyz in that moment.
func waitOutput(t *testing.T, out *lockedBuffer, want string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), want); {
		if time.Now().After(deadline) {
			t.Fatalf("%q never written:\n%s", want, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
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
	must(t, strings.Contains(run("migrate", "down", "--all", "--yes"), "rolled back 20261123000001"), "down did not roll back")
	must(t, strings.Contains(run("migrate", "status"), "pending"), "status after down")
	must(t, strings.Contains(run("migrate", "up"), "applied 20261123000001"), "up did not apply")
	must(t, strings.Contains(run("migrate", "up"), "up to date"), "second up should do nothing")
	must(t, strings.Contains(run("version"), "gatehouse "), "version output")
}

// TestProdStart runs the binary as production would: real keys, a Twilio
// endpoint (a fake speaking its protocol), no codes in the output, and a
// refusal to serve on a schema that is behind.
func TestProdStart(t *testing.T) {
	t.Parallel()
	tw := newFakeTwilio()
	twilio := httptest.NewServer(tw)
	defer twilio.Close()
	addr := freeAddr(t)
	envs := append(prodEnv(t), "DATABASE_URL="+pgtest.URL(t), "GATEHOUSE_DATA_DIR="+t.TempDir(),
		"GATEHOUSE_HTTP_ADDR="+addr, "GATEHOUSE_TWILIO_BASE_URL="+twilio.URL)

	down, out := gatehouse(t, envs, "migrate", "down", "--allow-prod")
	if err := down.Run(); err != nil {
		t.Fatalf("migrate down: %v\n%s", err, out)
	}
	behind, out := gatehouse(t, envs, "serve")
	err := behind.Run()
	must(t, err != nil && strings.Contains(out.String(), "schema is behind"), "prod served on an old schema:\n%s", out)
	up, out := gatehouse(t, envs, "migrate", "up")
	if err := up.Run(); err != nil {
		t.Fatalf("migrate up: %v\n%s", err, out)
	}

	cmd, out := gatehouse(t, envs, "serve")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill() //nolint:errcheck
	waitReady(t, "http://"+addr+"/readyz", out)
	b := postGraphQL(t, addr, `{"query":"mutation { startPhoneSignup(input: {phone: \"+447911123456\"}) { id } }"}`)
	must(t, strings.Contains(b, `"id"`), "startPhoneSignup in prod: %s", b)
	// The delivery workers send it after the answer.
	waitFor(t, "the code's SMS", 10*time.Second, func() bool { return tw.received()["+447911123456"] > 0 })
	must(t, len(tw.received()) == 1 && tw.received()["+447911123456"] == 1, "twilio got %v", tw.received())
	tw.mu.Lock()
	code := codeIn(tw.got["+447911123456"][0])
	tw.mu.Unlock()
	must(t, code != "", "no code in the SMS body")
	for _, path := range []string{"/", "/playground/", "/graphql"} {
		r, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		must(t, r.StatusCode == http.StatusNotFound || r.StatusCode == http.StatusMethodNotAllowed,
			"GET %s in prod: %d (no playground in prod)", path, r.StatusCode)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	_ = cmd.Wait()
	must(t, !strings.Contains(out.String(), code), "the code reached the prod log:\n%s", out)
	must(t, !strings.Contains(out.String(), "secret-token"), "the Twilio token reached the log")
}

const twilioSID = "AC0123456789abcdef0123456789abcdef"

func codeIn(s string) string {
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r < '0' || r > '9' }) {
		if len(f) == 6 {
			return f
		}
	}
	return ""
}

func must(t *testing.T, cond bool, format string, args ...any) {
	t.Helper()
	if !cond {
		t.Fatalf(format, args...)
	}
}
