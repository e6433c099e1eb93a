package portsfake

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// --- labels and levels

func (s *KYCStore) GetLabel(ctx context.Context, userID uuid.UUID, key string) (ports.Label, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.labels[userID][key]
	if !ok {
		return ports.Label{}, ports.ErrNotFound
	}
	return l, nil
}

// SetLabel creates or replaces the label with l.Key (CreatedAt kept on
// replace).
func (s *KYCStore) SetLabel(ctx context.Context, l ports.Label) (ports.Label, error) {
	if l.Scope != ports.ScopePublic && l.Scope != ports.ScopePrivate {
		return ports.Label{}, fmt.Errorf("portsfake: invalid label scope %q", l.Scope)
	}
	if !labelKeyRE.MatchString(l.Key) {
		return ports.Label{}, checkViolation("invalid label key %q", l.Key)
	}
	if n := utf8.RuneCountInString(l.Value); n < 1 || n > 255 {
		return ports.Label{}, checkViolation("a label value has 1 to 255 characters")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.labels[l.UserID]
	if m == nil {
		m = map[string]ports.Label{}
		s.labels[l.UserID] = m
	}
	if old, ok := m[l.Key]; ok {
		l.CreatedAt = old.CreatedAt
	}
	m[l.Key] = l
	return l, nil
}

func (s *KYCStore) DeleteLabel(ctx context.Context, userID uuid.UUID, key string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.labels[userID][key]; !ok {
		return false, nil
	}
	delete(s.labels[userID], key)
	return true, nil
}

// ListLabels returns the user's labels ordered by key.
func (s *KYCStore) ListLabels(ctx context.Context, userID uuid.UUID) ([]ports.Label, error) {
	s.mu.Lock()
	var out []ports.Label
	for _, l := range s.labels[userID] {
		out = append(out, l)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b ports.Label) int { return cmp.Compare(a.Key, b.Key) })
	return out, nil
}

// LevelRules returns the rules ordered by level, then key.
func (s *KYCStore) LevelRules(ctx context.Context) ([]ports.LevelRule, error) {
	s.mu.Lock()
	out := slices.Clone(s.rules)
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b ports.LevelRule) int {
		if c := cmp.Compare(a.Level, b.Level); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return out, nil
}
