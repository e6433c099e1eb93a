package ports

import "context"

type requestIDKey struct{}

// WithRequestID attaches the request's id (X-Request-Id) to ctx, so that
// every log line about the request can name it.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID is the id of the request ctx belongs to, "" when none.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
