package partners

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Reasons of the token endpoint's refusals (ports.Error.Reason); the HTTP
// glue turns them into RFC 6749 §5.2's error codes.
const (
	// ReasonInvalidClient: unknown client, wrong secret, or a disabled
	// app, alike, so the endpoint tells nobody which client ids exist.
	ReasonInvalidClient = "INVALID_CLIENT"
	// ReasonInvalidScope: a requested scope the app does not hold.
	ReasonInvalidScope = "INVALID_SCOPE"
)

// TokenRequest is a client credentials grant (RFC 6749 §4.4) as the HTTP
// glue read it: the client's credentials (from either authentication
// method) and the scope parameter, empty when absent.
type TokenRequest struct {
	ClientID     string
	ClientSecret string
	Scope        string
}

// Token is an issued access token.
type Token struct {
	AccessToken string
	ExpiresIn   time.Duration
	Scopes      []string
}

// Tokens issues partner apps their access tokens.
type Tokens struct {
	cfg        Config
	apps       Apps
	signer     ports.TokenSigner
	limiter    ports.RateLimiter
	clock      ports.Clock
	activities ports.ActivityLog
	log        *slog.Logger
}

// NewTokens returns the token issuer.
func NewTokens(cfg Config, apps Apps, signer ports.TokenSigner, limiter ports.RateLimiter, clock ports.Clock,
	activities ports.ActivityLog, log *slog.Logger) *Tokens {
	return &Tokens{cfg: cfg, apps: apps, signer: signer, limiter: limiter, clock: clock, activities: activities, log: log}
}

var errInvalidClient = ports.Refusal(ports.CodeUnauthenticated, ReasonInvalidClient, "client authentication failed")

// Issue checks the client's credentials and returns a token for the
// requested scopes (all the app's when none are asked for), signed like a
// user's with the client as subject and the role PARTNER. Errors:
// RATE_LIMITED (per client address before anything; per client id, wrong
// secrets and issued tokens counted apart), UNAUTHENTICATED with reason
// INVALID_CLIENT, FORBIDDEN with reason INVALID_SCOPE, VALIDATION_FAILED
// (scope: too long).
func (s *Tokens) Issue(ctx context.Context, r TokenRequest) (Token, error) {
	ip := ports.ClientKey(ports.RequestMetaFrom(ctx).IP)
	if err := s.allow(ctx, "partner_token:ip:"+ip, s.cfg.TokensPerMinutePerIP); err != nil {
		return Token{}, err
	}
	id, err := uuid.Parse(r.ClientID)
	if err != nil || len(r.ClientID) != 36 {
		s.record(ctx, nil, errInvalidClient, map[string]string{"why": "malformed client id"})
		return Token{}, errInvalidClient
	}
	now := s.clock.Now()
	a, err := s.apps.Get(ctx, id)
	switch {
	case errors.Is(err, ports.ErrNotFound):
		s.record(ctx, &id, errInvalidClient, map[string]string{"why": "unknown client"})
		return Token{}, errInvalidClient
	case err != nil:
		return Token{}, err
	case !a.secretMatches(r.ClientSecret, now):
		// Wrong secrets count in a bucket of their own: a client id is
		// no secret, and were they to spend the client's own limit,
		// whoever knows it could keep the partner from its tokens. The
		// bound is on the noise, not the guessing (256 random bits).
		// Counted and recorded even when the client has hung up since:
		// hanging up is no way to guess unseen.
		wctx := context.WithoutCancel(ctx)
		if err := s.allow(wctx, "partner_token:bad_secret:"+id.String(), s.cfg.TokensPerMinute); err != nil {
			return Token{}, err
		}
		s.record(wctx, &id, errInvalidClient, map[string]string{"why": "wrong secret"})
		return Token{}, errInvalidClient
	case a.State != Active:
		// Checked after the secret: only the holder of a secret learns,
		// from the activity log's side, that the app was disabled.
		s.record(ctx, &id, errInvalidClient, map[string]string{"why": "disabled"})
		return Token{}, errInvalidClient
	}
	scopes, err := grantedScopes(a, r.Scope)
	if err != nil {
		s.record(ctx, &id, err, nil)
		return Token{}, err
	}
	// Only the holder of the secret spends the client's own limit.
	if err := s.allow(ctx, "partner_token:client:"+id.String(), s.cfg.TokensPerMinute); err != nil {
		return Token{}, err
	}
	exp := now.Add(s.cfg.TokenTTL)
	tok, err := s.signer.Sign(ports.AccessClaims{Kind: ports.TokenClient, ClientID: a.ClientID(), Role: ports.RolePartner,
		Scopes: scopes, IssuedAt: now, ExpiresAt: exp})
	if err != nil {
		return Token{}, err
	}
	s.record(ctx, &id, nil, map[string]string{"scope": strings.Join(scopes, " ")})
	return Token{AccessToken: tok, ExpiresIn: s.cfg.TokenTTL, Scopes: scopes}, nil
}

// grantedScopes are the scopes of the parameter scope (RFC 6749 §3.3:
// space-separated), each of which the app must hold; all the app's when
// it is empty.
func grantedScopes(a App, scope string) ([]string, error) {
	if len(scope) > MaxScopeParam {
		return nil, ports.InvalidField("scope", "is too long")
	}
	asked := strings.Fields(scope)
	if len(asked) == 0 {
		return slices.Clone(a.Scopes), nil
	}
	for _, s := range asked {
		if !slices.Contains(a.Scopes, s) {
			return nil, ports.Refusal(ports.CodeForbidden, ReasonInvalidScope,
				"the scope %s is not among the client's scopes", truncate(s, 64))
		}
	}
	var out []string
	for _, s := range a.Scopes {
		if slices.Contains(asked, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// allow counts one request against key's limit per minute.
func (s *Tokens) allow(ctx context.Context, key string, limit int) error {
	ok, retry, err := s.limiter.Allow(ctx, key, limit, time.Minute)
	if err != nil {
		return err
	}
	if !ok {
		return ports.RateLimited(retry)
	}
	return nil
}

// record writes the token request's activity (no user: the app is in its
// details); a failure is logged, never returned. The secret is never in it.
func (s *Tokens) record(ctx context.Context, app *uuid.UUID, err error, details map[string]string) {
	d := map[string]string{}
	for k, v := range details {
		d[k] = v
	}
	if app != nil {
		d["app"] = app.String()
	}
	var pe *ports.Error
	if errors.As(err, &pe) && pe.Reason != "" {
		d["refusal"] = pe.Reason
	}
	a := ports.NewActivity(ctx, nil, ActivityTopic, "partner_app.token", err, d, s.clock.Now())
	if rerr := s.activities.Record(ctx, a); rerr != nil {
		s.log.ErrorContext(ctx, "activity not recorded", "action", "partner_app.token", "err", rerr)
	}
}
