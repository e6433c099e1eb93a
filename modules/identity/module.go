package identity

import (
	"fmt"
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/ports"
)

// Each service is built from only what it uses; the app binds each store
// interface to its provider (adapters/postgres's UserStore is Users,
// UserChanges and Devices; its CredentialStore is PINs, Passwords, TOTPs
// and the CredentialEraser).

// viewerDeps and the others below are what each service is built from.
type viewerDeps struct {
	fx.In

	Config Config
	Reads  SessionReads
	Tokens ports.TokenSigner
	Rules  Rules
	Cache  *SessionCache
	Users  Users
	// Keys and ProgramTokens are the program paths the app plugs in (see
	// Programs): groups, so identity works with none of them; at most one
	// KeyAuthenticator.
	Keys          []KeyAuthenticator `group:"key_authenticators"`
	ProgramTokens []ProgramTokens    `group:"program_tokens"`
	Limiter       ports.RateLimiter
	Activities    ports.ActivityLog
	Clock         ports.Clock
	Log           *slog.Logger
}

func provideViewer(d viewerDeps) (*ViewerService, error) {
	p := Programs{Owners: d.Users, Tokens: d.ProgramTokens}
	switch len(d.Keys) {
	case 0:
	case 1:
		p.Keys = d.Keys[0]
	default:
		return nil, fmt.Errorf("identity: %d key authenticators provided, want at most one", len(d.Keys))
	}
	return NewViewerService(d.Config, d.Reads, d.Tokens, d.Rules, d.Cache, p, d.Limiter, d.Activities, d.Clock,
		d.Log), nil
}

type cacheDeps struct {
	fx.In

	Config    Config
	Watcher   SessionWatcher
	Clock     ports.Clock
	Log       *slog.Logger
	Lifecycle fx.Lifecycle
}

// provideSessionCache builds the verified-session cache and runs its
// watcher while the app runs.
func provideSessionCache(d cacheDeps) *SessionCache {
	c := NewSessionCache(d.Config.SessionCacheTTL, d.Config.SessionCacheSize, d.Watcher, d.Clock, d.Log)
	d.Lifecycle.Append(fx.Hook{OnStart: c.Start, OnStop: c.Stop})
	return c
}

type sessionDeps struct {
	fx.In

	Config     Config
	Users      Users
	Devices    Devices
	Sessions   Sessions
	Tokens     ports.TokenSigner
	Viewer     *ViewerService
	Tx         ports.TxRunner
	Activities ports.ActivityLog
	Clock      ports.Clock
	Log        *slog.Logger
}

func provideSessions(d sessionDeps) *SessionService {
	return NewSessionService(d.Config, d.Users, d.Devices, d.Sessions, d.Tokens, d.Viewer, d.Tx, d.Activities,
		d.Clock, d.Log)
}

type signupDeps struct {
	fx.In

	Config     Config
	Users      Users
	Changes    UserChanges
	PINs       PINs
	Passwords  Passwords
	Tickets    Tickets
	Sessions   *SessionService
	Tx         ports.TxRunner
	Hasher     ports.SecretHasher
	OTP        Codes
	Terms      TermsCatalog
	Hooks      []UserHook `group:"user_hooks"`
	Limiter    ports.RateLimiter
	Activities ports.ActivityLog
	Clock      ports.Clock
	Log        *slog.Logger
}

func provideSignup(d signupDeps) *SignupService {
	return NewSignupService(d.Config, d.Users, d.Changes, d.PINs, d.Passwords, d.Tickets, d.Sessions, d.Tx, d.Hasher,
		d.OTP, d.Terms, d.Hooks, d.Limiter, d.Activities, d.Clock, d.Log)
}

type signInDeps struct {
	fx.In

	Config     Config
	Users      Users
	Changes    UserChanges
	Devices    Devices
	PINs       PINs
	Passwords  Passwords
	Hasher     ports.SecretHasher
	Sessions   *SessionService
	MFA        *MFAService
	OTP        Codes
	Hooks      []UserHook `group:"user_hooks"`
	Limiter    ports.RateLimiter
	Activities ports.ActivityLog
	Clock      ports.Clock
	Log        *slog.Logger
}

func provideSignIn(d signInDeps) *SignInService {
	return NewSignInService(d.Config, d.Users, d.Changes, d.Devices, d.PINs, d.Passwords, d.Hasher, d.Sessions, d.MFA,
		d.OTP, d.Hooks, d.Limiter, d.Activities, d.Clock, d.Log)
}

type pinDeps struct {
	fx.In

	Config     Config
	Users      Users
	PINs       PINs
	Hasher     ports.SecretHasher
	Sessions   *SessionService
	Viewer     *ViewerService
	OTP        Codes
	Tx         ports.TxRunner
	Limiter    ports.RateLimiter
	Activities ports.ActivityLog
	Clock      ports.Clock
	Log        *slog.Logger
}

func providePINs(d pinDeps) *PINService {
	return NewPINService(d.Config, d.Users, d.PINs, d.Hasher, d.Sessions, d.Viewer, d.OTP, d.Tx, d.Limiter,
		d.Activities, d.Clock, d.Log)
}

type passwordDeps struct {
	fx.In

	Config     Config
	Users      Users
	Devices    Devices
	Passwords  Passwords
	Hasher     ports.SecretHasher
	Sessions   *SessionService
	Viewer     *ViewerService
	OTP        Codes
	Tx         ports.TxRunner
	Limiter    ports.RateLimiter
	Activities ports.ActivityLog
	Clock      ports.Clock
	Log        *slog.Logger
}

func providePasswords(d passwordDeps) *PasswordService {
	return NewPasswordService(d.Config, d.Users, d.Devices, d.Passwords, d.Hasher, d.Sessions, d.Viewer, d.OTP, d.Tx,
		d.Limiter, d.Activities, d.Clock, d.Log)
}

type mfaDeps struct {
	fx.In

	Config     Config
	TOTPs      TOTPs
	Sessions   Sessions
	Box        ports.SecretBox
	Viewer     *ViewerService
	Tx         ports.TxRunner
	Limiter    ports.RateLimiter
	Activities ports.ActivityLog
	Clock      ports.Clock
	Log        *slog.Logger
}

func provideMFA(d mfaDeps) *MFAService {
	return NewMFAService(d.Config, d.TOTPs, d.Sessions, d.Box, d.Viewer, d.Tx, d.Limiter, d.Activities, d.Clock, d.Log)
}

type meDeps struct {
	fx.In

	Config     Config
	Users      Users
	Changes    UserChanges
	Erasure    CredentialEraser
	Sessions   Sessions
	PINs       PINs
	Passwords  Passwords
	Hasher     ports.SecretHasher
	Viewer     *ViewerService
	MFA        *MFAService
	OTP        Codes
	Hooks      []UserHook `group:"user_hooks"`
	Tx         ports.TxRunner
	Limiter    ports.RateLimiter
	Activities ports.ActivityLog
	Clock      ports.Clock
	Log        *slog.Logger
}

func provideMe(d meDeps) *MeService {
	return NewMeService(d.Config, d.Users, d.Changes, d.Erasure, d.Sessions, d.PINs, d.Passwords, d.Hasher, d.Viewer, d.MFA,
		d.OTP, d.Hooks, d.Tx, d.Limiter, d.Activities, d.Clock, d.Log)
}

type staffDeps struct {
	fx.In

	Users      Users
	PINs       PINs
	Passwords  Passwords
	Hasher     ports.SecretHasher
	Hooks      []UserHook `group:"user_hooks"`
	Tx         ports.TxRunner
	Activities ports.ActivityLog
	Clock      ports.Clock
	Log        *slog.Logger
}

func provideStaff(d staffDeps) *StaffService {
	return NewStaffService(d.Users, d.PINs, d.Passwords, d.Hasher, d.Hooks, d.Tx, d.Activities, d.Clock, d.Log)
}

type readDeps struct {
	fx.In

	Users   Users
	Devices Devices
	Viewer  *ViewerService
	Rules   Rules
}

func provideReads(d readDeps) *ReadService {
	return NewReadService(d.Users, d.Devices, d.Viewer, d.Rules)
}

type services struct {
	fx.In

	Viewer    *ViewerService
	Sessions  *SessionService
	Signup    *SignupService
	SignIn    *SignInService
	PINs      *PINService
	Passwords *PasswordService
	MFA       *MFAService
	Me        *MeService
	Staff     *StaffService
	Reads     *ReadService
}

func provideServices(s services) Services {
	return Services{Viewer: s.Viewer, Sessions: s.Sessions, Signup: s.Signup, SignIn: s.SignIn, PINs: s.PINs,
		Passwords: s.Passwords, MFA: s.MFA, Me: s.Me, Staff: s.Staff, Reads: s.Reads}
}

// Module provides identity's services, one per use case (each alone, and
// together as Services for the resolvers); the app supplies Config and
// the ports.
var Module = fx.Module("identity", fx.Provide(provideSessionCache, provideViewer, provideSessions, provideSignup,
	provideSignIn, providePINs, providePasswords, provideMFA, provideMe, provideStaff, provideReads, provideServices))
