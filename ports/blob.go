package ports

import "context"

// BlobStore keeps opaque objects (KYC files) under keys chosen by the
// caller. Objects are written once; a key is never reused.
type BlobStore interface {
	// Put stores data under key, replacing nothing: the key is new.
	Put(ctx context.Context, key string, data []byte) error
	// Get returns the object; ErrNotFound when there is none.
	Get(ctx context.Context, key string) ([]byte, error)
	// Delete removes the object; a missing object is not an error.
	Delete(ctx context.Context, key string) error
}
