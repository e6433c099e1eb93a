package admin

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/textin"
	"github.com/gatehouse/gatehouse/ports"
)

// Permissions keeps the permission rows. Who may read and change them is
// itself decided by the rows (ADMIN and SUPERADMIN by default); the
// service keeps the one relationship rule the rows cannot: a caller below
// SUPERADMIN changes only rows of the roles below ADMIN, never the rows of
// the permission operations, and never so that its own role could do
// more. Every change writes its audit row.
type Permissions struct {
	gate
	store PermissionStore
	audit ports.AuditTrail
	tx    ports.TxRunner
	clock ports.Clock
	// operations are the names rows may give: the schema's root fields
	// and role-restricted Type.field names.
	operations []string
}

// NewPermissions returns the keeping of the rows in store; ops are the
// operations the schema has; callers and rules decide who may call (see
// gate, and mayChange).
func NewPermissions(store PermissionStore, audit ports.AuditTrail, tx ports.TxRunner, clock ports.Clock,
	ops Operations, callers ports.CallerSource, rules Rules) *Permissions {
	return &Permissions{gate: gate{callers: callers, rules: rules}, store: store, audit: audit, tx: tx,
		clock: clock, operations: ops}
}

// PermissionInput is a new rule as a client sent it.
type PermissionInput struct {
	Role      string
	Operation string
	Action    string
	Reason    string
}

// PermissionChange is a change to a rule; nil fields stay.
type PermissionChange struct {
	ID        uuid.UUID
	Role      *string
	Operation *string
	Action    *string
	Reason    string
}

// permissionRoles are the roles a rule may be for.
var permissionRoles = []string{ports.RoleAnonymous, ports.RoleMember, ports.RoleSupport, ports.RoleCompliance,
	ports.RoleAccountant, ports.RoleAdmin, ports.RoleSuperadmin, ports.RolePartner}

// permissionKeepers are the operations SUPERADMIN must keep, or nobody
// could ever change the rules again.
var permissionKeepers = []string{"permissions", "createPermission", "updatePermission", "deletePermission"}

// maxPermissionOperation bounds an operation (a prefix group included).
const maxPermissionOperation = 100

var permissionPrefix = regexp.MustCompile(`^[A-Za-z0-9_]*\*$`)

// List returns every rule by role, then operation.
// Errors: UNAUTHENTICATED, FORBIDDEN (the rows decide).
func (s *Permissions) List(ctx context.Context) ([]Permission, error) {
	if _, err := s.caller(ctx, "permissions"); err != nil {
		return nil, err
	}
	return s.store.List(ctx)
}

// Create adds a rule; every instance applies it within a second.
// Errors: UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED (role, operation,
// action, reason), CONFLICT (the role has a rule for the operation, or
// SUPERADMIN would lose the permission rules), FORBIDDEN with a reason
// (see mayChange and keepPermissionRules).
func (s *Permissions) Create(ctx context.Context, in PermissionInput) (Permission, error) {
	c, err := s.caller(ctx, "createPermission")
	if err != nil {
		return Permission{}, err
	}
	reason, verr := s.checkPermission(in.Role, in.Operation, in.Action, in.Reason)
	if verr != nil {
		return Permission{}, verr
	}
	if err := mayChange(c, in.Role, in.Operation); err != nil {
		return Permission{}, err
	}
	now := s.clock.Now()
	p := Permission{ID: uuid.Must(uuid.NewV7()), Role: in.Role, Operation: in.Operation, Action: in.Action,
		CreatedAt: now, UpdatedAt: now}
	input := map[string]any{"role": in.Role, "operation": in.Operation, "action": in.Action, "reason": reason}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.Lock(ctx); err != nil {
			return err
		}
		before, err := s.store.List(ctx)
		if err != nil {
			return err
		}
		if err := s.store.Create(ctx, p); err != nil {
			return err
		}
		if err := s.keepPermissionRules(ctx, c, before); err != nil {
			return err
		}
		return s.audit.RecordAdmin(ctx, ports.NewAdminActivity(ctx, c.UserID, nil, "createPermission", reason,
			input, nil, now))
	})
	if err != nil {
		return Permission{}, err
	}
	ports.MarkAudited(ctx)
	return p, nil
}

// Update changes a rule.
// Errors: as Create, and NOT_FOUND for an unknown id.
func (s *Permissions) Update(ctx context.Context, in PermissionChange) (Permission, error) {
	c, err := s.caller(ctx, "updatePermission")
	if err != nil {
		return Permission{}, err
	}
	// Check what was sent before reading the rule; unsent fields are
	// checked once known (a stored rule is valid already).
	role, op, action := orStored(in.Role, ports.RoleMember), orStored(in.Operation, "*"), orStored(in.Action, PermissionAllow)
	reason, verr := s.checkPermission(role, op, action, in.Reason)
	if verr != nil {
		return Permission{}, verr
	}
	input := map[string]any{"id": in.ID.String(), "reason": reason}
	for k, v := range map[string]*string{"role": in.Role, "operation": in.Operation, "action": in.Action} {
		if v != nil {
			input[k] = *v
		}
	}
	now := s.clock.Now()
	var out Permission
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.Lock(ctx); err != nil {
			return err
		}
		before, err := s.store.List(ctx)
		if err != nil {
			return err
		}
		p, err := s.store.Get(ctx, in.ID)
		if err != nil {
			return err
		}
		// The rule as it is and as it will be must both be the caller's
		// to change.
		if err := mayChange(c, p.Role, p.Operation); err != nil {
			return err
		}
		input["before"] = map[string]any{"role": p.Role, "operation": p.Operation, "action": p.Action}
		p.Role, p.Operation, p.Action = orStored(in.Role, p.Role), orStored(in.Operation, p.Operation), orStored(in.Action, p.Action)
		// The rule as it will be, sent and stored fields together (AUDIT
		// for ANONYMOUS is refused whichever of the two was sent).
		if _, err := s.checkPermission(p.Role, p.Operation, p.Action, reason); err != nil {
			return err
		}
		if err := mayChange(c, p.Role, p.Operation); err != nil {
			return err
		}
		p.UpdatedAt = now
		if err := s.store.Update(ctx, p); err != nil {
			return err
		}
		if err := s.keepPermissionRules(ctx, c, before); err != nil {
			return err
		}
		out = p
		return s.audit.RecordAdmin(ctx, ports.NewAdminActivity(ctx, c.UserID, nil, "updatePermission", reason,
			input, nil, now))
	})
	if err != nil {
		return Permission{}, err
	}
	ports.MarkAudited(ctx)
	return out, nil
}

// Delete removes a rule, reporting whether there was one.
// Errors: UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED (reason),
// CONFLICT (SUPERADMIN would lose the permission rules), FORBIDDEN with a
// reason (see mayChange and keepPermissionRules).
func (s *Permissions) Delete(ctx context.Context, id uuid.UUID, reason string) (bool, error) {
	c, err := s.caller(ctx, "deletePermission")
	if err != nil {
		return false, err
	}
	reason, err = permissionReason(reason)
	if err != nil {
		return false, err
	}
	now := s.clock.Now()
	var deleted bool
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.Lock(ctx); err != nil {
			return err
		}
		before, err := s.store.List(ctx)
		if err != nil {
			return err
		}
		// The trail keeps the rule removed, not only its id.
		old, err := s.store.Get(ctx, id)
		if ports.ErrorCodeOf(err) == ports.CodeNotFound {
			return nil
		} else if err != nil {
			return err
		}
		if err := mayChange(c, old.Role, old.Operation); err != nil {
			return err
		}
		if deleted, err = s.store.Delete(ctx, id); err != nil || !deleted {
			return err
		}
		if err := s.keepPermissionRules(ctx, c, before); err != nil {
			return err
		}
		return s.audit.RecordAdmin(ctx, ports.NewAdminActivity(ctx, c.UserID, nil, "deletePermission", reason,
			map[string]any{"id": id.String(), "reason": reason, "before": map[string]any{"role": old.Role,
				"operation": old.Operation, "action": old.Action}}, nil, now))
	})
	if err != nil {
		return false, err
	}
	if deleted {
		ports.MarkAudited(ctx)
	}
	return deleted, nil
}

// rolesBelowAdmin are the roles whose rows a caller below SUPERADMIN may
// change: the roles it outranks.
var rolesBelowAdmin = []string{ports.RoleAnonymous, ports.RoleMember, ports.RolePartner, ports.RoleSupport,
	ports.RoleCompliance, ports.RoleAccountant}

// Reasons of the refusals that keep a caller below SUPERADMIN from
// escalating (extensions.reason).
const (
	ReasonPermissionAboveYourRole = "PERMISSION_ABOVE_YOUR_ROLE"
	ReasonPermissionReserved      = "PERMISSION_OPERATION_RESERVED"
	ReasonPermissionWidensYou     = "PERMISSION_WIDENS_YOUR_ROLE"
)

// mayChange refuses a caller below SUPERADMIN a rule for a role at or
// above ADMIN, or a rule naming (or grouping) the permission operations:
// the rows let such a caller govern the rules only for the roles it
// outranks, or it could hand itself (or a peer) the rule table and with
// it every power. A SUPERADMIN keeps every power (keepPermissionRules
// still guards its own rules).
func mayChange(c *ports.Caller, role, operation string) error {
	if c.Role == ports.RoleSuperadmin {
		return nil
	}
	if !slices.Contains(rolesBelowAdmin, role) {
		return ports.Refusal(ports.CodeForbidden, ReasonPermissionAboveYourRole,
			"your role (%s) may change only the rules of the roles below ADMIN, not those of %s", c.Role, role)
	}
	if prefix, group := strings.CutSuffix(operation, "*"); group || slices.Contains(permissionKeepers, operation) {
		for _, op := range permissionKeepers {
			if op == operation || (group && strings.HasPrefix(op, prefix)) {
				return ports.Refusal(ports.CodeForbidden, ReasonPermissionReserved,
					"only a SUPERADMIN may change who governs the permission rules (%s covers %s)", operation, op)
			}
		}
	}
	return nil
}

// checkPermission validates a rule and its reason, reporting every bad
// field at once; it returns the trimmed reason.
func (s *Permissions) checkPermission(role, op, action, reason string) (string, error) {
	var errs []error
	if !slices.Contains(permissionRoles, role) {
		errs = append(errs, ports.InvalidField("role", "is not a role"))
	}
	switch {
	case op == "":
		errs = append(errs, ports.InvalidField("operation", "is required"))
	case len(op) > maxPermissionOperation:
		errs = append(errs, ports.InvalidField("operation", fmt.Sprintf("must be at most %d characters", maxPermissionOperation)))
	case strings.HasSuffix(op, "*"):
		if !permissionPrefix.MatchString(op) {
			errs = append(errs, ports.InvalidField("operation", "a group is letters, digits and _ followed by *"))
		}
	case !slices.Contains(s.operations, op):
		errs = append(errs, ports.InvalidField("operation", "is neither a root field, a role-restricted Type.field nor a prefix ending in *"))
	}
	if !slices.Contains([]string{PermissionAllow, PermissionDeny, PermissionAudit}, action) {
		errs = append(errs, ports.InvalidField("action", "must be ALLOW, DENY or AUDIT"))
	} else if action == PermissionAudit && role == ports.RoleAnonymous {
		// An anonymous call has no staff member to record: AUDIT would
		// silently mean ALLOW.
		errs = append(errs, ports.InvalidField("action", "AUDIT needs a signed-in role; use ALLOW for ANONYMOUS"))
	}
	r, err := permissionReason(reason)
	errs = append(errs, err)
	return r, ports.MergeInvalid(errs...)
}

// permissionReason checks a reason: 1 to 500 characters, no control
// characters.
func permissionReason(reason string) (string, error) { return textin.Reason("reason", reason) }

// keepPermissionRules refuses a change (inside its transaction) after
// which SUPERADMIN's own rules would no longer allow reading and changing
// the rules (nobody could undo it), or after which a caller below
// SUPERADMIN could do an operation its role could not do before (before
// are the rows as they were): an ANONYMOUS row opens a field to every
// role, the caller's own included.
func (s *Permissions) keepPermissionRules(ctx context.Context, c *ports.Caller, before []Permission) error {
	rows, err := s.store.List(ctx)
	if err != nil {
		return err
	}
	now := buildSnapshot(rows)
	if c.Role != ports.RoleSuperadmin {
		was := buildSnapshot(before)
		for _, op := range s.operations {
			if !was.allowed(c.Role, op) && now.allowed(c.Role, op) {
				return ports.Refusal(ports.CodeForbidden, ReasonPermissionWidensYou,
					"this rule would let your role (%s) call %s, which it may not now: only a SUPERADMIN may widen it", c.Role, op)
			}
		}
	}
	rules := now.byRole[ports.RoleSuperadmin]
	for _, op := range permissionKeepers {
		if !actionOpens(rules.decide(op)) {
			return ports.Errorf(ports.CodeConflict,
				"SUPERADMIN would lose %s: keep a rule that allows it", op)
		}
	}
	return nil
}

func orStored(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

// allowed reports whether role may call op by these rows (Policy.Allowed
// asks it of the current ones): the ANONYMOUS rows open a field to
// everyone, else the role's own rows decide.
func (s *snapshot) allowed(role, op string) bool {
	return actionOpens(s.byRole[ports.RoleAnonymous].decide(op)) || actionOpens(s.byRole[role].decide(op))
}
