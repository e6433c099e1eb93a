package graph

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/modules/perimeter"
)

// CORS lets browser apps served from other origins call /graphql: only the
// exact origins listed (GATEHOUSE_CORS_ORIGINS), never with cookies or
// HTTP authentication (credentials stay off: callers send their bearer
// token or API-key headers themselves, so another site's page cannot ride
// on a browser's ambient credentials).
type CORS struct {
	origins map[string]bool
}

// corsMaxAge is how long a browser may keep a preflight's answer.
const corsMaxAge = 10 * time.Minute

// corsMethods are the methods /graphql serves to a browser; GET is not one
// (queries are POSTed like mutations), so it is not offered.
var corsMethods = []string{http.MethodPost, http.MethodOptions}

// corsHeaders are the request headers Gatehouse reads; a preflight asking
// for any other is refused.
var corsHeaders = []string{"Authorization", "Content-Type", RequestIDHeader, HeaderAPIKey, HeaderAPINonce,
	HeaderAPISignature, perimeter.WhitelinkHeader}

// NewCORS allows the given origins, each scheme://host[:port] as a
// browser writes it in Origin (the configuration validates them).
func NewCORS(origins []string) *CORS {
	c := &CORS{origins: make(map[string]bool, len(origins))}
	for _, o := range origins {
		c.origins[o] = true
	}
	return c
}

func (c *CORS) allowed(origin string) bool { return origin != "" && c.origins[origin] }

// Wrap adds the CORS answer to next's responses (the POST itself): an
// allowed origin is echoed, any other gets no CORS header at all, so the
// browser keeps the answer from that page.
func (c *CORS) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		// The answer depends on Origin: a shared cache must not serve one
		// origin's answer to another.
		h.Add("Vary", "Origin")
		if origin := r.Header.Get("Origin"); c.allowed(origin) {
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Expose-Headers", RequestIDHeader)
		}
		next.ServeHTTP(w, r)
	})
}

// Preflight answers OPTIONS: 204 with the allowed methods, headers and
// Max-Age for an allowed origin asking for what /graphql serves; 403 with
// no CORS header when the origin is not listed or the preflight asks for
// a method or header Gatehouse does not take (the browser then refuses the
// call, and the 403 tells a developer looking at the network tab that the
// server, not the network, said no). An OPTIONS without Origin is no
// preflight: 204 with Allow.
func (c *CORS) Preflight() http.Handler {
	methods := strings.Join(corsMethods, ", ")
	headers := strings.Join(corsHeaders, ", ")
	maxAge := strconv.Itoa(int(corsMaxAge / time.Second))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Vary", "Origin")
		h.Add("Vary", "Access-Control-Request-Method")
		h.Add("Vary", "Access-Control-Request-Headers")
		origin := r.Header.Get("Origin")
		method := r.Header.Get("Access-Control-Request-Method")
		if origin == "" || method == "" {
			h.Set("Allow", methods)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if !c.allowed(origin) || !slices.Contains(corsMethods, method) || !headersAllowed(r) {
			h.Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte("cross-origin request refused: the origin, method or a header is not allowed (see GATEHOUSE_CORS_ORIGINS)\n"))
			return
		}
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Methods", methods)
		h.Set("Access-Control-Allow-Headers", headers)
		h.Set("Access-Control-Max-Age", maxAge)
		w.WriteHeader(http.StatusNoContent)
	})
}

// headersAllowed reports whether every header the preflight names is one
// Gatehouse reads (browsers list them lower-cased, comma separated).
func headersAllowed(r *http.Request) bool {
	for _, line := range r.Header.Values("Access-Control-Request-Headers") {
		for _, name := range strings.Split(line, ",") {
			name = strings.TrimSpace(name)
			if name != "" && !slices.ContainsFunc(corsHeaders, func(h string) bool { return strings.EqualFold(h, name) }) {
				return false
			}
		}
	}
	return true
}
