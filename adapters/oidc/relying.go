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
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode"

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
	// MaxResponseBytes bounds each answer read from a provider: go-oidc
	// reads discovery documents and key sets whole, into memory and, on
	// an error, into the error's text.
	MaxResponseBytes int64
}

// DefaultOptions are the defaults. A discovery document or key set is a
// few kilobytes; a megabyte leaves room for many keys.
func DefaultOptions() Options {
	return Options{Timeout: 10 * time.Second, RetryAfter: 15 * time.Second, MaxResponseBytes: 1 << 20}
}

// maxCauseLength bounds a provider's error as logged: a provider's error
// page is not ours to copy whole into the log.
const maxCauseLength = 500

// skew is how far ahead of our clock a provider's iat may be.
const skew = 5 * time.Minute

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
	if opts.MaxResponseBytes <= 0 {
		opts.MaxResponseBytes = DefaultOptions().MaxResponseBytes
	}
	c := *opts.Client
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = boundedTransport{base: base, max: opts.MaxResponseBytes}
	opts.Client = &c
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
		p.failedAt, p.failure = time.Now(), brief(err)
		return nil, nil, unavailable(err)
	}
	p.disc, p.failure = disc, nil
	p.verifier = disc.Verifier(&gooidc.Config{ClientID: p.cfg.ClientID})
	return p.disc, p.verifier, nil
}

func unavailable(cause error) error {
	e := ports.Unavailable(brief(cause))
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
		if errors.As(err, &re) && re.Response != nil && codeRefused(re) {
			// The provider said no to the code (unknown, used or expired, or
			// a verifier that does not match): the client's to start again,
			// not an outage.
			return federation.Claims{}, &ports.Error{Code: ports.CodeInvalidCode, Reason: federation.ReasonCodeRejected,
				Message: "the provider did not accept this code; start again", Cause: brief(err)}
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
		// AuthorizedParty is azp: the client the token was issued to.
		AuthorizedParty string `json:"azp"`
	}
	if err := idt.Claims(&c); err != nil {
		return federation.Claims{}, idTokenInvalid(err)
	}
	if idt.Subject == "" || len(idt.Subject) > 255 || len(c.Email) > 320 {
		return federation.Claims{}, idTokenInvalid(errors.New("oidc: subject missing or claims too long"))
	}
	// A subject, email or name with control characters is no provider's
	// honest answer, and a NUL would reach PostgreSQL (which refuses it:
	// an internal error instead of a refusal).
	if strings.ContainsFunc(idt.Subject, unicode.IsControl) || strings.ContainsRune(c.Email, 0) ||
		strings.ContainsRune(c.Name, 0) {
		return federation.Claims{}, idTokenInvalid(errors.New("oidc: control characters in the subject, or NUL in the email or name"))
	}
	// go-oidc checks that the audience holds our client id, not for whom
	// the token was issued: a token with several audiences must name us
	// its authorized party, and any authorized party must be us (OpenID
	// Connect Core 3.1.3.7, items 4 and 5), or it was made for another
	// client.
	if (len(idt.Audience) > 1 || c.AuthorizedParty != "") && c.AuthorizedParty != p.cfg.ClientID {
		return federation.Claims{}, idTokenInvalid(fmt.Errorf("oidc: the token was issued to %q", c.AuthorizedParty))
	}
	// Nor does it check iat: a token dated in the future was not issued
	// by a provider keeping time, whatever its exp says.
	if idt.IssuedAt.After(time.Now().Add(skew)) {
		return federation.Claims{}, idTokenInvalid(fmt.Errorf("oidc: the token was issued in the future (%s)", idt.IssuedAt))
	}
	return federation.Claims{Subject: idt.Subject, Email: c.Email, EmailVerified: verified(c.EmailVerified),
		Name: c.Name}, nil
}

// codeRefused tells the token endpoint's refusal of the code (RFC 6749
// 5.2 invalid_grant, or a bare 400 from a provider that names no error)
// from its refusal of Gatehouse itself: invalid_client (a secret rotated
// at the provider only), unauthorized_client, invalid_request, a rate
// limit, a firewall. Those are the operator's to fix, so UNAVAILABLE and
// logged as a fault, not INVALID_CODE telling every client to start
// again.
func codeRefused(re *oauth2.RetrieveError) bool {
	if re.ErrorCode != "" {
		return re.ErrorCode == "invalid_grant"
	}
	return re.Response.StatusCode == http.StatusBadRequest
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
		Message: "the provider's identity token could not be verified; start again", Cause: brief(cause)}
}

// brief cuts an error's text for the log (see maxCauseLength).
func brief(err error) error {
	if msg := err.Error(); len(msg) > maxCauseLength {
		return fmt.Errorf("%s… (%d bytes cut)", strings.ToValidUTF8(msg[:maxCauseLength], ""), len(msg)-maxCauseLength)
	}
	return err
}

// errTooLarge ends the reading of an answer past Options.MaxResponseBytes.
var errTooLarge = errors.New("oidc: the provider's answer is larger than allowed")

// boundedTransport cuts every answer's body at max bytes: past it, the
// read fails (rather than ending early, which would pass a truncated
// document off as whole).
type boundedTransport struct {
	base http.RoundTripper
	max  int64
}

func (t boundedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = &boundedBody{ReadCloser: resp.Body, left: t.max}
	return resp, nil
}

type boundedBody struct {
	io.ReadCloser
	left int64
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, errTooLarge
	}
	// One byte past the bound tells a body of exactly max bytes from a
	// longer one.
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return 0, errTooLarge
	}
	return n, err
}
