package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"regexp"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
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
		// extensions.code is always a value of the schema's ErrorCode enum:
		// an error made with any other code is a bug, answered INTERNAL.
		if errors.As(err, &app) && app.Code != ports.CodeInternal && app.Code.Known() {
			gerr.Message = app.Message
			gerr.Extensions = map[string]any{"code": string(app.Code)}
			if len(app.Fields) > 0 {
				gerr.Extensions["fields"] = app.Fields
			}
			if app.RetryAfter > 0 {
				gerr.Extensions["retryAfterSeconds"] = int(math.Ceil(app.RetryAfter.Seconds()))
			}
			if app.Reason != "" {
				gerr.Extensions["reason"] = app.Reason
			}
			if app.RestrictionCode != 0 {
				gerr.Extensions["restrictionCode"] = app.RestrictionCode
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
			// Parser messages repeat literal values, which may be a PIN or
			// a code written into the query: neither the answer nor the log
			// carries them.
			gerr.Message = requestErrorMessage(gerr, reason)
			log.DebugContext(ctx, "bad graphql request", "reason", reason, "message", gerr.Message)
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

// requestErrorMessage is the message of a bad request's error without any
// value the client wrote: the rule's message when it names only fields,
// arguments, types and variables, else a generic one for its kind, the
// error's locations and path still saying where. A parse error quotes the
// token it stopped at, ValuesOfCorrectType the literal it refused (a PIN
// written as a number: `String cannot represent a non string value:
// 482913`), variable coercion some values, and gqlgen's undecodable body
// the whole body.
func requestErrorMessage(g *gqlerror.Error, reason string) string {
	switch {
	case reason == "GRAPHQL_PARSE_FAILED":
		return "the query could not be parsed"
	case strings.HasPrefix(g.Rule, "ValuesOfCorrectType"):
		if valueFreeValueMessage.MatchString(g.Message) {
			return g.Message
		}
		if m := cannotRepresent.FindStringSubmatch(g.Message); m != nil {
			return m[1] + "."
		}
		if m := expectedType.FindStringSubmatch(g.Message); m != nil {
			return m[1] + "."
		}
		if m := notInEnum.FindStringSubmatch(g.Message); m != nil {
			return "The value does not exist in \"" + m[1] + "\" enum."
		}
		return "A value is not of the type its argument or input field expects."
	case g.Rule != "":
		// The other rules name fields, arguments, types, variables,
		// fragments and directives, never values.
		return g.Message
	case len(g.Path) > 0 && g.Path[0] == ast.PathName("variable"):
		if valueFreeVariableMessage.MatchString(g.Message) {
			return g.Message
		}
		if m := notAValid.FindStringSubmatch(g.Message); m != nil {
			return "is not a valid " + m[1]
		}
		return "is not a value of the variable's type"
	case valueFreeRequestMessage.MatchString(g.Message):
		return g.Message
	case reason == "BAD_REQUEST":
		return "the request could not be read"
	}
	// A code of its own (a query too complex, a refused upload): the
	// server's words.
	return g.Message
}

var (
	// ValuesOfCorrectType's messages that quote no value.
	valueFreeValueMessage = regexp.MustCompile(`^(Field "[^"]*" of required type "[^"]*" was not provided\.|` +
		`Field "[^"]*" must be non-null\.|Field "[^"]*" is not defined by type "[^"]*"\..*|` +
		`OneOf Input Object "[^"]*" must specify exactly one key\.)$`)
	// "String cannot represent a non string value: <value>", and the
	// like for Int, Float, Boolean, ID and enums.
	cannotRepresent = regexp.MustCompile(`^([^:]* cannot represent [^:]*): `)
	// "Expected value of type "T", found <value>."
	expectedType = regexp.MustCompile(`^(Expected value of type "[^"]*"), found `)
	// "Value "<value>" does not exist in "E" enum."
	notInEnum = regexp.MustCompile(`does not exist in "([^"]*)" enum\.$`)
	// Variable coercion's messages that quote no value.
	valueFreeVariableMessage = regexp.MustCompile(`^(must be defined|cannot be null|unknown field|must an input type|` +
		`enums must be ints or strings|cannot use [a-z][a-z0-9]* as [A-Za-z_][A-Za-z0-9_]*|` +
		`must be a [A-Za-z_][A-Za-z0-9_]*, not a [a-z][a-z0-9]*)$`)
	// "<value> is not a valid E", of an enum variable.
	notAValid = regexp.MustCompile(` is not a valid ([A-Za-z_][A-Za-z0-9_]*)$`)
	// gqlgen's own messages that quote no value.
	valueFreeRequestMessage = regexp.MustCompile(`^(no operation provided|operation [A-Za-z_][A-Za-z0-9_]* not found)$`)
)
