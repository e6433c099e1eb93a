package postgres

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/ports"
)

// BlobIntents implements ports.BlobIntents on kyc_blob_intents.
type BlobIntents struct{ db *bun.DB }

var _ ports.BlobIntents = (*BlobIntents)(nil)

// NewBlobIntents returns the intents over db.
func NewBlobIntents(db *bun.DB) *BlobIntents { return &BlobIntents{db: db} }

// Record inserts the intent on the pool, never in the caller's
// transaction, so it is committed before the object is written. The KYC
// service calls it before it opens the transaction that records the file
// (withFiles), so an upload never holds one connection while it waits for
// another.
func (b *BlobIntents) Record(ctx context.Context, key string, at time.Time) error {
	_, err := b.db.NewRaw(`INSERT INTO kyc_blob_intents (blob_key, created_at) VALUES (?, ?)
		ON CONFLICT (blob_key) DO NOTHING`, key, at).Exec(context.WithoutCancel(ctx))
	return mapErr(err)
}

// Done deletes the intent in the caller's transaction.
func (b *BlobIntents) Done(ctx context.Context, key string) error {
	_, err := conn(ctx, b.db).NewRaw(`DELETE FROM kyc_blob_intents WHERE blob_key = ?`, key).Exec(ctx)
	return mapErr(err)
}

// Expired lists the oldest intents recorded before cutoff.
func (b *BlobIntents) Expired(ctx context.Context, cutoff time.Time, limit int) ([]string, error) {
	var keys []string
	err := b.db.NewRaw(`SELECT blob_key FROM kyc_blob_intents WHERE created_at < ?
		ORDER BY created_at, blob_key LIMIT ?`, cutoff, limit).Scan(ctx, &keys)
	return keys, mapErr(err)
}

// Forget deletes the intent on the pool.
func (b *BlobIntents) Forget(ctx context.Context, key string) error {
	_, err := b.db.NewRaw(`DELETE FROM kyc_blob_intents WHERE blob_key = ?`, key).Exec(context.WithoutCancel(ctx))
	return mapErr(err)
}
