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

// ActivityLog implements ports.ActivityLog. There is deliberately no
// update or delete here: the table is append-only.
type ActivityLog struct{ db *bun.DB }

var _ ports.ActivityLog = (*ActivityLog)(nil)

// NewActivityLog returns a log over db.
func NewActivityLog(db *bun.DB) *ActivityLog { return &ActivityLog{db: db} }

func (l *ActivityLog) Record(ctx context.Context, a ports.Activity) error {
	if a.ID == uuid.Nil {
		a.ID = uuid.New()
	}
	row := activityRow{ID: a.ID, UserID: a.UserID, Topic: a.Topic, Action: a.Action, Result: string(a.Result),
		IP: a.IP, UserAgent: a.UserAgent, Details: nonNil(a.Details), CreatedAt: a.CreatedAt}
	_, err := conn(ctx, l.db).NewInsert().Model(&row).Exec(ctx)
	return mapErr(err)
}
