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
// Application errors keep their safe message; anything else is logged
// with its cause and shown as INTERNAL with a generic message, so no SQL
// or stack text reaches a client.
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
			return gerr
		}
		reason, _ := gerr.Extensions["code"].(string)
		if len(gerr.Path) == 0 || (app == nil && reason != "") {
			// Not from a resolver: the request itself is bad (unparsable,
			// invalid against the schema, a variable missing or of the
			// wrong type, too complex, body too large). The client gets
			// VALIDATION_FAILED, with gqlgen's own code as reason.
			if reason == "" {
				reason = "BAD_REQUEST"
			}
			gerr.Extensions = map[string]any{"code": string(ports.CodeValidationFailed), "reason": reason}
			// Only the reason: parser messages repeat literal values, which
			// may be a PIN or a code written into the query.
			log.DebugContext(ctx, "bad graphql request", "reason", reason)
			return gerr
		}
		log.ErrorContext(ctx, "internal error", "path", gerr.Path.String(), "err", err)
		msg := "internal error"
		if app != nil && app.Message != "" {
			msg = app.Message
		}
		gerr.Message = msg
		gerr.Extensions = map[string]any{"code": string(ports.CodeInternal)}
		return gerr
	}
}

// recoverPanic keeps a panicking resolver from taking the request down.
func recoverPanic(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "resolver panic", "panic", fmt.Sprint(p))
		return &ports.Error{Code: ports.CodeInternal, Message: "internal error"}
	}
}
