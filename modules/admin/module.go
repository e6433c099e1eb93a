package admin

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/ports"
)

// deps are what the admin service is built from; the app binds each
// interface to its provider.
type deps struct {
	fx.In

	Users       Users
	Sessions    Sessions
	TOTP        TOTPRemover
	Directory   UserDirectory
	Audit       AuditTrail
	Activities  ports.ActivityLog
	Metrics     MetricsStore
	Permissions PermissionStore
	Callers     ports.CallerSource
	Tx          ports.TxRunner
	Clock       ports.Clock
	Log         *slog.Logger
	Operations  Operations
	Policy      *Policy
}

func provide(d deps) *Service {
	return NewService(d.Users, d.Sessions, d.TOTP, d.Directory, d.Audit, d.Activities, d.Metrics, d.Permissions,
		d.Callers, d.Policy, d.Tx, d.Clock, d.Log, d.Operations)
}

type policyDeps struct {
	fx.In

	LC         fx.Lifecycle
	Store      PermissionStore
	Watcher    PermissionWatcher
	Operations Operations
	Log        *slog.Logger
}

// providePolicy builds the Policy, loaded on start (an instance whose
// rules cannot be read does not start) and reloading until stop.
func providePolicy(d policyDeps) *Policy {
	pol := NewPolicy(d.Store, d.Watcher, d.Operations, d.Log)
	d.LC.Append(fx.Hook{OnStart: pol.Start, OnStop: pol.Stop})
	return pol
}

// Module provides the admin service and the Policy; the app supplies
// Operations and binds the stores to admin's interfaces (Users, Sessions,
// TOTPRemover, UserDirectory, AuditTrail, MetricsStore, PermissionStore,
// PermissionWatcher), and binds the Policy as the ports.Authorizer.
var Module = fx.Module("admin", fx.Provide(provide, providePolicy))
