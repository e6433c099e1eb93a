package playground

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The page must work offline: index.html loads only files of the bundle,
// from its own origin, and no asset reaches for another origin.
func TestPageLoadsNothingFromAnotherOrigin(t *testing.T) {
	files := FS()
	page, err := fs.ReadFile(files, "index.html")
	if err != nil {
		t.Fatalf("no built page (run make web): %v", err)
	}
	doc, err := html.Parse(strings.NewReader(string(page)))
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if a.Key == "src" || a.Key == "href" || a.Key == "srcset" || a.Key == "data" {
					refs = append(refs, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	var scripts, styles int
	for _, ref := range refs {
		u, err := url.Parse(ref)
		if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, Prefix) {
			t.Errorf("index.html references %q: only files under %s of its own origin may be loaded", ref, Prefix)
			continue
		}
		if _, err := fs.Stat(files, strings.TrimPrefix(u.Path, Prefix)); err != nil {
			t.Errorf("index.html references %q, which the bundle does not hold", ref)
		}
		switch {
		case strings.HasSuffix(u.Path, ".js"):
			scripts++
		case strings.HasSuffix(u.Path, ".css"):
			styles++
		}
	}
	if scripts == 0 || styles == 0 {
		t.Fatalf("index.html loads %d scripts and %d style sheets: not the built GraphiQL page\n%s", scripts, styles, page)
	}

	// Inside the assets: a style sheet's url() and @import are the
	// bundle's own files or data: URIs; the scripts' absolute URLs are
	// only XML namespaces, JSON-schema ids and documentation links in
	// messages (none is fetched). A new host here is a CDN until proven
	// otherwise.
	identifiers := []string{"www.w3.org", "json-schema.org", "github.com", "code.visualstudio.com", "yarnpkg.com",
		"react.dev", "prettier.io", "en.wikipedia.org", "commonmark.org", "microsoft.com"}
	cssRef := regexp.MustCompile(`(?i)(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)`)
	// http(s)://host, or a protocol-relative //host opening a string.
	absolute := regexp.MustCompile(`(?i)(?:https?:|["'\x60])//([a-z0-9-]+(?:\.[a-z0-9-]+)+)`)
	assets, _ := fs.Glob(files, "assets/*")
	for _, name := range assets {
		b, err := fs.ReadFile(files, name)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasSuffix(name, ".css"):
			for _, m := range cssRef.FindAllStringSubmatch(string(b), -1) {
				ref := m[1]
				if strings.HasPrefix(ref, "data:") || strings.HasPrefix(ref, "#") {
					continue
				}
				u, err := url.Parse(ref)
				if err != nil || u.Scheme != "" || u.Host != "" || (strings.HasPrefix(u.Path, "/") && !strings.HasPrefix(u.Path, Prefix)) {
					t.Errorf("%s loads %q", name, ref)
				}
			}
		case strings.HasSuffix(name, ".js"):
			for _, m := range absolute.FindAllStringSubmatch(string(b), -1) {
				if host := strings.ToLower(m[1]); !slices.Contains(identifiers, host) {
					t.Errorf("%s holds %q: an asset must not load anything from another origin", name, m[0])
				}
			}
		}
	}
}

func TestHandlerServesThePageAndItsAssets(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	get := func(path string) (*http.Response, string) {
		res, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	res, body := get("/")
	if res.StatusCode != 200 || !strings.Contains(body, Prefix+"assets/") ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Fatalf("/: %d %v\n%s", res.StatusCode, res.Header, body)
	}
	asset := regexp.MustCompile(`/playground/assets/[^"]+\.js`).FindString(body)
	res, _ = get(asset)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "javascript") ||
		!strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("%s: %d %v", asset, res.StatusCode, res.Header)
	}
	if res, _ = get(Prefix + "assets/missing.js"); res.StatusCode != 404 {
		t.Fatalf("a missing asset: %d", res.StatusCode)
	}
}
