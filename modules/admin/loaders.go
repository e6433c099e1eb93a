package admin

import (
	"context"
	"slices"
	"sync"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/internal/batchload"
	"github.com/gatehouse/gatehouse/ports"
)

// maxLoaderBatch bounds the users of one batched read.
const maxLoaderBatch = 500

// loaders batch what staff read of each user of a page: the live sessions
// of every user in one statement (their devices in one more), the latest
// activity in one statement per page size asked. The list resolvers
// announce the page's users (ExpectUsers); there is no time window. They
// are made for queries only: a query changes no session, and a mutation
// that ends sessions reads them back directly.
type loaders struct {
	sessions *batchload.Loader[uuid.UUID, []SessionView]

	mu sync.Mutex
	// recent holds one loader per number of rows asked (an alias may ask
	// recentActivity(first: 5) beside recentActivity(first: 50)); each is
	// told the users announced when it is made.
	recent      map[int]*batchload.Loader[uuid.UUID, []ports.Activity]
	recentUsers []uuid.UUID
}

// WithLoaders returns ctx with fresh loaders for the users' sessions and
// latest activity; call it once per query operation (their cache lives as
// long as ctx).
func (s *Directory) WithLoaders(ctx context.Context) context.Context {
	return batchload.With(ctx, s.newLoaders)
}

// newLoaders builds one request's loaders, when it first reads through
// them.
func (s *Directory) newLoaders() *loaders {
	l := &loaders{recent: map[int]*batchload.Loader[uuid.UUID, []ports.Activity]{}}
	l.sessions = batchload.New(maxLoaderBatch, s.sessionsOf)
	return l
}

func loadersFrom(ctx context.Context) *loaders { return batchload.From[loaders](ctx) }

// ExpectUsers tells the request's loaders which users a list holds (the
// users of a page), so that the first read of a field reads it for all of
// them. Only for roles the rows let read the field of any user: no one
// else's rows are fetched on another caller's behalf.
func (s *Directory) ExpectUsers(ctx context.Context, userIDs []uuid.UUID) {
	l := loadersFrom(ctx)
	if l == nil || len(userIDs) == 0 {
		return
	}
	c, err := s.callers.Caller(ctx)
	if err != nil || c == nil {
		return
	}
	if s.rules.Allowed(c.Role, "User.sessions") {
		l.sessions.Expect(userIDs...)
	}
	if s.rules.Allowed(c.Role, "User.recentActivity") {
		l.mu.Lock()
		l.recentUsers = append(l.recentUsers, userIDs...)
		for _, r := range l.recent {
			r.Expect(userIDs...)
		}
		l.mu.Unlock()
	}
}

// recentLoader returns the request's loader of the latest first
// activities, made on first use with the users announced so far.
func (s *Directory) recentLoader(l *loaders, first int) *batchload.Loader[uuid.UUID, []ports.Activity] {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.recent[first]
	if r == nil {
		r = batchload.New(maxLoaderBatch, batchload.Many(func(ctx context.Context, ids []uuid.UUID) ([]ports.Activity, error) {
			return s.activities.RecentByUsers(ctx, ids, first)
		}, func(a ports.Activity) uuid.UUID { return *a.UserID }))
		r.Expect(l.recentUsers...)
		l.recent[first] = r
	}
	return r
}

// sessionsOf reads the live sessions of users and the devices they run
// on, two statements for them all (none for the devices when no one has a
// session); a user without one gets an empty list.
func (s *Directory) sessionsOf(ctx context.Context, userIDs []uuid.UUID) (map[uuid.UUID][]SessionView, error) {
	sessions, err := s.sessions.LiveSessionsByUsers(ctx, userIDs, s.clock.Now())
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID][]SessionView, len(userIDs))
	for _, id := range userIDs {
		out[id] = []SessionView{}
	}
	if len(sessions) == 0 {
		return out, nil
	}
	var owners []uuid.UUID
	for _, sess := range sessions {
		if !slices.Contains(owners, sess.UserID) {
			owners = append(owners, sess.UserID)
		}
	}
	devices, err := s.users.DevicesByUsers(ctx, owners)
	if err != nil {
		return nil, err
	}
	byID := make(map[uuid.UUID]identity.Device, len(devices))
	for _, d := range devices {
		byID[d.ID] = d
	}
	for _, sess := range sessions {
		out[sess.UserID] = append(out[sess.UserID], SessionView{Session: sess, Device: byID[sess.DeviceID]})
	}
	return out, nil
}
