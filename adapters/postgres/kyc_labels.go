package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/kyc"
)

// --- labels and levels

type labelRow struct {
	bun.BaseModel `bun:"table:labels"`

	UserID      uuid.UUID `bun:"user_id,pk,type:uuid"`
	Key         string    `bun:"key,pk"`
	Value       string    `bun:"value"`
	Scope       string    `bun:"scope"`
	Description string    `bun:"description"`
	CreatedAt   time.Time `bun:"created_at"`
	UpdatedAt   time.Time `bun:"updated_at"`
}

func (r labelRow) toPort() kyc.Label {
	return kyc.Label{UserID: r.UserID, Key: r.Key, Value: r.Value, Scope: r.Scope, Description: r.Description,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func (s *KYCStore) GetLabel(ctx context.Context, userID uuid.UUID, key string) (kyc.Label, error) {
	var row labelRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("user_id = ? AND key = ?", userID, key).Scan(ctx); err != nil {
		return kyc.Label{}, mapErr(err)
	}
	return row.toPort(), nil
}

// SetLabel is one upsert; CreatedAt is kept on replace.
func (s *KYCStore) SetLabel(ctx context.Context, l kyc.Label) (kyc.Label, error) {
	var rows []labelRow
	err := conn(ctx, s.db).NewRaw(`INSERT INTO labels (user_id, key, value, scope, description, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id, key) DO UPDATE SET value = EXCLUDED.value, scope = EXCLUDED.scope,
			description = EXCLUDED.description, updated_at = EXCLUDED.updated_at
		RETURNING *`, l.UserID, l.Key, l.Value, l.Scope, l.Description, l.CreatedAt, l.UpdatedAt).Scan(ctx, &rows)
	if err != nil {
		return kyc.Label{}, mapErr(err)
	}
	if len(rows) == 0 {
		return kyc.Label{}, fmt.Errorf("postgres: label upsert returned no row")
	}
	return rows[0].toPort(), nil
}

func (s *KYCStore) DeleteLabel(ctx context.Context, userID uuid.UUID, key string) (bool, error) {
	res, err := conn(ctx, s.db).NewRaw(`DELETE FROM labels WHERE user_id = ? AND key = ?`, userID, key).Exec(ctx)
	if err != nil {
		return false, mapErr(err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

func (s *KYCStore) ListLabels(ctx context.Context, userID uuid.UUID) ([]kyc.Label, error) {
	var rows []labelRow
	if err := conn(ctx, s.db).NewSelect().Model(&rows).Where("user_id = ?", userID).
		OrderExpr(`key COLLATE "C"`).Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, labelRow.toPort), nil
}

type levelRuleRow struct {
	bun.BaseModel `bun:"table:level_rules"`

	Level       int    `bun:"level,pk"`
	Key         string `bun:"key,pk"`
	Value       string `bun:"value"`
	Description string `bun:"description"`
}

func (s *KYCStore) LevelRules(ctx context.Context) ([]kyc.LevelRule, error) {
	var rows []levelRuleRow
	if err := conn(ctx, s.db).NewSelect().Model(&rows).OrderExpr(`level, key COLLATE "C"`).Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	out := make([]kyc.LevelRule, len(rows))
	for i, r := range rows {
		out[i] = kyc.LevelRule{Level: r.Level, Key: r.Key, Value: r.Value, Description: r.Description}
	}
	return out, nil
}
