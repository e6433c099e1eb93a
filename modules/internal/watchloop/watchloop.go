// Package watchloop runs a cache's change watcher in the background: the
// start, the stop and the log lines when it starts or stops listening,
// which identity's session cache and accounts' viewer cache share. What a
// cache does with the watcher's news (serve or not, forget a user) stays
// with the cache.
package watchloop

import (
	"context"
	"errors"
	"log/slog"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/background"
)

// Watch listens for changes until ctx ends: up tells whether it listens
// (and so whether what it has not said can be trusted), changed names a
// user whose rows changed (uuid.Nil: every user).
type Watch func(ctx context.Context, up func(bool), changed func(userID uuid.UUID)) error

// Loop is one cache's background watcher. The zero Loop is ready.
type Loop struct{ task background.Task }

// Start runs watch in the background until Stop. setLive hears each up
// or down, and false when the watcher ends for good, so the cache never
// serves without a listener; name is what the log calls the cache
// ("session cache").
func (l *Loop) Start(name string, log *slog.Logger, watch Watch, setLive func(bool), changed func(uuid.UUID)) {
	l.task.Go(func(ctx context.Context) {
		defer setLive(false)
		wasUp := false
		err := watch(ctx, func(up bool) {
			setLive(up)
			if up != wasUp && ctx.Err() == nil {
				if up {
					log.Info(name + " listening")
				} else {
					log.Warn(name + " bypassed: not listening for changes")
				}
			}
			wasUp = up
		}, changed)
		if err != nil && !errors.Is(err, context.Canceled) {
			log.Error(name+" watcher stopped; the cache stays bypassed", "err", err)
		}
	})
}

// Stop ends the watching and waits for it (or for ctx). Stopping a Loop
// that never started is nothing.
func (l *Loop) Stop(ctx context.Context) error {
	if l == nil {
		return nil
	}
	return l.task.Stop(ctx)
}
