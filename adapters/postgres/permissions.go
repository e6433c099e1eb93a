package postgres

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/ports"
)

type permissionRow struct {
	bun.BaseModel `bun:"table:permissions"`

	ID        uuid.UUID `bun:"id,pk,type:uuid"`
	Role      string    `bun:"role"`
	Operation string    `bun:"operation"`
	Action    string    `bun:"action"`
	CreatedAt time.Time `bun:"created_at"`
	UpdatedAt time.Time `bun:"updated_at"`
}

func (r permissionRow) toPort() admin.Permission {
	return admin.Permission{ID: r.ID, Role: r.Role, Operation: r.Operation, Action: r.Action,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// PermissionStore implements admin.PermissionStore. Every committed change
// is announced on the channel gatehouse_permissions by a trigger.
type PermissionStore struct{ db *bun.DB }

var _ admin.PermissionStore = (*PermissionStore)(nil)

// NewPermissionStore returns the permission rows over db.
func NewPermissionStore(db *bun.DB) *PermissionStore { return &PermissionStore{db: db} }

func (s *PermissionStore) List(ctx context.Context) ([]admin.Permission, error) {
	var rows []permissionRow
	if err := conn(ctx, s.db).NewSelect().Model(&rows).OrderExpr("role, operation").Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, permissionRow.toPort), nil
}

func (s *PermissionStore) Get(ctx context.Context, id uuid.UUID) (admin.Permission, error) {
	var row permissionRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return admin.Permission{}, mapErr(err)
	}
	return row.toPort(), nil
}

func (s *PermissionStore) Create(ctx context.Context, p admin.Permission) error {
	row := permissionRow{ID: p.ID, Role: p.Role, Operation: p.Operation, Action: p.Action,
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	if row.CreatedAt.IsZero() {
		row.CreatedAt = time.Now()
	}
	if row.UpdatedAt.IsZero() {
		row.UpdatedAt = row.CreatedAt
	}
	err := guarded(ctx, s.db, func(db bun.IDB) error {
		_, err := db.NewInsert().Model(&row).Exec(ctx)
		return err
	})
	return permissionErr(err)
}

func (s *PermissionStore) Update(ctx context.Context, p admin.Permission) error {
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = time.Now()
	}
	var n int64
	err := guarded(ctx, s.db, func(db bun.IDB) error {
		res, err := db.NewUpdate().Table("permissions").
			Set("role = ?", p.Role).Set("operation = ?", p.Operation).Set("action = ?", p.Action).
			Set("updated_at = ?", p.UpdatedAt).Where("id = ?", p.ID).Exec(ctx)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return permissionErr(err)
	}
	if n == 0 {
		return ports.ErrNotFound
	}
	return nil
}

func (s *PermissionStore) Lock(ctx context.Context) error {
	// Readers (List) are not blocked; writers of other transactions are.
	_, err := conn(ctx, s.db).ExecContext(ctx, `LOCK TABLE permissions IN SHARE ROW EXCLUSIVE MODE`)
	return mapErr(err)
}

func (s *PermissionStore) Delete(ctx context.Context, id uuid.UUID) (bool, error) {
	res, err := conn(ctx, s.db).NewDelete().Table("permissions").Where("id = ?", id).Exec(ctx)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n > 0, mapErr(err)
}

// permissionErr maps driver errors; a unique violation is the role having
// a rule for the operation already.
func permissionErr(err error) error {
	err = mapErr(err)
	var e *ports.Error
	if errors.As(err, &e) && e.Code == ports.CodeConflict && e.Fields == nil {
		e.Message = "the role has a rule for this operation already"
		e.Fields = map[string]string{"operation": "the role has a rule for it already"}
	}
	return err
}

// PermissionChannel is the channel every permission change is announced on.
const PermissionChannel = "gatehouse_permissions"

// PermissionWatcher implements admin.PermissionWatcher with LISTEN.
type PermissionWatcher struct {
	db *bun.DB
	// Backoff is the wait before reconnecting after an error.
	Backoff time.Duration
}

var _ admin.PermissionWatcher = (*PermissionWatcher)(nil)

// NewPermissionWatcher returns a watcher that listens on a connection of db.
func NewPermissionWatcher(db *bun.DB) *PermissionWatcher {
	return &PermissionWatcher{db: db, Backoff: 200 * time.Millisecond}
}

// Watch holds one connection of the pool for LISTEN; when it fails it
// waits a little (growing up to 5 s), takes a new one and calls changed
// again, since a change may have been missed meanwhile.
func (w *PermissionWatcher) Watch(ctx context.Context, changed func()) error {
	backoff := w.Backoff
	if backoff <= 0 {
		backoff = 200 * time.Millisecond
	}
	wait := backoff
	for {
		listened, err := w.listen(ctx, changed)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if listened {
			wait = backoff
		}
		_ = err // the caller learns of the outage by the next changed call
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

// listen runs one LISTEN session until an error or ctx ends; listened
// tells whether LISTEN succeeded. The connection is never given back to
// the pool: it is closed, LISTEN and all.
func (w *PermissionWatcher) listen(ctx context.Context, changed func()) (listened bool, err error) {
	c, err := w.db.DB.Conn(ctx)
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
			if _, err := pc.Exec(ctx, "LISTEN "+PermissionChannel); err != nil {
				return err
			}
			listened = true
			changed()
			for {
				if _, err := pc.WaitForNotification(ctx); err != nil {
					return err
				}
				changed()
			}
		}()
		// driver.ErrBadConn makes database/sql close the connection
		// instead of returning it to the pool still listening.
		return fmt.Errorf("%w: %w", driver.ErrBadConn, err)
	})
	return listened, err
}
