// Package levelrulestest holds the levelrules module's fake stores and the
// contract suite that the fake and the PostgreSQL adapter both pass.
package levelrulestest

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/kyc/kyctest"
	"github.com/gatehouse/gatehouse/modules/levelrules"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

var (
	_ levelrules.Rules = (*Store)(nil)
	_ levelrules.Jobs  = (*Store)(nil)
	_ levelrules.Users = (*Store)(nil)
)

// Store implements the module's stores in memory, starting with the level
// rules the migration seeds and no users.
type Store struct {
	mu     sync.Mutex
	rules  []kyc.LevelRule
	jobs   map[uuid.UUID]levelrules.Job
	users  map[uuid.UUID]int
	labels map[uuid.UUID][]kyc.Label
}

// NewStore returns a store as the migrations leave the database.
func NewStore() *Store {
	return &Store{rules: kyctest.DefaultLevelRules(), jobs: map[uuid.UUID]levelrules.Job{},
		users: map[uuid.UUID]int{}, labels: map[uuid.UUID][]kyc.Label{}}
}

// Stores returns s as every store of the module, and its seeder.
func (s *Store) Stores() Stores {
	return Stores{Rules: s, Jobs: s, Users: s, Seeder: s, Tx: portsfake.NewTxRunner()}
}

func (s *Store) LockRules(ctx context.Context) error { return nil }

func (s *Store) LevelRules(ctx context.Context) ([]kyc.LevelRule, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.rules)
	slices.SortFunc(out, func(a, b kyc.LevelRule) int {
		return cmp.Or(cmp.Compare(a.Level, b.Level), cmp.Compare(a.Key, b.Key))
	})
	return out, nil
}

func (s *Store) AddLevelRule(ctx context.Context, r kyc.LevelRule) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.rules {
		if o.Level == r.Level && o.Key == r.Key {
			return ports.Refusal(ports.CodeConflict, levelrules.ReasonRuleExists,
				"level %d has a rule for %s already", r.Level, r.Key)
		}
	}
	s.rules = append(s.rules, r)
	return nil
}

func (s *Store) RemoveLevelRule(ctx context.Context, level int, key string) (kyc.LevelRule, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, o := range s.rules {
		if o.Level == level && o.Key == key {
			s.rules = slices.Delete(s.rules, i, i+1)
			return o, true, nil
		}
	}
	return kyc.LevelRule{}, false, nil
}

func (s *Store) CreateJob(ctx context.Context, j levelrules.Job) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobs[j.ID] = cloneJob(j)
	return nil
}

func (s *Store) Job(ctx context.Context, id uuid.UUID) (levelrules.Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[id]
	if !ok {
		return levelrules.Job{}, ports.ErrNotFound
	}
	return cloneJob(j), nil
}

func (s *Store) sorted() []levelrules.Job {
	out := make([]levelrules.Job, 0, len(s.jobs))
	for _, j := range s.jobs {
		out = append(out, cloneJob(j))
	}
	slices.SortFunc(out, func(a, b levelrules.Job) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID.String(), b.ID.String()))
	})
	return out
}

func (s *Store) RecentJobs(ctx context.Context, limit int) ([]levelrules.Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.sorted()
	slices.Reverse(out)
	return out[:min(limit, len(out))], nil
}

// ClaimJob returns the oldest RUNNING job. The fake has no transactions:
// callers run one at a time.
func (s *Store) ClaimJob(ctx context.Context) (levelrules.Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, j := range s.sorted() {
		if j.State == levelrules.JobRunning {
			return j, nil
		}
	}
	return levelrules.Job{}, ports.ErrNotFound
}

func (s *Store) SaveJob(ctx context.Context, j levelrules.Job) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.jobs[j.ID]; !ok {
		return ports.ErrNotFound
	}
	s.jobs[j.ID] = cloneJob(j)
	return nil
}

func (s *Store) CountUsersFrom(ctx context.Context, level int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, l := range s.users {
		if l >= level {
			n++
		}
	}
	return n, nil
}

func (s *Store) UsersFrom(ctx context.Context, minLevel int, after *uuid.UUID, limit int) ([]levelrules.UserLevel, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []levelrules.UserLevel
	for id, l := range s.users {
		if l >= minLevel && (after == nil || idLess(*after, id)) {
			out = append(out, levelrules.UserLevel{ID: id, Level: l})
		}
	}
	slices.SortFunc(out, func(a, b levelrules.UserLevel) int { return compareIDs(a.ID, b.ID) })
	return out[:min(limit, len(out))], nil
}

func (s *Store) PrivateLabels(ctx context.Context, users []uuid.UUID) ([]kyc.Label, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []kyc.Label{}
	for _, id := range users {
		for _, l := range s.labels[id] {
			if l.Scope == kyc.ScopePrivate {
				out = append(out, l)
			}
		}
	}
	return out, nil
}

func (s *Store) SetLevels(ctx context.Context, levels []levelrules.UserLevel, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range levels {
		if _, ok := s.users[u.ID]; ok {
			s.users[u.ID] = u.Level
		}
	}
	return nil
}

// PutUser adds a user at level and returns its id.
func (s *Store) PutUser(level int) uuid.UUID {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := uuid.New()
	s.users[id] = level
	return id
}

// PutLabel sets a user's label key=value of scope.
func (s *Store) PutLabel(user uuid.UUID, key, value, scope string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.labels[user] = append(slices.DeleteFunc(s.labels[user], func(l kyc.Label) bool { return l.Key == key }),
		kyc.Label{UserID: user, Key: key, Value: value, Scope: scope})
}

// Level returns a user's stored level.
func (s *Store) Level(user uuid.UUID) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.users[user]
}

func cloneJob(j levelrules.Job) levelrules.Job {
	if j.AfterID != nil {
		id := *j.AfterID
		j.AfterID = &id
	}
	if j.FinishedAt != nil {
		t := *j.FinishedAt
		j.FinishedAt = &t
	}
	return j
}

// compareIDs orders ids as PostgreSQL orders uuid: by their bytes.
func compareIDs(a, b uuid.UUID) int {
	return slices.Compare(a[:], b[:])
}

func idLess(a, b uuid.UUID) bool { return compareIDs(a, b) < 0 }
