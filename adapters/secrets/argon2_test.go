package secrets

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cheap keeps the tests fast under -race; the parameters do not matter for
// what is tested here.
var cheap = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

func TestHashVerify(t *testing.T) {
	h := NewArgon2Hasher(cheap, 2)
	ctx := context.Background()

	hash, err := h.Hash(ctx, "482913")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(hash, "$argon2id$"))

	ok, err := h.Verify(ctx, "482913", hash)
	require.NoError(t, err)
	assert.True(t, ok)

	ok, err = h.Verify(ctx, "482914", hash)
	require.NoError(t, err)
	assert.False(t, ok)

	_, err = h.Verify(ctx, "482913", "not-a-hash")
	assert.Error(t, err)
}

func TestHashesAreSalted(t *testing.T) {
	h := NewArgon2Hasher(cheap, 1)
	a, err := h.Hash(context.Background(), "same")
	require.NoError(t, err)
	b, err := h.Hash(context.Background(), "same")
	require.NoError(t, err)
	assert.NotEqual(t, a, b)
}

func TestBurn(t *testing.T) {
	h := NewArgon2Hasher(cheap, 1)
	h.Burn(context.Background(), "x")
	h.Burn(context.Background(), "y")
	assert.True(t, strings.HasPrefix(h.dummy, "$argon2id$v=19$m=1024,t=1,p=1$"))
	assert.Empty(t, h.sem, "Burn must release its slot")
}

func TestDefaults(t *testing.T) {
	h := NewArgon2Hasher(nil, 0)
	assert.Equal(t, *argon2id.DefaultParams, h.params)
	assert.Positive(t, cap(h.sem))
}

func TestConcurrencyLimitWaits(t *testing.T) {
	h := NewArgon2Hasher(cheap, 1)
	var waited atomic.Int64
	h.OnWait = func(d time.Duration) { waited.Store(int64(d)) }

	h.sem <- struct{}{} // another call holds the only slot

	done := make(chan error, 1)
	go func() {
		_, err := h.Hash(context.Background(), "pin")
		done <- err
	}()
	select {
	case <-done:
		t.Fatal("Hash ran while the only slot was taken")
	case <-time.After(50 * time.Millisecond):
	}

	h.release()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Hash did not run after the slot was freed")
	}
	// The call was blocked until release, so it reports a wait (how long
	// depends on scheduling, so no exact figure is asserted).
	assert.Positive(t, time.Duration(waited.Load()))
}

func TestConcurrencyLimitHonoursContext(t *testing.T) {
	h := NewArgon2Hasher(cheap, 1)
	h.sem <- struct{}{}
	defer h.release()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := h.Hash(ctx, "pin")
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "got %v", err)

	cancelled, cancel2 := context.WithCancel(context.Background())
	cancel2()
	_, err = h.Verify(cancelled, "pin", "$argon2id$whatever")
	assert.ErrorIs(t, err, context.Canceled)
	h.Burn(cancelled, "pin") // must return, not block
}

func TestCancelledContextWithFreeSlot(t *testing.T) {
	h := NewArgon2Hasher(cheap, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := h.Hash(ctx, "pin")
	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, h.sem)
}

func BenchmarkArgon2Hash(b *testing.B) {
	h := NewArgon2Hasher(nil, 0)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Hash(ctx, "correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}
