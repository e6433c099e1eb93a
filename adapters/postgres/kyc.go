package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/ports"
)

// KYCStore implements ports.KYCStore.
type KYCStore struct{ db *bun.DB }

var _ ports.KYCStore = (*KYCStore)(nil)

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

func (r profileRow) toPort() ports.Profile {
	return ports.Profile{UserID: r.UserID, FirstName: r.FirstName, LastName: r.LastName,
		DateOfBirth: dateString(r.DateOfBirth), Address: r.Address, Postcode: r.Postcode, City: r.City,
		Country: r.Country, Metadata: jsonRaw(r.Metadata), ConfirmedAt: r.ConfirmedAt,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func (s *KYCStore) GetProfile(ctx context.Context, userID uuid.UUID) (ports.Profile, error) {
	var row profileRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("user_id = ?", userID).Scan(ctx); err != nil {
		return ports.Profile{}, mapErr(err)
	}
	return row.toPort(), nil
}

// UpsertProfile is one INSERT … ON CONFLICT; with unlessConfirmed the
// update is guarded by confirmed_at IS NULL, and no row back means the
// stored profile is confirmed. CreatedAt is kept on replace.
func (s *KYCStore) UpsertProfile(ctx context.Context, p ports.Profile, unlessConfirmed bool) (ports.Profile, error) {
	dob, err := dateArg("date of birth", p.DateOfBirth)
	if err != nil {
		return ports.Profile{}, err
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
		return ports.Profile{}, mapErr(err)
	}
	if len(rows) == 0 {
		return ports.Profile{}, stateConflict("the profile is confirmed")
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

func (s *KYCStore) CreateFile(ctx context.Context, f ports.KYCFile) error {
	row := fileRow{ID: f.ID, UserID: f.UserID, Purpose: f.Purpose, ContentType: f.ContentType, Size: f.Size,
		Width: f.Width, Height: f.Height, SHA256: f.SHA256, BlobKey: f.BlobKey, CreatedAt: f.CreatedAt}
	_, err := conn(ctx, s.db).NewInsert().Model(&row).Exec(ctx)
	return mapErr(err)
}

func (s *KYCStore) GetFile(ctx context.Context, id uuid.UUID) (ports.KYCFile, error) {
	var r fileRow
	if err := conn(ctx, s.db).NewSelect().Model(&r).Where("id = ?", id).Scan(ctx); err != nil {
		return ports.KYCFile{}, mapErr(err)
	}
	return ports.KYCFile{ID: r.ID, UserID: r.UserID, Purpose: r.Purpose, ContentType: r.ContentType, Size: r.Size,
		Width: r.Width, Height: r.Height, SHA256: r.SHA256, BlobKey: r.BlobKey, CreatedAt: r.CreatedAt}, nil
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

func (r documentRow) toPort() ports.Document {
	return ports.Document{ID: r.ID, UserID: r.UserID, Type: r.Type, Number: r.Number,
		ExpiresOn: dateString(r.ExpiresOn), Metadata: jsonRaw(r.Metadata), FrontFileID: r.FrontFileID,
		BackFileID: r.BackFileID, CreatedAt: r.CreatedAt, ReplacedAt: r.ReplacedAt}
}

// ReplaceDocument runs in a transaction (the caller's when ctx carries
// one). Of two concurrent uploads of the same type one may get a CONFLICT
// from the one-live-document index.
func (s *KYCStore) ReplaceDocument(ctx context.Context, d ports.Document) error {
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
func (s *KYCStore) AddDocument(ctx context.Context, d ports.Document) error {
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

func (s *KYCStore) GetDocument(ctx context.Context, id uuid.UUID) (ports.Document, error) {
	var row documentRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return ports.Document{}, mapErr(err)
	}
	return row.toPort(), nil
}

func (s *KYCStore) LiveDocuments(ctx context.Context, userID uuid.UUID) ([]ports.Document, error) {
	var rows []documentRow
	err := conn(ctx, s.db).NewSelect().Model(&rows).
		Where("user_id = ? AND replaced_at IS NULL", userID).OrderExpr(`type COLLATE "C"`).Scan(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]ports.Document, len(rows))
	for i, r := range rows {
		out[i] = r.toPort()
	}
	return out, nil
}

// --- submissions

type submissionRow struct {
	bun.BaseModel `bun:"table:kyc_submissions"`

	ID          uuid.UUID  `bun:"id,pk,type:uuid"`
	UserID      uuid.UUID  `bun:"user_id,type:uuid"`
	Status      string     `bun:"status"`
	Country     string     `bun:"country"`
	DocumentID  uuid.UUID  `bun:"document_id,type:uuid"`
	SelfieID    uuid.UUID  `bun:"selfie_id,type:uuid"`
	SubmittedAt time.Time  `bun:"submitted_at"`
	DecidedAt   *time.Time `bun:"decided_at"`
	DecidedBy   *uuid.UUID `bun:"decided_by,type:uuid"`
	Reason      string     `bun:"reason"`
}

func (r submissionRow) toPort() ports.KYCSubmission {
	return ports.KYCSubmission{ID: r.ID, UserID: r.UserID, Status: r.Status, Country: r.Country,
		DocumentID: r.DocumentID, SelfieID: r.SelfieID, SubmittedAt: r.SubmittedAt, DecidedAt: r.DecidedAt,
		DecidedBy: r.DecidedBy, Reason: r.Reason}
}

func submissionsToPort(rows []submissionRow) []ports.KYCSubmission {
	out := make([]ports.KYCSubmission, len(rows))
	for i, r := range rows {
		out[i] = r.toPort()
	}
	return out
}

// CreateSubmission inserts x (status PENDING when empty); a second
// PENDING one of the user violates kyc_submissions_pending_idx, a
// CONFLICT.
func (s *KYCStore) CreateSubmission(ctx context.Context, x ports.KYCSubmission) error {
	if x.Status == "" {
		x.Status = ports.KYCPending
	}
	row := submissionRow{ID: x.ID, UserID: x.UserID, Status: x.Status, Country: x.Country, DocumentID: x.DocumentID,
		SelfieID: x.SelfieID, SubmittedAt: x.SubmittedAt, DecidedAt: x.DecidedAt, DecidedBy: x.DecidedBy,
		Reason: x.Reason}
	// Guarded: kyc_submissions_pending_idx would otherwise abort the
	// caller's transaction along with the CONFLICT.
	return guarded(ctx, s.db, func(db bun.IDB) error {
		_, err := db.NewInsert().Model(&row).Exec(ctx)
		return mapErr(err)
	})
}

func (s *KYCStore) GetSubmission(ctx context.Context, id uuid.UUID) (ports.KYCSubmission, error) {
	var row submissionRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return ports.KYCSubmission{}, mapErr(err)
	}
	return row.toPort(), nil
}

func (s *KYCStore) LatestSubmission(ctx context.Context, userID uuid.UUID) (ports.KYCSubmission, error) {
	var row submissionRow
	err := conn(ctx, s.db).NewSelect().Model(&row).Where("user_id = ?", userID).
		OrderExpr("submitted_at DESC, id DESC").Limit(1).Scan(ctx)
	if err != nil {
		return ports.KYCSubmission{}, mapErr(err)
	}
	return row.toPort(), nil
}

// ListSubmissions is one keyset query on (submitted_at, id), oldest first;
// the cursor row itself is not repeated. The limit is bounded to 1000
// (100 when not positive).
func (s *KYCStore) ListSubmissions(ctx context.Context, q ports.SubmissionQuery) ([]ports.KYCSubmission, error) {
	var rows []submissionRow
	sel := conn(ctx, s.db).NewSelect().Model(&rows)
	if q.Status != "" {
		sel = sel.Where("status = ?", q.Status)
	}
	if q.Country != "" {
		sel = sel.Where("country = ?", q.Country)
	}
	if q.From != nil {
		sel = sel.Where("submitted_at >= ?", *q.From)
	}
	if q.To != nil {
		sel = sel.Where("submitted_at < ?", *q.To)
	}
	if q.After != nil {
		sel = sel.Where("(submitted_at, id) > (?, ?)", q.After.SubmittedAt, q.After.ID)
	}
	if err := sel.OrderExpr("submitted_at, id").Limit(int64(pageLimit(q.Limit))).Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return submissionsToPort(rows), nil
}

// DecideSubmission is one UPDATE guarded by status = 'PENDING': of
// concurrent decisions the first takes the row lock and the others, on
// re-checking the row, find it decided and update nothing (CONFLICT).
func (s *KYCStore) DecideSubmission(ctx context.Context, id uuid.UUID, status, reason string, by uuid.UUID, at time.Time) (ports.KYCSubmission, error) {
	if status != ports.KYCApproved && status != ports.KYCRejected {
		return ports.KYCSubmission{}, fmt.Errorf("postgres: a decision must be APPROVED or REJECTED, not %q", status)
	}
	db := conn(ctx, s.db)
	var rows []submissionRow
	err := db.NewRaw(`UPDATE kyc_submissions SET status = ?, reason = ?, decided_at = ?, decided_by = ?
		WHERE id = ? AND status = 'PENDING' RETURNING *`, status, reason, at, by, id).Scan(ctx, &rows)
	if err != nil {
		return ports.KYCSubmission{}, mapErr(err)
	}
	if len(rows) == 0 {
		return ports.KYCSubmission{}, conflictOrNotFound(ctx, db, "kyc_submissions", id, "the submission is already decided")
	}
	return rows[0].toPort(), nil
}

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

func (r labelRow) toPort() ports.Label {
	return ports.Label{UserID: r.UserID, Key: r.Key, Value: r.Value, Scope: r.Scope, Description: r.Description,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func (s *KYCStore) GetLabel(ctx context.Context, userID uuid.UUID, key string) (ports.Label, error) {
	var row labelRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("user_id = ? AND key = ?", userID, key).Scan(ctx); err != nil {
		return ports.Label{}, mapErr(err)
	}
	return row.toPort(), nil
}

// SetLabel is one upsert; CreatedAt is kept on replace.
func (s *KYCStore) SetLabel(ctx context.Context, l ports.Label) (ports.Label, error) {
	var rows []labelRow
	err := conn(ctx, s.db).NewRaw(`INSERT INTO labels (user_id, key, value, scope, description, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id, key) DO UPDATE SET value = EXCLUDED.value, scope = EXCLUDED.scope,
			description = EXCLUDED.description, updated_at = EXCLUDED.updated_at
		RETURNING *`, l.UserID, l.Key, l.Value, l.Scope, l.Description, l.CreatedAt, l.UpdatedAt).Scan(ctx, &rows)
	if err != nil {
		return ports.Label{}, mapErr(err)
	}
	if len(rows) == 0 {
		return ports.Label{}, fmt.Errorf("postgres: label upsert returned no row")
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

func (s *KYCStore) ListLabels(ctx context.Context, userID uuid.UUID) ([]ports.Label, error) {
	var rows []labelRow
	if err := conn(ctx, s.db).NewSelect().Model(&rows).Where("user_id = ?", userID).
		OrderExpr(`key COLLATE "C"`).Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	out := make([]ports.Label, len(rows))
	for i, r := range rows {
		out[i] = r.toPort()
	}
	return out, nil
}

type levelRuleRow struct {
	bun.BaseModel `bun:"table:level_rules"`

	Level       int    `bun:"level,pk"`
	Key         string `bun:"key,pk"`
	Value       string `bun:"value"`
	Description string `bun:"description"`
}

func (s *KYCStore) LevelRules(ctx context.Context) ([]ports.LevelRule, error) {
	var rows []levelRuleRow
	if err := conn(ctx, s.db).NewSelect().Model(&rows).OrderExpr(`level, key COLLATE "C"`).Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	out := make([]ports.LevelRule, len(rows))
	for i, r := range rows {
		out[i] = ports.LevelRule{Level: r.Level, Key: r.Key, Value: r.Value, Description: r.Description}
	}
	return out, nil
}

// --- phones

type phoneRow struct {
	bun.BaseModel `bun:"table:kyc_phones"`

	ID         uuid.UUID  `bun:"id,pk,type:uuid"`
	UserID     uuid.UUID  `bun:"user_id,type:uuid"`
	Number     string     `bun:"number"`
	VerifiedAt *time.Time `bun:"verified_at"`
	CreatedAt  time.Time  `bun:"created_at"`
}

func (r phoneRow) toPort() ports.KYCPhone {
	return ports.KYCPhone{ID: r.ID, UserID: r.UserID, Number: r.Number, VerifiedAt: r.VerifiedAt, CreatedAt: r.CreatedAt}
}

// AddPhone inserts the number unverified, or returns the user's record of
// it. The second SELECT covers a record committed by a concurrent
// transaction after the first statement's snapshot.
func (s *KYCStore) AddPhone(ctx context.Context, p ports.KYCPhone) (ports.KYCPhone, error) {
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
		return ports.KYCPhone{}, mapErr(err)
	}
	if len(rows) == 0 {
		var row phoneRow
		if err := db.NewSelect().Model(&row).Where("user_id = ? AND number = ?", p.UserID, p.Number).Scan(ctx); err != nil {
			return ports.KYCPhone{}, mapErr(err)
		}
		return row.toPort(), nil
	}
	return rows[0].toPort(), nil
}

// VerifyPhone is one upsert; an already verified record keeps its time. A
// number verified by another user violates kyc_phones_verified_idx, which
// mapErr reports as a CONFLICT on "phone".
func (s *KYCStore) VerifyPhone(ctx context.Context, userID uuid.UUID, number string, at time.Time) (ports.KYCPhone, error) {
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
		return ports.KYCPhone{}, mapErr(err)
	}
	if len(rows) == 0 {
		return ports.KYCPhone{}, &ports.Error{Code: ports.CodeConflict, Message: "already exists",
			Fields: map[string]string{"phone": "is verified by another account"}}
	}
	return rows[0].toPort(), nil
}

func (s *KYCStore) ListPhones(ctx context.Context, userID uuid.UUID) ([]ports.KYCPhone, error) {
	var rows []phoneRow
	if err := conn(ctx, s.db).NewSelect().Model(&rows).Where("user_id = ?", userID).
		OrderExpr("created_at, id").Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	out := make([]ports.KYCPhone, len(rows))
	for i, r := range rows {
		out[i] = r.toPort()
	}
	return out, nil
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

func (r dataRecordRow) toPort() ports.DataRecord {
	return ports.DataRecord{UserID: r.UserID, Title: r.Title, Data: jsonRaw(r.Data), CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt}
}

// PutDataRecord is one upsert; CreatedAt is kept on replace. Data must be
// a JSON object (an empty one is refused by the column).
func (s *KYCStore) PutDataRecord(ctx context.Context, r ports.DataRecord) (ports.DataRecord, error) {
	var rows []dataRecordRow
	err := conn(ctx, s.db).NewRaw(`INSERT INTO data_records (user_id, title, data, created_at, updated_at)
		VALUES (?, ?, ?::jsonb, ?, ?)
		ON CONFLICT (user_id, title) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at
		RETURNING *`, r.UserID, r.Title, string(r.Data), r.CreatedAt, r.UpdatedAt).Scan(ctx, &rows)
	if err != nil {
		return ports.DataRecord{}, mapErr(err)
	}
	if len(rows) == 0 {
		return ports.DataRecord{}, fmt.Errorf("postgres: data record upsert returned no row")
	}
	return rows[0].toPort(), nil
}

func (s *KYCStore) ListDataRecords(ctx context.Context, userID uuid.UUID) ([]ports.DataRecord, error) {
	var rows []dataRecordRow
	if err := conn(ctx, s.db).NewSelect().Model(&rows).Where("user_id = ?", userID).
		OrderExpr(`title COLLATE "C"`).Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	out := make([]ports.DataRecord, len(rows))
	for i, r := range rows {
		out[i] = r.toPort()
	}
	return out, nil
}

func (s *KYCStore) DeleteDataRecord(ctx context.Context, userID uuid.UUID, title string) (bool, error) {
	res, err := conn(ctx, s.db).NewRaw(`DELETE FROM data_records WHERE user_id = ? AND title = ?`, userID, title).Exec(ctx)
	if err != nil {
		return false, mapErr(err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// --- PIN resets

type pinResetRow struct {
	bun.BaseModel `bun:"table:pin_resets"`

	ID           uuid.UUID  `bun:"id,pk,type:uuid"`
	UserID       uuid.UUID  `bun:"user_id,type:uuid"`
	TicketHash   []byte     `bun:"ticket_hash"`
	Status       string     `bun:"status"`
	DocumentID   *uuid.UUID `bun:"document_id,type:uuid"`
	DocUploaded  bool       `bun:"document_uploaded,notnull"`
	SelfieFileID *uuid.UUID `bun:"selfie_file_id,type:uuid"`
	Reason       string     `bun:"reason"`
	ExpiresAt    time.Time  `bun:"expires_at"`
	CreatedAt    time.Time  `bun:"created_at"`
	DecidedAt    *time.Time `bun:"decided_at"`
	DecidedBy    *uuid.UUID `bun:"decided_by,type:uuid"`
	CompletedAt  *time.Time `bun:"completed_at"`
}

func (r pinResetRow) toPort() ports.PINReset {
	return ports.PINReset{ID: r.ID, UserID: r.UserID, TicketHash: r.TicketHash, Status: r.Status,
		DocumentID: r.DocumentID, DocumentUploaded: r.DocUploaded, SelfieFileID: r.SelfieFileID, Reason: r.Reason,
		ExpiresAt: r.ExpiresAt, CreatedAt: r.CreatedAt, DecidedAt: r.DecidedAt, DecidedBy: r.DecidedBy,
		CompletedAt: r.CompletedAt}
}

func (s *KYCStore) CreatePINReset(ctx context.Context, r ports.PINReset) error {
	row := pinResetRow{ID: r.ID, UserID: r.UserID, TicketHash: r.TicketHash, Status: r.Status,
		DocumentID: r.DocumentID, DocUploaded: r.DocumentUploaded, SelfieFileID: r.SelfieFileID, Reason: r.Reason, ExpiresAt: r.ExpiresAt,
		CreatedAt: r.CreatedAt, DecidedAt: r.DecidedAt, DecidedBy: r.DecidedBy, CompletedAt: r.CompletedAt}
	_, err := conn(ctx, s.db).NewInsert().Model(&row).Exec(ctx)
	return mapErr(err)
}

func (s *KYCStore) GetPINReset(ctx context.Context, id uuid.UUID) (ports.PINReset, error) {
	var row pinResetRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return ports.PINReset{}, mapErr(err)
	}
	return row.toPort(), nil
}

func (s *KYCStore) FindPINReset(ctx context.Context, ticketHash []byte) (ports.PINReset, error) {
	var row pinResetRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("ticket_hash = ?", ticketHash).Scan(ctx); err != nil {
		return ports.PINReset{}, mapErr(err)
	}
	return row.toPort(), nil
}

// TransitionPINReset is one UPDATE guarded by status IN (from); nil and
// empty fields of c keep the stored values.
func (s *KYCStore) TransitionPINReset(ctx context.Context, id uuid.UUID, from []string, c ports.PINResetChange) (ports.PINReset, error) {
	if c.Status == "" {
		return ports.PINReset{}, fmt.Errorf("postgres: a PIN reset transition needs a status")
	}
	db := conn(ctx, s.db)
	const msg = "the PIN reset is not in a state that allows this"
	if len(from) == 0 {
		return ports.PINReset{}, conflictOrNotFound(ctx, db, "pin_resets", id, msg)
	}
	var rows []pinResetRow
	err := db.NewRaw(`UPDATE pin_resets SET status = ?,
			document_id = COALESCE(?::uuid, document_id),
			document_uploaded = document_uploaded OR ?,
			selfie_file_id = COALESCE(?::uuid, selfie_file_id),
			reason = COALESCE(NULLIF(?, ''), reason),
			decided_at = COALESCE(?::timestamptz, decided_at),
			decided_by = COALESCE(?::uuid, decided_by),
			completed_at = COALESCE(?::timestamptz, completed_at)
		WHERE id = ? AND status IN (?) RETURNING *`,
		c.Status, c.DocumentID, c.DocumentUploaded, c.SelfieFileID, c.Reason, c.DecidedAt, c.DecidedBy, c.CompletedAt,
		id, bun.In(from)).Scan(ctx, &rows)
	if err != nil {
		return ports.PINReset{}, mapErr(err)
	}
	if len(rows) == 0 {
		return ports.PINReset{}, conflictOrNotFound(ctx, db, "pin_resets", id, msg)
	}
	return rows[0].toPort(), nil
}

func (s *KYCStore) OpenPINResetsOf(ctx context.Context, userID uuid.UUID) ([]ports.PINReset, error) {
	var rows []pinResetRow
	err := conn(ctx, s.db).NewSelect().Model(&rows).Where("user_id = ?", userID).
		Where("status IN (?)", bun.In(openPINResetStatuses)).OrderExpr("created_at, id").Scan(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]ports.PINReset, len(rows))
	for i, r := range rows {
		out[i] = r.toPort()
	}
	return out, nil
}

// openPINResetStatuses are the statuses of a reset still under way.
var openPINResetStatuses = []string{ports.PINResetDocumentRequired, ports.PINResetSelfieRequired,
	ports.PINResetPendingReview, ports.PINResetApproved}

// ListPINResets is one keyset query on (created_at, id), oldest first,
// bounded like ListSubmissions.
func (s *KYCStore) ListPINResets(ctx context.Context, status string, after *ports.SubmissionCursor, limit int) ([]ports.PINReset, error) {
	var rows []pinResetRow
	sel := conn(ctx, s.db).NewSelect().Model(&rows).Where("status = ?", status)
	if after != nil {
		sel = sel.Where("(created_at, id) > (?, ?)", after.SubmittedAt, after.ID)
	}
	if err := sel.OrderExpr("created_at, id").Limit(int64(pageLimit(limit))).Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	out := make([]ports.PINReset, len(rows))
	for i, r := range rows {
		out[i] = r.toPort()
	}
	return out, nil
}
