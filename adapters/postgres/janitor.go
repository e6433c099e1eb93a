package postgres

import (
	"context"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/apikeys"
	"github.com/gatehouse/gatehouse/modules/delivery"
	"github.com/gatehouse/gatehouse/ports"
)

// Janitor deletes rows that no rule reads any more: finished rate-limit
// windows, old OTP challenges and sends, spent tickets, dead refresh
// tokens, and sign-ups never confirmed (PENDING users, with what they
// own); and it closes expired PIN resets. Sessions and activities are
// kept (history).
type Janitor struct {
	// Batch is how many rows one DELETE removes at most (5000).
	Batch int

	db    *bun.DB
	clock ports.Clock
	log   *slog.Logger
}

// NewJanitor returns a janitor over db.
func NewJanitor(db *bun.DB, clock ports.Clock, log *slog.Logger) *Janitor {
	return &Janitor{Batch: 5000, db: db, clock: clock, log: log}
}

// sweeps are (table, condition) pairs; the cutoffs leave a day of margin
// past the longest window any rule looks at (one hour).
var sweeps = []struct {
	table, where string
	// keep: the cutoff is the sweep's instant less keep, not a day.
	keep time.Duration
}{
	{"rate_limits", "window_start < ?", 0},
	{"otp_challenges", "created_at < ?", 0}, // cascades to otp_sends
	{"tickets", "expires_at < ?", 0},
	{"refresh_tokens", "expires_at < ?", 0},
	{"users", "state = 'PENDING' AND created_at < ?", 0}, // cascades to what the user owns
	// An API key's nonces are kept for little more than their window: a
	// key in use forgets its own as it spends new ones, this catches the
	// idle keys'. The margin is for the instances whose clocks are behind
	// this one's, which still take a nonce for fresh that this clock sees
	// expired.
	{"api_key_nonces", "expires_at < ?", apikeys.MaxNonceWindow},
	// Sent messages are kept a week (their status, for support), dead
	// letters a month; a queued one is never swept.
	{"deliveries", "status = 'SENT' AND created_at < ?", 7 * 24 * time.Hour},
	{"deliveries", "status = 'FAILED' AND updated_at < ?", 30 * 24 * time.Hour},
}

// Sweep runs every deletion once, closes PIN resets whose ticket expired
// (so they leave the staff queue and the user may start another), and
// returns how many rows went or changed.
func (j *Janitor) Sweep(ctx context.Context) (int64, error) {
	now := j.clock.Now()
	cutoff := now.Add(-24 * time.Hour)
	res, err := j.db.NewRaw(`UPDATE pin_resets SET status = 'REJECTED', reason = 'expired', decided_at = ?
		WHERE status IN (?) AND expires_at <= ?`, now, bun.In(openPINResetStatuses), now).Exec(ctx)
	if err != nil {
		return 0, mapErr(err)
	}
	total, _ := res.RowsAffected()
	// A queued message whose job is gone (it ended without recording an
	// outcome: the database failed at the wrong moment) would stay queued
	// for ever: it is ended as LOST, a dead letter staff may send again.
	res, err = j.db.NewRaw(`UPDATE deliveries d SET status = 'FAILED', reason = ?,
		detail = 'its job ended without an outcome', updated_at = ?
		WHERE d.status = 'QUEUED' AND d.updated_at < ? AND NOT EXISTS (SELECT 1 FROM river_job j
			WHERE j.kind = 'gatehouse_delivery' AND j.args->>'delivery_id' = d.id::text
			AND j.state IN ('available', 'pending', 'retryable', 'running', 'scheduled'))`,
		delivery.ReasonLost, now, now.Add(-time.Hour)).Exec(ctx)
	if err != nil {
		return total, mapErr(err)
	}
	n, _ := res.RowsAffected()
	total += n
	// A failed message keeps its code for staff to send again until the
	// code expires, not after.
	res, err = j.db.NewRaw(`UPDATE deliveries SET code_sealed = NULL
		WHERE status = 'FAILED' AND code_sealed IS NOT NULL AND not_after <= ?`, now).Exec(ctx)
	if err != nil {
		return total, mapErr(err)
	}
	n, _ = res.RowsAffected()
	total += n
	for _, s := range sweeps {
		// In batches: the server's connections run under a statement
		// timeout (a few seconds), and one DELETE of everything a flood
		// left behind would be cut every time, so the rows would pile up.
		for {
			before := cutoff
			if s.keep > 0 {
				before = now.Add(-s.keep)
			}
			res, err := j.db.NewRaw("DELETE FROM "+s.table+" WHERE ctid = ANY(ARRAY(SELECT ctid FROM "+s.table+
				" WHERE "+s.where+" LIMIT ?))", before, j.Batch).Exec(ctx)
			if err != nil {
				return total, mapErr(err)
			}
			n, _ := res.RowsAffected()
			total += n
			if n < int64(j.Batch) {
				break
			}
		}
	}
	return total, nil
}

// Run sweeps every interval until ctx ends.
func (j *Janitor) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := j.Sweep(ctx); err != nil && ctx.Err() == nil {
				j.log.WarnContext(ctx, "janitor sweep failed", "err", err)
			} else if n > 0 {
				j.log.DebugContext(ctx, "janitor swept rows", "rows", n)
			}
		}
	}
}
