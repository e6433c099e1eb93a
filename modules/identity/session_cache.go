package identity

import (
	"container/list"
	"context"
	"crypto/sha256"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/watchloop"
	"github.com/gatehouse/gatehouse/ports"
)

// SessionCache keeps verified sessions in memory for a short time: an
// access token's claims with its session and a snapshot of its user, so a
// request with a token seen lately costs no signature check and no
// database round trip.
//
// It is safe across instances because it serves only while its watcher
// listens: every committed change of a user's sessions or records drops
// that user's entries on every instance (within the notification's trip,
// well under a second), and when the watcher stops listening, or cannot
// tell that it still listens, the cache empties itself and is bypassed
// (requests read the database) until it listens again. The TTL bounds
// what a lost notification could cost on a connection that still
// answered.
//
// A fill races an invalidation: a request that read the old row may store
// it after the notification was handled. Each fill therefore takes a
// ticket before it reads (the cache's epoch and the user's generation)
// and is stored only if neither moved meanwhile.
type SessionCache struct {
	ttl     time.Duration
	max     int
	clock   ports.Clock
	watcher SessionWatcher
	log     *slog.Logger

	mu    sync.RWMutex
	live  bool
	epoch uint64 // moves on every change of live and every flush
	gens  [userStripes]uint64
	items map[cacheKey]*cacheEntry
	users map[uuid.UUID][]*cacheEntry
	order *list.List // of *cacheEntry, oldest first: the first evicted

	run watchloop.Loop
}

// userStripes is how many generations the users share: an invalidation
// of one user also turns away in-flight fills of the users on its stripe
// (a miss, never a stale entry), in a fixed amount of memory.
const userStripes = 1024

// cacheKey is the SHA-256 of a token: the cache holds no token a heap
// dump could replay.
type cacheKey [sha256.Size]byte

type cacheEntry struct {
	key     cacheKey
	viewer  Viewer
	claims  ports.AccessClaims
	expires time.Time
	elem    *list.Element
}

// FillTicket is taken before the database read whose result may be
// cached; see SessionCache.
type FillTicket struct {
	epoch, gen uint64
	ok         bool
}

// NewSessionCache returns a cache of at most size sessions, each kept at
// most ttl; ttl <= 0 or size <= 0 turns it off (every request reads the
// database). It serves nothing until Start's watcher listens.
func NewSessionCache(ttl time.Duration, size int, watcher SessionWatcher, clock ports.Clock, log *slog.Logger) *SessionCache {
	if log == nil {
		log = slog.Default()
	}
	if size <= 0 {
		ttl = 0
	}
	return &SessionCache{ttl: ttl, max: size, clock: clock, watcher: watcher, log: log,
		items: map[cacheKey]*cacheEntry{}, users: map[uuid.UUID][]*cacheEntry{}, order: list.New()}
}

// Enabled tells whether the cache is configured on (listening or not).
func (c *SessionCache) Enabled() bool { return c != nil && c.ttl > 0 }

// Live tells whether the cache serves: on, and its watcher listening.
func (c *SessionCache) Live() bool {
	if !c.Enabled() {
		return false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.live
}

// Len is the number of sessions held.
func (c *SessionCache) Len() int {
	if c == nil {
		return 0
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

func keyOf(token string) cacheKey { return sha256.Sum256([]byte(token)) }

func stripe(userID uuid.UUID) int { return (int(userID[14])<<8 | int(userID[15])) % userStripes }

// Get returns the cached viewer and claims of token, if live and fresh at
// now.
func (c *SessionCache) Get(token string, now time.Time) (Viewer, ports.AccessClaims, bool) {
	if !c.Enabled() {
		return Viewer{}, ports.AccessClaims{}, false
	}
	k := keyOf(token)
	c.mu.RLock()
	defer c.mu.RUnlock()
	e := c.items[k]
	if !c.live || e == nil || !now.Before(e.expires) {
		return Viewer{}, ports.AccessClaims{}, false
	}
	return e.viewer, e.claims, true
}

// Ticket is taken before reading userID's session and record; Put stores
// the result only with a ticket no invalidation has overtaken.
func (c *SessionCache) Ticket(userID uuid.UUID) FillTicket {
	if !c.Enabled() {
		return FillTicket{}
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return FillTicket{epoch: c.epoch, gen: c.gens[stripe(userID)], ok: c.live}
}

// Put keeps v and claims for token until expires (cut to now + TTL),
// unless the cache is not live or an invalidation came after t was
// taken.
func (c *SessionCache) Put(token string, t FillTicket, v Viewer, claims ports.AccessClaims, now, expires time.Time) {
	if !c.Enabled() || !t.ok {
		return
	}
	if limit := now.Add(c.ttl); limit.Before(expires) {
		expires = limit
	}
	if !now.Before(expires) {
		return
	}
	k := keyOf(token)
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.live || c.epoch != t.epoch || c.gens[stripe(v.User.ID)] != t.gen {
		return
	}
	if old := c.items[k]; old != nil {
		c.removeLocked(old)
	}
	for len(c.items) >= c.max {
		c.removeLocked(c.order.Front().Value.(*cacheEntry))
	}
	e := &cacheEntry{key: k, viewer: v, claims: claims, expires: expires}
	e.elem = c.order.PushBack(e)
	c.items[k] = e
	c.users[v.User.ID] = append(c.users[v.User.ID], e)
}

func (c *SessionCache) removeLocked(e *cacheEntry) {
	delete(c.items, e.key)
	c.order.Remove(e.elem)
	id := e.viewer.User.ID
	held := c.users[id]
	for i, x := range held {
		if x == e {
			held = append(held[:i], held[i+1:]...)
			break
		}
	}
	if len(held) == 0 {
		delete(c.users, id)
	} else {
		c.users[id] = held
	}
}

// Forget drops every cached session of userID and turns away the fills
// in flight for it; uuid.Nil forgets everyone.
func (c *SessionCache) Forget(userID uuid.UUID) {
	if !c.Enabled() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if userID == uuid.Nil {
		c.flushLocked()
		return
	}
	c.gens[stripe(userID)]++
	for _, e := range append([]*cacheEntry(nil), c.users[userID]...) {
		c.removeLocked(e)
	}
}

func (c *SessionCache) flushLocked() {
	c.epoch++
	clear(c.items)
	clear(c.users)
	c.order.Init()
}

// SetLive turns serving on (the watcher listens) or off (it does not,
// or may not): either way the cache starts empty, and fills begun before
// are turned away.
func (c *SessionCache) SetLive(live bool) {
	if !c.Enabled() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.live = live
	c.flushLocked()
}

// Start watches for changes in the background (the cache serves once the
// watcher listens); nothing to do when the cache is off.
func (c *SessionCache) Start(context.Context) error {
	if c.Enabled() {
		c.run.Start("session cache", c.log, c.watcher.Watch, c.SetLive, c.Forget)
	}
	return nil
}

// Stop ends the watching and waits for it (or for ctx).
func (c *SessionCache) Stop(ctx context.Context) error {
	if c == nil {
		return nil
	}
	return c.run.Stop(ctx)
}
