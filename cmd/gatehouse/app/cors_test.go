package app_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// A page of a listed origin preflights and POSTs as a browser does, and
// reads the answer; another origin's page gets no CORS header, and the
// token endpoint is never opened to pages.
func TestCORSThroughTheServer(t *testing.T) {
	const page = "http://localhost:5173"
	h := newHarness(t, func(c *app.Config) { c.CORSOrigins = []string{page} })
	do := func(method, path, origin string, hdr map[string]string, body string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, h.srv.URL+path, strings.NewReader(body))
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		res, err := h.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}
	preflight := map[string]string{"Access-Control-Request-Method": "POST",
		"Access-Control-Request-Headers": "authorization,content-type"}

	res := do(http.MethodOptions, "/graphql", page, preflight, "")
	must(t, res.StatusCode == 204 && res.Header.Get("Access-Control-Allow-Origin") == page &&
		res.Header.Get("Access-Control-Max-Age") == "600" &&
		strings.Contains(res.Header.Get("Access-Control-Allow-Headers"), "Authorization"),
		"preflight of a listed origin: %d %v", res.StatusCode, res.Header)

	res = do(http.MethodPost, "/graphql", page, map[string]string{"Content-Type": "application/json"},
		`{"query":"{ serverInfo { version } }"}`)
	must(t, res.StatusCode == 200 && res.Header.Get("Access-Control-Allow-Origin") == page &&
		res.Header.Get("Access-Control-Expose-Headers") == "X-Request-Id" && res.Header.Get("X-Request-Id") != "",
		"the call itself: %d %v", res.StatusCode, res.Header)

	res = do(http.MethodOptions, "/graphql", "https://elsewhere.example", preflight, "")
	must(t, res.StatusCode == 403 && res.Header.Get("Access-Control-Allow-Origin") == "",
		"preflight of another origin: %d %v", res.StatusCode, res.Header)
	res = do(http.MethodPost, "/graphql", "https://elsewhere.example", map[string]string{"Content-Type": "application/json"},
		`{"query":"{ serverInfo { version } }"}`)
	must(t, res.Header.Get("Access-Control-Allow-Origin") == "", "another origin's call is echoed: %v", res.Header)

	res = do(http.MethodOptions, "/oauth2/token", page, map[string]string{"Access-Control-Request-Method": "POST"}, "")
	must(t, res.Header.Get("Access-Control-Allow-Origin") == "", "the token endpoint answers a preflight: %v", res.Header)
}
