package kyctest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
)

// --- labels and levels

func (s *Store) GetLabel(ctx context.Context, userID uuid.UUID, key string) (kyc.Label, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.labels[userID][key]
	if !ok {
		return kyc.Label{}, ports.ErrNotFound
	}
	return l, nil
}

// SetLabel creates or replaces the label with l.Key (CreatedAt kept on
// replace).
func (s *Store) SetLabel(ctx context.Context, l kyc.Label) (kyc.Label, error) {
	if l.Scope != kyc.ScopePublic && l.Scope != kyc.ScopePrivate {
		return kyc.Label{}, fmt.Errorf("portsfake: invalid label scope %q", l.Scope)
	}
	if !labelKeyRE.MatchString(l.Key) {
		return kyc.Label{}, checkViolation("invalid label key %q", l.Key)
	}
	if n := utf8.RuneCountInString(l.Value); n < 1 || n > 255 {
		return kyc.Label{}, checkViolation("a label value has 1 to 255 characters")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.labels[l.UserID]
	if m == nil {
		m = map[string]kyc.Label{}
		s.labels[l.UserID] = m
	}
	if old, ok := m[l.Key]; ok {
		l.CreatedAt = old.CreatedAt
	}
	m[l.Key] = l
	return l, nil
}

func (s *Store) DeleteLabel(ctx context.Context, userID uuid.UUID, key string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.labels[userID][key]; !ok {
		return false, nil
	}
	delete(s.labels[userID], key)
	return true, nil
}

// ListLabels returns the user's labels ordered by key.
func (s *Store) ListLabels(ctx context.Context, userID uuid.UUID) ([]kyc.Label, error) {
	s.mu.Lock()
	var out []kyc.Label
	for _, l := range s.labels[userID] {
		out = append(out, l)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b kyc.Label) int { return cmp.Compare(a.Key, b.Key) })
	return out, nil
}

// LevelRules returns the rules ordered by level, then key.
func (s *Store) LevelRules(ctx context.Context) ([]kyc.LevelRule, error) {
	s.mu.Lock()
	out := slices.Clone(s.rules)
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b kyc.LevelRule) int {
		if c := cmp.Compare(a.Level, b.Level); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return out, nil
}
