package partners_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/partners"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestATokenIsTheClientsWithItsScopes(t *testing.T) {
	e := newEnv(t)
	c := e.create("A", partners.ScopeAccountsWrite, partners.ScopeUsersRead)
	tok, err := e.issuer.Issue(from("198.51.100.1"), partners.TokenRequest{ClientID: c.App.ClientID(), ClientSecret: c.Secret})
	require.NoError(t, err)
	require.Equal(t, 15*time.Minute, tok.ExpiresIn)
	require.Equal(t, c.App.Scopes, tok.Scopes, "no scope asked: all the app's")
	claims, err := e.tokens.Verify(tok.AccessToken, t0)
	require.NoError(t, err)
	require.Equal(t, ports.TokenClient, claims.Kind)
	require.Equal(t, c.App.ClientID(), claims.ClientID)
	require.Equal(t, ports.RolePartner, claims.Role)
	require.Equal(t, c.App.Scopes, claims.Scopes)
	require.Equal(t, t0.Add(15*time.Minute), claims.ExpiresAt)

	tok, err = e.issuer.Issue(from("198.51.100.1"), partners.TokenRequest{ClientID: c.App.ClientID(), ClientSecret: c.Secret,
		Scope: "  users:read  "})
	require.NoError(t, err)
	require.Equal(t, []string{partners.ScopeUsersRead}, tok.Scopes)
}

func TestTokenRefusals(t *testing.T) {
	e := newEnv(t)
	c := e.create("A", partners.ScopeUsersRead)
	disabled := e.create("B", partners.ScopeUsersRead)
	_, err := e.manage.Disable(as(ports.RoleAdmin), disabled.App.ID)
	require.NoError(t, err)
	for name, tc := range map[string]struct {
		r      partners.TokenRequest
		code   ports.ErrorCode
		reason string
	}{
		"unknown client":   {partners.TokenRequest{ClientID: "0193a3c1-0000-7000-8000-000000000000", ClientSecret: c.Secret}, ports.CodeUnauthenticated, partners.ReasonInvalidClient},
		"malformed client": {partners.TokenRequest{ClientID: "acme", ClientSecret: c.Secret}, ports.CodeUnauthenticated, partners.ReasonInvalidClient},
		"wrong secret":     {partners.TokenRequest{ClientID: c.App.ClientID(), ClientSecret: c.Secret + "x"}, ports.CodeUnauthenticated, partners.ReasonInvalidClient},
		"no secret":        {partners.TokenRequest{ClientID: c.App.ClientID()}, ports.CodeUnauthenticated, partners.ReasonInvalidClient},
		"disabled":         {partners.TokenRequest{ClientID: disabled.App.ClientID(), ClientSecret: disabled.Secret}, ports.CodeUnauthenticated, partners.ReasonInvalidClient},
		"scope not held":   {partners.TokenRequest{ClientID: c.App.ClientID(), ClientSecret: c.Secret, Scope: "users:read accounts:write"}, ports.CodeForbidden, partners.ReasonInvalidScope},
		"unknown scope":    {partners.TokenRequest{ClientID: c.App.ClientID(), ClientSecret: c.Secret, Scope: "openid"}, ports.CodeForbidden, partners.ReasonInvalidScope},
	} {
		_, err := e.issuer.Issue(from("198.51.100.2"), tc.r)
		pe := errtest.Code(t, err, tc.code, name)
		require.Equal(t, tc.reason, pe.Reason, name)
	}
	for _, a := range e.activities.WithAction("partner_app.token") {
		require.NotContains(t, a.Details, "secret")
		for _, v := range a.Details {
			require.NotContains(t, v, c.Secret[5:15])
		}
	}
}

func TestARotatedSecretWorksForItsGracePeriod(t *testing.T) {
	e := newEnv(t, func(c *partners.Config) { c.SecretGrace = time.Hour })
	c := e.create("A", partners.ScopeUsersRead)
	r, err := e.manage.RotateSecret(as(ports.RoleAdmin), c.App.ID)
	require.NoError(t, err)
	require.NotEqual(t, c.Secret, r.Secret)
	issue := func(secret string) error {
		_, err := e.issuer.Issue(from("198.51.100.3"), partners.TokenRequest{ClientID: c.App.ClientID(), ClientSecret: secret})
		return err
	}
	require.NoError(t, issue(c.Secret), "the old secret within its grace")
	require.NoError(t, issue(r.Secret))
	e.clock.Advance(time.Hour)
	errtest.Code(t, issue(c.Secret), ports.CodeUnauthenticated, "the old secret after its grace")
	require.NoError(t, issue(r.Secret))
}

func TestTokenRequestsAreLimitedPerClientAndPerAddress(t *testing.T) {
	e := newEnv(t, func(c *partners.Config) { c.TokensPerMinute, c.TokensPerMinutePerIP = 3, 5 })
	a, b := e.create("A", partners.ScopeUsersRead), e.create("B", partners.ScopeUsersRead)
	for i := range 3 {
		// Wrong secrets count too, in their own bucket (see
		// TestAClientIDAloneCannotLockThePartnerOut).
		_, err := e.issuer.Issue(from("198.51.100.4"), partners.TokenRequest{ClientID: a.App.ClientID(), ClientSecret: "guess"})
		errtest.Code(t, err, ports.CodeUnauthenticated, "try %d", i)
	}
	for i := range 3 {
		_, err := e.issuer.Issue(from("198.51.100.5"), partners.TokenRequest{ClientID: a.App.ClientID(), ClientSecret: a.Secret})
		require.NoError(t, err, "token %d", i)
	}
	_, err := e.issuer.Issue(from("198.51.100.5"), partners.TokenRequest{ClientID: a.App.ClientID(), ClientSecret: a.Secret})
	pe := errtest.Code(t, err, ports.CodeRateLimited, "the client's fourth token in a minute, from anywhere")
	require.Positive(t, pe.RetryAfter)
	// The address 198.51.100.4 spent 3 of its 5; two more of b's, then none.
	for range 2 {
		_, err = e.issuer.Issue(from("198.51.100.4"), partners.TokenRequest{ClientID: b.App.ClientID(), ClientSecret: b.Secret})
		require.NoError(t, err)
	}
	_, err = e.issuer.Issue(from("198.51.100.4"), partners.TokenRequest{ClientID: b.App.ClientID(), ClientSecret: b.Secret})
	errtest.Code(t, err, ports.CodeRateLimited, "the address's sixth request")
	e.clock.Advance(time.Minute)
	_, err = e.issuer.Issue(from("198.51.100.5"), partners.TokenRequest{ClientID: a.App.ClientID(), ClientSecret: a.Secret})
	require.NoError(t, err)
}

// TestAClientIDAloneCannotLockThePartnerOut: a client id is no secret (it
// is in the partner's configuration, its logs, every Basic header). Were
// wrong secrets to spend the client's own limit, anyone who knows the id
// could keep the partner from its tokens with a few requests a minute
// from addresses of their own.
func TestAClientIDAloneCannotLockThePartnerOut(t *testing.T) {
	e := newEnv(t, func(c *partners.Config) { c.TokensPerMinute, c.TokensPerMinutePerIP = 3, 100 })
	a := e.create("A", partners.ScopeUsersRead)
	for i := range 3 {
		_, err := e.issuer.Issue(from(fmt.Sprintf("198.51.100.%d", 10+i)), partners.TokenRequest{ClientID: a.App.ClientID(),
			ClientSecret: "guess"})
		errtest.Code(t, err, ports.CodeUnauthenticated, "guess %d", i)
	}
	// Further guesses are bounded...
	_, err := e.issuer.Issue(from("198.51.100.20"), partners.TokenRequest{ClientID: a.App.ClientID(), ClientSecret: "guess"})
	errtest.Code(t, err, ports.CodeRateLimited, "the fourth guess in a minute")
	// ...and the partner, with its secret, still gets its tokens, as many
	// as its own limit allows.
	for i := range 3 {
		_, err = e.issuer.Issue(from("203.0.113.1"), partners.TokenRequest{ClientID: a.App.ClientID(), ClientSecret: a.Secret})
		require.NoError(t, err, "the partner's token %d", i)
	}
	_, err = e.issuer.Issue(from("203.0.113.1"), partners.TokenRequest{ClientID: a.App.ClientID(), ClientSecret: a.Secret})
	errtest.Code(t, err, ports.CodeRateLimited, "the partner's fourth token in a minute")
}
