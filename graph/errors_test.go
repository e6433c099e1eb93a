package graph

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/gatehouse/gatehouse/ports"
)

func TestPresentErrorBlamesTheClientOnlyForItsRequest(t *testing.T) {
	driver := errors.New("failed to connect to `user=gatehouse database=gh`: 10.0.0.5:5432: connection refused")
	tests := []struct {
		name       string
		err        error
		code       string
		reason     string
		logged     string // the log level of its one line, "" for none above DEBUG
		canceled   bool   // the client went away first
		wantNoText string
	}{
		{"a parse error", gqlerror.Errorf("Unexpected Name \"1234\""), "VALIDATION_FAILED", "BAD_REQUEST", "", false, ""},
		{"a validation error", &gqlerror.Error{Message: "Cannot query field", Extensions: map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"}},
			"VALIDATION_FAILED", "GRAPHQL_VALIDATION_FAILED", "", false, ""},
		{"a raw error outside a resolver", driver, "INTERNAL", "", "ERROR", false, "10.0.0.5"},
		{"a raw error wrapped with a path", gqlerror.WrapPath(nil, driver), "INTERNAL", "", "ERROR", false, "10.0.0.5"},
		{"an outage", ports.Unavailable(driver), "UNAVAILABLE", "", "ERROR", false, "10.0.0.5"},
		{"an outage the client caused by leaving", ports.Unavailable(driver), "UNAVAILABLE", "", "INFO", true, "10.0.0.5"},
		{"an application error", ports.Errorf(ports.CodeForbidden, "no"), "FORBIDDEN", "", "", false, ""},
		{"a refusal with its reason", ports.Refusal(ports.CodeForbidden, "SCOPE_MISSING", "no"), "FORBIDDEN",
			"SCOPE_MISSING", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
			ctx := ports.WithRequestID(context.Background(), "rid-1")
			if tt.canceled {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				cancel()
			}
			g := presentError(log)(ctx, tt.err)
			if c := g.Extensions["code"]; c != tt.code {
				t.Fatalf("code %v, want %s (%+v)", c, tt.code, g)
			}
			if r, _ := g.Extensions["reason"].(string); r != tt.reason {
				t.Fatalf("reason %q, want %q", r, tt.reason)
			}
			if _, ok := g.Extensions["restrictionCode"]; ok {
				t.Fatalf("a restriction code on an error that has none: %+v", g.Extensions)
			}
			if tt.wantNoText != "" && strings.Contains(g.Message, tt.wantNoText) {
				t.Fatalf("the message leaks the cause: %q", g.Message)
			}
			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			if tt.logged == "" {
				if buf.Len() != 0 {
					t.Fatalf("logged:\n%s", buf.String())
				}
				return
			}
			if len(lines) != 1 || !strings.Contains(lines[0], "level="+tt.logged) || !strings.Contains(lines[0], "request_id=rid-1") {
				t.Fatalf("want one %s line with the request id, got:\n%s", tt.logged, buf.String())
			}
		})
	}
}

func TestRequestErrorsDoNotRepeatValues(t *testing.T) {
	tests := []struct {
		err  *gqlerror.Error
		want string
	}{
		{&gqlerror.Error{Message: `Unexpected String "482913"`, Extensions: map[string]any{"code": "GRAPHQL_PARSE_FAILED"}},
			"the query could not be parsed"},
		{&gqlerror.Error{Message: `String cannot represent a non string value: 482913`, Rule: "ValuesOfCorrectType"},
			"String cannot represent a non string value."},
		{&gqlerror.Error{Message: `Int cannot represent non-integer value: "482913"`, Rule: "ValuesOfCorrectType"},
			"Int cannot represent non-integer value."},
		{&gqlerror.Error{Message: `Value "S482913" does not exist in "Platform" enum.`, Rule: "ValuesOfCorrectType"},
			`The value does not exist in "Platform" enum.`},
		{&gqlerror.Error{Message: `Field "SignInInput.pin" of required type "String!" was not provided.`, Rule: "ValuesOfCorrectType"},
			`Field "SignInInput.pin" of required type "String!" was not provided.`},
		{&gqlerror.Error{Message: `Cannot query field "pin" on type "User".`, Rule: "FieldsOnCorrectType"},
			`Cannot query field "pin" on type "User".`},
		{gqlerror.ErrorPathf(ast.Path{ast.PathName("variable"), ast.PathName("n")}, "cannot use value 482913 as Int"),
			"is not a value of the variable's type"},
		{gqlerror.ErrorPathf(ast.Path{ast.PathName("variable"), ast.PathName("pin")}, "cannot use map as String"),
			"cannot use map as String"},
		{gqlerror.Errorf(`json request body could not be decoded: unexpected EOF body:{"pin":"482913"`),
			"the request could not be read"},
	}
	for _, tt := range tests {
		g := presentError(slog.New(slog.DiscardHandler))(context.Background(), tt.err)
		if g.Message != tt.want {
			t.Errorf("%q: message %q, want %q", tt.err.Message, g.Message, tt.want)
		}
	}
}

// A restriction's refusal carries the number staff gave it.
func TestPresentErrorCarriesTheRestrictionCode(t *testing.T) {
	err := &ports.Error{Code: ports.CodeAccessRestricted, Reason: "BLACKLISTED", Message: "not from here", RestrictionCode: 4031}
	g := presentError(slog.New(slog.DiscardHandler))(context.Background(), err)
	if g.Extensions["code"] != "ACCESS_RESTRICTED" || g.Extensions["reason"] != "BLACKLISTED" || g.Extensions["restrictionCode"] != 4031 {
		t.Fatalf("extensions %+v", g.Extensions)
	}
}
