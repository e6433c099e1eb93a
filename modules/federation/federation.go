// Package federation lets people sign in with an OpenID Connect provider
// (Google, or any other that publishes its discovery document), and link
// and unlink such provider identities to their account.
package federation

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Provider is one configured OpenID provider.
type Provider struct {
	// Name is what clients pass as provider: [a-z0-9-], 1 to 32 characters.
	Name   string
	Issuer string
	// ClientID and ClientSecret are Gatehouse's credentials at the
	// provider. The secret never reaches a log (see Secret).
	ClientID     string
	ClientSecret Secret
	// Scopes are asked besides openid; email and profile when none are
	// given.
	Scopes []string
	// RedirectURIs are the only redirect URIs a client may pass: the
	// provider sends the code there, so any other would hand the code to
	// whoever names it (an open redirect).
	RedirectURIs []string
}

// Secret is a credential that prints as [redacted] in logs and errors.
type Secret string

func (Secret) String() string   { return "[redacted]" }
func (Secret) GoString() string { return "[redacted]" }

// LogValue keeps the secret out of slog output.
func (Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// AllowsRedirect reports whether uri is one of the provider's redirect
// URIs, compared exactly (no prefix or pattern: a path or query appended
// to an allowed URI is another URI).
func (p Provider) AllowsRedirect(uri string) bool { return slices.Contains(p.RedirectURIs, uri) }

var providerName = regexp.MustCompile(`^[a-z0-9-]{1,32}$`)

// Limits on what the configuration may hold.
const (
	MaxProviders       = 20
	MaxRedirectURIs    = 20
	maxURILength       = 2000
	maxScopes          = 20
	maxClientIDLength  = 512
	maxSecretLength    = 1024
	maxScopeNameLength = 100
)

// CheckProviders reports every problem of a provider list at once, each
// naming the provider and its setting (never the secret's value).
// allowHTTP allows http issuers and redirect URIs (development, tests).
func CheckProviders(ps []Provider, allowHTTP bool) []string {
	var problems []string
	bad := func(name, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("provider %q: ", name)+fmt.Sprintf(format, args...))
	}
	if len(ps) > MaxProviders {
		problems = append(problems, fmt.Sprintf("at most %d providers, got %d", MaxProviders, len(ps)))
	}
	seen := map[string]bool{}
	for _, p := range ps {
		if !providerName.MatchString(p.Name) {
			bad(p.Name, "the name must be 1 to 32 of a-z, 0-9 and -")
		}
		if seen[p.Name] {
			bad(p.Name, "is configured twice")
		}
		seen[p.Name] = true
		if err := checkURL(p.Issuer, allowHTTP); err != nil {
			bad(p.Name, "issuer %v", err)
		}
		if p.ClientID == "" || len(p.ClientID) > maxClientIDLength {
			bad(p.Name, "the client id is required (at most %d characters)", maxClientIDLength)
		}
		if p.ClientSecret == "" || len(p.ClientSecret) > maxSecretLength {
			bad(p.Name, "the client secret is required (at most %d characters)", maxSecretLength)
		}
		if len(p.Scopes) > maxScopes {
			bad(p.Name, "at most %d scopes", maxScopes)
		}
		for _, s := range p.Scopes {
			if s == "" || len(s) > maxScopeNameLength || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r > '~' || r == '"' || r == '\\' }) {
				bad(p.Name, "scope %q is not a scope name", s)
			}
		}
		if len(p.RedirectURIs) == 0 || len(p.RedirectURIs) > MaxRedirectURIs {
			bad(p.Name, "1 to %d redirect URIs are required: clients may pass no other", MaxRedirectURIs)
		}
		for _, u := range p.RedirectURIs {
			if err := checkRedirect(u, allowHTTP); err != nil {
				bad(p.Name, "redirect URI %q %v", u, err)
			}
		}
	}
	return problems
}

func checkURL(raw string, allowHTTP bool) error {
	u, err := url.Parse(raw)
	switch {
	case raw == "" || len(raw) > maxURILength || err != nil || u.Host == "" || u.User != nil:
		return fmt.Errorf("must be an absolute URL such as https://accounts.google.com")
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && allowHTTP:
		return nil
	case u.Scheme == "http":
		return fmt.Errorf("must use https outside development")
	}
	return fmt.Errorf("must be an http(s) URL")
}

// checkRedirect allows an app's own scheme (com.example.app:/callback) as
// well as https: native apps receive the code through one.
func checkRedirect(raw string, allowHTTP bool) error {
	u, err := url.Parse(raw)
	if err != nil || raw == "" || len(raw) > maxURILength || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("must be an absolute URI without a fragment")
	}
	switch u.Scheme {
	case "https", "http":
		return checkURL(raw, allowHTTP)
	case "":
		return fmt.Errorf("must be an absolute URI")
	case "javascript", "data", "file", "vbscript":
		return fmt.Errorf("must not use the %s scheme", u.Scheme)
	}
	return nil
}

// DefaultScopes are asked besides openid when a provider names none.
var DefaultScopes = []string{"email", "profile"}

// Config is the federation's settings.
type Config struct {
	Providers []Provider
	// StateTTL is how long a started sign-in may be completed.
	StateTTL time.Duration
	// FlowsPerMinute bounds starts, and apart completions, per client IP
	// (a start stores a row, a completion costs a call to the provider).
	FlowsPerMinute int
	// MaxIdentitiesPerUser bounds the identities one account links.
	MaxIdentitiesPerUser int
}

// DefaultConfig returns the defaults, with no provider.
func DefaultConfig() Config {
	return Config{StateTTL: 10 * time.Minute, FlowsPerMinute: 30, MaxIdentitiesPerUser: 10}
}

// Validate reports what cannot work, all at once.
func (c Config) Validate(allowHTTP bool) error {
	problems := CheckProviders(c.Providers, allowHTTP)
	if c.StateTTL < time.Minute || c.StateTTL > time.Hour {
		problems = append(problems, "StateTTL must be within 1m..1h")
	}
	if c.FlowsPerMinute < 1 {
		problems = append(problems, "FlowsPerMinute must be at least 1")
	}
	if c.MaxIdentitiesPerUser < 1 || c.MaxIdentitiesPerUser > 100 {
		problems = append(problems, "MaxIdentitiesPerUser must be within 1..100")
	}
	if len(problems) > 0 {
		return fmt.Errorf("federation: %s", strings.Join(problems, "; "))
	}
	return nil
}

// provider returns the configured provider name.
func (c Config) provider(name string) (Provider, bool) {
	for _, p := range c.Providers {
		if p.Name == name {
			return p, true
		}
	}
	return Provider{}, false
}

// Identity is a provider's account linked to a Gatehouse user: the
// provider's subject is its stable id there (an email can change hands).
type Identity struct {
	ID       uuid.UUID
	UserID   uuid.UUID
	Provider string
	Subject  string
	// Email is the address the provider last gave, and whether it said it
	// verified it; shown to the user, never used to find them again.
	Email         string
	EmailVerified bool
	LinkedAt      time.Time
	LastUsedAt    time.Time
}

// OldestLinkFirst orders identities as Identities.OfUser returns them:
// by link time, then by id.
func OldestLinkFirst(a, b Identity) int {
	if c := a.LinkedAt.Compare(b.LinkedAt); c != 0 {
		return c
	}
	return bytes.Compare(a.ID[:], b.ID[:])
}

// Purpose says what a started flow is for.
type Purpose string

const (
	// PurposeSignIn: an anonymous client signs in (or up).
	PurposeSignIn Purpose = "SIGN_IN"
	// PurposeLink: a signed-in user links an identity to their account.
	PurposeLink Purpose = "LINK"
)

// State is a started flow, kept server-side until it is completed once
// or expires. Only the SHA-256 of the state the client holds is stored;
// the nonce and PKCE verifier never leave the server.
type State struct {
	Hash     []byte
	Provider string
	Purpose  Purpose
	// UserID is who started a link (uuid.Nil for a sign-in): the link is
	// completed for that user only.
	UserID uuid.UUID
	// DeviceKey is the device that started a sign-in and must complete
	// it ("" for a link): a code and state handed to another device (a
	// login CSRF) are refused there.
	DeviceKey   string
	RedirectURI string
	Nonce       string
	Verifier    string
	ExpiresAt   time.Time
	CreatedAt   time.Time
}

// StateGrace is how long an expired state is kept (see States.Create).
const StateGrace = time.Hour

// Claims are what a provider's verified id token says about the person.
type Claims struct {
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
}

// Reasons of this module's refusals (extensions.reason).
const (
	ReasonUnknownProvider     = "UNKNOWN_PROVIDER"
	ReasonRedirectNotAllowed  = "REDIRECT_URI_NOT_ALLOWED"
	ReasonStateInvalid        = "STATE_INVALID"
	ReasonStateExpired        = "STATE_EXPIRED"
	ReasonCodeRejected        = "CODE_REJECTED"
	ReasonIDTokenInvalid      = "ID_TOKEN_INVALID"
	ReasonNonceMismatch       = "NONCE_MISMATCH"
	ReasonAccountExists       = "ACCOUNT_EXISTS_SIGN_IN_TO_LINK"
	ReasonEmailNotVerified    = "PROVIDER_EMAIL_NOT_VERIFIED"
	ReasonEmailUnusable       = "PROVIDER_EMAIL_UNUSABLE"
	ReasonLinkedElsewhere     = "IDENTITY_LINKED_ELSEWHERE"
	ReasonAlreadyLinked       = "IDENTITY_ALREADY_LINKED"
	ReasonLastSignInMethod    = "LAST_SIGN_IN_METHOD"
	ReasonIdentityLimit       = "IDENTITY_LIMIT_REACHED"
	ReasonProgramNotAllowed   = "PROGRAM_NOT_ALLOWED"
	ReasonProviderUnavailable = "PROVIDER_UNAVAILABLE"
)
