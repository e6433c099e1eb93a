package graph

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestCORSPreflight(t *testing.T) {
	c := NewCORS([]string{"https://app.example.com", "http://localhost:5173"})
	tests := []struct {
		name, origin, method, headers string
		status                        int
		allowed                       bool
	}{
		{"an allowed origin", "https://app.example.com", "POST", "authorization,content-type", 204, true},
		{"another allowed origin, API-key headers", "http://localhost:5173", "POST",
			"content-type, x-api-key, x-api-nonce, x-api-signature, x-request-id", 204, true},
		{"an origin not listed", "https://evil.example.com", "POST", "content-type", 403, false},
		{"a listed origin's other port", "http://localhost:5174", "POST", "content-type", 403, false},
		{"the same host over http", "http://app.example.com", "POST", "content-type", 403, false},
		{"a method not served", "https://app.example.com", "DELETE", "content-type", 403, false},
		{"a header Gatehouse does not read", "https://app.example.com", "POST", "content-type,x-debug", 403, false},
		{"the null origin of a sandboxed page", "null", "POST", "content-type", 403, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodOptions, "/graphql", nil)
			req.Header.Set("Origin", tt.origin)
			req.Header.Set("Access-Control-Request-Method", tt.method)
			req.Header.Set("Access-Control-Request-Headers", tt.headers)
			rec := httptest.NewRecorder()
			c.Preflight().ServeHTTP(rec, req)
			h := rec.Header()
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			if got := h.Get("Access-Control-Allow-Origin"); (got == tt.origin) != tt.allowed || (!tt.allowed && got != "") {
				t.Fatalf("Access-Control-Allow-Origin %q (allowed: %v)", got, tt.allowed)
			}
			if !tt.allowed {
				for k := range h {
					if len(k) > 15 && k[:15] == "Access-Control-" {
						t.Fatalf("a refused preflight carries %s", k)
					}
				}
				return
			}
			want := map[string]string{
				"Access-Control-Allow-Methods": "POST, OPTIONS",
				"Access-Control-Allow-Headers": "Authorization, Content-Type, X-Request-Id, X-Api-Key, X-Api-Nonce, X-Api-Signature, X-Gatehouse-Whitelink",
				"Access-Control-Max-Age":       "600",
			}
			for k, v := range want {
				if h.Get(k) != v {
					t.Fatalf("%s %q, want %q", k, h.Get(k), v)
				}
			}
			if h.Get("Access-Control-Allow-Credentials") != "" {
				t.Fatal("credentials are off")
			}
			if vary := h.Values("Vary"); len(vary) == 0 || vary[0] != "Origin" {
				t.Fatalf("Vary %q", vary)
			}
		})
	}
}

func TestCORSOptionsWithoutOriginIsNoPreflight(t *testing.T) {
	rec := httptest.NewRecorder()
	NewCORS(nil).Preflight().ServeHTTP(rec, httptest.NewRequest(http.MethodOptions, "/graphql", nil))
	if rec.Code != 204 || rec.Header().Get("Allow") != "POST, OPTIONS" || rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
}

func TestCORSAnswerEchoesOnlyAnAllowedOrigin(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(200) })
	h := NewCORS([]string{"https://app.example.com"}).Wrap(ok)
	for origin, want := range map[string]string{"https://app.example.com": "https://app.example.com",
		"https://evil.example.com": "", "": ""} {
		req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if got := rec.Header().Get("Access-Control-Allow-Origin"); got != want {
			t.Fatalf("origin %q: Access-Control-Allow-Origin %q, want %q", origin, got, want)
		}
		if rec.Header().Get("Vary") != "Origin" {
			t.Fatalf("origin %q: Vary %q", origin, rec.Header().Get("Vary"))
		}
		if exposed := rec.Header().Get("Access-Control-Expose-Headers"); (exposed == "X-Request-Id") != (want != "") {
			t.Fatalf("origin %q: Access-Control-Expose-Headers %q", origin, exposed)
		}
		if rec.Header().Get("Access-Control-Allow-Credentials") != "" {
			t.Fatal("credentials are off")
		}
	}
}
