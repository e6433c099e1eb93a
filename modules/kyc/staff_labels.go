package kyc

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/staffrule"
	"github.com/gatehouse/gatehouse/ports"
)

// StaffLabelInput is a label staff set on a user, PUBLIC or PRIVATE.
type StaffLabelInput struct {
	LabelInput
	Scope string
}

// staffTarget locks the user and checks that staff c may change their KYC
// data (staffrule.LockTarget; oneself is refused before).
func staffTarget(ctx context.Context, users Users, c *ports.Caller, userID uuid.UUID) error {
	_, err := staffrule.LockTarget(ctx, users, c, userID)
	return err
}

// SetUserLabel lets COMPLIANCE, ADMIN and SUPERADMIN set a PUBLIC or
// PRIVATE label on another user (replacing one with the same key) and
// recomputes the user's level; the change, one admin activity with the
// reason and the activities both sides read commit together. Errors:
// UNAUTHENTICATED, FORBIDDEN (also on oneself), VALIDATION_FAILED,
// NOT_FOUND, CONFLICT (a PENDING or DELETED user).
func (s *Labelling) SetUserLabel(ctx context.Context, userID uuid.UUID, in StaffLabelInput, reason string) (Label, error) {
	c, err := s.decider(ctx, "setUserLabel")
	if err != nil {
		return Label{}, err
	}
	l := Label{UserID: userID, Scope: in.Scope}
	var errs []error
	if l.Key, err = labelKey(in.Key); err != nil {
		errs = append(errs, err)
	}
	l.Value, err = text("value", in.Value, 1, 255)
	errs = append(errs, err)
	l.Description, err = text("description", in.Description, 0, 255)
	errs = append(errs, err)
	if in.Scope != ScopePublic && in.Scope != ScopePrivate {
		errs = append(errs, ports.InvalidField("scope", "must be PUBLIC or PRIVATE"))
	}
	reason, err = reasonText("reason", reason)
	errs = append(errs, err)
	if err := ports.MergeInvalid(errs...); err != nil {
		return Label{}, err
	}
	if userID == c.UserID {
		return Label{}, ports.Errorf(ports.CodeForbidden, "you may not change your own labels")
	}
	var out Label
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := staffTarget(ctx, s.users, c, userID); err != nil {
			return err
		}
		labels, err := s.store.ListLabels(ctx, userID)
		if err != nil {
			return err
		}
		exists := false
		for _, old := range labels {
			if old.Key == l.Key {
				exists = true
				l.CreatedAt = old.CreatedAt
			}
		}
		if !exists && len(labels) >= MaxLabels {
			return ports.InvalidField("key", fmt.Sprintf("the user has %d labels already; remove one first", MaxLabels))
		}
		if out, err = s.labeler.apply(ctx, l); err != nil {
			return err
		}
		input := map[string]any{"userId": userID.String(), "key": l.Key, "value": l.Value, "scope": l.Scope,
			"description": l.Description, "reason": reason}
		if err := s.recordAdminTx(ctx, c, userID, "setUserLabel", reason, input); err != nil {
			return err
		}
		return s.recordStaffTx(ctx, c, userID, "label.staff_set", nil, labelDetails(l.Key, l.Scope))
	})
	if err != nil {
		return Label{}, err
	}
	ports.MarkAudited(ctx)
	return out, nil
}

// RemoveUserLabel lets COMPLIANCE, ADMIN and SUPERADMIN remove a user's
// label (PUBLIC or PRIVATE) and recomputes the level; false when there was
// none. Errors: UNAUTHENTICATED, FORBIDDEN (also on oneself),
// VALIDATION_FAILED, NOT_FOUND, CONFLICT (a PENDING or DELETED user).
func (s *Labelling) RemoveUserLabel(ctx context.Context, userID uuid.UUID, key, reason string) (bool, error) {
	c, err := s.decider(ctx, "removeUserLabel")
	if err != nil {
		return false, err
	}
	key, kerr := labelKey(key)
	reason, rerr := reasonText("reason", reason)
	if err := ports.MergeInvalid(kerr, rerr); err != nil {
		return false, err
	}
	if userID == c.UserID {
		return false, ports.Errorf(ports.CodeForbidden, "you may not change your own labels")
	}
	removed := false
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := staffTarget(ctx, s.users, c, userID); err != nil {
			return err
		}
		old, err := s.store.GetLabel(ctx, userID, key)
		if err != nil && !isCode(err, ports.CodeNotFound) {
			return err
		}
		if err == nil {
			if removed, err = s.labeler.remove(ctx, userID, key); err != nil {
				return err
			}
		}
		input := map[string]any{"userId": userID.String(), "key": key, "reason": reason}
		if err := s.recordAdminTx(ctx, c, userID, "removeUserLabel", reason, input); err != nil {
			return err
		}
		if !removed {
			return nil
		}
		return s.recordStaffTx(ctx, c, userID, "label.staff_remove", nil, labelDetails(key, old.Scope))
	})
	if err != nil {
		return false, err
	}
	ports.MarkAudited(ctx)
	return removed, nil
}

// labelDetails names the key of a PUBLIC label only: the user's own row
// must not reveal the keys of the labels staff keep about them.
func labelDetails(key, scope string) map[string]string {
	if scope == ScopePublic {
		return map[string]string{"key": key, "scope": scope}
	}
	return map[string]string{"scope": scope}
}
