package ports

import "context"

// SecretHasher hashes and checks low-entropy secrets (PINs, passwords) with
// a slow, memory-hard function. Implementations bound how many hashes run
// at once; ctx cancels the wait for a slot.
type SecretHasher interface {
	Hash(ctx context.Context, secret string) (string, error)
	// Verify reports whether secret matches hash.
	Verify(ctx context.Context, secret, hash string) (bool, error)
	// Burn spends the same work as a Verify against a dummy hash, so that
	// callers can keep timing uniform when there is nothing to compare.
	Burn(ctx context.Context, secret string)
}
