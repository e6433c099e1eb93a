// Package blob implements ports.BlobStore: a local filesystem store, an
// S3-compatible store and an envelope-encrypting wrapper (Sealed) that can
// sit in front of either.
package blob

import (
	"errors"
	"fmt"
	"strings"
)

// MaxKeyLen is the longest object key the stores accept.
const MaxKeyLen = 256

// ErrInvalidKey is returned (wrapped) for an object key that is empty, too
// long, absolute, contains "..", an empty or "." path segment, or a
// character outside [A-Za-z0-9/_.-].
var ErrInvalidKey = errors.New("blob: invalid object key")

// validateKey checks an object key against the rules shared by every store,
// so that a key valid for one store is valid for all of them and can never
// escape the local store's directory.
func validateKey(key string) error {
	if key == "" {
		return fmt.Errorf("%w: empty", ErrInvalidKey)
	}
	if len(key) > MaxKeyLen {
		return fmt.Errorf("%w: longer than %d bytes", ErrInvalidKey, MaxKeyLen)
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '/', c == '_', c == '.', c == '-':
		default:
			return fmt.Errorf("%w: character %q not allowed", ErrInvalidKey, c)
		}
	}
	if strings.Contains(key, "..") {
		return fmt.Errorf("%w: contains \"..\"", ErrInvalidKey)
	}
	if strings.HasPrefix(key, "/") {
		return fmt.Errorf("%w: leading \"/\"", ErrInvalidKey)
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg == "." {
			return fmt.Errorf("%w: empty or \".\" path segment", ErrInvalidKey)
		}
	}
	return nil
}
