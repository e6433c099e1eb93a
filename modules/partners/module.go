package partners

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/ports"
)

// The app binds Apps to adapters/postgres and Rules to admin's policy.

type manageDeps struct {
	fx.In

	Config     Config
	Apps       Apps
	Callers    ports.CallerSource
	Rules      Rules
	Clock      ports.Clock
	Activities ports.ActivityLog
	Log        *slog.Logger
}

func provideManage(d manageDeps) *Manage {
	return NewManage(d.Config, d.Apps, d.Callers, d.Rules, d.Clock, d.Activities, d.Log)
}

type tokensDeps struct {
	fx.In

	Config     Config
	Apps       Apps
	Signer     ports.TokenSigner
	Limiter    ports.RateLimiter
	Clock      ports.Clock
	Activities ports.ActivityLog
	Log        *slog.Logger
}

func provideTokens(d tokensDeps) *Tokens {
	return NewTokens(d.Config, d.Apps, d.Signer, d.Limiter, d.Clock, d.Activities, d.Log)
}

// Module provides the staff's management of partner apps and the token
// issuer; the app supplies Config and the interfaces of store.go.
var Module = fx.Module("partners", fx.Provide(provideManage, provideTokens))
