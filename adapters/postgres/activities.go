package postgres

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/ports"
)

type activityRow struct {
	bun.BaseModel `bun:"table:activities"`

	ID        uuid.UUID         `bun:"id,pk,type:uuid"`
	UserID    *uuid.UUID        `bun:"user_id,type:uuid"`
	Topic     string            `bun:"topic"`
	Action    string            `bun:"action"`
	Result    string            `bun:"result"`
	IP        string            `bun:"ip"`
	UserAgent string            `bun:"user_agent"`
	Details   map[string]string `bun:"details,type:jsonb"`
	CreatedAt time.Time         `bun:"created_at"`
}

func (r activityRow) toPort() ports.Activity {
	return ports.Activity{ID: r.ID, UserID: r.UserID, Topic: r.Topic, Action: r.Action,
		Result: ports.ActivityResult(r.Result), IP: r.IP, UserAgent: r.UserAgent, Details: nonNil(r.Details),
		CreatedAt: r.CreatedAt}
}

// ActivityLog implements ports.ActivityLog. There is deliberately no
// update or delete here: the table is append-only.
type ActivityLog struct{ db *bun.DB }

var _ ports.ActivityLog = (*ActivityLog)(nil)

// NewActivityLog returns a log over db.
func NewActivityLog(db *bun.DB) *ActivityLog { return &ActivityLog{db: db} }

// recordTimeout bounds writing one activity once the request that made it
// is gone.
const recordTimeout = 5 * time.Second

// Record writes the row whatever the client does: a client that hangs up
// must not take the security record of its wrong PIN with it. The write
// keeps ctx's values (the transaction it joins) but not its cancellation,
// and is bounded on its own.
func (l *ActivityLog) Record(ctx context.Context, a ports.Activity) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if a.ID == uuid.Nil {
		// Version 7: ids of one instant follow the order of writing, which
		// List uses to break ties.
		id, err := uuid.NewV7()
		if err != nil {
			return err
		}
		a.ID = id
	}
	row := activityRow{ID: a.ID, UserID: a.UserID, Topic: a.Topic, Action: a.Action, Result: string(a.Result),
		IP: a.IP, UserAgent: a.UserAgent, Details: nonNil(a.Details), CreatedAt: a.CreatedAt}
	// One statement text with or without a user (no DEFAULT, no RETURNING
	// for a missing one), so an unknown account's record runs like a real
	// one's.
	_, err := conn(ctx, l.db).NewInsert().Model(&row).Value("user_id", "?::uuid", row.UserID).
		Returning("").Exec(ctx)
	return mapErr(err)
}

// listDefaultLimit is the page size when the query gives none.
const listDefaultLimit = 100

// List is one keyset query on (created_at, id), newest first; the cursor
// row itself is not repeated.
func (l *ActivityLog) List(ctx context.Context, q ports.ActivityQuery) ([]ports.Activity, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = listDefaultLimit
	}
	var rows []activityRow
	sel := conn(ctx, l.db).NewSelect().Model(&rows).Where("user_id = ?", q.UserID)
	if len(q.Topics) > 0 {
		sel = sel.Where("topic IN (?)", bun.In(q.Topics))
	}
	if q.After != nil {
		sel = sel.Where("(created_at, id) < (?, ?)", q.After.CreatedAt, q.After.ID)
	}
	if err := sel.OrderExpr("created_at DESC, id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, activityRow.toPort), nil
}
