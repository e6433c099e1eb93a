package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/gatehouse/gatehouse/ports"
)

// presentError turns any error into a GraphQL error with extensions.code.
// Application errors keep their safe message. Only gqlgen's own account of
// a bad request (unparsable, invalid against the schema, a variable
// missing or of the wrong type, a body it could not read) is the client's
// VALIDATION_FAILED. Everything else is the server's: UNAVAILABLE when a
// dependency failed (the store maps those), else INTERNAL, each with a
// generic message (no SQL, driver or stack text) and its cause logged
// once, with the request id.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gerr := graphql.DefaultErrorPresenter(ctx, err)
		var app *ports.Error
		if errors.As(err, &app) && app.Code != ports.CodeInternal {
			gerr.Message = app.Message
			gerr.Extensions = map[string]any{"code": string(app.Code)}
			if len(app.Fields) > 0 {
				gerr.Extensions["fields"] = app.Fields
			}
			if app.RetryAfter > 0 {
				gerr.Extensions["retryAfterSeconds"] = int(math.Ceil(app.RetryAfter.Seconds()))
			}
			if app.Code == ports.CodeUnavailable {
				log.Log(ctx, serverFaultLevel(ctx), "dependency unavailable", "request_id", ports.RequestID(ctx),
					"path", gerr.Path.String(), "err", err)
			}
			return gerr
		}
		if app == nil && isRequestError(err) {
			reason, _ := gerr.Extensions["code"].(string)
			if reason == "" {
				reason = "BAD_REQUEST"
			}
			gerr.Extensions = map[string]any{"code": string(ports.CodeValidationFailed), "reason": reason}
			// Only the reason: parser messages repeat literal values, which
			// may be a PIN or a code written into the query.
			log.DebugContext(ctx, "bad graphql request", "reason", reason)
			return gerr
		}
		log.Log(ctx, serverFaultLevel(ctx), "internal error", "request_id", ports.RequestID(ctx), "path", gerr.Path.String(), "err", err)
		msg := "internal error"
		if app != nil && app.Message != "" {
			msg = app.Message
		}
		gerr.Message = msg
		gerr.Extensions = map[string]any{"code": string(ports.CodeInternal)}
		return gerr
	}
}

// serverFaultLevel is ERROR, unless the client went away first: the
// database call it cut then failed because of the client, and an alert on
// errors must not fire for that.
func serverFaultLevel(ctx context.Context) slog.Level {
	if errors.Is(ctx.Err(), context.Canceled) {
		return slog.LevelInfo
	}
	return slog.LevelError
}

// isRequestError reports whether err is gqlgen's (or gqlparser's) own
// account of a bad request: a *gqlerror.Error that wraps no Go error, or
// one gqlgen gave a code of its own (GRAPHQL_PARSE_FAILED,
// GRAPHQL_VALIDATION_FAILED). Errors a resolver or a middleware returned
// are never the client's fault unless they say so with a code.
func isRequestError(err error) bool {
	var g *gqlerror.Error
	if !errors.As(err, &g) {
		return false
	}
	if reason, _ := g.Extensions["code"].(string); reason != "" {
		return true
	}
	return g.Err == nil
}

// recoverPanic keeps a panicking resolver from taking the request down.
func recoverPanic(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "resolver panic", "panic", fmt.Sprint(p))
		return &ports.Error{Code: ports.CodeInternal, Message: "internal error"}
	}
}
