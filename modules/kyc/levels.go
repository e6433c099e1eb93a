package kyc

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Level is one verification level and the rules that reach it.
type Level struct {
	Level int
	Rules []LevelRule
}

// Levels lists the level rules grouped by level, lowest first. Anyone may
// read them.
func (s *Labelling) Levels(ctx context.Context) ([]Level, error) {
	rules, err := s.store.LevelRules(ctx)
	if err != nil {
		return nil, err
	}
	return groupLevels(rules), nil
}

func groupLevels(rules []LevelRule) []Level {
	rules = slices.Clone(rules)
	slices.SortStableFunc(rules, func(a, b LevelRule) int { return a.Level - b.Level })
	out := []Level{}
	for _, r := range rules {
		if n := len(out); n > 0 && out[n-1].Level == r.Level {
			out[n-1].Rules = append(out[n-1].Rules, r)
			continue
		}
		out = append(out, Level{Level: r.Level, Rules: []LevelRule{r}})
	}
	return out
}

// ComputeLevel returns the highest level L such that every rule of every
// level from 1 to L holds on the PRIVATE labels (a level without rules
// holds by itself); 0 when level 1 does not hold.
func ComputeLevel(rules []LevelRule, labels []Label) int {
	held := map[string]string{}
	for _, l := range labels {
		if l.Scope == ScopePrivate {
			held[l.Key] = l.Value
		}
	}
	top := 0
	for _, r := range rules {
		top = max(top, r.Level)
	}
	level := 0
	for l := 1; l <= top; l++ {
		for _, r := range rules {
			if r.Level == l {
				if v, ok := held[r.Key]; !ok || v != r.Value {
					return level
				}
			}
		}
		level = l
	}
	return level
}

// labeler changes labels and keeps the user's level in step. It needs
// only stores, so the user hook (which identity calls) shares it without
// depending on identity. Call its methods inside a transaction: the label
// and the level commit together. They lock the user's row (UserStore.Lock)
// before they write, so two transactions changing one user's labels run
// one after the other and the level written last is computed from labels
// that include every committed change; callers that read before they
// write lock first themselves.
type labeler struct {
	store Labels
	users Users
	clock ports.Clock
}

// apply creates or replaces the user's label l.Key and recomputes the
// user's level.
func (b labeler) apply(ctx context.Context, l Label) (Label, error) {
	now := b.clock.Now()
	if l.CreatedAt.IsZero() {
		l.CreatedAt = now
	}
	l.UpdatedAt = now
	if err := b.users.Lock(ctx, l.UserID); err != nil {
		return Label{}, err
	}
	out, err := b.store.SetLabel(ctx, l)
	if err != nil {
		return Label{}, err
	}
	if _, err := b.recompute(ctx, l.UserID, now); err != nil {
		return Label{}, err
	}
	return out, nil
}

// remove deletes the user's label key, if any, and recomputes the level.
func (b labeler) remove(ctx context.Context, userID uuid.UUID, key string) (bool, error) {
	if err := b.users.Lock(ctx, userID); err != nil {
		return false, err
	}
	ok, err := b.store.DeleteLabel(ctx, userID, key)
	if err != nil || !ok {
		return ok, err
	}
	if _, err := b.recompute(ctx, userID, b.clock.Now()); err != nil {
		return false, err
	}
	return true, nil
}

// recompute stores the level the user's labels give and returns it.
func (b labeler) recompute(ctx context.Context, userID uuid.UUID, at time.Time) (int, error) {
	rules, err := b.store.LevelRules(ctx)
	if err != nil {
		return 0, err
	}
	labels, err := b.store.ListLabels(ctx, userID)
	if err != nil {
		return 0, err
	}
	level := ComputeLevel(rules, labels)
	if err := b.users.SetLevel(ctx, userID, level, at); err != nil {
		return 0, err
	}
	return level, nil
}

// Labels Gatehouse itself sets (PRIVATE; the default level rules use
// them).
const (
	LabelPhone    = "phone"
	LabelEmail    = "email"
	LabelProfile  = "profile"
	LabelDocument = "document"
	LabelSelfie   = "selfie"
	// LabelVerified is the value of every label above.
	LabelVerified = "verified"
)

// systemLabel is a PRIVATE label=verified that Gatehouse sets.
func systemLabel(userID uuid.UUID, key, description string) Label {
	return Label{UserID: userID, Key: key, Value: LabelVerified, Scope: ScopePrivate,
		Description: description}
}

// isCode reports whether err is a *ports.Error with code.
func isCode(err error, code ports.ErrorCode) bool {
	var e *ports.Error
	return errors.As(err, &e) && e.Code == code
}
