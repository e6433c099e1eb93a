package identity_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/modules/otp/otptest"
	"github.com/gatehouse/gatehouse/modules/platform"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

const (
	phone   = "+447911123456"
	goodPIN = "4831"
	device  = "device-1"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// termsV1 is the one GENERAL document the fake catalogue knows.
type termsV1 struct{}

func (termsV1) CurrentTerms(ctx context.Context, kind string) (platform.TermsDocument, error) {
	if kind != "GENERAL" {
		return platform.TermsDocument{}, ports.Errorf(ports.CodeNotFound, "no %s terms", kind)
	}
	return platform.TermsDocument{Kind: "GENERAL", Version: "v1", Title: "Terms", PublishedAt: t0.Add(-time.Hour)}, nil
}

// env is identity's services over fakes, with the real OTP service.
type env struct {
	t          *testing.T
	cfg        identity.Config
	clock      *clock.Manual
	users      *identitytest.UserStore
	creds      *identitytest.CredentialStore
	sessions   *identitytest.SessionStore
	tickets    *identitytest.TicketStore
	challenges *otptest.Store
	sms        *portsfake.SMSSender
	emails     *portsfake.EmailSender
	activities *portsfake.ActivityLog
	hasher     *portsfake.SecretHasher
	tokens     ports.TokenSigner
	svc        identity.Services
	// build makes the services again over the same fakes, with hooks.
	build func(hooks []identity.UserHook) identity.Services
	// secrets are the device secrets handed out, by device key, as a
	// client keeps them.
	secrets map[string]string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, cfg: identity.DefaultConfig(), clock: clock.NewManual(t0), creds: identitytest.NewCredentialStore(),
		sessions: identitytest.NewSessionStore(), tickets: identitytest.NewTicketStore(),
		challenges: otptest.NewStore(), sms: portsfake.NewSMSSender(), emails: portsfake.NewEmailSender(),
		activities: portsfake.NewActivityLog(), hasher: portsfake.NewSecretHasher(), secrets: map[string]string{}}
	e.users = identitytest.NewUserStore(e.creds)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tx := portsfake.NewTxRunner()
	otpCfg := otp.DefaultConfig()
	otpCfg.HMACKey = []byte("0123456789abcdef0123456789abcdef")
	// Every test client here is one client with no address: the per-client
	// total of codes is the OTP module's to test, not this one's.
	otpCfg.ClientSendsPerHour = 0
	otpSvc := otp.NewService(otpCfg, e.challenges, tx, portsfake.NewOutbox(e.sms, e.emails), e.clock, e.activities, log)
	tokens, limiter, box := portsfake.NewTokenSigner(), portsfake.NewRateLimiter(e.clock), portsfake.NewSecretBox()
	rules, acts, clk := portsfake.DefaultRules(), e.activities, e.clock
	e.tokens = tokens
	e.build = func(hooks []identity.UserHook) identity.Services {
		var s identity.Services
		s.Viewer = identity.NewViewerService(e.cfg, identitytest.SessionReads{Sessions: e.sessions, Users: e.users}, tokens,
			rules, nil, identity.Programs{}, limiter, acts, clk, log)
		s.Sessions = identity.NewSessionService(e.cfg, e.users, e.users, e.sessions, tokens, s.Viewer, tx, acts, clk, log)
		s.MFA = identity.NewMFAService(e.cfg, e.creds, e.sessions, box, s.Viewer, tx, limiter, acts, clk, log)
		s.Signup = identity.NewSignupService(e.cfg, e.users, e.users, e.creds, e.creds, e.tickets, s.Sessions, tx,
			e.hasher, otpSvc, termsV1{}, hooks, limiter, acts, clk, log)
		s.SignIn = identity.NewSignInService(e.cfg, e.users, e.users, e.users, e.creds, e.creds, e.hasher, s.Sessions,
			s.MFA, otpSvc, hooks, limiter, acts, clk, log)
		s.PINs = identity.NewPINService(e.cfg, e.users, e.creds, e.hasher, s.Sessions, s.Viewer, otpSvc, tx, limiter,
			acts, clk, log)
		s.Passwords = identity.NewPasswordService(e.cfg, e.users, e.users, e.creds, e.hasher, s.Sessions, s.Viewer,
			otpSvc, tx, limiter, acts, clk, log)
		s.Me = identity.NewMeService(e.cfg, e.users, e.users, e.creds, e.sessions, e.creds, e.creds, e.hasher,
			s.Viewer, s.MFA, otpSvc, hooks, tx, limiter, acts, clk, log)
		s.Staff = identity.NewStaffService(e.users, e.creds, e.creds, e.hasher, hooks, tx, acts, clk, log)
		s.Reads = identity.NewReadService(e.users, e.users, s.Viewer, rules)
		return s
	}
	e.svc = e.build(nil)
	return e
}

// ctx is an anonymous request from one client.
func (e *env) ctx() context.Context {
	return ports.WithRequestMeta(context.Background(), ports.RequestMeta{IP: "203.0.113.7", UserAgent: "test-agent"})
}

// as is a request carrying a bearer token; each call is a new request.
func (e *env) as(accessToken string) context.Context {
	return identity.WithBearerToken(e.ctx(), accessToken)
}

func (e *env) lastCode(to string) string {
	e.t.Helper()
	code, ok := e.sms.LastCode(to)
	require.True(e.t, ok, "no code sent to %s", to)
	return code
}

// verifiedTicket runs the first two sign-up steps for p.
func (e *env) verifiedTicket(p string) identity.PhoneVerification {
	e.t.Helper()
	ch, err := e.svc.Signup.StartPhoneSignup(e.ctx(), p)
	require.NoError(e.t, err)
	v, err := e.svc.Signup.VerifyPhoneSignup(e.ctx(), ch.ID, e.lastCode(p))
	require.NoError(e.t, err)
	return v
}

func completeInput(ticket, pin string) identity.CompleteSignup {
	return identity.CompleteSignup{Ticket: ticket, PIN: pin, ConfirmPIN: pin, AcceptTerms: true,
		DeviceKey: device, DeviceName: "Pixel 9"}
}

// signUp registers p with pin on device and returns the session.
func (e *env) signUp(p, pin string) identity.Auth {
	e.t.Helper()
	v := e.verifiedTicket(p)
	auth, err := e.svc.Signup.CompletePhoneSignup(e.ctx(), completeInput(v.Ticket, pin))
	require.NoError(e.t, err)
	require.NotEmpty(e.t, auth.DeviceSecret, "a trusted device gets its secret")
	e.secrets[device] = auth.DeviceSecret
	return auth
}

// addUser stores a user directly, as a migration from another system would.
func (e *env) addUser(p string, pin string) identity.User {
	e.t.Helper()
	u := identity.User{ID: uuid.New(), Phone: p, State: identity.StateActive, Role: identity.RoleMember,
		ReferralCode: uuid.NewString()[:8], CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now()}
	require.NoError(e.t, e.users.Create(context.Background(), u))
	if pin != "" {
		require.NoError(e.t, e.creds.SetPIN(context.Background(), u.ID, "h:"+pin, e.clock.Now()))
		u.HasPIN = true
	}
	return u
}

func (e *env) signIn(p, pin, deviceKey string) (identity.SignInResult, error) {
	return e.svc.SignIn.SignInWithPIN(e.ctx(), identity.PINSignIn{Phone: p, PIN: pin, DeviceKey: deviceKey, DeviceName: "Phone",
		DeviceSecret: e.secrets[deviceKey]})
}

// viewer resolves accessToken in a fresh request.
func (e *env) viewer(accessToken string) (*identity.Viewer, error) {
	return e.svc.Viewer.Viewer(e.as(accessToken))
}

// errFields is errtest.Fields, kept for signin_test.go until that file is
// free to change.
func errFields(t *testing.T, err error) map[string]string {
	t.Helper()
	return errtest.Fields(t, err)
}

func errRetryAfter(t *testing.T, err error) time.Duration {
	t.Helper()
	var pe *ports.Error
	require.ErrorAs(t, err, &pe)
	return pe.RetryAfter
}
