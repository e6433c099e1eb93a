package ports

import (
	"context"
	"io"
	"time"
)

// BlobStore keeps opaque objects (KYC files) under keys chosen by the
// caller. Objects are written once; a key is never reused.
type BlobStore interface {
	// Put stores the size bytes read from r under key, replacing nothing:
	// the key is new. The content is streamed, never held whole; a reader
	// that ends before size bytes (or holds more) fails the Put and stores
	// nothing.
	Put(ctx context.Context, key string, r io.Reader, size int64) error
	// Get returns the object; ErrNotFound when there is none.
	Get(ctx context.Context, key string) ([]byte, error)
	// Delete removes the object; a missing object is not an error.
	Delete(ctx context.Context, key string) error
}

// BlobIntents records the blob objects about to be written, so that an
// object whose row never commits (a failed transaction, a crash between
// the write and the commit) is found and deleted instead of orphaned.
type BlobIntents interface {
	// Record notes that key is about to be written, at. It commits at
	// once, outside any transaction ctx carries: the intent must outlive
	// a rollback.
	Record(ctx context.Context, key string, at time.Time) error
	// Done removes the intent of key inside the transaction ctx carries,
	// so it goes exactly when the row that references the object commits.
	Done(ctx context.Context, key string) error
	// Expired lists up to limit keys whose intents were recorded before
	// cutoff, oldest first.
	Expired(ctx context.Context, cutoff time.Time, limit int) ([]string, error)
	// Forget removes the intent of key (its object is gone), outside any
	// transaction.
	Forget(ctx context.Context, key string) error
}
