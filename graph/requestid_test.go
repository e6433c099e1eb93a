package graph

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/ports"
)

func TestRequestIDIsEchoedOrMadeSafe(t *testing.T) {
	tests := []struct {
		name, sent string
		kept       bool
	}{
		{"a client's id is kept", "req-42.a_b:c", true},
		{"none: one is made", "", false},
		{"too long", strings.Repeat("a", 65), false},
		{"unsafe characters (log injection)", "abc\" level=ERROR msg=forged", false},
		{"newline", "abc\ndef", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen string
			h := WithRequestID(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				seen = ports.RequestID(r.Context())
			}))
			req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
			if tt.sent != "" {
				req.Header[RequestIDHeader] = []string{tt.sent}
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			got := rec.Header().Get(RequestIDHeader)
			if got == "" || got != seen {
				t.Fatalf("echoed %q, handler saw %q", got, seen)
			}
			if tt.kept != (got == tt.sent) {
				t.Fatalf("sent %q, got %q (kept: want %v)", tt.sent, got, tt.kept)
			}
			if !validRequestID(got) {
				t.Fatalf("unsafe id %q", got)
			}
		})
	}
}
