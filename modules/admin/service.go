// Package admin is what staff do through the shared schema: search users
// and read the whole picture of one, change a user's state, role, second
// factor and sessions, read the activity log and the staff audit trail,
// read product metrics, and keep the permission rows that the one
// authorization rule reads (Policy). It reaches other modules' data only
// through ports.
package admin

import (
	"log/slog"

	"github.com/gatehouse/gatehouse/ports"
)

// Deps are the ports the admin service needs.
type Deps struct {
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
	// Rules are the permission rows' answer to what a role may do.
	Rules Rules
}

// Rules answers whether a role may do an operation, from the permission
// rows (the Policy): services ask it instead of keeping role lists.
type Rules interface {
	Allowed(role, operation string) bool
}

// Service is the staff use cases.
type Service struct {
	Deps
	// Operations are the names permission rows may give: the schema's
	// root fields and role-restricted Type.field names.
	Operations []string
}

// NewService returns the admin service.
func NewService(d Deps, ops Operations) *Service {
	return &Service{Deps: d, Operations: ops}
}

// Operations are the root field names of the schema (queries and
// mutations) and its role-restricted fields of types (Type.field), which
// the app reads from the schema (graph.Operations) and supplies.
type Operations []string
