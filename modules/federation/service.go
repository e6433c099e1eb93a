package federation

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Services are the federation's use cases as the resolvers reach them.
type Services struct {
	SignIn *SignIn
	Links  *Links
}

// activityTopic files the federation's events with the sessions' (sign-in)
// or the account's (links).
const (
	topicSession = "SESSION"
	topicAccount = "ACCOUNT"
)

// recorder writes activity rows; a failed write is logged, never the
// caller's failure.
type recorder struct {
	activities ports.ActivityLog
	clock      ports.Clock
	log        *slog.Logger
}

func (r recorder) record(ctx context.Context, userID *uuid.UUID, topic, action string, err error, details map[string]string) {
	a := ports.NewActivity(ctx, userID, topic, action, err, details, r.clock.Now())
	if rerr := r.activities.Record(context.WithoutCancel(ctx), a); rerr != nil {
		r.log.ErrorContext(ctx, "record activity", "action", action, "err", rerr)
	}
}

// flows starts and finishes the provider round trip that sign-in and
// linking share: state, nonce and PKCE verifier are made here and kept in
// States, the client holds only the state.
type flows struct {
	recorder
	cfg     Config
	states  States
	relying Relying
	limiter ports.RateLimiter
}

// Started is a flow waiting for the provider's code.
type Started struct {
	// AuthorizationURL is where the client sends the person.
	AuthorizationURL string
	// State comes back with the code and is passed to the completion.
	State     string
	ExpiresAt time.Time
}

// Input bounds.
const (
	maxProviderLength = 32
	maxCodeLength     = 4096
	maxStateLength    = 128
)

// providerShape checks the provider field's shape; known then looks the
// provider up.
func providerShape(name string) error {
	if name == "" || len(name) > maxProviderLength {
		return ports.InvalidField("provider", "is required (at most 32 characters)")
	}
	return nil
}

// known returns the configured provider name. Errors: VALIDATION_FAILED
// reason UNKNOWN_PROVIDER.
func (f *flows) known(name string) (Provider, error) {
	p, ok := f.cfg.provider(name)
	if !ok {
		return Provider{}, &ports.Error{Code: ports.CodeValidationFailed, Reason: ReasonUnknownProvider,
			Message: "no such sign-in provider", Fields: map[string]string{"provider": "is not a configured provider"}}
	}
	return p, nil
}

// binding is who may complete a flow: the user who started a link, the
// device that started a sign-in.
type binding struct {
	userID    uuid.UUID
	deviceKey string
}

// start makes a flow for purpose, bound to b. Errors: VALIDATION_FAILED
// (provider, redirectUri; reasons UNKNOWN_PROVIDER,
// REDIRECT_URI_NOT_ALLOWED), RATE_LIMITED, UNAVAILABLE.
func (f *flows) start(ctx context.Context, provider, redirectURI string, purpose Purpose, b binding, more ...error) (Started, error) {
	var redirErr error
	if redirectURI == "" || len(redirectURI) > maxURILength {
		redirErr = ports.InvalidField("redirectUri", "is required (at most 2000 characters)")
	}
	if err := ports.MergeInvalid(append([]error{providerShape(provider), redirErr}, more...)...); err != nil {
		return Started{}, err
	}
	p, err := f.known(provider)
	if err != nil {
		return Started{}, err
	}
	if !p.AllowsRedirect(redirectURI) {
		return Started{}, &ports.Error{Code: ports.CodeValidationFailed, Reason: ReasonRedirectNotAllowed,
			Message: "this redirect URI is not allowed for the provider",
			Fields:  map[string]string{"redirectUri": "is not one of the provider's allowed redirect URIs"}}
	}
	if err := f.limit(ctx, "oidc_start"); err != nil {
		return Started{}, err
	}
	state, nonce, verifier := randomToken(), randomToken(), randomToken()
	url, err := f.relying.AuthorizationURL(ctx, p.Name, AuthRequest{RedirectURI: redirectURI, State: state,
		Nonce: nonce, Verifier: verifier})
	if err != nil {
		return Started{}, err
	}
	now := f.clock.Now()
	st := State{Hash: digest(state), Provider: p.Name, Purpose: purpose, UserID: b.userID, DeviceKey: b.deviceKey,
		RedirectURI: redirectURI,
		Nonce:       nonce, Verifier: verifier, ExpiresAt: now.Add(f.cfg.StateTTL), CreatedAt: now}
	if err := f.states.Create(ctx, st); err != nil {
		return Started{}, err
	}
	return Started{AuthorizationURL: url, State: state, ExpiresAt: st.ExpiresAt}, nil
}

// checkCompletion validates a completion's provider, code and state.
func (f *flows) checkCompletion(provider, code, state string, more ...error) (Provider, error) {
	var codeErr, stateErr error
	if code == "" || len(code) > maxCodeLength {
		codeErr = ports.InvalidField("code", "is required (at most 4096 characters)")
	}
	if state == "" || len(state) > maxStateLength {
		stateErr = ports.InvalidField("state", "is required (at most 128 characters)")
	}
	if err := ports.MergeInvalid(append([]error{providerShape(provider), codeErr, stateErr}, more...)...); err != nil {
		return Provider{}, err
	}
	return f.known(provider)
}

var errStateInvalid = ports.Refusal(ports.CodeInvalidCode, ReasonStateInvalid,
	"this sign-in is unknown, was completed already, or was started for something else; start again")

// redeem spends the state (once: a replay finds nothing) and redeems the
// code with the state's verifier and nonce. The state must be of provider
// and purpose, a link's of b's user, and a sign-in's of b's device (a link's has none). Errors: INVALID_CODE (reasons
// STATE_INVALID, CODE_REJECTED), CODE_EXPIRED (reason STATE_EXPIRED),
// UNAUTHENTICATED (reasons ID_TOKEN_INVALID, NONCE_MISMATCH), UNAVAILABLE.
func (f *flows) redeem(ctx context.Context, p Provider, code, state string, purpose Purpose, b binding) (Claims, error) {
	st, err := f.states.Take(ctx, digest(state))
	if errors.Is(err, ports.ErrNotFound) {
		return Claims{}, errStateInvalid
	} else if err != nil {
		return Claims{}, err
	}
	// A state started for another provider, purpose or user is spent
	// all the same: whoever holds it is not who it was made for.
	if st.Provider != p.Name || st.Purpose != purpose || st.UserID != b.userID || st.DeviceKey != b.deviceKey {
		return Claims{}, errStateInvalid
	}
	if !f.clock.Now().Before(st.ExpiresAt) {
		return Claims{}, ports.Refusal(ports.CodeCodeExpired, ReasonStateExpired, "this sign-in took too long; start again")
	}
	return f.relying.Redeem(ctx, p.Name, Redemption{Code: code, RedirectURI: st.RedirectURI, Verifier: st.Verifier,
		Nonce: st.Nonce})
}

// limit counts one event of action for the client's IP.
func (f *flows) limit(ctx context.Context, action string) error {
	ok, retry, err := f.limiter.Allow(ctx, action+":ip:"+ports.ClientKey(ports.RequestMetaFrom(ctx).IP),
		f.cfg.FlowsPerMinute, time.Minute)
	if err != nil {
		return err
	}
	if !ok {
		return ports.RateLimited(retry)
	}
	return nil
}

// randomToken is 256 random bits, base64url: a state, a nonce, or a PKCE
// verifier (43 characters, within RFC 7636's 43..128).
func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func digest(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}
