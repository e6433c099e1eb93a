package platform

import (
	"context"
	"log/slog"

	"go.uber.org/fx"
)

// deps are what the service's change watcher needs; Watcher is optional
// (without it the cache refreshes every CacheTTL only).
type deps struct {
	fx.In

	Service   *Service
	Watcher   Watcher      `optional:"true"`
	Log       *slog.Logger `optional:"true"`
	Lifecycle fx.Lifecycle
}

func watchChanges(d deps) {
	d.Lifecycle.Append(fx.Hook{
		OnStart: func(context.Context) error { d.Service.Start(d.Watcher, d.Log); return nil },
		OnStop:  d.Service.Stop,
	})
}

// Module provides the platform service (its cache kept current by the
// change watcher) and the operator's service staff change it with.
var Module = fx.Module("platform", fx.Provide(NewService, NewOperator), fx.Invoke(watchChanges))
