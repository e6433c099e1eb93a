package main

// README's OpenID Connect walkthrough, run as written: the development
// provider started with README's flags, the binary with README's
// GATEHOUSE_OIDC_* settings, and README's curl block in bash, on free
// ports (README's 127.0.0.1:9400 and :8080 are replaced by them).

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
)

// readmeSection returns README's section under the heading title, up to
// the next heading of its level.
func readmeSection(t *testing.T, readme, title string) string {
	t.Helper()
	start := strings.Index(readme, "\n## "+title+"\n")
	must(t, start >= 0, "README has no section %q", title)
	rest := readme[start+1:]
	if end := strings.Index(rest[3:], "\n## "); end >= 0 {
		rest = rest[:end+3]
	}
	return rest
}

// shBlocks returns the bodies of the ```sh blocks of text, in order.
func shBlocks(text string) []string {
	var blocks []string
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)\n```").FindAllStringSubmatch(text, -1) {
		blocks = append(blocks, m[1])
	}
	return blocks
}

// the walkthrough's three blocks, told apart by what they run.
type oidcWalkthrough struct {
	providerArgs []string // after `go run ./cmd/gatehouse-dev-idp`
	serverEnv    []string // the GATEHOUSE_OIDC_* assignments before `make run`
	client       string   // the app's curl block
}

func readOIDCWalkthrough(t *testing.T, section string) oidcWalkthrough {
	t.Helper()
	var w oidcWalkthrough
	for _, b := range shBlocks(section) {
		switch {
		case strings.Contains(b, "go run ./cmd/gatehouse-dev-idp"):
			line, _, _ := strings.Cut(b[strings.Index(b, "go run ./cmd/gatehouse-dev-idp"):], "\n")
			args, err := shellWords(strings.TrimPrefix(line, "go run ./cmd/gatehouse-dev-idp"))
			if err != nil {
				t.Fatalf("the provider's command line: %v", err)
			}
			w.providerArgs = args
		case strings.Contains(b, "make run"):
			words, err := shellWords(strings.ReplaceAll(b, "\\\n", " "))
			if err != nil {
				t.Fatalf("the server's command line: %v", err)
			}
			for _, word := range words {
				if strings.HasPrefix(word, "GATEHOUSE_") && strings.Contains(word, "=") {
					w.serverEnv = append(w.serverEnv, word)
				}
			}
		case strings.Contains(b, "startOidcSignIn"):
			w.client = b
		}
	}
	must(t, w.providerArgs != nil && w.serverEnv != nil && w.client != "",
		"README's OIDC walkthrough lacks a block: provider %q, server %q, client found %t", w.providerArgs, w.serverEnv, w.client != "")
	return w
}

// shellWords splits a command line as the shell would for the plain
// words and single quotes README uses; anything else is refused rather
// than guessed at.
func shellWords(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord, quoted := false, false
	for _, r := range line {
		switch {
		case quoted:
			if r == '\'' {
				quoted = false
			} else {
				cur.WriteRune(r)
			}
		case r == '\'':
			quoted, inWord = true, true
		case r == '#' && !inWord:
			return words, nil
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case strings.ContainsRune("\"$`\\;&|<>()", r):
			return nil, fmt.Errorf("%q: only plain words and single quotes are understood here", line)
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		return nil, fmt.Errorf("%q: unterminated quote", line)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

func TestReadmeOIDCWalkthrough(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("README's walkthrough needs %s: %v", tool, err)
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	w := readOIDCWalkthrough(t, readmeSection(t, string(readme), "Sign in with Google or another OpenID Connect provider"))

	// The provider, built and started with README's flags on a free port.
	idpBin := filepath.Join(t.TempDir(), "gatehouse-dev-idp")
	if out, err := exec.Command("go", "build", "-o", idpBin, "../gatehouse-dev-idp").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	idp := exec.Command(idpBin, append(w.providerArgs, "-addr", "127.0.0.1:0")...)
	idpLog := &lockedBuffer{}
	idp.Stderr = idpLog
	stdout, err := idp.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := idp.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = idp.Process.Signal(syscall.SIGTERM)
		_ = idp.Wait()
		t.Logf("provider's log:\n%s", idpLog)
	}()
	first, err := bufio.NewReader(stdout).ReadString('\n')
	issuer, ok := strings.CutPrefix(strings.TrimSpace(first), "issuer ")
	must(t, err == nil && ok, "the provider's first line is %q (%v), not its issuer:\n%s", first, err, idpLog)

	// The binary with README's settings, the issuer where the provider is.
	addr := freeAddr(t)
	env := []string{"GATEHOUSE_ENV=dev", "DATABASE_URL=" + pgtest.URL(t), "GATEHOUSE_DATA_DIR=" + t.TempDir(),
		"GATEHOUSE_HTTP_ADDR=" + addr, "GATEHOUSE_DEV_ADMIN_PHONE=none", "GATEHOUSE_ARGON2_MEMORY_KIB=8192",
		"GATEHOUSE_ARGON2_PARALLELISM=1", "GATEHOUSE_LOG_FORMAT=text"}
	sawIssuer := false
	for _, kv := range w.serverEnv {
		if strings.Contains(kv, "http://127.0.0.1:9400") {
			sawIssuer = true
		}
		env = append(env, strings.ReplaceAll(kv, "http://127.0.0.1:9400", issuer))
	}
	must(t, sawIssuer, "README's server settings %q do not name the provider at http://127.0.0.1:9400 (its default address)", w.serverEnv)
	cmd, out := gatehouse(t, env, "serve")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	waitReady(t, "http://"+addr+"/readyz", out)

	// The app's block, as a reader pasting it would run it, stopping at
	// the first command that fails; then again in the same shell, which
	// README says signs the same user in from the now trusted device.
	must(t, strings.Contains(w.client, "http://127.0.0.1:8080"), "README's client block does not talk to http://127.0.0.1:8080")
	client := strings.ReplaceAll(w.client, "http://127.0.0.1:8080", "http://"+addr)
	script := "set -euo pipefail\n" + client + "\necho '--- again'\n" + client
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	bash := exec.CommandContext(ctx, "bash", "-c", script)
	bash.Dir = t.TempDir()
	got, err := bash.CombinedOutput()
	t.Logf("README's client block said:\n%s", got)
	if err != nil {
		t.Fatalf("README's client block failed (%v; context: %v)\nserver's log:\n%s", err, ctx.Err(), out)
	}
	for _, want := range []string{"state matches", `"SIGNED_IN"`, `"provider":"dev"`, `"emailVerified":true`} {
		must(t, strings.Count(string(got), want) == 2, "README's client block, run twice, printed %s %d times, not twice",
			want, strings.Count(string(got), want))
	}
	run1, run2, _ := strings.Cut(string(got), "--- again")
	must(t, userID(run1) != "" && userID(run1) == userID(run2), "the second run signed in %q, not the first's %q",
		userID(run2), userID(run1))
	// The email README promises in its `# →` comment is the one the
	// provider was told to sign in.
	email := ""
	for i, a := range w.providerArgs {
		if a == "-email" && i+1 < len(w.providerArgs) {
			email = w.providerArgs[i+1]
		}
	}
	must(t, email != "" && strings.Contains(string(got), `"email":"`+email+`"`), "the account's email is not the provider's %q", email)
}

// userID is the id in the `me` answer a run of the client block printed.
func userID(out string) string {
	m := regexp.MustCompile(`"me":\{"id":"([^"]+)"`).FindStringSubmatch(out)
	if m == nil {
		return ""
	}
	return m[1]
}
