package postgres

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/ports"
)

type adminActivityRow struct {
	bun.BaseModel `bun:"table:admin_activities"`

	ID           uuid.UUID      `bun:"id,pk,type:uuid"`
	AdminID      uuid.UUID      `bun:"admin_id,type:uuid"`
	TargetUserID *uuid.UUID     `bun:"target_user_id,type:uuid"`
	Action       string         `bun:"action"`
	Reason       string         `bun:"reason"`
	Input        map[string]any `bun:"input,type:jsonb"`
	Result       string         `bun:"result"`
	Error        string         `bun:"error"`
	IP           string         `bun:"ip"`
	UserAgent    string         `bun:"user_agent"`
	CreatedAt    time.Time      `bun:"created_at"`
}

func (r adminActivityRow) toPort() ports.AdminActivity {
	in := r.Input
	if in == nil {
		in = map[string]any{}
	}
	return ports.AdminActivity{ID: r.ID, AdminID: r.AdminID, TargetUserID: r.TargetUserID, Action: r.Action,
		Reason: r.Reason, Input: in, Result: ports.ActivityResult(r.Result), Error: ports.ErrorCode(r.Error),
		IP: r.IP, UserAgent: r.UserAgent, CreatedAt: r.CreatedAt}
}

// AuditTrail implements ports.AuditTrail (the write) and admin.AuditSearch
// (the reads). There is deliberately no update or delete here: both
// tables are append-only, and triggers refuse it.
type AuditTrail struct{ db *bun.DB }

var (
	_ ports.AuditTrail  = (*AuditTrail)(nil)
	_ admin.AuditSearch = (*AuditTrail)(nil)
)

// NewAuditTrail returns the audit trail over db.
func NewAuditTrail(db *bun.DB) *AuditTrail { return &AuditTrail{db: db} }

func (a *AuditTrail) RecordAdmin(ctx context.Context, r ports.AdminActivity) error {
	if r.ID == uuid.Nil {
		id, err := uuid.NewV7()
		if err != nil {
			return err
		}
		r.ID = id
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now()
	}
	if r.Result == "" {
		r.Result = ports.ActivitySucceeded
	}
	row := adminActivityRow{ID: r.ID, AdminID: r.AdminID, TargetUserID: r.TargetUserID, Action: r.Action,
		Reason: r.Reason, Input: ports.RedactInput(r.Input), Result: string(r.Result), Error: string(r.Error),
		IP: r.IP, UserAgent: r.UserAgent, CreatedAt: r.CreatedAt}
	_, err := conn(ctx, a.db).NewInsert().Model(&row).Exec(ctx)
	return mapErr(err)
}

// ListAdmin is one keyset query on (created_at, id), newest first.
func (a *AuditTrail) ListAdmin(ctx context.Context, q admin.AdminActivityQuery) ([]ports.AdminActivity, error) {
	var rows []adminActivityRow
	sel := conn(ctx, a.db).NewSelect().Model(&rows)
	if q.AdminID != nil {
		sel = sel.Where("admin_id = ?", *q.AdminID)
	}
	if q.TargetUserID != nil {
		sel = sel.Where("target_user_id = ?", *q.TargetUserID)
	}
	if q.Action != "" {
		sel = sel.Where("action = ?", q.Action)
	}
	sel = timeRange(sel, q.From, q.To, q.After)
	if err := sel.OrderExpr("created_at DESC, id DESC").Limit(auditPageLimit(q.Limit)).Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, adminActivityRow.toPort), nil
}

// SearchActivities is one keyset query over every user's activity on
// (created_at, id), newest first.
func (a *AuditTrail) SearchActivities(ctx context.Context, q admin.ActivitySearch) ([]ports.Activity, error) {
	var rows []activityRow
	sel := conn(ctx, a.db).NewSelect().Model(&rows)
	if q.UserID != nil {
		sel = sel.Where("user_id = ?", *q.UserID)
	}
	if len(q.Topics) > 0 {
		sel = sel.Where("topic IN (?)", bun.In(q.Topics))
	}
	if q.Action != "" {
		sel = sel.Where("action = ?", q.Action)
	}
	if q.Result != "" {
		sel = sel.Where("result = ?", string(q.Result))
	}
	sel = timeRange(sel, q.From, q.To, q.After)
	if err := sel.OrderExpr("created_at DESC, id DESC").Limit(auditPageLimit(q.Limit)).Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, activityRow.toPort), nil
}

// timeRange adds [from, to) and the keyset position to a newest-first query.
func timeRange(sel *bun.SelectQuery, from, to *time.Time, after *ports.ActivityCursor) *bun.SelectQuery {
	if from != nil {
		sel = sel.Where("created_at >= ?", *from)
	}
	if to != nil {
		sel = sel.Where("created_at < ?", *to)
	}
	if after != nil {
		sel = sel.Where("(created_at, id) < (?, ?)", after.CreatedAt, after.ID)
	}
	return sel
}

// auditPageLimit bounds a page: the default when unset, never more than 1000.
func auditPageLimit(n int) int64 {
	if n <= 0 {
		return listDefaultLimit
	}
	return int64(min(n, 1000))
}
