// Package captchatest is a local siteverify server, speaking the form and
// JSON protocol Turnstile, hCaptcha and reCAPTCHA share, for tests of the
// adapter and of the operations that need a captcha.
package captchatest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Mode is how the server misbehaves.
type Mode int

const (
	// Normal answers as the provider would.
	Normal Mode = iota
	// Down answers every request with HTTP 503.
	Down
	// Slow never answers: it holds the request until the client gives up.
	Slow
	// Garbage answers HTTP 200 with a body that is not JSON.
	Garbage
	// Huge answers HTTP 200 with a JSON body of several megabytes.
	Huge
)

// Solution is what the server says about a token it knows.
type Solution struct {
	Hostname string
	Action   string
	Score    *float64
}

// Server is the fake provider. Tokens registered with Pass succeed once
// (a replay gets timeout-or-duplicate, as with the real services); any
// other token gets invalid-input-response.
type Server struct {
	*httptest.Server
	// Secret is the only secret key the server accepts.
	Secret string

	mu       sync.Mutex
	mode     Mode
	tokens   map[string]Solution
	spent    map[string]bool
	requests []Request
}

// Request is one verification the server received.
type Request struct {
	Secret, Response, RemoteIP string
}

// NewServer starts a server with secret, closed when t ends.
func NewServer(t testing.TB, secret string) *Server {
	s := &Server{Secret: secret, tokens: map[string]Solution{}, spent: map[string]bool{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// VerifyURL is the verify endpoint.
func (s *Server) VerifyURL() string { return s.Server.URL + "/siteverify" }

// Pass registers token as solved on hostname (for action, "" for none).
func (s *Server) Pass(token string, sol Solution) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = sol
}

// SetMode makes the server misbehave (or stop).
func (s *Server) SetMode(m Mode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode = m
}

// Requests are the verifications received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/siteverify" {
		http.NotFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	req := Request{Secret: r.PostForm.Get("secret"), Response: r.PostForm.Get("response"), RemoteIP: r.PostForm.Get("remoteip")}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	mode := s.mode
	sol, known := s.tokens[req.Response]
	spent := s.spent[req.Response]
	if known && mode == Normal && req.Secret == s.Secret {
		s.spent[req.Response] = true
	}
	s.mu.Unlock()
	switch mode {
	case Down:
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	case Slow:
		<-r.Context().Done()
		return
	case Garbage:
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>502 Bad Gateway</html>"))
		return
	case Huge:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"success":true,"hostname":"`))
		chunk := make([]byte, 64<<10)
		for i := range chunk {
			chunk[i] = 'a'
		}
		for range 64 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		_, _ = w.Write([]byte(`"}`))
		return
	}
	out := map[string]any{"success": false, "error-codes": []string{}}
	switch {
	case req.Secret == "":
		out["error-codes"] = []string{"missing-input-secret"}
	case req.Secret != s.Secret:
		out["error-codes"] = []string{"invalid-input-secret"}
	case req.Response == "":
		out["error-codes"] = []string{"missing-input-response"}
	case !known:
		out["error-codes"] = []string{"invalid-input-response"}
	case spent:
		out["error-codes"] = []string{"timeout-or-duplicate"}
	default:
		out = map[string]any{"success": true, "error-codes": []string{}, "hostname": sol.Hostname,
			"challenge_ts": "2026-12-07T06:00:00Z"}
		if sol.Action != "" {
			out["action"] = sol.Action
		}
		if sol.Score != nil {
			out["score"] = *sol.Score
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}
