package ports

import (
	"context"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

// AdminActivity is one append-only row of the staff audit trail: a staff
// member called an operation (a root field) guarded by AUDIT, or one of
// the staff mutations that always write their row.
type AdminActivity struct {
	ID           uuid.UUID // UUIDv7
	AdminID      uuid.UUID
	TargetUserID *uuid.UUID
	// Action is the operation's root field name, e.g. "setUserState".
	Action string
	Reason string
	// Input is the operation's input with secrets and file contents
	// redacted (see RedactInput). Never nil.
	Input     map[string]any
	Result    ActivityResult
	Error     ErrorCode // the error code when Result is not SUCCEEDED
	IP        string
	UserAgent string
	CreatedAt time.Time
}

// AuditTrail appends to the staff audit trail: staff mutations (admin,
// kyc) and the authorization rule's AUDIT calls write it, and only admin
// reads it (admin.AuditSearch). The table is append-only: there is no
// update or delete here, and the database refuses them.
type AuditTrail interface {
	// RecordAdmin appends a; inside a transaction it commits or rolls
	// back with it.
	RecordAdmin(ctx context.Context, a AdminActivity) error
}

// NewAdminActivity builds the row of a staff action at at: SUCCEEDED when
// err is nil, otherwise FAILED (DENIED for FORBIDDEN) with err's code; the
// IP and user agent come from ctx.
func NewAdminActivity(ctx context.Context, staff uuid.UUID, target *uuid.UUID, action, reason string,
	input map[string]any, err error, at time.Time) AdminActivity {
	a := AdminActivity{ID: uuid.Must(uuid.NewV7()), AdminID: staff, TargetUserID: target, Action: action,
		Reason: strings.ToValidUTF8(strings.ReplaceAll(reason, "\x00", ""), ""), Input: RedactInput(input), Result: ActivitySucceeded, CreatedAt: at}
	if err != nil {
		a.Result, a.Error = ActivityFailed, ErrorCodeOf(err)
		if a.Error == CodeForbidden {
			a.Result = ActivityDenied
		}
	}
	m := RequestMetaFrom(ctx)
	a.IP, a.UserAgent = m.IP, m.UserAgent
	return a
}

// AuditSlot tells the authorization rule, which writes an admin activity
// for each AUDIT call, that the operation wrote its own row already (in
// its transaction, with its reason), so each call leaves exactly one.
type AuditSlot struct{ written atomic.Bool }

type auditSlotKey struct{}

// WithAuditSlot gives ctx a fresh slot for one root field.
func WithAuditSlot(ctx context.Context) (context.Context, *AuditSlot) {
	s := &AuditSlot{}
	return context.WithValue(ctx, auditSlotKey{}, s), s
}

// MarkAudited says that the operation of ctx committed its admin activity.
func MarkAudited(ctx context.Context) {
	if s, _ := ctx.Value(auditSlotKey{}).(*AuditSlot); s != nil {
		s.written.Store(true)
	}
}

// Written reports whether the operation committed its own admin activity.
func (s *AuditSlot) Written() bool { return s.written.Load() }
