// Package secrets hashes low-entropy secrets (PINs, passwords) with argon2id.
package secrets

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
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
//
// The semaphore bounds the runs, not the memory: golang.org/x/crypto/argon2
// allocates each run's blocks itself (no way to hand it a buffer), and the
// garbage collector, pacing itself on the live heap, lets finished runs'
// blocks pile up to twice the heap before it looks; a GOMEMLIMIT does not
// stop that, as one 64 MiB allocation overshoots it. So a run of
// CollectAtKiB or more is collected before its slot is freed: the next run
// reuses its pages, and the process holds at most concurrency runs'
// blocks. With 2 slots of 64 MiB, 8 sign-ins at once under `make load`
// peaked at 364 MiB of RSS without this and 173 MiB with it (one at a
// time: 235 and 108), at the same sign-ins a second (busy machine);
// BenchmarkArgon2Verify compares the two. The collection runs after the
// call has returned (see release), so it costs the caller no time.
//
// While such a run holds a slot, the collector's own pacing is switched
// off (debug.SetGCPercent(-1), restored a second after the last one's
// collection has ended): with a live heap of ~10 MiB, each 64 MiB allocation overshot the
// paced goal and started a collection of its own on top of the forced one,
// about twice the collections a sign-in needs. The forced collections
// still collect everything (the read path's garbage too) once per run, and
// the memory limit stays in force. Quiet machine, `make load` PIN sign-ins
// at 16 connections: 30–33/s at 230–241 MiB with the pacing on, 36/s at
// 186 MiB with it off during runs (GOGC=off gave the same).
type Argon2Hasher struct {
	params argon2id.Params
	sem    chan struct{}

	// CollectAtKiB is the smallest run (memory parameter, KiB) collected
	// before its slot is freed (0: none); NewArgon2Hasher sets 16 MiB, so
	// tests' cheap hashes never pay for a collection. Set it before the
	// hasher is shared.
	CollectAtKiB uint32

	// OnWait, if set, is called after each slot is acquired with how long
	// the call waited (zero when a slot was free), e.g. to feed a metric.
	// Set it before the hasher is shared.
	OnWait func(time.Duration)

	collect      func()        // runtime.GC; tests replace it
	setGCPercent func(int) int // debug.SetGCPercent; tests replace it

	// pacingHold is how long the pacing stays off after the last
	// collected run, so a stream of sign-ins does not switch it at every
	// gap (each switch back on started a collection of its own).
	pacingHold time.Duration

	// paced: runs of CollectAtKiB or more holding a slot (their
	// collection included); off: the pacing is off, pacing the percent to
	// restore; restore: the pending switch back.
	pacingMu sync.Mutex
	paced    int
	off      bool
	pacing   int
	restore  *time.Timer

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
	return &Argon2Hasher{params: *p, sem: make(chan struct{}, concurrency), CollectAtKiB: 16 * 1024,
		collect: runtime.GC, setGCPercent: debug.SetGCPercent, pacingHold: time.Second}
}

// collected reports whether a run of memKiB is collected when it ends.
func (h *Argon2Hasher) collected(memKiB uint32) bool {
	return h.CollectAtKiB > 0 && memKiB >= h.CollectAtKiB
}

// acquire takes a semaphore slot for a run of memKiB, or returns ctx's
// error if ctx ends first. The caller must call release after a nil
// return.
func (h *Argon2Hasher) acquire(ctx context.Context, memKiB uint32) error {
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
	if h.collected(memKiB) {
		h.pausePacing()
	}
	return nil
}

// pausePacing switches the collector's pacing off for a collected run
// (see Argon2Hasher), unless it is off already.
func (h *Argon2Hasher) pausePacing() {
	h.pacingMu.Lock()
	defer h.pacingMu.Unlock()
	h.paced++
	if h.restore != nil {
		h.restore.Stop()
		h.restore = nil
	}
	if !h.off {
		h.pacing, h.off = h.setGCPercent(-1), true
	}
}

// resumePacing is called when a collected run's collection has ended:
// after the last, the pacing found is restored once pacingHold has passed
// without another.
func (h *Argon2Hasher) resumePacing() {
	h.pacingMu.Lock()
	defer h.pacingMu.Unlock()
	if h.paced--; h.paced > 0 {
		return
	}
	h.restore = time.AfterFunc(h.pacingHold, func() {
		h.pacingMu.Lock()
		defer h.pacingMu.Unlock()
		// A run that started after the timer fired holds the pacing off.
		if h.paced == 0 && h.off {
			h.setGCPercent(h.pacing)
			h.off = false
		}
	})
}

// release frees the slot of a run of memKiB, collecting its blocks first
// when it was big enough (see CollectAtKiB). The collection keeps the
// slot but not the caller: it runs on a goroutine of its own, which frees
// the slot when it is done, so the caller answers its client (the
// statements and token after a sign-in's hash) while it runs instead of
// after. It changes what a sign-in waits for, not the throughput: with
// every core busy the collection costs the same CPU wherever it runs.
// Measured under `make load` (busy machine, 3 pairs each): PIN sign-ins
// at 16 connections 32–34/s before and after; at one connection 26–28 →
// 27–29/s.
func (h *Argon2Hasher) release(memKiB uint32) {
	if h.collected(memKiB) {
		go func() {
			h.collect()
			h.resumePacing()
			<-h.sem
		}()
		return
	}
	<-h.sem
}

// Hash returns an encoded argon2id hash of secret with a fresh random salt.
func (h *Argon2Hasher) Hash(ctx context.Context, secret string) (string, error) {
	if err := h.acquire(ctx, h.params.Memory); err != nil {
		return "", err
	}
	defer h.release(h.params.Memory)
	hash, err := argon2id.CreateHash(secret, &h.params)
	if err != nil {
		return "", fmt.Errorf("secrets: hash: %w", err)
	}
	return hash, nil
}

// Verify reports whether secret matches hash. The parameters come from the
// encoded hash, so hashes made with older parameters still verify.
func (h *Argon2Hasher) Verify(ctx context.Context, secret, hash string) (bool, error) {
	// The run's size comes from the hash (0, never collected, if it does
	// not decode: then nothing runs).
	p, _, _, _ := argon2id.DecodeHash(hash)
	var memKiB uint32
	if p != nil {
		memKiB = p.Memory
	}
	if err := h.acquire(ctx, memKiB); err != nil {
		return false, err
	}
	defer h.release(memKiB)
	ok, err := argon2id.ComparePasswordAndHash(secret, hash)
	if err != nil {
		return false, fmt.Errorf("secrets: verify: %w", err)
	}
	return ok, nil
}

// Burn does the work of a Verify against a dummy hash made with the same
// parameters, so "no such user" takes as long as "wrong secret".
func (h *Argon2Hasher) Burn(ctx context.Context, secret string) {
	if h.acquire(ctx, h.params.Memory) != nil {
		return
	}
	defer h.release(h.params.Memory)
	// Made lazily, inside the slot, so a process that never burns never pays
	// for it and the one-off cost still respects the memory bound.
	h.dummyOnce.Do(func() {
		h.dummy, _ = argon2id.CreateHash("gatehouse-dummy-secret", &h.params)
	})
	if h.dummy != "" {
		_, _ = argon2id.ComparePasswordAndHash(secret, h.dummy)
	}
}
