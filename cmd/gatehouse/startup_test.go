package main

import (
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// bareEnv is an environment with nothing of Gatehouse's in it: what the
// test sets is all the binary sees.
func bareEnv(extra ...string) []string {
	return append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, extra...)
}

// prodEnv is a complete production configuration (keys that decode, a
// signing key file) for a database that is never reached. A test appends
// what it changes: of a key given twice, the child process sees the last.
func prodEnv(t *testing.T) []string {
	return []string{"GATEHOUSE_ENV=prod", "DATABASE_URL=postgres://gh@127.0.0.1:1/gatehouse",
		"GATEHOUSE_SIGNING_KEY_FILE=" + signingKey(t), "GATEHOUSE_OTP_HMAC_KEY=" + strings.Repeat("ab", 32),
		"GATEHOUSE_TWILIO_ACCOUNT_SID=" + twilioSID, "GATEHOUSE_TWILIO_AUTH_TOKEN=secret-token",
		"GATEHOUSE_TWILIO_FROM=+15005550006", "GATEHOUSE_DATA_KEY=" + strings.Repeat("cd", 32),
		"GATEHOUSE_SMTP_HOST=smtp.example.com", "GATEHOUSE_SMTP_FROM=Gatehouse <no-reply@example.com>",
		"GATEHOUSE_BLOB_KEYS=k1:" + strings.Repeat("ef", 32), "GATEHOUSE_WALLET_SEED=" + strings.Repeat("12", 32)}
}

// closedPort is a loopback port nobody listens on.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestStartupFailuresAreOneLine runs the binary in bad environments: each
// ends with exit code 1 and one short line that names the cause and what
// to do, with no dependency-injection chain, and leaves no data directory
// behind.
func TestStartupFailuresAreOneLine(t *testing.T) {
	t.Parallel()
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { held.Close() }) // after the parallel subtests
	junkKey := filepath.Join(t.TempDir(), "junk.pem")
	if err := os.WriteFile(junkKey, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	with := func(env []string, kv ...string) []string { return append(append([]string(nil), env...), kv...) }
	prod := prodEnv(t)
	cases := []struct {
		name string
		args []string
		env  []string
		want string
	}{
		{"a bad value", nil, []string{"GATEHOUSE_ENV=dev", "GATEHOUSE_OTP_TTL=forever"},
			`invalid configuration: GATEHOUSE_OTP_TTL must be a duration (e.g. 90s, 15m) from 30s to 30m0s, got "forever"`},
		{"console SMS in prod", nil, with(prod, "GATEHOUSE_SMS_PROVIDER=console"),
			"invalid configuration: GATEHOUSE_SMS_PROVIDER console is refused when GATEHOUSE_ENV=prod"},
		{"a signing key file that is not a key", nil, with(prod, "GATEHOUSE_SIGNING_KEY_FILE="+junkKey),
			"invalid configuration: GATEHOUSE_SIGNING_KEY_FILE cannot be used: signing key " + junkKey},
		{"the address is taken", nil, []string{"GATEHOUSE_ENV=dev", "GATEHOUSE_HTTP_ADDR=" + held.Addr().String()},
			"GATEHOUSE_HTTP_ADDR " + held.Addr().String() + " cannot be used (is another Gatehouse running?)"},
		{"the database is down", nil, []string{"GATEHOUSE_ENV=dev", "DATABASE_URL=postgres://gh:hunter2@" + closedPort(t) + "/gatehouse"},
			"cannot be reached: dial tcp"},
		{"prod migrate with the database down", []string{"migrate", "status"}, []string{"GATEHOUSE_ENV=prod", "DATABASE_URL=postgres://gh@" + closedPort(t) + "/gh"},
			"connect: connection refused; check the URL and that PostgreSQL is running"},
		{"migrate where there is no database", []string{"migrate", "status"}, []string{"GATEHOUSE_ENV=dev"},
			"there is no Gatehouse database in "},
		{"the metrics address is taken", nil, []string{"GATEHOUSE_ENV=dev", "GATEHOUSE_METRICS_ADDR=" + held.Addr().String()},
			"GATEHOUSE_METRICS_ADDR " + held.Addr().String() + " cannot be used"},
		{"a dev admin phone that is not one", nil, []string{"GATEHOUSE_ENV=dev", "GATEHOUSE_DEV_ADMIN_PHONE=+447700900123"},
			"invalid configuration: GATEHOUSE_DEV_ADMIN_PHONE must be a valid phone number"},
		{"a database setting that is not a URL", nil, []string{"GATEHOUSE_ENV=dev", "DATABASE_URL=host=127.0.0.1port=1password=hunter2"},
			"invalid configuration: DATABASE_URL must be a URL such as postgres://"},
	}
	if os.Geteuid() == 0 {
		closed, err := os.MkdirTemp("", "gatehouse-home-") // 0700, like /root
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(closed) })
		cases = append(cases, struct {
			name string
			args []string
			env  []string
			want string
		}{"an explicit data directory postgres cannot reach", nil,
			[]string{"GATEHOUSE_ENV=dev", "GATEHOUSE_DATA_DIR=" + filepath.Join(closed, "gh", "data")},
			"is not reachable by the postgres OS user (postgres): " + closed + " is mode 0700 owned by uid 0; set GATEHOUSE_DATA_DIR"})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cwd := t.TempDir()
			// Where a case names no data directory or address, the
			// defaults are used: ./.gatehouse in an empty folder, and a
			// free port (8080 may be anybody's).
			env := c.env
			if !strings.Contains(strings.Join(env, " "), "GATEHOUSE_HTTP_ADDR=") {
				env = append(env, "GATEHOUSE_HTTP_ADDR="+freeAddr(t))
			}
			cmd, out := gatehouse(t, nil, c.args...)
			cmd.Env, cmd.Dir = bareEnv(env...), cwd
			// A start that wrongly succeeds would serve for ever.
			cmd.WaitDelay = time.Second
			timer := time.AfterFunc(30*time.Second, func() { _ = cmd.Process.Kill() })
			err := cmd.Run()
			timer.Stop()
			var exit *exec.ExitError
			must(t, errors.As(err, &exit) && exit.ExitCode() == 1, "exit: %v\n%s", err, out)
			text := strings.TrimRight(out.String(), "\n")
			must(t, !strings.Contains(text, "\n"), "more than one line:\n%s", text)
			must(t, strings.HasPrefix(text, "gatehouse: ") && strings.Contains(text, c.want), "got:\n%s\nwant it to contain:\n%s", text, c.want)
			must(t, len(text) < 400, "%d characters:\n%s", len(text), text)
			for _, noise := range []string{"could not build", "failed to build", ".go:", "hunter2"} {
				must(t, !strings.Contains(text, noise), "%q in:\n%s", noise, text)
			}
			entries, _ := os.ReadDir(cwd)
			for _, e := range entries {
				t.Errorf("left behind: %s", e.Name())
			}
			for _, kv := range env {
				if dir, ok := strings.CutPrefix(kv, "GATEHOUSE_DATA_DIR="); ok {
					_, err := os.Stat(filepath.Dir(dir))
					must(t, os.IsNotExist(err), "the data directory's parent was left behind: %v", err)
				}
			}
		})
	}
}

// TestServeAsRootUnderAClosedHome is `git clone … ~/gatehouse && make run`
// as root: the default data directory is under a 0700 home the postgres
// user cannot traverse, so the cluster goes under /var/lib/gatehouse,
// named after the clone, and Gatehouse says so once. Commands run from the
// clone find the same cluster.
func TestServeAsRootUnderAClosedHome(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root runs PostgreSQL as another user")
	}
	t.Parallel()
	home, err := os.MkdirTemp("", "gatehouse-home-") // 0700, like /root
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(home)
	clone := filepath.Join(home, "gatehouse")
	if err := os.Mkdir(clone, 0o755); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	env := bareEnv("GATEHOUSE_ENV=dev", "GATEHOUSE_HTTP_ADDR="+addr, "GATEHOUSE_DEV_ADMIN_PHONE=none",
		"GATEHOUSE_ARGON2_MEMORY_KIB=8192")
	serve, out := gatehouse(t, nil, "serve")
	serve.Env, serve.Dir = env, clone
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer serve.Process.Kill() //nolint:errcheck
	waitReady(t, "http://"+addr+"/readyz", out)
	waitOutput(t, out, "gatehouse listening")

	m := regexp.MustCompile(`cluster=(/var/lib/gatehouse/gatehouse-[0-9a-f]{12}/pg)`).FindStringSubmatch(out.String())
	must(t, m != nil, "where the cluster went is not said:\n%s", out)
	cluster := m[1]
	defer os.RemoveAll(filepath.Dir(cluster))
	must(t, strings.Count(out.String(), "lives elsewhere") == 1, "not said exactly once:\n%s", out)
	must(t, strings.Contains(out.String(), "data_dir="+filepath.Join(clone, ".gatehouse")), "the data directory is not named:\n%s", out)
	b := postGraphQL(t, addr, `{"query":"{ serverInfo { version } }"}`)
	must(t, strings.Contains(b, `"version":"v0.1.0"`), "serverInfo: %s", b)

	// The same clone through a symlink is the same clone.
	alias := filepath.Join(home, "alias")
	if err := os.Symlink(clone, alias); err != nil {
		t.Fatal(err)
	}
	status, sout := gatehouse(t, nil, "migrate", "status")
	status.Env, status.Dir = env, alias
	if err := status.Run(); err != nil {
		t.Fatalf("migrate status beside serve: %v\n%s", err, sout)
	}
	must(t, strings.Contains(sout.String(), "database: the embedded PostgreSQL in "+cluster+" (started by the running Gatehouse)") &&
		strings.Contains(sout.String(), "applied at") && !strings.Contains(sout.String(), "pending"), "migrate status:\n%s", sout)

	// So is `dev seed` (README's console walkthrough seeds beside `make
	// run`), though it reads the server's whole configuration for the blob
	// store: it stays a one-shot command, not a second server.
	seed, seedOut := gatehouse(t, nil, "dev", "seed", "--users", "3", "--files", "1")
	seed.Env, seed.Dir = env, clone
	if err := seed.Run(); err != nil {
		t.Fatalf("dev seed beside serve: %v\n%s", err, seedOut)
	}
	must(t, strings.Contains(seedOut.String(), "(started by the running Gatehouse)") &&
		strings.Contains(seedOut.String(), "done: 3 users"), "dev seed:\n%s", seedOut)

	// A second server on the same cluster is refused: whichever stops
	// first would take the database from the other.
	second, out2 := gatehouse(t, nil, "serve")
	second.Env, second.Dir = append(env[:len(env):len(env)], "GATEHOUSE_HTTP_ADDR="+freeAddr(t)), clone
	must(t, second.Run() != nil && strings.Contains(out2.String(), "is in use by another Gatehouse"),
		"a second serve on the same cluster:\n%s", out2)

	_ = serve.Process.Signal(syscall.SIGINT)
	if err := serve.Wait(); err != nil {
		t.Fatalf("exit after SIGINT: %v\n%s", err, out)
	}
	// Stopped: the command starts the same cluster for itself.
	status, sout = gatehouse(t, nil, "migrate", "status")
	status.Env, status.Dir = env, clone
	if err := status.Run(); err != nil {
		t.Fatalf("migrate status alone: %v\n%s", err, sout)
	}
	must(t, strings.Contains(sout.String(), "database: the embedded PostgreSQL in "+cluster+"\n") &&
		strings.Contains(sout.String(), "applied at"), "migrate status:\n%s", sout)
	_, err = os.Stat(filepath.Join(clone, ".gatehouse", "pg"))
	must(t, os.IsNotExist(err), "an empty cluster directory was left in the clone: %v", err)
}

// TestVersion: the release, and where the binary came from, for people
// and for scripts.
func TestVersion(t *testing.T) {
	t.Parallel()
	cmd, out := gatehouse(t, nil, "version")
	if err := cmd.Run(); err != nil {
		t.Fatalf("version: %v\n%s", err, out)
	}
	must(t, regexp.MustCompile(`^gatehouse v0\.1\.0 \((commit [0-9a-f]{12}( with local changes)?|unknown commit), go1\.\d+`).MatchString(out.String()),
		"version:\n%s", out)
	cmd, out = gatehouse(t, nil, "version", "--json")
	if err := cmd.Run(); err != nil {
		t.Fatalf("version --json: %v\n%s", err, out)
	}
	var v struct{ Version, Commit, Go string }
	must(t, json.Unmarshal([]byte(out.String()), &v) == nil && v.Version == "v0.1.0" && strings.HasPrefix(v.Go, "go1."),
		"version --json:\n%s", out)
	cmd, out = gatehouse(t, nil, "version", "--yaml")
	must(t, cmd.Run() != nil && strings.Contains(out.String(), "usage: gatehouse version [--json]"), "version --yaml:\n%s", out)
}
