// Package staffrule is who staff are, whom they may change, and how their
// decisions reach the user, shared by every module with staff operations.
package staffrule

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// Allower answers whether a role may do an operation: a module's Rules,
// from the permission rows.
type Allower interface {
	Allowed(role, operation string) bool
}

// Caller returns the signed-in caller when the permission rows let their
// role do operation. The rows are the one source of truth for roles: an
// ALLOW row widens who may, a DENY row narrows it. Errors:
// UNAUTHENTICATED, FORBIDDEN, and what callers returns.
func Caller(ctx context.Context, callers ports.CallerSource, rules Allower, operation string) (*ports.Caller, error) {
	c, err := callers.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, ports.Errorf(ports.CodeUnauthenticated, "sign in first")
	}
	if !rules.Allowed(c.Role, operation) {
		return nil, ports.Errorf(ports.CodeForbidden, "your role may not do this")
	}
	return c, nil
}

// UserReader reads a user (identity's user store, or a module's view).
type UserReader interface {
	GetByID(ctx context.Context, id uuid.UUID) (identity.User, error)
}

// TextUser queues the text template to the user's phone, in their
// language, about ref (what it tells of, for its status), in the
// transaction carried by ctx: the decision's, so that it is sent if and
// only if the decision commits. A user without a phone gets none.
func TextUser(ctx context.Context, users UserReader, outbox ports.Outbox, userID uuid.UUID, template, ref string) error {
	u, err := users.GetByID(ctx, userID)
	if err != nil || u.Phone == "" {
		return err
	}
	return outbox.Enqueue(ctx, ports.Message{Channel: ports.ChannelSMS, To: u.Phone, Template: template,
		Locale: u.Locale, Ref: ref})
}

// LockingUsers locks and reads users (identity's user store, or a module's
// narrower view of it).
type LockingUsers interface {
	Lock(ctx context.Context, id uuid.UUID) error
	GetByID(ctx context.Context, id uuid.UUID) (identity.User, error)
}

// LockTarget locks the user's row until the transaction ends (take it
// before the transaction's first write) and returns the user when staff c
// may change them: not a PENDING or DELETED account (CONFLICT), and an
// ADMIN or SUPERADMIN only when c is a SUPERADMIN (FORBIDDEN). Acting on
// oneself is the caller's to refuse, before the transaction. Errors:
// NOT_FOUND, CONFLICT, FORBIDDEN.
func LockTarget(ctx context.Context, users LockingUsers, c *ports.Caller, id uuid.UUID) (identity.User, error) {
	if err := users.Lock(ctx, id); err != nil {
		return identity.User{}, err
	}
	u, err := users.GetByID(ctx, id)
	if err != nil {
		return identity.User{}, err
	}
	if u.State == "PENDING" || u.State == "DELETED" {
		return identity.User{}, ports.Errorf(ports.CodeConflict, "the user is %s", strings.ToLower(u.State))
	}
	if ports.RoleIn(u.Role, ports.RoleAdmin, ports.RoleSuperadmin) && c.Role != ports.RoleSuperadmin {
		return identity.User{}, ports.Errorf(ports.CodeForbidden, "only a SUPERADMIN may act on an %s", u.Role)
	}
	return u, nil
}
