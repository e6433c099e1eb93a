package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/ports"
)

type restrictionRow struct {
	bun.BaseModel `bun:"table:restrictions"`

	ID        uuid.UUID `bun:"id,pk,type:uuid"`
	Scope     string    `bun:"scope"`
	Value     string    `bun:"value"`
	Category  string    `bun:"category"`
	State     string    `bun:"state"`
	Code      int       `bun:"code"`
	CreatedAt time.Time `bun:"created_at"`
	UpdatedAt time.Time `bun:"updated_at"`
}

func (r restrictionRow) toModule() perimeter.Restriction {
	return perimeter.Restriction{ID: r.ID, Scope: perimeter.Scope(r.Scope), Value: r.Value,
		Category: perimeter.Category(r.Category), State: perimeter.State(r.State), Code: r.Code,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func restrictionRowOf(r perimeter.Restriction) restrictionRow {
	return restrictionRow{ID: r.ID, Scope: string(r.Scope), Value: r.Value, Category: string(r.Category),
		State: string(r.State), Code: r.Code, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// RestrictionStore implements perimeter.Store. Every committed change is
// announced by the restrictions_changed trigger (perimeter.ChangeID on
// gatehouse_sessions), which the WatchHub delivers to every instance.
type RestrictionStore struct{ db *bun.DB }

var _ perimeter.Store = (*RestrictionStore)(nil)

// NewRestrictionStore returns the restrictions over db.
func NewRestrictionStore(db *bun.DB) *RestrictionStore { return &RestrictionStore{db: db} }

func (s *RestrictionStore) All(ctx context.Context) ([]perimeter.Restriction, error) {
	var rows []restrictionRow
	if err := conn(ctx, s.db).NewSelect().Model(&rows).OrderExpr("created_at, id").Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, restrictionRow.toModule), nil
}

func (s *RestrictionStore) Page(ctx context.Context, f perimeter.Filter, afterAt time.Time, afterID uuid.UUID, limit int) ([]perimeter.Restriction, error) {
	var rows []restrictionRow
	q := conn(ctx, s.db).NewSelect().Model(&rows).OrderExpr("created_at, id").Limit(int64(limit))
	if !afterAt.IsZero() {
		q = q.Where("(created_at, id) > (?, ?)", afterAt, afterID)
	}
	if f.Scope != nil {
		q = q.Where("scope = ?", string(*f.Scope))
	}
	if f.Category != nil {
		q = q.Where("category = ?", string(*f.Category))
	}
	if f.State != nil {
		q = q.Where("state = ?", string(*f.State))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, restrictionRow.toModule), nil
}

func (s *RestrictionStore) Get(ctx context.Context, id uuid.UUID) (perimeter.Restriction, error) {
	var row restrictionRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return perimeter.Restriction{}, mapErr(err)
	}
	return row.toModule(), nil
}

func (s *RestrictionStore) Lock(ctx context.Context) error {
	// Readers (the snapshot's loads) are not blocked; other writers are.
	_, err := conn(ctx, s.db).ExecContext(ctx, `LOCK TABLE restrictions IN SHARE ROW EXCLUSIVE MODE`)
	return mapErr(err)
}

func (s *RestrictionStore) Count(ctx context.Context) (int, error) {
	n, err := conn(ctx, s.db).NewSelect().Table("restrictions").Count(ctx)
	return int(n), mapErr(err)
}

func (s *RestrictionStore) Create(ctx context.Context, r perimeter.Restriction) error {
	row := restrictionRowOf(r)
	err := guarded(ctx, s.db, func(db bun.IDB) error {
		_, err := db.NewInsert().Model(&row).Exec(ctx)
		return err
	})
	return restrictionErr(err)
}

func (s *RestrictionStore) Update(ctx context.Context, r perimeter.Restriction) error {
	var n int64
	err := guarded(ctx, s.db, func(db bun.IDB) error {
		res, err := db.NewUpdate().Table("restrictions").
			Set("scope = ?", string(r.Scope)).Set("value = ?", r.Value).Set("category = ?", string(r.Category)).
			Set("state = ?", string(r.State)).Set("code = ?", r.Code).Set("updated_at = ?", r.UpdatedAt).
			Where("id = ?", r.ID).Exec(ctx)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return restrictionErr(err)
	}
	if n == 0 {
		return ports.ErrNotFound
	}
	return nil
}

func (s *RestrictionStore) Delete(ctx context.Context, id uuid.UUID) (bool, error) {
	res, err := conn(ctx, s.db).NewDelete().Table("restrictions").Where("id = ?", id).Exec(ctx)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n > 0, mapErr(err)
}

// restrictionErr maps driver errors; a unique violation is the same rule
// entered twice.
func restrictionErr(err error) error {
	err = mapErr(err)
	var e *ports.Error
	if errors.As(err, &e) && e.Code == ports.CodeConflict && e.Fields == nil {
		e.Message = "a restriction of this scope, value and category exists already"
		e.Fields = map[string]string{"value": "has a restriction of this category already"}
	}
	return err
}
