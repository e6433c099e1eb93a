package perimeter

import (
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/background"
	"github.com/gatehouse/gatehouse/ports"
)

// Gate judges each request against the restrictions, from an immutable
// snapshot held in memory: a request never waits on the database. The
// snapshot is reloaded whenever the shared listening connection announces
// a change (ChangeID), and when that connection (re)starts listening,
// since changes may have been missed while it did not.
//
// While the listener is down the gate keeps serving its last snapshot and
// reloads it every PollWhileDown instead. Refusing everyone would turn a
// dropped notification connection into an outage; forgetting the
// restrictions would open the fence to exactly the clients staff shut
// out; the last snapshot, refreshed by polling, keeps the rules no more
// than PollWhileDown stale. A reload that fails (the database is down
// too) keeps the previous snapshot. At start, the first load must
// succeed: an instance does not serve without its fence.
type Gate struct {
	store   Store
	watcher Watcher
	locator Locator
	links   *Whitelinks
	callers ports.CallerSource
	clock   ports.Clock
	log     *slog.Logger
	// PollWhileDown is how often the snapshot is reloaded while the
	// listener is down; Refresh bounds staleness when a notification is
	// lost on a connection that still answers.
	PollWhileDown time.Duration
	Refresh       time.Duration

	snap   atomic.Pointer[snapshot]
	live   atomic.Bool
	reload chan struct{}

	bg background.Task // the reload loop
}

// NewGate returns a gate over store's restrictions. locator may be nil (no
// geolocation database): country and continent rules are then skipped.
func NewGate(store Store, watcher Watcher, locator Locator, links *Whitelinks, callers ports.CallerSource,
	clock ports.Clock, log *slog.Logger) *Gate {
	if log == nil {
		log = slog.Default()
	}
	g := &Gate{store: store, watcher: watcher, locator: locator, links: links, callers: callers, clock: clock,
		log: log, PollWhileDown: 2 * time.Second, Refresh: time.Minute, reload: make(chan struct{}, 1)}
	g.snap.Store(compile(nil, false))
	return g
}

// Check judges the request of ctx (its client address from
// ports.RequestMeta, its whitelink from WithWhitelink); login tells that
// the operation signs in or signs up. nil lets it through. In order: a
// valid whitelink passes; a BLACKLIST rule matching the client refuses;
// with WHITELIST rules, a client none of them matches is refused; a
// MAINTENANCE rule matching the client refuses all but signed-in staff; a
// BLOCKLOGIN rule refuses sign-in and sign-up. Errors: ACCESS_RESTRICTED
// (reasons BLACKLISTED, NOT_WHITELISTED, LOGIN_BLOCKED), MAINTENANCE,
// each with the matching rule's code (none for NOT_WHITELISTED: no one
// rule refused).
func (g *Gate) Check(ctx context.Context, login bool) error {
	s := g.snap.Load()
	if s.count == 0 {
		return nil
	}
	if t := whitelinkFrom(ctx); t != "" && g.links.Valid(t, g.clock.Now()) {
		return nil
	}
	ip, _ := netip.ParseAddr(ports.RequestMetaFrom(ctx).IP)
	h := s.match(ip, g.locator)
	if r := h[categoryIndex(CategoryBlacklist)]; r != nil {
		return refusal(ports.CodeAccessRestricted, ReasonBlacklisted, r, "access from your network is restricted")
	}
	if s.whitelist && h[categoryIndex(CategoryWhitelist)] == nil {
		return ports.Refusal(ports.CodeAccessRestricted, ReasonNotWhitelisted,
			"access is limited to approved networks")
	}
	if r := h[categoryIndex(CategoryMaintenance)]; r != nil && !g.staff(ctx) {
		return refusal(ports.CodeMaintenance, ReasonMaintenance, r, "the service is down for maintenance; try again later")
	}
	if r := h[categoryIndex(CategoryBlockLogin)]; r != nil && login {
		return refusal(ports.CodeAccessRestricted, ReasonLoginBlocked, r, "sign-in and sign-up are closed from your network for now")
	}
	return nil
}

func refusal(code ports.ErrorCode, reason string, r *Restriction, msg string) error {
	e := ports.Refusal(code, reason, "%s", msg)
	e.RestrictionCode = r.Code
	return e
}

// shutsOut tells whether the rules rs refuse the address of ctx's
// request by itself (a BLACKLIST rule, or WHITELIST rules none of which
// match it); false when the address is unknown, or when the request
// presents a valid whitelink (its holder keeps a way back in, and can
// make the next link with it). MAINTENANCE and BLOCKLOGIN are not
// counted: they leave signed-in staff working.
func (g *Gate) shutsOut(ctx context.Context, rs []Restriction) bool {
	ip, err := netip.ParseAddr(ports.RequestMetaFrom(ctx).IP)
	if err != nil {
		return false
	}
	if t := whitelinkFrom(ctx); t != "" && g.links.Valid(t, g.clock.Now()) {
		return false
	}
	s := compile(rs, g.locator != nil)
	h := s.match(ip, g.locator)
	return h[categoryIndex(CategoryBlacklist)] != nil || (s.whitelist && h[categoryIndex(CategoryWhitelist)] == nil)
}

// staff tells whether the caller is signed-in staff; asked only when a
// MAINTENANCE rule matches, so other requests do not resolve their
// caller here. A token that does not hold is no staff member.
func (g *Gate) staff(ctx context.Context) bool {
	if g.callers == nil {
		return false
	}
	c, err := g.callers.Caller(ctx)
	return err == nil && c != nil && IsStaff(c.Role)
}

// IsStaff tells whether role is one of the staff roles MAINTENANCE lets
// through.
func IsStaff(role string) bool {
	return ports.RoleIn(role, ports.RoleSupport, ports.RoleCompliance, ports.RoleAccountant, ports.RoleAdmin,
		ports.RoleSuperadmin)
}

// Count is the number of rules in force (enabled, and usable: country and
// continent rules count only with a geolocation database).
func (g *Gate) Count() int { return g.snap.Load().count }

// Load reads every restriction and swaps the snapshot.
func (g *Gate) Load(ctx context.Context) error {
	rs, err := g.store.All(ctx)
	if err != nil {
		return err
	}
	g.snap.Store(compile(rs, g.locator != nil))
	return nil
}

// Start loads the restrictions (an error fails the start) and keeps them
// current in the background until Stop.
func (g *Gate) Start(ctx context.Context) error {
	if g.locator == nil {
		g.log.Warn("no geolocation database (GATEHOUSE_GEOIP_DB): COUNTRY and CONTINENT restrictions are skipped")
	}
	if err := g.Load(ctx); err != nil {
		return err
	}
	g.log.Info("restrictions loaded", "in_force", g.Count())
	g.bg.Go(g.run)
	return nil
}

// Stop ends the background reloading and waits for it (or for ctx).
func (g *Gate) Stop(ctx context.Context) error {
	return g.bg.Stop(ctx)
}

func (g *Gate) ask() {
	select {
	case g.reload <- struct{}{}:
	default:
	}
}

// run listens and reloads on each change (bursts coalesce), polls while
// the listener is down, and retries a failed reload shortly.
func (g *Gate) run(ctx context.Context) {
	watching := make(chan struct{})
	defer func() { <-watching }()
	go func() {
		defer close(watching)
		if g.watcher == nil {
			return
		}
		err := g.watcher.Watch(ctx, func(up bool) {
			if was := g.live.Swap(up); was != up {
				if up {
					g.log.Info("restrictions: listening for changes")
				} else {
					g.log.Warn("restrictions: not listening for changes; keeping the last snapshot and polling")
				}
			}
			if up {
				// Changes made while nobody listened were not announced.
				g.ask()
			}
		}, func(id uuid.UUID) {
			if id == ChangeID || id == uuid.Nil {
				g.ask()
			}
		})
		g.live.Store(false)
		if err != nil && !errors.Is(err, context.Canceled) {
			g.log.Error("restriction watcher stopped; polling instead", "err", err)
		}
	}()
	tick := time.NewTicker(g.PollWhileDown)
	defer tick.Stop()
	last := time.Now()
	var retry <-chan time.Time
	failing := false
	// A failed reload is retried soon (the pool's connections may just
	// have been cut, as the listener's was), then less often.
	wait := 100 * time.Millisecond
	for {
		select {
		case <-ctx.Done():
			return
		case <-g.reload:
		case <-retry:
		case <-tick.C:
			// Listening: only the periodic refresh is due, for a
			// notification lost on a connection that still answered.
			if g.live.Load() && time.Since(last) < g.Refresh {
				continue
			}
		}
		retry = nil
		if err := g.Load(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			if !failing {
				g.log.Error("reload restrictions; keeping the previous snapshot", "err", err)
			}
			failing = true
			retry = time.After(wait)
			wait = min(wait*2, 2*time.Second)
			continue
		}
		wait = 100 * time.Millisecond
		if failing {
			g.log.Info("restrictions reloaded")
		}
		failing = false
		last = time.Now()
	}
}
