package admin

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/internal/staffrule"
	"github.com/gatehouse/gatehouse/modules/internal/textin"
	"github.com/gatehouse/gatehouse/ports"
)

// StaffActions are the changes staff make to a user: state, role, second
// factor and sessions, each under the target's row lock with its audit
// row and the activities both sides read.
type StaffActions struct {
	gate
	users      Users
	sessions   Sessions
	totp       TOTPRemover
	audit      ports.AuditTrail
	activities ports.ActivityLog
	tx         ports.TxRunner
	clock      ports.Clock
	cache      SessionCache
}

// NewStaffActions returns the staff's changes to users; callers and rules
// decide who may make them (see gate).
func NewStaffActions(users Users, sessions Sessions, totp TOTPRemover, audit ports.AuditTrail,
	activities ports.ActivityLog, tx ports.TxRunner, clock ports.Clock, callers ports.CallerSource,
	rules Rules, cache SessionCache) *StaffActions {
	return &StaffActions{gate: gate{callers: callers, rules: rules}, users: users, sessions: sessions, totp: totp,
		audit: audit, activities: activities, tx: tx, clock: clock, cache: cache}
}

// staffChange is one staff mutation on target: who may call it, what it
// does under the target's row lock, and what it tells the user.
type staffChange struct {
	action string // the root field name, e.g. "setUserState"
	target uuid.UUID
	reason string
	input  map[string]any
	// validate checks the input past the reason (may be nil).
	validate func() error
	// check refuses the change on this user (may be nil); it runs under
	// the lock after the common rules.
	check func(c *ports.Caller, u identity.User) error
	// apply makes the change inside the transaction.
	apply func(ctx context.Context, c *ports.Caller, u identity.User, now time.Time) error
	// topic and event are the row the user reads in their own activity.
	topic, event string
	details      map[string]string
}

// run applies a staff change: role, reason and input checks, then in one
// transaction the target's lock, the rules on the target (not oneself,
// not PENDING or DELETED, an ADMIN or SUPERADMIN only by a SUPERADMIN),
// the change, exactly one admin activity and the activities the staff
// member and the user read; MarkAudited after the commit. On failure
// nothing is written (the authorization rule writes the FAILED row).
func (s *StaffActions) run(ctx context.Context, ch staffChange) (identity.User, error) {
	c, err := s.caller(ctx, ch.action)
	if err != nil {
		return identity.User{}, err
	}
	reason, rerr := textin.Reason("reason", ch.reason)
	errs := []error{rerr}
	if ch.validate != nil {
		errs = append(errs, ch.validate())
	}
	if err := ports.MergeInvalid(errs...); err != nil {
		return identity.User{}, err
	}
	if ch.target == c.UserID {
		return identity.User{}, ports.Errorf(ports.CodeForbidden, "you may not do this to yourself")
	}
	var out identity.User
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		u, err := staffrule.LockTarget(ctx, s.users, c, ch.target)
		if err != nil {
			return err
		}
		if ch.check != nil {
			if err := ch.check(c, u); err != nil {
				return err
			}
		}
		now := s.clock.Now()
		if err := ch.apply(ctx, c, u, now); err != nil {
			return err
		}
		target := ch.target
		if err := s.audit.RecordAdmin(ctx, ports.NewAdminActivity(ctx, c.UserID, &target, ch.action, reason,
			ch.input, nil, now)); err != nil {
			return err
		}
		mine, theirs := ports.StaffActivities(ctx, c, ch.target, ch.topic, ch.event, nil, ch.details, now)
		for _, a := range []ports.Activity{mine, theirs} {
			if err := s.activities.Record(ctx, a); err != nil {
				return err
			}
		}
		out, err = s.users.GetByID(ctx, ch.target)
		return err
	})
	if err != nil {
		return identity.User{}, err
	}
	// A banned user, a new role, ended sessions: refused or read anew
	// here from now on, and on other instances once the notification
	// of the commit reaches them.
	s.cache.Forget(ch.target)
	ports.MarkAudited(ctx)
	return out, nil
}

// SetUserState sets a user's state to ACTIVE, LOCKED or BANNED; LOCKED and
// BANNED end every session in the same transaction (the user's access
// tokens stop working at once, as each request reads its session).
// ADMIN and SUPERADMIN only. Errors: UNAUTHENTICATED, FORBIDDEN,
// VALIDATION_FAILED, NOT_FOUND, CONFLICT.
func (s *StaffActions) SetUserState(ctx context.Context, userID uuid.UUID, state, reason string) (identity.User, error) {
	return s.run(ctx, staffChange{action: "setUserState", target: userID, reason: reason,
		input: map[string]any{"userId": userID.String(), "state": state, "reason": reason},
		validate: func() error {
			if !ports.RoleIn(state, stateActive, stateLocked, stateBanned) {
				return ports.InvalidField("state", "must be ACTIVE, LOCKED or BANNED")
			}
			return nil
		},
		apply: func(ctx context.Context, _ *ports.Caller, u identity.User, now time.Time) error {
			if err := s.users.SetState(ctx, u.ID, state, now); err != nil {
				return err
			}
			if state == stateActive {
				return nil
			}
			_, err := s.sessions.RevokeAllForUser(ctx, u.ID, uuid.Nil, now, "state "+strings.ToLower(state))
			return err
		},
		topic: "ACCOUNT", event: "state.set", details: map[string]string{"state": state}})
}

// SetUserRole changes a user's role. Only a SUPERADMIN grants ADMIN or
// SUPERADMIN or changes an ADMIN's or SUPERADMIN's role; nobody changes
// their own; ANONYMOUS is no role. ADMIN and SUPERADMIN only. Errors:
// UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED, NOT_FOUND, CONFLICT.
func (s *StaffActions) SetUserRole(ctx context.Context, userID uuid.UUID, role, reason string) (identity.User, error) {
	return s.run(ctx, staffChange{action: "setUserRole", target: userID, reason: reason,
		input: map[string]any{"userId": userID.String(), "role": role, "reason": reason},
		validate: func() error {
			if !ports.RoleIn(role, allRoles...) {
				return ports.InvalidField("role", "is not a role a user may hold")
			}
			return nil
		},
		check: func(c *ports.Caller, _ identity.User) error {
			if ports.RoleIn(role, ports.RoleAdmin, ports.RoleSuperadmin) && c.Role != ports.RoleSuperadmin {
				return ports.Errorf(ports.CodeForbidden, "only a SUPERADMIN may grant %s", role)
			}
			return nil
		},
		apply: func(ctx context.Context, _ *ports.Caller, u identity.User, now time.Time) error {
			return s.users.SetRole(ctx, u.ID, role, now)
		},
		topic: "ACCOUNT", event: "role.set", details: map[string]string{"role": role}})
}

// ResetUserMFA turns off a user's authenticator app and removes their
// recovery codes (they lost the device). ADMIN and SUPERADMIN only.
// Errors: UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED, NOT_FOUND,
// CONFLICT.
func (s *StaffActions) ResetUserMFA(ctx context.Context, userID uuid.UUID, reason string) (identity.User, error) {
	return s.run(ctx, staffChange{action: "resetUserMfa", target: userID, reason: reason,
		input: map[string]any{"userId": userID.String(), "reason": reason},
		apply: func(ctx context.Context, _ *ports.Caller, u identity.User, _ time.Time) error {
			return s.totp.DeleteTOTP(ctx, u.ID)
		},
		topic: "MFA", event: "totp.reset"})
}

// RevokeUserSessions ends every session of a user and returns how many it
// ended. SUPPORT, ADMIN and SUPERADMIN. Errors: UNAUTHENTICATED,
// FORBIDDEN, VALIDATION_FAILED, NOT_FOUND, CONFLICT.
func (s *StaffActions) RevokeUserSessions(ctx context.Context, userID uuid.UUID, reason string) (int, identity.User, error) {
	n := 0
	details := map[string]string{}
	u, err := s.run(ctx, staffChange{action: "revokeUserSessions", target: userID,
		reason: reason, input: map[string]any{"userId": userID.String(), "reason": reason},
		apply: func(ctx context.Context, _ *ports.Caller, u identity.User, now time.Time) error {
			var err error
			n, err = s.sessions.RevokeAllForUser(ctx, u.ID, uuid.Nil, now, "revoked by staff")
			details["sessions"] = fmt.Sprint(n)
			return err
		},
		topic: "SESSION", event: "sessions.revoke_all", details: details})
	if err != nil {
		return 0, identity.User{}, err
	}
	return n, u, nil
}
