package postgres

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// The batched reads of the per-user lists a staff page of users asks for
// (devices, live sessions, latest activity): one statement for the whole
// page, each user's rows in the order and up to the limit of the
// single-user read they stand for.

var (
	_ admin.RecentActivities = (*ActivityLog)(nil)
	_ admin.Sessions         = (*SessionStore)(nil)
)

// latestPerUser reads, for each of userIDs, the first limit rows of R's
// table that where keeps, in order (written over R's columns, alias r);
// the rows come grouped by user. One LATERAL join runs the single-user
// query once per user inside one statement, each on the user's index, so
// a user with many rows does not crowd out the others.
func latestPerUser[R any](ctx context.Context, db bun.IDB, userIDs []uuid.UUID, limit int, order string,
	where func(*bun.SelectQuery) *bun.SelectQuery) ([]R, error) {
	if len(userIDs) == 0 {
		return nil, nil
	}
	inner := db.NewSelect().Model((*R)(nil)).Where("?TableAlias.user_id = k.user_id").
		OrderExpr(order).Limit(int64(limit))
	if where != nil {
		inner = where(inner)
	}
	var rows []R
	err := db.NewRaw(`SELECT r.* FROM (SELECT DISTINCT unnest(ARRAY[?]::uuid[]) AS user_id) AS k
		CROSS JOIN LATERAL (?) AS r ORDER BY r.user_id, `+order, bun.In(userIDs), inner).Scan(ctx, &rows)
	if err != nil {
		return nil, mapErr(err)
	}
	return rows, nil
}

// DevicesByUsers is ListDevices for many users in one statement.
func (s *UserStore) DevicesByUsers(ctx context.Context, userIDs []uuid.UUID) ([]identity.Device, error) {
	rows, err := latestPerUser[deviceRow](ctx, conn(ctx, s.db), userIDs, 100, "last_seen_at DESC, id", nil)
	return mapRows(rows, deviceRow.toPort), err
}

// LiveSessionsByUsers is ListLive for many users in one statement.
func (s *SessionStore) LiveSessionsByUsers(ctx context.Context, userIDs []uuid.UUID, now time.Time) ([]identity.Session, error) {
	rows, err := latestPerUser[sessionRow](ctx, conn(ctx, s.db), userIDs, 100, "last_used_at DESC, id",
		func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("revoked_at IS NULL AND expires_at > ?", now)
		})
	return mapRows(rows, sessionRow.toPort), err
}

// RecentByUsers is List (newest first, no topic, no cursor) for many
// users in one statement, at most limit rows each.
func (l *ActivityLog) RecentByUsers(ctx context.Context, userIDs []uuid.UUID, limit int) ([]ports.Activity, error) {
	if limit <= 0 {
		limit = listDefaultLimit
	}
	rows, err := latestPerUser[activityRow](ctx, conn(ctx, l.db), userIDs, limit, "created_at DESC, id DESC", nil)
	return mapRows(rows, activityRow.toPort), err
}
