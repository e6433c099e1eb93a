package postgres

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/identity"
)

// SessionChannel is the channel the triggers of the viewer_notify
// migration announce every committed change of a user's sessions and
// records on, with the user's id (empty: every user).
const SessionChannel = "gatehouse_sessions"

// SessionWatcher implements identity.SessionWatcher with LISTEN, as
// PermissionWatcher does, and also proves every Heartbeat that the
// connection still answers: a connection that died without an error (a
// silent network drop, a frozen server) would otherwise keep the caches
// serving with no notification coming. The cache must not trust a
// listener it has not heard from for longer than that bound.
type SessionWatcher struct {
	db *bun.DB
	// Backoff is the first wait before reconnecting (growing to 5 s).
	Backoff time.Duration
	// Heartbeat is how long a quiet connection may go unchecked; a ping
	// that gets no answer within it ends the connection.
	Heartbeat time.Duration
}

var _ identity.SessionWatcher = (*SessionWatcher)(nil)

// NewSessionWatcher returns a watcher that listens on a connection of db.
func NewSessionWatcher(db *bun.DB) *SessionWatcher {
	return &SessionWatcher{db: db, Backoff: 100 * time.Millisecond, Heartbeat: 250 * time.Millisecond}
}

// Watch holds one connection of the pool for LISTEN until ctx ends,
// taking a new one after an error (the caller is told up(false) at once,
// and up(true) when it listens again).
func (w *SessionWatcher) Watch(ctx context.Context, up func(bool), changed func(uuid.UUID)) error {
	backoff := w.Backoff
	if backoff <= 0 {
		backoff = 100 * time.Millisecond
	}
	wait := backoff
	for {
		listened, _ := w.listen(ctx, up, changed)
		up(false)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if listened {
			wait = backoff
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(wait*2, 5*time.Second)
	}
}

// listen runs one LISTEN session until an error or ctx ends. The
// connection is never given back to the pool: it is closed, LISTEN and
// all.
func (w *SessionWatcher) listen(ctx context.Context, up func(bool), changed func(uuid.UUID)) (listened bool, err error) {
	beat := w.Heartbeat
	if beat <= 0 {
		beat = 250 * time.Millisecond
	}
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	c, err := w.db.DB.Conn(cctx)
	cancel()
	if err != nil {
		return false, err
	}
	defer c.Close()
	err = c.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("postgres: LISTEN needs the pgx driver, got %T: %w", dc, driver.ErrBadConn)
		}
		pc := sc.Conn()
		err := func() error {
			lctx, cancel := context.WithTimeout(ctx, 4*beat)
			_, err := pc.Exec(lctx, "LISTEN "+SessionChannel)
			cancel()
			if err != nil {
				return err
			}
			listened = true
			up(true)
			for {
				wctx, cancel := context.WithTimeout(ctx, beat)
				n, err := pc.WaitForNotification(wctx)
				cancel()
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if n != nil {
					changed(userOf(n.Payload))
					continue
				}
				if !pgconn.Timeout(err) && !errors.Is(err, context.DeadlineExceeded) {
					return err
				}
				// Quiet for a beat: prove the connection still answers.
				// Notifications that committed before the ping arrive
				// ahead of its answer (pgx keeps them for the next wait).
				pctx, cancel := context.WithTimeout(ctx, beat)
				_, err = pc.Exec(pctx, "SELECT 1")
				cancel()
				if err != nil {
					return err
				}
			}
		}()
		// driver.ErrBadConn makes database/sql close the connection
		// instead of returning it to the pool still listening.
		return fmt.Errorf("%w: %w", driver.ErrBadConn, err)
	})
	return listened, err
}

// userOf reads a notification's payload: a user id, or uuid.Nil (every
// user) when empty or unreadable (forgetting too much is safe).
func userOf(payload string) uuid.UUID {
	id, err := uuid.Parse(payload)
	if err != nil {
		return uuid.Nil
	}
	return id
}
