package perimeter

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/ports"
)

// deps are what the perimeter is built from; the app binds each interface
// to its provider. Locator is nil when no geolocation database is
// configured.
type deps struct {
	fx.In

	Config    Config
	Store     Store
	Watcher   Watcher
	Locator   Locator
	Links     *Whitelinks
	Callers   ports.CallerSource
	Tx        ports.TxRunner
	Clock     ports.Clock
	Log       *slog.Logger
	Lifecycle fx.Lifecycle
}

func provideGate(d deps) *Gate {
	g := NewGate(d.Store, d.Watcher, d.Locator, d.Links, d.Callers, d.Clock, d.Log)
	d.Lifecycle.Append(fx.Hook{OnStart: g.Start, OnStop: g.Stop})
	return g
}

func provideService(d deps, g *Gate) *Service {
	s := NewService(d.Config, d.Store, d.Tx, d.Links, d.Clock)
	s.GuardLockout(g)
	return s
}

// Module provides the gate every request passes and the service staff
// manage the restrictions and whitelinks with.
var Module = fx.Module("perimeter", fx.Provide(provideGate, provideService))
