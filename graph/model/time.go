// Package model holds the GraphQL models (generated) and scalars.
package model

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/gatehouse/gatehouse/ports"
)

// MarshalTime writes t as RFC 3339 in UTC, whatever zone it came in.
func MarshalTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.UTC().Format(time.RFC3339Nano)))
	})
}

// UnmarshalTime reads an RFC 3339 string.
func UnmarshalTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, badTime("time must be an RFC 3339 string")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, badTime("time must be RFC 3339, e.g. 2026-11-23T10:15:00Z")
	}
	// PostgreSQL and the clients agree on years 1 to 9999 only.
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return time.Time{}, badTime("time must be between the years 1 and 9999")
	}
	return t.UTC(), nil
}

// badTime is a Time the client sent wrong: VALIDATION_FAILED, not INTERNAL.
func badTime(msg string) error { return &ports.Error{Code: ports.CodeValidationFailed, Message: msg} }
