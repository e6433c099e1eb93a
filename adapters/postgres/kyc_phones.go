package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
)

// --- phones

type phoneRow struct {
	bun.BaseModel `bun:"table:kyc_phones"`

	ID         uuid.UUID  `bun:"id,pk,type:uuid"`
	UserID     uuid.UUID  `bun:"user_id,type:uuid"`
	Number     string     `bun:"number"`
	VerifiedAt *time.Time `bun:"verified_at"`
	CreatedAt  time.Time  `bun:"created_at"`
}

func (r phoneRow) toPort() kyc.Phone {
	return kyc.Phone{ID: r.ID, UserID: r.UserID, Number: r.Number, VerifiedAt: r.VerifiedAt, CreatedAt: r.CreatedAt}
}

// AddPhone inserts the number unverified, or returns the user's record of
// it. The second SELECT covers a record committed by a concurrent
// transaction after the first statement's snapshot.
func (s *KYCStore) AddPhone(ctx context.Context, p kyc.Phone) (kyc.Phone, error) {
	db := conn(ctx, s.db)
	var rows []phoneRow
	err := guarded(ctx, s.db, func(db bun.IDB) error {
		return db.NewRaw(`WITH ins AS (
			INSERT INTO kyc_phones (id, user_id, number, verified_at, created_at) VALUES (?, ?, ?, NULL, ?)
			ON CONFLICT (user_id, number) DO NOTHING RETURNING *)
		SELECT * FROM ins
		UNION ALL SELECT * FROM kyc_phones WHERE user_id = ? AND number = ?
		LIMIT 1`, p.ID, p.UserID, p.Number, p.CreatedAt, p.UserID, p.Number).Scan(ctx, &rows)
	})
	if err != nil {
		return kyc.Phone{}, mapErr(err)
	}
	if len(rows) == 0 {
		var row phoneRow
		if err := db.NewSelect().Model(&row).Where("user_id = ? AND number = ?", p.UserID, p.Number).Scan(ctx); err != nil {
			return kyc.Phone{}, mapErr(err)
		}
		return row.toPort(), nil
	}
	return rows[0].toPort(), nil
}

// VerifyPhone is one upsert; an already verified record keeps its time. A
// number verified by another user violates kyc_phones_verified_idx, which
// mapErr reports as a CONFLICT on "phone".
func (s *KYCStore) VerifyPhone(ctx context.Context, userID uuid.UUID, number string, at time.Time) (kyc.Phone, error) {
	var rows []phoneRow
	// The number being verified by someone else is checked in the
	// statement rather than left to the unique index, so that the answer
	// is a CONFLICT and not an aborted transaction: identity's sign-up
	// calls this inside its own transaction and carries on. The guard does
	// not see a concurrent transaction's uncommitted verification, whose
	// commit then makes the index raise 23505 here: the statement runs
	// under a savepoint so that this too leaves the caller's transaction
	// usable.
	err := guarded(ctx, s.db, func(db bun.IDB) error {
		return db.NewRaw(`INSERT INTO kyc_phones (id, user_id, number, verified_at, created_at)
		SELECT ?, ?, ?, ?, ?
		WHERE NOT EXISTS (SELECT 1 FROM kyc_phones WHERE number = ? AND verified_at IS NOT NULL AND user_id <> ?)
		ON CONFLICT (user_id, number) DO UPDATE SET verified_at = COALESCE(kyc_phones.verified_at, EXCLUDED.verified_at)
		RETURNING *`, uuid.New(), userID, number, at, at, number, userID).Scan(ctx, &rows)
	})
	if err != nil {
		return kyc.Phone{}, mapErr(err)
	}
	if len(rows) == 0 {
		return kyc.Phone{}, &ports.Error{Code: ports.CodeConflict, Message: "already exists",
			Fields: map[string]string{"phone": "is verified by another account"}}
	}
	return rows[0].toPort(), nil
}

func (s *KYCStore) ListPhones(ctx context.Context, userID uuid.UUID) ([]kyc.Phone, error) {
	var rows []phoneRow
	if err := conn(ctx, s.db).NewSelect().Model(&rows).Where("user_id = ?", userID).
		OrderExpr("created_at, id").Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, phoneRow.toPort), nil
}

// --- data records

type dataRecordRow struct {
	bun.BaseModel `bun:"table:data_records"`

	UserID    uuid.UUID `bun:"user_id,pk,type:uuid"`
	Title     string    `bun:"title,pk"`
	Data      string    `bun:"data"`
	CreatedAt time.Time `bun:"created_at"`
	UpdatedAt time.Time `bun:"updated_at"`
}

func (r dataRecordRow) toPort() kyc.DataRecord {
	return kyc.DataRecord{UserID: r.UserID, Title: r.Title, Data: jsonRaw(r.Data), CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt}
}

// PutDataRecord is one upsert; CreatedAt is kept on replace. Data must be
// a JSON object (an empty one is refused by the column).
func (s *KYCStore) PutDataRecord(ctx context.Context, r kyc.DataRecord) (kyc.DataRecord, error) {
	var rows []dataRecordRow
	err := conn(ctx, s.db).NewRaw(`INSERT INTO data_records (user_id, title, data, created_at, updated_at)
		VALUES (?, ?, ?::jsonb, ?, ?)
		ON CONFLICT (user_id, title) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at
		RETURNING *`, r.UserID, r.Title, string(r.Data), r.CreatedAt, r.UpdatedAt).Scan(ctx, &rows)
	if err != nil {
		return kyc.DataRecord{}, mapErr(err)
	}
	if len(rows) == 0 {
		return kyc.DataRecord{}, fmt.Errorf("postgres: data record upsert returned no row")
	}
	return rows[0].toPort(), nil
}

func (s *KYCStore) ListDataRecords(ctx context.Context, userID uuid.UUID) ([]kyc.DataRecord, error) {
	var rows []dataRecordRow
	if err := conn(ctx, s.db).NewSelect().Model(&rows).Where("user_id = ?", userID).
		OrderExpr(`title COLLATE "C"`).Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, dataRecordRow.toPort), nil
}

func (s *KYCStore) DeleteDataRecord(ctx context.Context, userID uuid.UUID, title string) (bool, error) {
	res, err := conn(ctx, s.db).NewRaw(`DELETE FROM data_records WHERE user_id = ? AND title = ?`, userID, title).Exec(ctx)
	if err != nil {
		return false, mapErr(err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}
