package postgres

import (
	"context"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/ports"
)

// PermissionStore implements ports.PermissionStore.
type PermissionStore struct{ db *bun.DB }

var _ ports.PermissionStore = (*PermissionStore)(nil)

// NewPermissionStore returns the permission rows over db.
func NewPermissionStore(db *bun.DB) *PermissionStore { return &PermissionStore{db: db} }

func (s *PermissionStore) List(ctx context.Context) ([]ports.Permission, error) {
	return nil, errNotBuilt
}
func (s *PermissionStore) Get(ctx context.Context, id uuid.UUID) (ports.Permission, error) {
	return ports.Permission{}, errNotBuilt
}
func (s *PermissionStore) Create(ctx context.Context, p ports.Permission) error { return errNotBuilt }
func (s *PermissionStore) Update(ctx context.Context, p ports.Permission) error { return errNotBuilt }
func (s *PermissionStore) Delete(ctx context.Context, id uuid.UUID) (bool, error) {
	return false, errNotBuilt
}

// PermissionWatcher implements ports.PermissionWatcher with LISTEN.
type PermissionWatcher struct{ db *bun.DB }

var _ ports.PermissionWatcher = (*PermissionWatcher)(nil)

// NewPermissionWatcher returns a watcher that listens on a connection of db.
func NewPermissionWatcher(db *bun.DB) *PermissionWatcher { return &PermissionWatcher{db: db} }

func (w *PermissionWatcher) Watch(ctx context.Context, changed func()) error {
	<-ctx.Done()
	return ctx.Err()
}
