package platform

import (
	"context"
	"errors"
	"log/slog"

	"github.com/google/uuid"
)

// Start has the service drop its cached settings whenever w announces a
// committed change of them (ChangeID, or uuid.Nil for everything), and
// when w listens again after it stopped (changes made while nobody
// listened were not announced). A change made on any instance thus
// reaches every instance's appConfig and maintenance gate at once; a
// notification lost on a connection that still answers, and a change
// made before the first LISTEN of a starting instance, are bounded by
// CacheTTL, as before. (The first LISTEN drops nothing: a starting
// instance's first requests would read the settings twice.)
func (s *Service) Start(w Watcher, log *slog.Logger) {
	if w == nil {
		return
	}
	if log == nil {
		log = slog.Default()
	}
	s.watch.Go(func(ctx context.Context) {
		var wasUp, wasDown bool
		err := w.Watch(ctx, func(up bool) {
			if up && wasDown && !wasUp {
				s.Invalidate()
			}
			wasUp = up
			wasDown = wasDown || (!up && ctx.Err() == nil)
		}, func(id uuid.UUID) {
			if id == ChangeID || id == uuid.Nil {
				s.Invalidate()
			}
		})
		if err != nil && !errors.Is(err, context.Canceled) {
			log.Error("platform settings watcher stopped; the cache refreshes every CacheTTL only", "err", err)
		}
	})
}

// Stop ends the watching started by Start.
func (s *Service) Stop(ctx context.Context) error { return s.watch.Stop(ctx) }
