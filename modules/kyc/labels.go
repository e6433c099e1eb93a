package kyc

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Labelling is the labels of users and the levels they give: the PUBLIC
// labels users keep on themselves, the labels staff set and remove on
// others (staff_labels.go), and the level rules (levels.go).
type Labelling struct {
	gate
	trail
	staffAudit
	store   Labels
	users   Users
	labeler labeler
	tx      ports.TxRunner
}

// NewLabelling returns the label and level use cases; callers and rules
// decide who may read and change whose labels (see gate).
func NewLabelling(labels Labels, users Users, callers ports.CallerSource, rules Rules, tx ports.TxRunner,
	clock ports.Clock, activities ports.ActivityLog, audit ports.AuditTrail, log *slog.Logger) *Labelling {
	return &Labelling{gate: gate{callers: callers, rules: rules},
		trail:      trail{activities: activities, clock: clock, log: log},
		staffAudit: staffAudit{audit: audit, clock: clock}, store: labels, users: users,
		labeler: labeler{store: labels, users: users, clock: clock}, tx: tx}
}

// LabelInput is a PUBLIC label a user sets on themselves.
type LabelInput struct {
	Key         string
	Value       string
	Description string
}

var labelKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_.-]{0,63}$`)

// MaxLabels is how many labels a user may have.
const MaxLabels = 50

// SetMyLabel creates or replaces one of the caller's PUBLIC labels.
// Errors: UNAUTHENTICATED, VALIDATION_FAILED, CONFLICT (the key is a
// PRIVATE label).
func (s *Labelling) SetMyLabel(ctx context.Context, in LabelInput) (Label, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return Label{}, err
	}
	l := Label{UserID: c.UserID, Scope: ScopePublic}
	var errs []error
	if l.Key, err = labelKey(in.Key); err != nil {
		errs = append(errs, err)
	}
	l.Value, err = text("value", in.Value, 1, 255)
	errs = append(errs, err)
	l.Description, err = text("description", in.Description, 0, 255)
	errs = append(errs, err)
	if err := ports.MergeInvalid(errs...); err != nil {
		return Label{}, err
	}
	var out Label
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		// Counted under the user's lock: two requests cannot both see 49.
		if err := s.users.Lock(ctx, c.UserID); err != nil {
			return err
		}
		labels, err := s.store.ListLabels(ctx, c.UserID)
		if err != nil {
			return err
		}
		exists := false
		for _, old := range labels {
			if old.Key == l.Key {
				if old.Scope != ScopePublic {
					return ports.Errorf(ports.CodeConflict, "the label %s is kept by staff", l.Key)
				}
				exists = true
				l.CreatedAt = old.CreatedAt
			}
		}
		if !exists && len(labels) >= MaxLabels {
			return ports.InvalidField("key", fmt.Sprintf("you have %d labels already; remove one first", MaxLabels))
		}
		out, err = s.labeler.apply(ctx, l)
		return err
	})
	s.record(ctx, &c.UserID, "label.set", err, map[string]string{"key": l.Key})
	if err != nil {
		return Label{}, err
	}
	return out, nil
}

// RemoveMyLabel removes one of the caller's PUBLIC labels; false when there
// was none. Errors: UNAUTHENTICATED, VALIDATION_FAILED, CONFLICT (the key
// is a PRIVATE label).
func (s *Labelling) RemoveMyLabel(ctx context.Context, key string) (bool, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return false, err
	}
	if key, err = labelKey(key); err != nil {
		return false, err
	}
	removed := false
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.users.Lock(ctx, c.UserID); err != nil {
			return err
		}
		old, err := s.store.GetLabel(ctx, c.UserID, key)
		if isCode(err, ports.CodeNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if old.Scope != ScopePublic {
			return ports.Errorf(ports.CodeConflict, "the label %s is kept by staff", key)
		}
		removed, err = s.labeler.remove(ctx, c.UserID, key)
		return err
	})
	if err != nil || removed {
		s.record(ctx, &c.UserID, "label.remove", err, map[string]string{"key": key})
	}
	return removed, err
}

// LabelsOf returns a user's labels ordered by key: the user sees the
// PUBLIC ones, staff who read KYC data all. Errors: UNAUTHENTICATED,
// FORBIDDEN.
func (s *Labelling) LabelsOf(ctx context.Context, userID uuid.UUID) ([]Label, error) {
	c, err := s.readerOf(ctx, opReadLabels, userID)
	if err != nil {
		return nil, err
	}
	labels, err := readLabels(ctx, s.store, userID)
	if err != nil {
		return nil, err
	}
	staff := s.rules.Allowed(c.Role, opReadLabels)
	out := []Label{}
	for _, l := range labels {
		if staff || l.Scope == ScopePublic {
			out = append(out, l)
		}
	}
	return out, nil
}

func labelKey(raw string) (string, error) {
	k := strings.TrimSpace(raw)
	if !labelKeyRE.MatchString(k) {
		return "", ports.InvalidField("key", "must be 1 to 64 of a-z 0-9 _ . - starting with a lower-case letter")
	}
	return k, nil
}
