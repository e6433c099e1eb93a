package portsfake

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.SecretHasher = (*SecretHasher)(nil)

// hashPrefix marks a fake hash. The "hash" is the secret itself behind the
// prefix: fast for tests, worthless anywhere else.
const hashPrefix = "h:"

// SecretHasher implements ports.SecretHasher without any real hashing:
// Hash(s) is "h:"+s. NEVER use it in production.
type SecretHasher struct {
	burns, verifies atomic.Int64

	// Hold, if set, runs in each Verify before it answers (e.g. to keep
	// checks in flight together). Set it before the hasher is shared.
	Hold func()
}

// NewSecretHasher returns a SecretHasher.
func NewSecretHasher() *SecretHasher { return &SecretHasher{} }

// Hash returns "h:"+secret; like the real hasher it gives up when ctx has
// ended.
func (h *SecretHasher) Hash(ctx context.Context, secret string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return hashPrefix + secret, nil
}

// Verify reports whether hash is Hash(secret); a string that is not a
// fake hash is an error, as a malformed argon2id hash would be.
func (h *SecretHasher) Verify(ctx context.Context, secret, hash string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if !strings.HasPrefix(hash, hashPrefix) {
		return false, errors.New("portsfake: not a fake hash")
	}
	h.verifies.Add(1)
	if h.Hold != nil {
		h.Hold()
	}
	return hash == hashPrefix+secret, nil
}

// Verifies reports how many secrets Verify has checked.
func (h *SecretHasher) Verifies() int { return int(h.verifies.Load()) }

// Burn counts the call (tests check that unknown users still cost a
// verification).
func (h *SecretHasher) Burn(context.Context, string) { h.burns.Add(1) }

// Burns reports how many times Burn was called.
func (h *SecretHasher) Burns() int { return int(h.burns.Load()) }
