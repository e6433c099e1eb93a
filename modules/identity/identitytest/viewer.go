package identitytest

import (
	"context"
	"sync"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
)

var (
	_ identity.SessionReads   = SessionReads{}
	_ identity.SessionWatcher = (*SessionWatcher)(nil)
)

// SessionReads implements identity.SessionReads over the session and
// user fakes (the database answers it with one join).
type SessionReads struct {
	Sessions *SessionStore
	Users    *UserStore
}

// SessionWithUser returns the session and its user; ErrNotFound when
// there is no such session.
func (r SessionReads) SessionWithUser(ctx context.Context, id uuid.UUID) (identity.Session, identity.User, error) {
	sess, err := r.Sessions.Get(ctx, id)
	if err != nil {
		return identity.Session{}, identity.User{}, err
	}
	u, err := r.Users.GetByID(ctx, sess.UserID)
	if err != nil {
		return identity.Session{}, identity.User{}, err
	}
	return sess, u, nil
}

// SessionWatcher implements identity.SessionWatcher for tests: Up,
// Down and Changed reach every running Watch.
type SessionWatcher struct {
	mu       sync.Mutex
	watchers map[int]*fakeWatch
	next     int
	// Started receives once per Watch call, when it runs.
	Started chan struct{}
}

type fakeWatch struct {
	mu      sync.Mutex // orders the calls of one Watch, as the real one does
	up      func(bool)
	changed func(uuid.UUID)
}

// NewSessionWatcher returns a watcher whose Watch calls start down.
func NewSessionWatcher() *SessionWatcher {
	return &SessionWatcher{watchers: map[int]*fakeWatch{}, Started: make(chan struct{}, 16)}
}

// Watch registers the callbacks until ctx ends; nothing is called until
// Up.
func (w *SessionWatcher) Watch(ctx context.Context, up func(bool), changed func(uuid.UUID)) error {
	w.mu.Lock()
	id := w.next
	w.next++
	w.watchers[id] = &fakeWatch{up: up, changed: changed}
	w.mu.Unlock()
	select {
	case w.Started <- struct{}{}:
	default:
	}
	<-ctx.Done()
	w.mu.Lock()
	delete(w.watchers, id)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *SessionWatcher) each(f func(*fakeWatch)) {
	w.mu.Lock()
	list := make([]*fakeWatch, 0, len(w.watchers))
	for _, x := range w.watchers {
		list = append(list, x)
	}
	w.mu.Unlock()
	for _, x := range list {
		x.mu.Lock()
		f(x)
		x.mu.Unlock()
	}
}

// Up says every Watch listens.
func (w *SessionWatcher) Up() { w.each(func(x *fakeWatch) { x.up(true) }) }

// Down says every Watch lost its connection.
func (w *SessionWatcher) Down() { w.each(func(x *fakeWatch) { x.up(false) }) }

// Changed announces a committed change of userID (uuid.Nil: everyone).
func (w *SessionWatcher) Changed(userID uuid.UUID) { w.each(func(x *fakeWatch) { x.changed(userID) }) }
