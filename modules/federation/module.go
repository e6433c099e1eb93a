package federation

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/ports"
)

// The app binds Identities, States and Users to adapters/postgres,
// Accounts to identity's sign-in and sign-up services, Relying to
// adapters/oidc, and Rules to admin's policy.

type signInDeps struct {
	fx.In

	Config     Config
	States     States
	Identities Identities
	Users      Users
	Accounts   Accounts
	Relying    Relying
	Tx         ports.TxRunner
	Limiter    ports.RateLimiter
	Activities ports.ActivityLog
	Clock      ports.Clock
	Log        *slog.Logger
}

func provideSignIn(d signInDeps) *SignIn {
	return NewSignIn(d.Config, d.States, d.Identities, d.Users, d.Accounts, d.Relying, d.Tx, d.Limiter, d.Activities,
		d.Clock, d.Log)
}

type linksDeps struct {
	fx.In

	Config     Config
	States     States
	Identities Identities
	Users      Users
	Relying    Relying
	Callers    ports.CallerSource
	Rules      Rules
	Tx         ports.TxRunner
	Limiter    ports.RateLimiter
	Activities ports.ActivityLog
	Clock      ports.Clock
	Log        *slog.Logger
}

func provideLinks(d linksDeps) *Links {
	return NewLinks(d.Config, d.States, d.Identities, d.Users, d.Relying, d.Callers, d.Rules, d.Tx, d.Limiter,
		d.Activities, d.Clock, d.Log)
}

func provideServices(s *SignIn, l *Links) Services { return Services{SignIn: s, Links: l} }

// Module provides the federation's services; the app supplies Config and
// the interfaces of store.go.
var Module = fx.Module("federation", fx.Provide(provideSignIn, provideLinks, provideServices))
