package graph

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/netip"

	"github.com/99designs/gqlgen/graphql"

	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/ports"
)

// Perimeter judges a request against staff's restrictions
// (perimeter.Gate): nil lets it through, else ACCESS_RESTRICTED or
// MAINTENANCE. login tells that the operation signs in or signs up.
type Perimeter interface {
	Check(ctx context.Context, login bool) error
}

// LoginFields are the root fields a BLOCKLOGIN restriction refuses: every
// mutation that starts or completes a sign-up, or opens a session with a
// credential. refreshSession is not one: it keeps a session that exists
// working, and block-login leaves signed-in users alone.
var LoginFields = map[string]bool{
	"signUpWithEmail":     true,
	"confirmEmail":        true,
	"startPhoneSignup":    true,
	"verifyPhoneSignup":   true,
	"completePhoneSignup": true,
	"signIn":              true,
	"verifySignIn":        true,
	"signInWithPin":       true,
	"verifyDeviceSignIn":  true,
	"startPinSetup":       true,
	"completePinSetup":    true,
	"completePinReset":    true,
	"startOidcSignIn":     true,
	"completeOidcSignIn":  true,
}

// perimeterGate refuses every root field (introspection aside) to the
// clients the restrictions refuse, before authorization or the resolver
// runs. It reads no database: the gate judges from memory.
func perimeterGate(p Perimeter) graphql.RootFieldMiddleware {
	return func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		fc := graphql.GetRootFieldContext(ctx)
		if fc == nil || isIntrospection(fc.Field.Name) {
			return next(ctx)
		}
		if err := p.Check(ctx, LoginFields[fc.Field.Name]); err != nil {
			graphql.AddError(ctx, err)
			return graphql.Null
		}
		return next(ctx)
	}
}

// NetworkOnly is p without MAINTENANCE: BLACKLIST and WHITELIST still
// refuse. It guards the routes of signed links (KYC files), which the
// perimeter let someone have moments before: staff reviewing during
// maintenance are among them, and the browser fetching the link carries
// no token to prove it. Maintenance is about who is served, not about
// networks shut out, so a link it would refuse is no leak.
func NetworkOnly(p Perimeter) Perimeter { return networkOnly{p} }

type networkOnly struct{ p Perimeter }

func (n networkOnly) Check(ctx context.Context, login bool) error {
	err := n.p.Check(ctx, login)
	if ports.ErrorCodeOf(err) == ports.CodeMaintenance {
		return nil
	}
	return err
}

// GuardRoute refuses the requests of a route outside GraphQL (such as
// POST /oauth2/token, with login true: it hands out credentials) to the
// clients the restrictions refuse: 403 (503 for MAINTENANCE) with a JSON
// body {"error", "error_description", "code", "reason",
// "restrictionCode"}. It reads the client address and the whitelink
// header itself, so it can wrap any handler.
func GuardRoute(p Perimeter, trusted []netip.Prefix, login bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := perimeter.WithWhitelink(withMeta(r, trusted), r.Header.Get(perimeter.WhitelinkHeader))
		err := p.Check(ctx, login)
		if err == nil {
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		var e *ports.Error
		if !errors.As(err, &e) {
			e = ports.Errorf(ports.CodeInternal, "internal error")
		}
		status := http.StatusForbidden
		if e.Code == ports.CodeMaintenance {
			status = http.StatusServiceUnavailable
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		// The body is not read: closing the connection, or net/http would
		// drain it (as long as the client keeps sending, up to the read
		// timeout) before answering.
		w.Header().Set("Connection", "close")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": "access_denied", "error_description": e.Message,
			"code": e.Code, "reason": e.Reason, "restrictionCode": e.RestrictionCode})
	})
}
