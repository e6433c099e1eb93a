// Package perimetertest holds the perimeter module's fakes (Store, Watcher,
// Locator) and the Store contract suite that the fake and the PostgreSQL
// adapter both pass, so the fake cannot drift from the truth.
package perimetertest

import (
	"cmp"
	"context"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/ports"
)

// Store is an in-memory perimeter.Store. Each write tells Changed (when
// set), as the database's trigger announces it.
type Store struct {
	mu      sync.Mutex
	rows    map[uuid.UUID]perimeter.Restriction
	reads   int
	Changed func()
}

var _ perimeter.Store = (*Store)(nil)

// NewStore returns an empty store.
func NewStore() *Store { return &Store{rows: map[uuid.UUID]perimeter.Restriction{}} }

// Reads is how many times All ran (the snapshot's loads).
func (s *Store) Reads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reads
}

func (s *Store) changed() {
	if s.Changed != nil {
		s.Changed()
	}
}

func (s *Store) sorted() []perimeter.Restriction {
	out := make([]perimeter.Restriction, 0, len(s.rows))
	for _, r := range s.rows {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b perimeter.Restriction) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID.String(), b.ID.String())
	})
	return out
}

func (s *Store) All(context.Context) ([]perimeter.Restriction, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads++
	return s.sorted(), nil
}

func (s *Store) Page(_ context.Context, f perimeter.Filter, afterAt time.Time, afterID uuid.UUID, limit int) ([]perimeter.Restriction, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []perimeter.Restriction
	for _, r := range s.sorted() {
		if !afterAt.IsZero() {
			if c := r.CreatedAt.Compare(afterAt); c < 0 || c == 0 && r.ID.String() <= afterID.String() {
				continue
			}
		}
		if f.Scope != nil && r.Scope != *f.Scope || f.Category != nil && r.Category != *f.Category ||
			f.State != nil && r.State != *f.State {
			continue
		}
		if len(out) == limit {
			break
		}
		out = append(out, r)
	}
	return out, nil
}

func (s *Store) Get(_ context.Context, id uuid.UUID) (perimeter.Restriction, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.rows[id]
	if !ok {
		return perimeter.Restriction{}, ports.ErrNotFound
	}
	return r, nil
}

func (s *Store) Lock(context.Context) error { return nil }

func (s *Store) Count(context.Context) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.rows), nil
}

func (s *Store) taken(r perimeter.Restriction) bool {
	for _, o := range s.rows {
		if o.ID != r.ID && o.Scope == r.Scope && o.Value == r.Value && o.Category == r.Category {
			return true
		}
	}
	return false
}

func conflict() error {
	return ports.Errorf(ports.CodeConflict, "a restriction of this scope, value and category exists already")
}

func (s *Store) Create(_ context.Context, r perimeter.Restriction) error {
	s.mu.Lock()
	if _, ok := s.rows[r.ID]; ok || s.taken(r) {
		s.mu.Unlock()
		return conflict()
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.Truncate(time.Microsecond), r.UpdatedAt.Truncate(time.Microsecond)
	s.rows[r.ID] = r
	s.mu.Unlock()
	s.changed()
	return nil
}

func (s *Store) Update(_ context.Context, r perimeter.Restriction) error {
	s.mu.Lock()
	old, ok := s.rows[r.ID]
	if !ok {
		s.mu.Unlock()
		return ports.ErrNotFound
	}
	if s.taken(r) {
		s.mu.Unlock()
		return conflict()
	}
	r.CreatedAt, r.UpdatedAt = old.CreatedAt, r.UpdatedAt.Truncate(time.Microsecond)
	s.rows[r.ID] = r
	s.mu.Unlock()
	s.changed()
	return nil
}

func (s *Store) Delete(_ context.Context, id uuid.UUID) (bool, error) {
	s.mu.Lock()
	_, ok := s.rows[id]
	delete(s.rows, id)
	s.mu.Unlock()
	if ok {
		s.changed()
	}
	return ok, nil
}

// Watcher is a perimeter.Watcher the test drives: Up and Change reach
// every Watch in progress.
type Watcher struct {
	mu   sync.Mutex
	subs map[int]func(up *bool, id uuid.UUID)
	next int
}

// NewWatcher returns a watcher with no one watching.
func NewWatcher() *Watcher { return &Watcher{subs: map[int]func(*bool, uuid.UUID){}} }

func (w *Watcher) Watch(ctx context.Context, up func(bool), changed func(uuid.UUID)) error {
	w.mu.Lock()
	id := w.next
	w.next++
	var mu sync.Mutex
	w.subs[id] = func(u *bool, c uuid.UUID) {
		mu.Lock()
		defer mu.Unlock()
		if u != nil {
			up(*u)
			return
		}
		changed(c)
	}
	w.mu.Unlock()
	<-ctx.Done()
	w.mu.Lock()
	delete(w.subs, id)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *Watcher) send(u *bool, id uuid.UUID) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, f := range w.subs {
		f(u, id)
	}
}

// Up tells the watchers whether they listen.
func (w *Watcher) Up(up bool) { w.send(&up, uuid.Nil) }

// Change announces a change of id (perimeter.ChangeID: the restrictions).
func (w *Watcher) Change(id uuid.UUID) { w.send(nil, id) }

// Watching tells how many watch.
func (w *Watcher) Watching() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.subs)
}

// Locator places addresses by the prefixes it was given.
type Locator map[netip.Prefix]perimeter.Place

func (l Locator) Locate(ip netip.Addr) (perimeter.Place, bool) {
	for p, pl := range l {
		if p.Contains(ip) {
			return pl, true
		}
	}
	return perimeter.Place{}, false
}
