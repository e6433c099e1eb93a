// Package secrets hashes low-entropy secrets (PINs, passwords) with argon2id.
package secrets

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/alexedwards/argon2id"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.SecretHasher = (*Argon2Hasher)(nil)

// Argon2Hasher implements ports.SecretHasher. Each argon2id run allocates
// Params.Memory KiB, so every call first takes a slot of a semaphore: at most
// concurrency hashes run at once and a burst of logins queues instead of
// exhausting memory.
type Argon2Hasher struct {
	params argon2id.Params
	sem    chan struct{}

	// OnWait, if set, is called after each slot is acquired with how long
	// the call waited (zero when a slot was free), e.g. to feed a metric.
	// Set it before the hasher is shared.
	OnWait func(time.Duration)

	dummyOnce sync.Once
	dummy     string
}

// NewArgon2Hasher returns a hasher using p (argon2id.DefaultParams if nil)
// that runs at most concurrency hashes at once (runtime.NumCPU() if <= 0).
func NewArgon2Hasher(p *argon2id.Params, concurrency int) *Argon2Hasher {
	if p == nil {
		p = argon2id.DefaultParams
	}
	if concurrency <= 0 {
		concurrency = runtime.NumCPU()
	}
	// Copy the params: argon2id.DefaultParams is a mutable package variable.
	return &Argon2Hasher{params: *p, sem: make(chan struct{}, concurrency)}
}

// acquire takes a semaphore slot, or returns ctx's error if ctx ends first.
// The caller must call release after a nil return.
func (h *Argon2Hasher) acquire(ctx context.Context) error {
	// Checked first so a cancelled caller never starts work, even when a
	// slot happens to be free (select picks at random among ready cases).
	if err := ctx.Err(); err != nil {
		return err
	}
	start := time.Now()
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	if h.OnWait != nil {
		h.OnWait(time.Since(start))
	}
	return nil
}

func (h *Argon2Hasher) release() { <-h.sem }

// Hash returns an encoded argon2id hash of secret with a fresh random salt.
func (h *Argon2Hasher) Hash(ctx context.Context, secret string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	hash, err := argon2id.CreateHash(secret, &h.params)
	if err != nil {
		return "", fmt.Errorf("secrets: hash: %w", err)
	}
	return hash, nil
}

// Verify reports whether secret matches hash. The parameters come from the
// encoded hash, so hashes made with older parameters still verify.
func (h *Argon2Hasher) Verify(ctx context.Context, secret, hash string) (bool, error) {
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	ok, err := argon2id.ComparePasswordAndHash(secret, hash)
	if err != nil {
		return false, fmt.Errorf("secrets: verify: %w", err)
	}
	return ok, nil
}

// Burn does the work of a Verify against a dummy hash made with the same
// parameters, so "no such user" takes as long as "wrong secret".
func (h *Argon2Hasher) Burn(ctx context.Context, secret string) {
	if h.acquire(ctx) != nil {
		return
	}
	defer h.release()
	// Made lazily, inside the slot, so a process that never burns never pays
	// for it and the one-off cost still respects the memory bound.
	h.dummyOnce.Do(func() {
		h.dummy, _ = argon2id.CreateHash("gatehouse-dummy-secret", &h.params)
	})
	if h.dummy != "" {
		_, _ = argon2id.ComparePasswordAndHash(secret, h.dummy)
	}
}
