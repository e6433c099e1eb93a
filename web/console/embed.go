// Package console serves the staff console: the single-page app built
// from this folder's sources into dist/ (committed, so `go build` needs no
// node; `make web` rebuilds it).
package console

import (
	"embed"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed all:dist
var dist embed.FS

// Files are the built assets, rooted at dist/.
var Files = func() fs.FS {
	f, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // only if the embed pattern above changes
	}
	return f
}()

// Prefix is where the console is served.
const Prefix = "/console"

// securityHeaders: the console runs only its own scripts and styles and
// talks only to its own origin (GraphQL and the signed KYC file links);
// nothing may frame it, and the signed links in image addresses are not
// sent on as a Referer.
var securityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
		"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
	"X-Content-Type-Options": "nosniff",
	"X-Frame-Options":        "DENY",
	"Referrer-Policy":        "no-referrer",
}

// Handler serves Files under Prefix: /console redirects to /console/,
// files under assets/ (named by their content's hash) are cached for a
// year, and any other path is the app's index.html, never cached, so that
// a reload of /console/users/<id> opens that page and a new build is
// picked up at once.
func Handler() http.Handler { return handler(Files) }

func handler(files fs.FS) http.Handler {
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		index = []byte("<!doctype html><title>Gatehouse console</title><p>The console was not built: run make web.</p>")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range securityHeaders {
			w.Header().Set(k, v)
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if r.URL.Path == Prefix {
			http.Redirect(w, r, Prefix+"/", http.StatusMovedPermanently)
			return
		}
		rel := strings.TrimPrefix(path.Clean(r.URL.Path), Prefix+"/")
		if strings.HasPrefix(rel, "assets/") {
			b, err := fs.ReadFile(files, rel)
			if err != nil {
				// A missing asset is a stale page asking for an old build:
				// index.html in its place would only be parsed as script.
				http.NotFound(w, r)
				return
			}
			ct := mime.TypeByExtension(path.Ext(rel))
			if ct == "" {
				ct = "application/octet-stream"
			}
			w.Header().Set("Content-Type", ct)
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			if r.Method == http.MethodGet {
				_, _ = w.Write(b)
			}
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		if r.Method == http.MethodGet {
			_, _ = w.Write(index)
		}
	})
}
