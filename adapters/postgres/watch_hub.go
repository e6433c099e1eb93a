package postgres

import (
	"context"
	"sync"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/accounts"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/modules/platform"
)

// source is what WatchHub shares: one LISTEN connection's events.
type source interface {
	Watch(ctx context.Context, up func(bool), changed func(uuid.UUID)) error
}

// WatchHub fans one watcher's events out to every cache that watches
// through it (identity's sessions, accounts' viewers), so the instance
// holds one LISTEN connection for all of them. It runs the source while
// anyone watches. A watcher that joins while the source listens is told
// up(true) at once: it hears every change from then on, as the events are
// delivered under the same lock that adds it. Each watcher's calls come
// from one goroutine at a time, in order.
type WatchHub struct {
	src source

	mu   sync.Mutex
	subs map[int]*hubSub
	next int
	up   bool
	run  *hubRun // the running source, nil when none
	wg   sync.WaitGroup
}

type hubSub struct {
	up      func(bool)
	changed func(uuid.UUID)
}

type hubRun struct {
	cancel context.CancelFunc
}

var (
	_ identity.SessionWatcher = (*WatchHub)(nil)
	_ accounts.Watcher        = (*WatchHub)(nil)
	_ perimeter.Watcher       = (*WatchHub)(nil)
	_ platform.Watcher        = (*WatchHub)(nil)
)

// NewWatchHub returns a hub over a SessionWatcher of db.
func NewWatchHub(w *SessionWatcher) *WatchHub {
	return &WatchHub{src: w, subs: map[int]*hubSub{}}
}

// Watch calls up and changed with the source's events until ctx ends.
func (h *WatchHub) Watch(ctx context.Context, up func(bool), changed func(uuid.UUID)) error {
	h.mu.Lock()
	id := h.next
	h.next++
	h.subs[id] = &hubSub{up: up, changed: changed}
	if h.run == nil {
		h.start()
	} else if h.up {
		up(true)
	}
	h.mu.Unlock()
	<-ctx.Done()
	h.mu.Lock()
	delete(h.subs, id)
	if len(h.subs) == 0 && h.run != nil {
		h.run.cancel()
		h.run, h.up = nil, false
	}
	h.mu.Unlock()
	return ctx.Err()
}

// start runs the source in the background; h.mu is held. Events of a run
// that was stopped (a later one may have started) are dropped.
func (h *WatchHub) start() {
	ctx, cancel := context.WithCancel(context.Background())
	r := &hubRun{cancel: cancel}
	h.run = r
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		_ = h.src.Watch(ctx, func(up bool) {
			h.mu.Lock()
			defer h.mu.Unlock()
			if h.run != r {
				return
			}
			h.up = up
			for _, s := range h.subs {
				s.up(up)
			}
		}, func(userID uuid.UUID) {
			h.mu.Lock()
			defer h.mu.Unlock()
			if h.run != r {
				return
			}
			for _, s := range h.subs {
				s.changed(userID)
			}
		})
	}()
}

// Wait waits for stopped sources to end (tests).
func (h *WatchHub) Wait() { h.wg.Wait() }
