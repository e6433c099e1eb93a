package federation_test

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/modules/federation/federationtest"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

var t0 = time.Date(2026, 12, 9, 9, 0, 0, 0, time.UTC)

const redirect = "https://app.example.com/cb"

// callers is a fake ports.CallerSource: the caller is carried in ctx.
type callers struct{}

type callerKey struct{}

func (callers) Caller(ctx context.Context) (*ports.Caller, error) {
	c, _ := ctx.Value(callerKey{}).(*ports.Caller)
	return c, nil
}

// accounts is a fake federation.Accounts: it records sign-ins and makes
// accounts in the fake user store, linking inside "the transaction" as
// identity does.
type accounts struct {
	users *identitytest.UserStore

	mu      sync.Mutex
	signIns []uuid.UUID
}

func (a *accounts) SignInFederated(_ context.Context, userID uuid.UUID, _ identity.FederatedDevice) (identity.SignInResult, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.signIns = append(a.signIns, userID)
	return identity.SignInResult{Status: identity.SignedIn, Auth: &identity.Auth{User: identity.User{ID: userID}}}, nil
}

func (a *accounts) SignUpFederated(ctx context.Context, in identity.FederatedSignup) (identity.Auth, error) {
	if !in.AcceptTerms {
		return identity.Auth{}, identity.ErrTermsNotAccepted
	}
	if _, err := a.users.DeletePending(ctx, in.Email); err != nil {
		return identity.Auth{}, err
	}
	u := identity.User{ID: uuid.New(), Email: in.Email, State: identity.StateActive, Role: identity.RoleMember,
		ReferralCode: uuid.NewString()[:8], CreatedAt: t0, UpdatedAt: t0}
	if err := a.users.Create(ctx, u); err != nil {
		return identity.Auth{}, err
	}
	if err := in.Link(ctx, u); err != nil {
		return identity.Auth{}, err
	}
	return identity.Auth{User: u}, nil
}

type env struct {
	t       *testing.T
	cfg     federation.Config
	clock   *clock.Manual
	users   *identitytest.UserStore
	store   *federationtest.Store
	relying *federationtest.Relying
	accts   *accounts
	acts    *portsfake.ActivityLog
	rules   *portsfake.Rules
	signIn  *federation.SignIn
	links   *federation.Links
}

func newEnv(t *testing.T) *env {
	e := &env{t: t, cfg: federation.DefaultConfig(), clock: clock.NewManual(t0), store: federationtest.NewStore(),
		relying: federationtest.NewRelying(), acts: portsfake.NewActivityLog(), rules: portsfake.NewRules()}
	e.cfg.Providers = []federation.Provider{{Name: "google", Issuer: "https://accounts.google.com", ClientID: "id",
		ClientSecret: "secret", RedirectURIs: []string{redirect}}}
	e.cfg.MaxIdentitiesPerUser = 2
	require.NoError(t, e.cfg.Validate(false))
	e.users = identitytest.NewUserStore(identitytest.NewCredentialStore())
	e.accts = &accounts{users: e.users}
	log := slog.New(slog.DiscardHandler)
	limiter := portsfake.NewRateLimiter(e.clock)
	e.signIn = federation.NewSignIn(e.cfg, e.store, e.store, e.users, e.accts, e.relying, portsfake.NewTxRunner(),
		limiter, e.acts, e.clock, log)
	e.links = federation.NewLinks(e.cfg, e.store, e.store, e.users, e.relying, callers{}, e.rules,
		portsfake.NewTxRunner(), limiter, e.acts, e.clock, log)
	return e
}

func as(userID uuid.UUID, role string) context.Context {
	return context.WithValue(context.Background(), callerKey{}, &ports.Caller{UserID: userID, Role: role})
}

// authorize starts a sign-in (ctx anonymous) or a link (ctx a user's) and
// has the person approve it as c; it returns the code and state.
func (e *env) authorize(ctx context.Context, link bool, c federation.Claims) (string, string) {
	e.t.Helper()
	var s federation.Started
	var err error
	if link {
		s, err = e.links.Start(ctx, "google", redirect)
	} else {
		s, err = e.signIn.Start(ctx, "google", redirect, "device-1")
	}
	require.NoError(e.t, err)
	u, err := url.Parse(s.AuthorizationURL)
	require.NoError(e.t, err)
	require.Equal(e.t, s.State, u.Query().Get("state"))
	return e.relying.Approve(s.State, c), s.State
}

func (e *env) complete(code, state string, terms bool) (identity.SignInResult, error) {
	return e.signIn.Complete(context.Background(), federation.Completion{Provider: "google", Code: code, State: state,
		Device: identity.FederatedDevice{Key: "device-1"}, AcceptTerms: terms})
}

func refusal(t *testing.T, err error, code ports.ErrorCode, reason string) {
	t.Helper()
	var pe *ports.Error
	require.True(t, errors.As(err, &pe), "not an application error: %v", err)
	require.Equal(t, code, pe.Code, "code of %v", err)
	require.Equal(t, reason, pe.Reason, "reason of %v", err)
}
