// Package consent is the login, consent and logout provider of an OAuth2
// server (Ory Hydra): the pages the server sends a person to when an app
// asks to act for them, and the person's list of the apps they consented to.
//
// The OAuth2 server owns the protocol (authorization codes, PKCE, tokens,
// remembered logins and consents); Gatehouse owns who the person is. Each
// page reads its challenge from the server, signs the person in with
// Gatehouse's own rules, and answers the challenge through the server's
// admin API (AuthServer, bound to adapters/hydra).
package consent

import (
	"context"
	"errors"
	"time"
)

// ErrChallengeGone: the server no longer knows the challenge (unknown,
// expired, or, for a logout, already answered). The page shows "this
// sign-in link has expired; go back to the app and start again".
var ErrChallengeGone = errors.New("consent: the challenge is unknown or expired")

// Client is the app that asks, as the OAuth2 server knows it.
type Client struct {
	ID   string
	Name string // the client_name; may be empty (show the ID then)
	URI  string // the client's home page, if registered
	Logo string // logo URI, if registered
}

// LoginRequest is a login challenge as the server tells it.
type LoginRequest struct {
	Challenge string
	Client    Client
	// Skip: the server remembers the person (a remembered login); the page
	// must accept with Subject without asking anything.
	Skip            bool
	Subject         string // set when Skip
	RequestedScopes []string
	RequestURL      string
	LoginHint       string   // the app's login_hint, if any
	UILocales       []string // the app's ui_locales, if any
}

// ConsentRequest is a consent challenge as the server tells it.
type ConsentRequest struct {
	Challenge string
	Client    Client
	// Skip: the person consented to these scopes for this app before and
	// asked to be remembered; accept without asking.
	Skip    bool
	Subject string // the Gatehouse user id accepted at login
	// Browser is the login's LoginAcceptance.Browser, handed back ("" when
	// the login was accepted without one).
	Browser           string
	RequestedScopes   []string
	RequestedAudience []string
}

// LogoutRequest is a logout challenge as the server tells it.
type LogoutRequest struct {
	Challenge string
	Subject   string
	SessionID string
	// RPInitiated: the app asked for the logout (else the person went to the
	// server's logout URL themselves).
	RPInitiated bool
	Client      *Client // the app, when RPInitiated
}

// LoginAcceptance is how a login is accepted.
type LoginAcceptance struct {
	Subject     string // the Gatehouse user id
	Remember    bool
	RememberFor time.Duration // 0 with Remember: as long as the server's session lasts
	AMR         []string      // how the person proved who they are: "pin", "pwd", "otp", "mfa"
	// Browser tags the browser that answered the login (opaque, from the
	// pages' CSRF nonce); the server keeps it with the login (Hydra's login
	// context) and hands it back with the consent request, so the consent
	// page answers only in that browser.
	Browser string
}

// ConsentAcceptance is how a consent is accepted.
type ConsentAcceptance struct {
	GrantScopes   []string
	GrantAudience []string
	Remember      bool
	RememberFor   time.Duration
	// IDToken and AccessToken: claims added to the tokens (already limited
	// to the granted scopes by the caller).
	IDToken     map[string]any
	AccessToken map[string]any
}

// Refusal is a rejected challenge, as OAuth2 error fields the app sees.
type Refusal struct {
	Error       string // e.g. "access_denied", "login_required"
	Description string
}

// AppConsent is one app a person consented to.
type AppConsent struct {
	Client    Client
	Scopes    []string
	Audience  []string
	GrantedAt time.Time
	// Remembered: the server will not ask again for these scopes.
	Remembered bool
	// ExpiresAt: when the remembered consent ends; zero when it does not.
	ExpiresAt time.Time
}

// Challenges answers the three kinds of challenge (adapters/hydra's Admin,
// consenttest's Server). A challenge that is unknown or expired, or a
// logout challenge answered already, is ErrChallengeGone. Hydra v2.3 keeps
// login and consent challenges in the flow itself, so an answered one can be
// read and answered again until it expires: only the first redirect the
// browser follows takes effect (the verifier is single-use), and a replay
// reaches the app as access_denied, never as a second code. The server
// unreachable is a ports.Error with code UNAVAILABLE. Accept and Reject return the URL to send the browser to.
type Challenges interface {
	LoginRequest(ctx context.Context, challenge string) (LoginRequest, error)
	AcceptLogin(ctx context.Context, challenge string, a LoginAcceptance) (redirectTo string, err error)
	RejectLogin(ctx context.Context, challenge string, r Refusal) (redirectTo string, err error)

	ConsentRequest(ctx context.Context, challenge string) (ConsentRequest, error)
	AcceptConsent(ctx context.Context, challenge string, a ConsentAcceptance) (redirectTo string, err error)
	RejectConsent(ctx context.Context, challenge string, r Refusal) (redirectTo string, err error)

	LogoutRequest(ctx context.Context, challenge string) (LogoutRequest, error)
	AcceptLogout(ctx context.Context, challenge string) (redirectTo string, err error)
	RejectLogout(ctx context.Context, challenge string) error
}

// Grants lists and revokes a person's consents (the same adapter).
type Grants interface {
	// Consents lists the apps subject consented to, newest first; none is
	// an empty list, never an error.
	Consents(ctx context.Context, subject string) ([]AppConsent, error)
	// Revoke withdraws subject's consent to the app and the tokens issued
	// under it; revoking what is not there is not an error.
	Revoke(ctx context.Context, subject, clientID string) error
}
