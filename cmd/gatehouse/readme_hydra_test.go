package main

// README's Hydra walkthrough, run as written: the blocks a reader runs in
// the app's terminal (register the client, be the browser with curl,
// exchange the code, introspect) against the binary and a real Hydra,
// whose login, consent and logout URLs are the binary's pages. README's
// addresses (Hydra on 127.0.0.1:4444 and :4445, Gatehouse on :8080) are
// replaced by free ports, its PIN and SMS code placeholders by what the
// binary printed.

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapters/hydra/hydratest"
)

func TestReadmeHydraWalkthrough(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"bash", "curl", "jq", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("README's walkthrough needs %s: %v", tool, err)
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var client, browser, exchange string
	for _, b := range shBlocks(readmeSection(t, string(readme), "Sign in to other apps through Gatehouse (Ory Hydra)")) {
		switch {
		case strings.Contains(b, "create oauth2-client"):
			client = b
		case strings.Contains(b, "JAR=$(mktemp)"):
			browser = b
		case strings.Contains(b, "/oauth2/token"):
			exchange = b
		}
	}
	must(t, client != "" && browser != "" && exchange != "", "README's Hydra walkthrough lacks a block: client %t, browser %t, exchange %t",
		client != "", browser != "", exchange != "")

	// Hydra (on the test cluster) sending browsers to the binary's pages.
	addr := freeAddr(t)
	hy := hydratest.Start(t).Another(t, "URLS_LOGIN=http://"+addr+"/oauth2/login",
		"URLS_CONSENT=http://"+addr+"/oauth2/consent", "URLS_LOGOUT=http://"+addr+"/oauth2/logout")

	// The binary, as `GATEHOUSE_HYDRA_ADMIN_URL=… make run` starts it (the
	// dev admin included), its output in a file the script reads the SMS
	// code from, as the reader reads Gatehouse's log.
	logPath := filepath.Join(t.TempDir(), "gatehouse.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	// The embedded cluster, as `make run` has: the dev admin is seeded only
	// there. Not in t.TempDir: the cluster's folder belongs to the postgres
	// user when the tests run as root (see TestMakeRunPath).
	dataDir, err := os.MkdirTemp("", "gatehouse-readme-hydra-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dataDir)
	cmd := exec.Command(binary(t), "serve")
	cmd.Env = append(os.Environ(), "GATEHOUSE_ENV=dev", "DATABASE_URL=", "GATEHOUSE_DATA_DIR="+dataDir,
		"GATEHOUSE_HTTP_ADDR="+addr, "GATEHOUSE_HYDRA_ADMIN_URL="+hy.AdminURL(), "GATEHOUSE_ARGON2_MEMORY_KIB=8192",
		"GATEHOUSE_ARGON2_PARALLELISM=1", "GATEHOUSE_LOG_FORMAT=text")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	readLog := func() string { b, _ := os.ReadFile(logPath); return string(b) }
	waitReady(t, "http://"+addr+"/readyz", &lockedBuffer{})
	pin := ""
	for deadline := time.Now().Add(10 * time.Second); pin == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := regexp.MustCompile(`dev admin created .*phone \+447911000001, PIN (\d+)`).FindStringSubmatch(readLog()); m != nil {
			pin = m[1]
		}
	}
	must(t, pin != "", "the binary never printed the dev admin's PIN (log %s):\n%s", logPath, readLog())

	// The three blocks in one shell, as the reader runs them in one
	// terminal, stopping at the first command that fails.
	script := "set -euo pipefail\n" + client + "\n" + browser + "\n" + exchange
	fills := 0
	var lines []string
	for _, line := range strings.Split(script, "\n") {
		switch {
		case strings.HasPrefix(line, "HYDRA="):
			line, fills = "HYDRA="+hydratest.Binary(), fills+1
		case strings.HasPrefix(line, "PIN=…"):
			line, fills = "PIN="+pin, fills+1
		case strings.HasPrefix(line, "SMS_CODE=…"):
			// The newest code the binary logged, once it is there.
			line, fills = `SMS_CODE=$(for i in $(seq 100); do c=$(sed -n 's/.*your code is \([0-9]*\).*/\1/p' '`+logPath+
				`' | tail -1); if [ -n "$c" ]; then echo "$c"; break; fi; sleep 0.1; done)`, fills+1
		}
		lines = append(lines, line)
	}
	must(t, fills == 3, "README's blocks should set HYDRA=, PIN=… and SMS_CODE=… once each; %d of them found", fills)
	script = strings.Join(lines, "\n")
	for _, r := range []struct{ readme, here string }{{"http://127.0.0.1:4445", hy.AdminURL()},
		{"http://127.0.0.1:4444", hy.PublicURL()}, {"http://127.0.0.1:8080", "http://" + addr}} {
		must(t, strings.Contains(script, r.readme), "README's blocks never use %s", r.readme)
		script = strings.ReplaceAll(script, r.readme, r.here)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	bash := exec.CommandContext(ctx, "bash", "-c", script)
	bash.Dir = t.TempDir()
	got, err := bash.CombinedOutput()
	t.Logf("README's blocks said:\n%s", got)
	if err != nil {
		t.Fatalf("README's blocks failed (%v; context: %v)\nthe binary's log:\n%s", err, ctx.Err(), readLog())
	}
	for _, want := range []string{"/callback?code=ory_ac_", `"scope":"openid phone kyc"`, `"phone_number":"+447911000001"`,
		`"phone_number_verified":true`, `"kyc_level":1`, `"active":true`} {
		must(t, strings.Contains(string(got), want), "README's blocks never printed %s", want)
	}
}
