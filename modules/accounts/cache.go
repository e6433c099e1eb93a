package accounts

import (
	"container/list"
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/watchloop"
)

// ViewerCache keeps each viewer's own accounts with their portfolios in
// memory for a short time, so a warm `me` reads no account row from the
// database. It is filled only by a viewer's read of their own accounts
// (staff pages read the database, batched), and follows identity's
// SessionCache: it serves only while its watcher listens; every committed
// change of a user's accounts or portfolios (triggers, in the changing
// transaction) drops that user's entry on every instance; while the
// watcher does not listen, or cannot tell that it still does, it is empty
// and bypassed. A fill takes a ticket (the epoch and the user's
// generation) before it reads and is kept only if no invalidation came in
// between. The TTL bounds what a lost notification on a connection that
// still answered could cost.
type ViewerCache struct {
	ttl     time.Duration
	max     int
	watcher Watcher
	log     *slog.Logger

	mu    sync.RWMutex
	live  bool
	epoch uint64
	gens  [viewerStripes]uint64
	items map[uuid.UUID]*viewerEntry
	order *list.List // of *viewerEntry, oldest first

	run watchloop.Loop
}

// viewerStripes is how many generations users share (an invalidation of
// one user turns away in-flight fills of its stripe too: a miss, never a
// stale entry).
const viewerStripes = 1024

type viewerEntry struct {
	user       uuid.UUID
	accounts   []Account
	portfolios []Portfolio
	expires    time.Time
	elem       *list.Element
}

// CacheTicket is taken before the read whose result may be cached.
type CacheTicket struct {
	epoch, gen uint64
	ok         bool
}

// NewViewerCache returns a cache of at most size users, each kept at most
// ttl; ttl <= 0 or size <= 0 turns it off. It serves nothing until
// Start's watcher listens.
func NewViewerCache(ttl time.Duration, size int, watcher Watcher, log *slog.Logger) *ViewerCache {
	if log == nil {
		log = slog.Default()
	}
	if size <= 0 || watcher == nil {
		ttl = 0
	}
	return &ViewerCache{ttl: ttl, max: size, watcher: watcher, log: log,
		items: map[uuid.UUID]*viewerEntry{}, order: list.New()}
}

// Enabled tells whether the cache is configured on.
func (c *ViewerCache) Enabled() bool { return c != nil && c.ttl > 0 }

// Live tells whether the cache serves: on, and its watcher listening.
func (c *ViewerCache) Live() bool {
	if !c.Enabled() {
		return false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.live
}

// Len is the number of users held.
func (c *ViewerCache) Len() int {
	if c == nil {
		return 0
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

func viewerStripe(id uuid.UUID) int { return (int(id[14])<<8 | int(id[15])) % viewerStripes }

// Get returns userID's cached accounts and their portfolios, if live and
// fresh at now. The slices are shared: read them, never change them.
func (c *ViewerCache) Get(userID uuid.UUID, now time.Time) ([]Account, []Portfolio, bool) {
	if !c.Enabled() {
		return nil, nil, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	e := c.items[userID]
	if !c.live || e == nil || !now.Before(e.expires) {
		return nil, nil, false
	}
	return e.accounts, e.portfolios, true
}

// Ticket is taken before reading userID's accounts; Put keeps the result
// only with a ticket no invalidation has overtaken.
func (c *ViewerCache) Ticket(userID uuid.UUID) CacheTicket {
	if !c.Enabled() {
		return CacheTicket{}
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return CacheTicket{epoch: c.epoch, gen: c.gens[viewerStripe(userID)], ok: c.live}
}

// Put keeps userID's accounts and portfolios until now + TTL, unless the
// cache is not live or an invalidation came after t was taken.
func (c *ViewerCache) Put(userID uuid.UUID, t CacheTicket, as []Account, ps []Portfolio, now time.Time) {
	if !c.Enabled() || !t.ok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.live || c.epoch != t.epoch || c.gens[viewerStripe(userID)] != t.gen {
		return
	}
	if old := c.items[userID]; old != nil {
		c.removeLocked(old)
	}
	for len(c.items) >= c.max {
		c.removeLocked(c.order.Front().Value.(*viewerEntry))
	}
	e := &viewerEntry{user: userID, accounts: as, portfolios: ps, expires: now.Add(c.ttl)}
	e.elem = c.order.PushBack(e)
	c.items[userID] = e
}

func (c *ViewerCache) removeLocked(e *viewerEntry) {
	delete(c.items, e.user)
	c.order.Remove(e.elem)
}

// Forget drops userID's entry and turns away the fills in flight for it;
// uuid.Nil forgets everyone.
func (c *ViewerCache) Forget(userID uuid.UUID) {
	if !c.Enabled() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if userID == uuid.Nil {
		c.flushLocked()
		return
	}
	c.gens[viewerStripe(userID)]++
	if e := c.items[userID]; e != nil {
		c.removeLocked(e)
	}
}

func (c *ViewerCache) flushLocked() {
	c.epoch++
	clear(c.items)
	c.order.Init()
}

// SetLive turns serving on (the watcher listens) or off; either way the
// cache starts empty and fills begun before are turned away.
func (c *ViewerCache) SetLive(live bool) {
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
func (c *ViewerCache) Start(context.Context) error {
	if c.Enabled() {
		c.run.Start("accounts cache", c.log, c.watcher.Watch, c.SetLive, c.Forget)
	}
	return nil
}

// Stop ends the watching and waits for it (or for ctx).
func (c *ViewerCache) Stop(ctx context.Context) error {
	if c == nil {
		return nil
	}
	return c.run.Stop(ctx)
}
