package accounts

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// deps are what the accounts service is built from; the app binds each
// interface to its provider.
type deps struct {
	fx.In

	Config     Config
	Store      Store
	Users      Users
	KYC        KYCStatuses
	Wallet     PortfolioAddresses
	Callers    ports.CallerSource
	Rules      Rules
	Tx         ports.TxRunner
	Clock      ports.Clock
	Activities ports.ActivityLog
	Log        *slog.Logger
	Cache      *ViewerCache
}

func provide(d deps) *Service {
	s := NewService(d.Config, d.Store, d.Users, d.KYC, d.Wallet, d.Callers, d.Rules, d.Tx, d.Clock, d.Activities, d.Log)
	s.UseViewerCache(d.Cache)
	return s
}

type cacheDeps struct {
	fx.In

	Config    Config
	Watcher   Watcher `optional:"true"`
	Log       *slog.Logger
	Lifecycle fx.Lifecycle
}

// provideViewerCache builds the viewers' accounts cache and runs its
// watcher while the app runs (off without a watcher).
func provideViewerCache(d cacheDeps) *ViewerCache {
	c := NewViewerCache(d.Config.ViewerCacheTTL, d.Config.ViewerCacheSize, d.Watcher, d.Log)
	d.Lifecycle.Append(fx.Hook{OnStart: c.Start, OnStop: c.Stop})
	return c
}

// Module provides the accounts service and the user hook that opens an
// account when sign-up completes; the app supplies Config and the ports.
var Module = fx.Module("accounts", fx.Provide(provide, provideViewerCache,
	fx.Annotate(NewHook, fx.As(new(identity.UserHook)), fx.ResultTags(`group:"user_hooks"`))))
