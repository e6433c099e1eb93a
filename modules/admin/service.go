// Package admin is what staff do through the shared schema: search users
// and read the whole picture of one, change a user's state, role, second
// factor and sessions, read the activity log and the staff audit trail,
// read product metrics, and keep the permission rows that the one
// authorization rule reads (Policy). Its model (admin.go) and the
// interfaces it consumes (store.go) live here; it reaches other modules'
// data only through those interfaces.
//
// Each use case is its own small service (StaffActions, Permissions,
// Directory, AuditReads, Metrics), built from the few interfaces it uses,
// so a reader meets a handful of methods at a time.
package admin

import (
	"context"

	"github.com/gatehouse/gatehouse/modules/internal/staffrule"
	"github.com/gatehouse/gatehouse/ports"
)

// Services are the admin use cases, one service each, as the resolvers
// reach them.
type Services struct {
	Staff       *StaffActions
	Permissions *Permissions
	Directory   *Directory
	Audit       *AuditReads
	Metrics     *Metrics
}

// Operations are the root field names of the schema (queries and
// mutations) and its role-restricted fields of types (Type.field), which
// the app reads from the schema (graph.Operations) and supplies.
type Operations []string

// gate lets a caller through when the permission rows let their role do
// an operation; every admin service starts each call with it.
type gate struct {
	callers ports.CallerSource
	rules   Rules
}

// caller returns the signed-in caller when the permission rows let their
// role do operation (a root field, or a role-restricted field such as
// User.sessions): the rows are the one source of truth for roles, so an
// ALLOW row widens what a role may do here and a DENY row narrows it.
// Errors: UNAUTHENTICATED, FORBIDDEN (and what the CallerSource returns).
func (g gate) caller(ctx context.Context, operation string) (*ports.Caller, error) {
	return staffrule.Caller(ctx, g.callers, g.rules, operation)
}
