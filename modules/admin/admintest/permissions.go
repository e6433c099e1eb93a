package admintest

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/ports"
)

var (
	_ admin.PermissionStore   = (*PermissionStore)(nil)
	_ admin.PermissionWatcher = (*PermissionWatcher)(nil)
)

// PermissionStore implements admin.PermissionStore in memory, with the
// adapter's unique (role, operation). When Watcher is set, every change
// is announced on it, as the database's NOTIFY does on commit.
type PermissionStore struct {
	Watcher *PermissionWatcher

	mu       sync.Mutex
	rows     map[uuid.UUID]admin.Permission
	failWith error
}

// NewPermissionStore returns a store holding rows.
func NewPermissionStore(rows ...admin.Permission) *PermissionStore {
	s := &PermissionStore{rows: map[uuid.UUID]admin.Permission{}}
	for _, r := range rows {
		if r.ID == uuid.Nil {
			r.ID = uuid.New()
		}
		s.rows[r.ID] = r
	}
	return s
}

// FailWith makes every method fail with err (nil to succeed again).
func (s *PermissionStore) FailWith(err error) {
	s.mu.Lock()
	s.failWith = err
	s.mu.Unlock()
}

// List returns every rule by role, then operation.
func (s *PermissionStore) List(ctx context.Context) ([]admin.Permission, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failWith != nil {
		return nil, s.failWith
	}
	out := make([]admin.Permission, 0, len(s.rows))
	for _, r := range s.rows {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b admin.Permission) int {
		return cmp.Or(cmp.Compare(a.Role, b.Role), cmp.Compare(a.Operation, b.Operation))
	})
	return out, nil
}

func (s *PermissionStore) Get(ctx context.Context, id uuid.UUID) (admin.Permission, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failWith != nil {
		return admin.Permission{}, s.failWith
	}
	r, ok := s.rows[id]
	if !ok {
		return admin.Permission{}, ports.ErrNotFound
	}
	return r, nil
}

func (s *PermissionStore) Create(ctx context.Context, p admin.Permission) error {
	s.mu.Lock()
	if err := s.check(p); err != nil {
		s.mu.Unlock()
		return err
	}
	if _, ok := s.rows[p.ID]; ok {
		s.mu.Unlock()
		return ports.Errorf(ports.CodeConflict, "already exists")
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = time.Now()
	}
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = p.CreatedAt
	}
	s.rows[p.ID] = p
	s.mu.Unlock()
	s.announce()
	return nil
}

func (s *PermissionStore) Update(ctx context.Context, p admin.Permission) error {
	s.mu.Lock()
	old, ok := s.rows[p.ID]
	if s.failWith == nil && !ok {
		s.mu.Unlock()
		return ports.ErrNotFound
	}
	if err := s.check(p); err != nil {
		s.mu.Unlock()
		return err
	}
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = time.Now()
	}
	p.CreatedAt = old.CreatedAt
	s.rows[p.ID] = p
	s.mu.Unlock()
	s.announce()
	return nil
}

// Lock does nothing: the fake runs one call at a time.
func (s *PermissionStore) Lock(ctx context.Context) error { return nil }

func (s *PermissionStore) Delete(ctx context.Context, id uuid.UUID) (bool, error) {
	s.mu.Lock()
	if s.failWith != nil {
		s.mu.Unlock()
		return false, s.failWith
	}
	_, ok := s.rows[id]
	delete(s.rows, id)
	s.mu.Unlock()
	if ok {
		s.announce()
	}
	return ok, nil
}

// check refuses a second rule of a role for one operation. Holds mu.
func (s *PermissionStore) check(p admin.Permission) error {
	if s.failWith != nil {
		return s.failWith
	}
	for _, r := range s.rows {
		if r.ID != p.ID && r.Role == p.Role && r.Operation == p.Operation {
			return ports.Errorf(ports.CodeConflict, "the role has a rule for this operation already")
		}
	}
	return nil
}

func (s *PermissionStore) announce() {
	if s.Watcher != nil {
		s.Watcher.Notify()
	}
}

// PermissionWatcher implements admin.PermissionWatcher: Notify calls the
// changed function of every running Watch.
type PermissionWatcher struct {
	mu       sync.Mutex
	watchers map[int]func()
	next     int
	// listening receives once per Watch that has started listening.
	listening chan struct{}
}

// NewPermissionWatcher returns a watcher with no running Watch.
func NewPermissionWatcher() *PermissionWatcher {
	return &PermissionWatcher{watchers: map[int]func(){}, listening: make(chan struct{}, 16)}
}

// Watch calls changed once, then on every Notify, until ctx ends.
func (w *PermissionWatcher) Watch(ctx context.Context, changed func()) error {
	w.mu.Lock()
	id := w.next
	w.next++
	w.watchers[id] = changed
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		delete(w.watchers, id)
		w.mu.Unlock()
	}()
	changed()
	select {
	case w.listening <- struct{}{}:
	default:
	}
	<-ctx.Done()
	return ctx.Err()
}

// Listening receives once for each Watch that has called changed the
// first time.
func (w *PermissionWatcher) Listening() <-chan struct{} { return w.listening }

// Notify announces a change to every running Watch.
func (w *PermissionWatcher) Notify() {
	w.mu.Lock()
	fns := make([]func(), 0, len(w.watchers))
	for _, f := range w.watchers {
		fns = append(fns, f)
	}
	w.mu.Unlock()
	for _, f := range fns {
		f()
	}
}
