package console

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

func TestHandler(t *testing.T) {
	files := fstest.MapFS{
		"index.html":           {Data: []byte("<!doctype html><script src=/console/assets/app-1.js></script>")},
		"assets/app-1.js":      {Data: []byte("console.log(1)")},
		"assets/style-1.css":   {Data: []byte("body{}")},
		"assets/picture-1.svg": {Data: []byte("<svg/>")},
	}
	h := handler(files)
	get := func(method, p string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(method, p, nil))
		return w
	}
	for _, c := range []struct {
		path, status, ctype, cache, body string
	}{
		{"/console/", "200", "text/html; charset=utf-8", "no-cache", "<!doctype"},
		{"/console/users/0b8e", "200", "text/html; charset=utf-8", "no-cache", "<!doctype"},
		{"/console/assets/app-1.js", "200", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "console.log"},
		{"/console/assets/style-1.css", "200", "text/css; charset=utf-8", "public, max-age=31536000, immutable", "body"},
		{"/console/assets/picture-1.svg", "200", "image/svg+xml", "public, max-age=31536000, immutable", "<svg"},
		{"/console/assets/gone-0.js", "404", "text/plain; charset=utf-8", "", "404"},
		{"/console/assets/../../etc/passwd", "200", "text/html; charset=utf-8", "no-cache", "<!doctype"},
	} {
		w := get(http.MethodGet, c.path)
		got := []string{"", w.Header().Get("Content-Type"), w.Header().Get("Cache-Control")}
		if strconv.Itoa(w.Code) != c.status || got[1] != c.ctype || got[2] != c.cache || !strings.HasPrefix(w.Body.String(), c.body) {
			t.Errorf("GET %s: %d %q %q %.20q; want %s %q %q %q", c.path, w.Code, got[1], got[2], w.Body.String(),
				c.status, c.ctype, c.cache, c.body)
		}
		if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") ||
			strings.Contains(csp, "unsafe") {
			t.Errorf("GET %s: CSP %q", c.path, csp)
		}
	}
	if w := get(http.MethodGet, "/console"); w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "/console/" {
		t.Errorf("GET /console: %d %q", w.Code, w.Header().Get("Location"))
	}
	if w := get(http.MethodPost, "/console/"); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", w.Code)
	}
	if w := get(http.MethodHead, "/console/assets/app-1.js"); w.Code != 200 || w.Body.Len() != 0 {
		t.Errorf("HEAD: %d, %d bytes", w.Code, w.Body.Len())
	}
}

// The committed build is embedded: index.html names assets that are there.
func TestEmbeddedBuild(t *testing.T) {
	w := httptest.NewRecorder()
	Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/console/", nil))
	body := w.Body.String()
	i := strings.Index(body, "/console/assets/")
	if w.Code != 200 || i < 0 {
		t.Fatalf("index: %d %q", w.Code, body)
	}
	asset := body[i : i+strings.IndexAny(body[i:], `"'`)]
	w = httptest.NewRecorder()
	Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, asset, nil))
	if w.Code != 200 || w.Body.Len() == 0 {
		t.Fatalf("%s: %d", asset, w.Code)
	}
}
