// Package playground serves GraphiQL, built from web/playground's sources
// into dist/ (committed, so `go build` needs no node; `make web` rebuilds
// it). Everything the page loads is in dist/: no CDN, so it works
// offline.
package playground

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed all:dist
var dist embed.FS

// Prefix is where the assets are served; Vite's base (vite.config.js)
// writes it into the page.
const Prefix = "/playground/"

// FS is the built page and its assets (index.html at the root).
func FS() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // dist is embedded at build time: it exists
	}
	return sub
}

// Handler serves the page at / and its assets under Prefix. Assets carry
// content hashes in their names, so they are cached for good; the page is
// revalidated so a new build is picked up.
func Handler() http.Handler {
	files := FS()
	assets := http.StripPrefix(Prefix, http.FileServerFS(files))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		if r.URL.Path == "/" || r.URL.Path == Prefix || r.URL.Path == Prefix+"index.html" {
			h.Set("Cache-Control", "no-cache")
			h.Set("Content-Security-Policy", csp)
			http.ServeFileFS(w, r, files, "index.html")
			return
		}
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		assets.ServeHTTP(w, r)
	})
}

// csp keeps the page to its own origin: scripts, styles, fonts, workers
// and its calls to /graphql ('unsafe-inline' styles: Monaco and GraphiQL
// set style attributes; blob: workers: Monaco may start them so).
const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
