package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// runBrowserScript runs `node web/playground/tests/<script> args…` and
// fails the test with its output when it fails. A machine without node,
// chromium or the web dependencies fails too, never skips: `make web`
// installs the dependencies and .ci/run the browser.
func runBrowserScript(t *testing.T, script string, args ...string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "web", "playground"))
	if err != nil {
		t.Fatal(err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed: the browser tests need it (see .ci/run)")
	}
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("no chromium at %s (apt-get install chromium, as .ci/run does): %v", chromium, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "playwright-core")); err != nil {
		t.Fatal("web/playground/node_modules is missing: run make web")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{filepath.Join(dir, "tests", script)}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	return string(out)
}

// GraphiQL in a real browser, every other origin cut off: it loads, reads
// the schema, runs a query, sends the headers pane's token, and opens an
// example. Screenshots go to the test's artifact directory (go test
// -artifacts keeps them).
func TestPlaygroundInABrowserOffline(t *testing.T) {
	h := newHarness(t)
	out := t.ArtifactDir()
	t.Log(runBrowserScript(t, "playground.mjs", h.srv.URL, out))
	t.Logf("screenshots in %s", out)
}

// corsPage is a page of another origin calling Gatehouse's /graphql from
// the browser with a bearer header and JSON (so the browser preflights).
const corsPage = `<!doctype html><html><head><title>cors</title></head><body><pre id="result">…</pre><script>
const api = new URLSearchParams(location.search).get('api');
fetch(api + '/graphql', {method: 'POST', headers: {'Content-Type': 'application/json', 'Authorization': 'Bearer not-a-token'},
  body: JSON.stringify({query: '{ serverInfo { version } }'})})
  .then(r => r.json().then(b => 'answered: ' + r.status + ' ' + r.headers.get('X-Request-Id') + ' ' + JSON.stringify(b)))
  .catch(e => 'refused: ' + e.name)
  .then(s => { document.getElementById('result').textContent = s; });
</script></body></html>`

// A page on a listed origin (another loopback port) calls /graphql and
// reads the answer; the same page on an origin not listed is stopped by
// the browser.
func TestCORSInABrowser(t *testing.T) {
	pageHandler := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = fmt.Fprint(w, corsPage)
	})
	allowed := httptest.NewServer(pageHandler)
	defer allowed.Close()
	refused := httptest.NewServer(pageHandler)
	defer refused.Close()
	h := newHarness(t, func(c *app.Config) { c.CORSOrigins = []string{allowed.URL} })
	api := "?api=" + h.srv.URL
	res := runBrowserScript(t, "cors.mjs", allowed.URL+"/"+api, refused.URL+"/"+api, t.ArtifactDir())
	t.Log(res)
	if !strings.Contains(res, "ok:") {
		t.Fatalf("no verdict from cors.mjs:\n%s", res)
	}
}
