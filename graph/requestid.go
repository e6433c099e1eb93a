package graph

import (
	"net/http"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// RequestIDHeader carries a request's id in and out.
const RequestIDHeader = "X-Request-Id"

// maxRequestIDLen bounds an id a client (or its proxy) sends.
const maxRequestIDLen = 64

// WithRequestID gives every request an id: the client's X-Request-Id when
// it is short and made of safe characters (letters, digits, '-', '_',
// '.', ':'), else a new UUID. The id is echoed in the answer's
// X-Request-Id and named in every error log line about the request, so an
// operator can find what a user reports.
func WithRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !validRequestID(id) {
			id = uuid.NewString()
		}
		w.Header().Set(RequestIDHeader, id)
		next.ServeHTTP(w, r.WithContext(ports.WithRequestID(r.Context(), id)))
	})
}

func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == ':':
		default:
			return false
		}
	}
	return true
}
