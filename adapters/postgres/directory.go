package postgres

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/ports"
)

// UserDirectory implements ports.UserDirectory.
type UserDirectory struct{ db *bun.DB }

var _ ports.UserDirectory = (*UserDirectory)(nil)

// NewUserDirectory returns the staff user search over db.
func NewUserDirectory(db *bun.DB) *UserDirectory { return &UserDirectory{db: db} }

var errNotBuilt = ports.Errorf(ports.CodeInternal, "not built yet")

func (d *UserDirectory) Search(ctx context.Context, q ports.UserSearch) ([]ports.UserHit, error) {
	return nil, errNotBuilt
}

func (d *UserDirectory) Count(ctx context.Context, f ports.UserFilter, limit int) (int, bool, error) {
	return 0, false, errNotBuilt
}

func (d *UserDirectory) LabelUsage(ctx context.Context) ([]ports.LabelUsage, error) {
	return nil, errNotBuilt
}
