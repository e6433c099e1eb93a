// Package oidc is Gatehouse as an OpenID Connect relying party of the
// configured providers (github.com/coreos/go-oidc/v3 and
// golang.org/x/oauth2): discovery, the authorization URL with PKCE and a
// nonce, the code exchange and the id token's verification.
package oidc

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/ports"
)

// Options bound the calls to providers.
type Options struct {
	// Timeout bounds each call to a provider (discovery, keys, token).
	Timeout time.Duration
	// RetryAfter is how long a provider whose discovery failed is not
	// asked again: its sign-ins answer UNAVAILABLE meanwhile, at once,
	// rather than each waiting out Timeout.
	RetryAfter time.Duration
	// Client makes the calls; nil: a client of its own with Timeout.
	Client *http.Client
}

// DefaultOptions are the defaults.
func DefaultOptions() Options {
	return Options{Timeout: 10 * time.Second, RetryAfter: 15 * time.Second}
}

// Relying implements federation.Relying for a fixed set of providers.
type Relying struct {
	opts      Options
	log       *slog.Logger
	providers map[string]*provider
}

var _ federation.Relying = (*Relying)(nil)

// provider is one configured provider and its discovery, made on first
// use: a provider down when Gatehouse starts must not stop it.
type provider struct {
	cfg federation.Provider

	mu       sync.Mutex
	disc     *gooidc.Provider
	verifier *gooidc.IDTokenVerifier
	failedAt time.Time
	failure  error
}

// New returns a relying party of ps (checked already by
// federation.CheckProviders).
func New(ps []federation.Provider, opts Options, log *slog.Logger) *Relying {
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: opts.Timeout}
	}
	r := &Relying{opts: opts, log: log, providers: map[string]*provider{}}
	for _, p := range ps {
		r.providers[p.Name] = &provider{cfg: p}
	}
	return r
}

// Warm discovers every provider once, in the background, so that the
// first sign-in does not wait for it; failures are logged and retried on
// use.
func (r *Relying) Warm(ctx context.Context) {
	for _, p := range r.providers {
		go func() {
			if _, _, err := r.discover(ctx, p); err != nil {
				r.log.WarnContext(ctx, "oidc provider discovery failed; sign-ins with it answer UNAVAILABLE until it answers",
					"provider", p.cfg.Name, "err", err)
			}
		}()
	}
}

// discover returns the provider's discovery, fetching it if needed.
// Errors: UNAVAILABLE (no such provider is INTERNAL: the service checked).
func (r *Relying) discover(ctx context.Context, p *provider) (*gooidc.Provider, *gooidc.IDTokenVerifier, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.disc != nil {
		return p.disc, p.verifier, nil
	}
	if p.failure != nil && time.Since(p.failedAt) < r.opts.RetryAfter {
		e := ports.Unavailable(p.failure)
		e.Reason = federation.ReasonProviderUnavailable
		e.RetryAfter = r.opts.RetryAfter - time.Since(p.failedAt)
		return nil, nil, e
	}
	// Bounded on its own: the request's deadline may be longer, and one
	// waiting client holds the others of this provider.
	dctx, cancel := context.WithTimeout(gooidc.ClientContext(ctx, r.opts.Client), r.opts.Timeout)
	defer cancel()
	disc, err := gooidc.NewProvider(dctx, p.cfg.Issuer)
	if err != nil {
		p.failedAt, p.failure = time.Now(), err
		return nil, nil, unavailable(err)
	}
	p.disc, p.failure = disc, nil
	p.verifier = disc.Verifier(&gooidc.Config{ClientID: p.cfg.ClientID})
	return p.disc, p.verifier, nil
}

func unavailable(cause error) error {
	e := ports.Unavailable(cause)
	e.Reason = federation.ReasonProviderUnavailable
	return e
}

func (r *Relying) oauth(p *provider, disc *gooidc.Provider, redirectURI string) *oauth2.Config {
	scopes := p.cfg.Scopes
	if len(scopes) == 0 {
		scopes = federation.DefaultScopes
	}
	return &oauth2.Config{ClientID: p.cfg.ClientID, ClientSecret: string(p.cfg.ClientSecret),
		Endpoint: disc.Endpoint(), RedirectURL: redirectURI, Scopes: append([]string{gooidc.ScopeOpenID}, scopes...)}
}

func (r *Relying) lookup(name string) (*provider, error) {
	p, ok := r.providers[name]
	if !ok {
		return nil, fmt.Errorf("oidc: provider %q is not configured", name)
	}
	return p, nil
}

// AuthorizationURL returns the provider's authorization URL with the
// state, the nonce and the S256 challenge of the verifier.
func (r *Relying) AuthorizationURL(ctx context.Context, name string, a federation.AuthRequest) (string, error) {
	p, err := r.lookup(name)
	if err != nil {
		return "", err
	}
	disc, _, err := r.discover(ctx, p)
	if err != nil {
		return "", err
	}
	return r.oauth(p, disc, a.RedirectURI).AuthCodeURL(a.State, oauth2.S256ChallengeOption(a.Verifier),
		gooidc.Nonce(a.Nonce)), nil
}

// Redeem exchanges the code and verifies the id token it brings.
func (r *Relying) Redeem(ctx context.Context, name string, x federation.Redemption) (federation.Claims, error) {
	p, err := r.lookup(name)
	if err != nil {
		return federation.Claims{}, err
	}
	disc, verifier, err := r.discover(ctx, p)
	if err != nil {
		return federation.Claims{}, err
	}
	cctx, cancel := context.WithTimeout(gooidc.ClientContext(ctx, r.opts.Client), r.opts.Timeout)
	defer cancel()
	tok, err := r.oauth(p, disc, x.RedirectURI).Exchange(cctx, x.Code, oauth2.VerifierOption(x.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 400 && re.Response.StatusCode < 500 {
			// The provider said no (invalid_grant: unknown, used or expired
			// code, or a verifier that does not match): the client's to
			// start again, not an outage.
			return federation.Claims{}, &ports.Error{Code: ports.CodeInvalidCode, Reason: federation.ReasonCodeRejected,
				Message: "the provider did not accept this code; start again", Cause: err}
		}
		return federation.Claims{}, unavailable(err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return federation.Claims{}, idTokenInvalid(errors.New("oidc: the token response has no id_token"))
	}
	idt, err := verifier.Verify(cctx, raw)
	if err != nil {
		if strings.Contains(err.Error(), "fetching keys") {
			return federation.Claims{}, unavailable(err)
		}
		return federation.Claims{}, idTokenInvalid(err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(x.Nonce)) != 1 {
		return federation.Claims{}, &ports.Error{Code: ports.CodeUnauthenticated, Reason: federation.ReasonNonceMismatch,
			Message: "the provider's answer was not made for this sign-in; start again"}
	}
	var c struct {
		Email         string          `json:"email"`
		EmailVerified json.RawMessage `json:"email_verified"`
		Name          string          `json:"name"`
	}
	if err := idt.Claims(&c); err != nil {
		return federation.Claims{}, idTokenInvalid(err)
	}
	if idt.Subject == "" || len(idt.Subject) > 255 || len(c.Email) > 320 {
		return federation.Claims{}, idTokenInvalid(errors.New("oidc: subject missing or claims too long"))
	}
	return federation.Claims{Subject: idt.Subject, Email: c.Email, EmailVerified: verified(c.EmailVerified),
		Name: c.Name}, nil
}

// verified reads email_verified, a boolean, or the string "true" as some
// providers send it.
func verified(raw json.RawMessage) bool {
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return b
	}
	var s string
	return json.Unmarshal(raw, &s) == nil && strings.EqualFold(s, "true")
}

func idTokenInvalid(cause error) error {
	return &ports.Error{Code: ports.CodeUnauthenticated, Reason: federation.ReasonIDTokenInvalid,
		Message: "the provider's identity token could not be verified; start again", Cause: cause}
}
