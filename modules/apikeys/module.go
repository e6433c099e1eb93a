package apikeys

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/ports"
)

// The app binds Keys and Nonces to adapters/postgres, SecondFactor to
// identity's MFA service, Sealer to a box of its own, and the
// Authenticator to identity's KeyAuthenticator.

type authDeps struct {
	fx.In

	Config  Config
	Keys    Keys
	Nonces  Nonces
	Box     Sealer
	Limiter ports.RateLimiter
	Clock   ports.Clock
}

func provideAuthenticator(d authDeps) *Authenticator {
	return NewAuthenticator(d.Config, d.Keys, d.Nonces, d.Box, d.Limiter, d.Clock)
}

type manageDeps struct {
	fx.In

	Config     Config
	Keys       Keys
	TFA        SecondFactor
	Box        Sealer
	Callers    ports.CallerSource
	Activities ports.ActivityLog
	Clock      ports.Clock
	Log        *slog.Logger
}

func provideManage(d manageDeps) *Manage {
	return NewManage(d.Config, d.Keys, d.TFA, d.Box, d.Callers, d.Activities, d.Clock, d.Log)
}

func provideServices(m *Manage) Services { return Services{Manage: m} }

// Module provides the API keys' services and the authenticator of signed
// requests; the app supplies Config and the interfaces of store.go.
var Module = fx.Module("apikeys", fx.Provide(provideAuthenticator, provideManage, provideServices))
