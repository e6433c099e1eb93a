package postgres

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/ports"
)

// AuditTrail implements ports.AuditTrail.
type AuditTrail struct{ db *bun.DB }

var _ ports.AuditTrail = (*AuditTrail)(nil)

// NewAuditTrail returns the audit trail over db.
func NewAuditTrail(db *bun.DB) *AuditTrail { return &AuditTrail{db: db} }

func (a *AuditTrail) RecordAdmin(ctx context.Context, r ports.AdminActivity) error {
	return errNotBuilt
}

func (a *AuditTrail) ListAdmin(ctx context.Context, q ports.AdminActivityQuery) ([]ports.AdminActivity, error) {
	return nil, errNotBuilt
}

func (a *AuditTrail) SearchActivities(ctx context.Context, q ports.ActivitySearch) ([]ports.Activity, error) {
	return nil, errNotBuilt
}
