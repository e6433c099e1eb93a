package ports

import (
	"context"
	"io"
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
