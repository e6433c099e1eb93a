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

// KYCStore implements every store of the kyc module (profiles and data
// records, files and documents, submissions, labels, phones)
// over one database.
type KYCStore struct{ db *bun.DB }

var (
	_ kyc.Profiles    = (*KYCStore)(nil)
	_ kyc.Documents   = (*KYCStore)(nil)
	_ kyc.Submissions = (*KYCStore)(nil)
	_ kyc.Labels      = (*KYCStore)(nil)
	_ kyc.Phones      = (*KYCStore)(nil)
)

// NewKYCStore returns a store over db.
func NewKYCStore(db *bun.DB) *KYCStore { return &KYCStore{db: db} }

// listMaxLimit bounds a page of the review queues.
const listMaxLimit = 1000

// pageLimit is limit bounded to 1..listMaxLimit, listDefaultLimit when not
// positive.
func pageLimit(limit int) int {
	if limit <= 0 {
		return listDefaultLimit
	}
	return min(limit, listMaxLimit)
}

// jsonText is what a jsonb column is written from: "{}" when raw is empty.
// JSON travels as text (cast with ?::jsonb) and is read back as text.
func jsonText(raw []byte) string {
	if len(raw) == 0 {
		return "{}"
	}
	return string(raw)
}

func jsonRaw(s string) []byte {
	if s == "" {
		return []byte("{}")
	}
	return []byte(s)
}

// dateArg turns a port's "YYYY-MM-DD" (or "") into a date argument.
func dateArg(field, s string) (*string, error) {
	if s == "" {
		return nil, nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return nil, fmt.Errorf("postgres: %s %q is not a YYYY-MM-DD date", field, s)
	}
	return &s, nil
}

func dateString(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

func stateConflict(msg string) error {
	return &ports.Error{Code: ports.CodeConflict, Message: msg, Cause: ports.ErrConflict}
}

// exists reports whether table has a row with id.
func exists(ctx context.Context, db bun.IDB, table string, id uuid.UUID) (bool, error) {
	var ok bool
	err := db.NewRaw(`SELECT EXISTS (SELECT 1 FROM ? WHERE id = ?)`, bun.Ident(table), id).Scan(ctx, &ok)
	return ok, mapErr(err)
}

// conflictOrNotFound is the answer of a guarded UPDATE that hit no row.
func conflictOrNotFound(ctx context.Context, db bun.IDB, table string, id uuid.UUID, msg string) error {
	ok, err := exists(ctx, db, table, id)
	if err != nil {
		return err
	}
	if !ok {
		return ports.ErrNotFound
	}
	return stateConflict(msg)
}

// --- profiles

type profileRow struct {
	bun.BaseModel `bun:"table:kyc_profiles"`

	UserID      uuid.UUID  `bun:"user_id,pk,type:uuid"`
	FirstName   string     `bun:"first_name"`
	LastName    string     `bun:"last_name"`
	DateOfBirth *time.Time `bun:"date_of_birth"`
	Address     string     `bun:"address"`
	Postcode    string     `bun:"postcode"`
	City        string     `bun:"city"`
	Country     string     `bun:"country"`
	Metadata    string     `bun:"metadata"`
	ConfirmedAt *time.Time `bun:"confirmed_at"`
	CreatedAt   time.Time  `bun:"created_at"`
	UpdatedAt   time.Time  `bun:"updated_at"`
}

func (r profileRow) toPort() kyc.Profile {
	return kyc.Profile{UserID: r.UserID, FirstName: r.FirstName, LastName: r.LastName,
		DateOfBirth: dateString(r.DateOfBirth), Address: r.Address, Postcode: r.Postcode, City: r.City,
		Country: r.Country, Metadata: jsonRaw(r.Metadata), ConfirmedAt: r.ConfirmedAt,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func (s *KYCStore) GetProfile(ctx context.Context, userID uuid.UUID) (kyc.Profile, error) {
	var row profileRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("user_id = ?", userID).Scan(ctx); err != nil {
		return kyc.Profile{}, mapErr(err)
	}
	return row.toPort(), nil
}

// UpsertProfile is one INSERT … ON CONFLICT; with unlessConfirmed the
// update is guarded by confirmed_at IS NULL, and no row back means the
// stored profile is confirmed. CreatedAt is kept on replace.
func (s *KYCStore) UpsertProfile(ctx context.Context, p kyc.Profile, unlessConfirmed bool) (kyc.Profile, error) {
	dob, err := dateArg("date of birth", p.DateOfBirth)
	if err != nil {
		return kyc.Profile{}, err
	}
	guard := ""
	if unlessConfirmed {
		guard = "WHERE kyc_profiles.confirmed_at IS NULL"
	}
	var rows []profileRow
	err = conn(ctx, s.db).NewRaw(`INSERT INTO kyc_profiles (user_id, first_name, last_name, date_of_birth, address,
			postcode, city, country, metadata, confirmed_at, created_at, updated_at)
		VALUES (?, ?, ?, ?::date, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
			date_of_birth = EXCLUDED.date_of_birth, address = EXCLUDED.address, postcode = EXCLUDED.postcode,
			city = EXCLUDED.city, country = EXCLUDED.country, metadata = EXCLUDED.metadata,
			confirmed_at = EXCLUDED.confirmed_at, updated_at = EXCLUDED.updated_at
		`+guard+` RETURNING *`,
		p.UserID, p.FirstName, p.LastName, dob, p.Address, p.Postcode, p.City, p.Country, jsonText(p.Metadata),
		p.ConfirmedAt, p.CreatedAt, p.UpdatedAt).Scan(ctx, &rows)
	if err != nil {
		return kyc.Profile{}, mapErr(err)
	}
	if len(rows) == 0 {
		return kyc.Profile{}, stateConflict("the profile is confirmed")
	}
	return rows[0].toPort(), nil
}

// --- files

type fileRow struct {
	bun.BaseModel `bun:"table:kyc_files"`

	ID          uuid.UUID `bun:"id,pk,type:uuid"`
	UserID      uuid.UUID `bun:"user_id,type:uuid"`
	Purpose     string    `bun:"purpose"`
	ContentType string    `bun:"content_type"`
	Size        int64     `bun:"size"`
	Width       int       `bun:"width"`
	Height      int       `bun:"height"`
	SHA256      []byte    `bun:"sha256"`
	BlobKey     string    `bun:"blob_key"`
	CreatedAt   time.Time `bun:"created_at"`
}

func (s *KYCStore) CreateFile(ctx context.Context, f kyc.File) error {
	row := fileRow{ID: f.ID, UserID: f.UserID, Purpose: f.Purpose, ContentType: f.ContentType, Size: f.Size,
		Width: f.Width, Height: f.Height, SHA256: f.SHA256, BlobKey: f.BlobKey, CreatedAt: f.CreatedAt}
	_, err := conn(ctx, s.db).NewInsert().Model(&row).Exec(ctx)
	return mapErr(err)
}

func (s *KYCStore) GetFile(ctx context.Context, id uuid.UUID) (kyc.File, error) {
	var r fileRow
	if err := conn(ctx, s.db).NewSelect().Model(&r).Where("id = ?", id).Scan(ctx); err != nil {
		return kyc.File{}, mapErr(err)
	}
	return r.toPort(), nil
}

func (r fileRow) toPort() kyc.File {
	return kyc.File{ID: r.ID, UserID: r.UserID, Purpose: r.Purpose, ContentType: r.ContentType, Size: r.Size,
		Width: r.Width, Height: r.Height, SHA256: r.SHA256, BlobKey: r.BlobKey, CreatedAt: r.CreatedAt}
}

// --- documents

type documentRow struct {
	bun.BaseModel `bun:"table:kyc_documents"`

	ID          uuid.UUID  `bun:"id,pk,type:uuid"`
	UserID      uuid.UUID  `bun:"user_id,type:uuid"`
	Type        string     `bun:"type"`
	Number      string     `bun:"number"`
	ExpiresOn   *time.Time `bun:"expires_on"`
	Metadata    string     `bun:"metadata"`
	FrontFileID uuid.UUID  `bun:"front_file_id,type:uuid"`
	BackFileID  *uuid.UUID `bun:"back_file_id,type:uuid"`
	CreatedAt   time.Time  `bun:"created_at"`
	ReplacedAt  *time.Time `bun:"replaced_at"`
}

func (r documentRow) toPort() kyc.Document {
	return kyc.Document{ID: r.ID, UserID: r.UserID, Type: r.Type, Number: r.Number,
		ExpiresOn: dateString(r.ExpiresOn), Metadata: jsonRaw(r.Metadata), FrontFileID: r.FrontFileID,
		BackFileID: r.BackFileID, CreatedAt: r.CreatedAt, ReplacedAt: r.ReplacedAt}
}

// ReplaceDocument runs in a transaction (the caller's when ctx carries
// one). Of two concurrent uploads of the same type one may get a CONFLICT
// from the one-live-document index.
func (s *KYCStore) ReplaceDocument(ctx context.Context, d kyc.Document) error {
	exp, err := dateArg("expiry date", d.ExpiresOn)
	if err != nil {
		return err
	}
	return NewTxRunner(s.db).InTx(ctx, func(ctx context.Context) error {
		db := conn(ctx, s.db)
		if _, err := db.NewRaw(`UPDATE kyc_documents SET replaced_at = ?
			WHERE user_id = ? AND type = ? AND replaced_at IS NULL`, d.CreatedAt, d.UserID, d.Type).Exec(ctx); err != nil {
			return mapErr(err)
		}
		_, err := db.NewRaw(`INSERT INTO kyc_documents (id, user_id, type, number, expires_on, metadata,
				front_file_id, back_file_id, created_at)
			VALUES (?, ?, ?, ?, ?::date, ?::jsonb, ?, ?, ?)`,
			d.ID, d.UserID, d.Type, d.Number, exp, jsonText(d.Metadata), d.FrontFileID, d.BackFileID, d.CreatedAt).Exec(ctx)
		return mapErr(err)
	})
}

// AddDocument inserts d as given (ReplacedAt included) and leaves the
// user's live documents alone. A live d (ReplacedAt nil) next to a live
// one of its type violates kyc_documents_live_idx, a CONFLICT.
func (s *KYCStore) AddDocument(ctx context.Context, d kyc.Document) error {
	exp, err := dateArg("expiry date", d.ExpiresOn)
	if err != nil {
		return err
	}
	_, err = conn(ctx, s.db).NewRaw(`INSERT INTO kyc_documents (id, user_id, type, number, expires_on, metadata,
			front_file_id, back_file_id, created_at, replaced_at)
		VALUES (?, ?, ?, ?, ?::date, ?::jsonb, ?, ?, ?, ?)`,
		d.ID, d.UserID, d.Type, d.Number, exp, jsonText(d.Metadata), d.FrontFileID, d.BackFileID, d.CreatedAt,
		d.ReplacedAt).Exec(ctx)
	return mapErr(err)
}

func (s *KYCStore) GetDocument(ctx context.Context, id uuid.UUID) (kyc.Document, error) {
	var row documentRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return kyc.Document{}, mapErr(err)
	}
	return row.toPort(), nil
}

func (s *KYCStore) LiveDocuments(ctx context.Context, userID uuid.UUID) ([]kyc.Document, error) {
	var rows []documentRow
	err := conn(ctx, s.db).NewSelect().Model(&rows).
		Where("user_id = ? AND replaced_at IS NULL", userID).OrderExpr(`type COLLATE "C"`).Scan(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, documentRow.toPort), nil
}
