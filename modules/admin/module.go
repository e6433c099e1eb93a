package admin

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/ports"
)

type params struct {
	fx.In

	Users       ports.UserStore
	Sessions    ports.SessionStore
	Credentials ports.CredentialStore
	Directory   ports.UserDirectory
	Audit       ports.AuditTrail
	Activities  ports.ActivityLog
	Metrics     ports.MetricsStore
	Permissions ports.PermissionStore
	Callers     ports.CallerSource
	Tx          ports.TxRunner
	Clock       ports.Clock
	Log         *slog.Logger
	Operations  Operations
	Policy      *Policy
}

func provide(p params) *Service {
	return NewService(Deps{Users: p.Users, Sessions: p.Sessions, Credentials: p.Credentials,
		Directory: p.Directory, Audit: p.Audit, Activities: p.Activities, Metrics: p.Metrics,
		Permissions: p.Permissions, Callers: p.Callers, Tx: p.Tx, Clock: p.Clock, Log: p.Log, Rules: p.Policy}, p.Operations)
}

type policyParams struct {
	fx.In

	LC         fx.Lifecycle
	Store      ports.PermissionStore
	Watcher    ports.PermissionWatcher
	Operations Operations
	Log        *slog.Logger
}

// providePolicy builds the Policy, loaded on start (an instance whose
// rules cannot be read does not start) and reloading until stop.
func providePolicy(p policyParams) *Policy {
	pol := NewPolicy(p.Store, p.Watcher, p.Operations, p.Log)
	p.LC.Append(fx.Hook{OnStart: pol.Start, OnStop: pol.Stop})
	return pol
}

// Module provides the admin service and the Policy; the app supplies
// Operations and the ports, and binds the Policy as the ports.Authorizer.
var Module = fx.Module("admin", fx.Provide(provide, providePolicy))
