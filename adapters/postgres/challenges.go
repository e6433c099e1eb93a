package postgres

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/otp"
)

type challengeRow struct {
	bun.BaseModel `bun:"table:otp_challenges"`

	ID          uuid.UUID         `bun:"id,pk,type:uuid"`
	Purpose     string            `bun:"purpose"`
	Channel     string            `bun:"channel"`
	Destination string            `bun:"destination"`
	CodeMAC     []byte            `bun:"code_mac"`
	Attempts    int               `bun:"attempts"`
	MaxAttempts int               `bun:"max_attempts"`
	Sends       int               `bun:"sends"`
	Metadata    map[string]string `bun:"metadata,type:jsonb"`
	ExpiresAt   time.Time         `bun:"expires_at"`
	ResendAfter time.Time         `bun:"resend_after"`
	ConsumedAt  *time.Time        `bun:"consumed_at"`
	CreatedAt   time.Time         `bun:"created_at"`
	Budget      string            `bun:"budget"`
	Client      string            `bun:"client"`
}

// ChallengeStore implements otp.Store.
type ChallengeStore struct{ db *bun.DB }

var _ otp.Store = (*ChallengeStore)(nil)

// NewChallengeStore returns a store over db.
func NewChallengeStore(db *bun.DB) *ChallengeStore { return &ChallengeStore{db: db} }

func (s *ChallengeStore) Create(ctx context.Context, c otp.Challenge) error {
	row := challengeRow{ID: c.ID, Purpose: string(c.Purpose), Channel: string(c.Channel), Destination: c.Destination,
		CodeMAC: c.CodeMAC, Attempts: c.Attempts, MaxAttempts: c.MaxAttempts, Sends: 1,
		Metadata: nonNil(c.Metadata), ExpiresAt: c.ExpiresAt, ResendAfter: c.ResendAfter, CreatedAt: c.CreatedAt,
		Budget: string(budgetOf(c.Budget)), Client: c.Client}
	db := conn(ctx, s.db)
	if _, err := db.NewInsert().Model(&row).Exec(ctx); err != nil {
		return mapErr(err)
	}
	return s.recordSend(ctx, c.ID, c.Destination, c.CreatedAt, c.Client)
}

// budgetOf is b, or the client's budget when unset (the column's check
// accepts only the two).
func budgetOf(b otp.SendBudget) otp.SendBudget {
	if b == otp.BudgetOwner {
		return b
	}
	return otp.BudgetClient
}

// recordSend records one send, charged to its challenge's budget (read in
// the same statement, so a resend is charged like the first send).
func (s *ChallengeStore) recordSend(ctx context.Context, id uuid.UUID, destination string, sentAt time.Time, client string) error {
	_, err := conn(ctx, s.db).NewRaw(`INSERT INTO otp_sends (destination, challenge_id, sent_at, budget, client)
		SELECT ?, id, ?, budget, ? FROM otp_challenges WHERE id = ?`,
		destination, sentAt, client, id).Exec(ctx)
	return mapErr(err)
}

func (s *ChallengeStore) GetForUpdate(ctx context.Context, id uuid.UUID) (otp.Challenge, error) {
	return s.get(ctx, id, true)
}

// Get implements otp.Store.
func (s *ChallengeStore) Get(ctx context.Context, id uuid.UUID) (otp.Challenge, error) {
	return s.get(ctx, id, false)
}

func (s *ChallengeStore) get(ctx context.Context, id uuid.UUID, lock bool) (otp.Challenge, error) {
	var r challengeRow
	q := conn(ctx, s.db).NewSelect().Model(&r).Where("id = ?", id)
	if lock {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return otp.Challenge{}, mapErr(err)
	}
	return otp.Challenge{ID: r.ID, Purpose: otp.Purpose(r.Purpose), Channel: otp.Channel(r.Channel),
		Destination: r.Destination, CodeMAC: r.CodeMAC, Attempts: r.Attempts, MaxAttempts: r.MaxAttempts,
		Sends: r.Sends, Metadata: r.Metadata, ExpiresAt: r.ExpiresAt, ResendAfter: r.ResendAfter,
		ConsumedAt: r.ConsumedAt, CreatedAt: r.CreatedAt, Budget: otp.SendBudget(r.Budget), Client: r.Client}, nil
}

func (s *ChallengeStore) SetAttempts(ctx context.Context, id uuid.UUID, attempts int) error {
	_, err := conn(ctx, s.db).NewUpdate().Model((*challengeRow)(nil)).
		Set("attempts = ?", attempts).Where("id = ?", id).Exec(ctx)
	return mapErr(err)
}

func (s *ChallengeStore) MarkConsumed(ctx context.Context, id uuid.UUID, at time.Time) (bool, error) {
	res, err := conn(ctx, s.db).NewUpdate().Model((*challengeRow)(nil)).
		Set("consumed_at = ?", at).Where("id = ? AND consumed_at IS NULL", id).Exec(ctx)
	if err != nil {
		return false, mapErr(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

func (s *ChallengeStore) Rearm(ctx context.Context, c otp.Challenge, at time.Time) error {
	_, err := conn(ctx, s.db).NewUpdate().Model((*challengeRow)(nil)).
		Set("code_mac = ?", c.CodeMAC).
		Set("sends = sends + 1").
		Set("expires_at = ?", c.ExpiresAt).
		Set("resend_after = ?", c.ResendAfter).
		Set("client = ?", c.Client).
		Where("id = ? AND consumed_at IS NULL", c.ID).Exec(ctx)
	if err != nil {
		return mapErr(err)
	}
	return s.recordSend(ctx, c.ID, c.Destination, at, c.Client)
}

// LockDestination takes a transaction-scoped advisory lock, so two
// concurrent sends to one phone cannot both pass the hourly limit.
func (s *ChallengeStore) LockDestination(ctx context.Context, destination string) error {
	_, err := conn(ctx, s.db).NewRaw(`SELECT pg_advisory_xact_lock(hashtextextended(?, 7))`, "otp:"+destination).Exec(ctx)
	return mapErr(err)
}

func (s *ChallengeStore) SendsSince(ctx context.Context, q otp.SendQuery) (int, time.Time, error) {
	var out struct {
		Count  int        `bun:"count"`
		Oldest *time.Time `bun:"oldest"`
	}
	sel := conn(ctx, s.db).NewSelect().TableExpr("otp_sends").
		ColumnExpr("count(*) AS count, min(sent_at) AS oldest").Where("sent_at > ?", q.Since)
	if q.Destination != "" {
		sel = sel.Where("destination = ?", q.Destination)
	}
	if q.Budget != "" {
		sel = sel.Where("budget = ?", string(q.Budget))
	}
	if q.Client != "" {
		sel = sel.Where("client = ?", q.Client)
	}
	err := sel.Scan(ctx, &out)
	if err != nil {
		return 0, time.Time{}, mapErr(err)
	}
	if out.Oldest == nil {
		return out.Count, time.Time{}, nil
	}
	return out.Count, *out.Oldest, nil
}
