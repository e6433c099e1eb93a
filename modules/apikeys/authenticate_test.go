package apikeys_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/apikeys"
	"github.com/gatehouse/gatehouse/modules/apikeys/apikeystest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

func TestASignedRequestIsTheOwnerWithTheKeysScopes(t *testing.T) {
	e := newEnv(t)
	c := e.create("read")
	owner, p, err := e.call(c, c.Secret, e.nonce(0))
	require.NoError(t, err)
	require.Equal(t, e.user, owner)
	require.Equal(t, ports.Program{Kind: ports.ProgramAPIKey, ID: c.Key.ID.String(), Scopes: []string{"read"}}, p)
	// A clock a little off either way still signs.
	for _, skew := range []time.Duration{-29 * time.Second, 29 * time.Second} {
		_, _, err := e.call(c, c.Secret, e.nonce(skew))
		require.NoError(t, err, "skew %s", skew)
	}
}

func TestSignedRequestsAreRefusedWithTheirOwnReasons(t *testing.T) {
	e := newEnv(t)
	c := e.create("read", "write")
	id := c.Key.ID.String()
	ctx := context.Background()

	n := e.nonce(0)
	_, _, err := e.call(c, "not-the-secret", n)
	errtest.Code(t, err, ports.CodeUnauthenticated)
	require.Equal(t, apikeys.ReasonSignatureInvalid, reason(t, err))
	_, _, err = e.call(c, c.Secret, n)
	require.NoError(t, err, "a wrong signature did not burn the nonce")
	_, _, err = e.call(c, c.Secret, n)
	errtest.Code(t, err, ports.CodeUnauthenticated)
	require.Equal(t, apikeys.ReasonNonceReplayed, reason(t, err))

	for _, skew := range []time.Duration{-31 * time.Second, 31 * time.Second} {
		_, _, err = e.call(c, c.Secret, e.nonce(skew))
		errtest.Code(t, err, ports.CodeUnauthenticated)
		require.Equal(t, apikeys.ReasonNonceStale, reason(t, err), "skew %s", skew)
	}

	unknown := c
	unknown.Key.ID = uuid.New()
	_, _, err = e.call(unknown, c.Secret, e.nonce(0))
	require.Equal(t, apikeys.ReasonKeyUnknown, reason(t, err))

	// An upper-case signature is the same signature.
	n = e.nonce(time.Millisecond)
	_, _, err = e.auth.Authenticate(ctx, id, n, strings.ToUpper(apikeys.Signature(c.Secret, n, id)))
	require.NoError(t, err)

	off := apikeys.Disabled
	_, err = e.keys.Update(e.as(e.user), apikeys.Update{KeyID: c.Key.ID, State: &off, TOTPCode: goodCode})
	require.NoError(t, err)
	_, _, err = e.call(c, c.Secret, e.nonce(2*time.Millisecond))
	errtest.Code(t, err, ports.CodeUnauthenticated)
	require.Equal(t, apikeys.ReasonKeyDisabled, reason(t, err))
	// Who cannot sign is not told the key is disabled.
	_, _, err = e.call(c, "guess", e.nonce(3*time.Millisecond))
	require.Equal(t, apikeys.ReasonSignatureInvalid, reason(t, err))
}

func TestMalformedHeadersNameTheHeader(t *testing.T) {
	e := newEnv(t)
	_, _, err := e.auth.Authenticate(context.Background(), "key-1", "12a", strings.Repeat("z", 64))
	fields := errtest.Fields(t, err)
	require.Contains(t, fields, "X-Api-Key")
	require.Contains(t, fields, "X-Api-Nonce")
	require.Contains(t, fields, "X-Api-Signature")
}

// TestWrongSignaturesHitTheKeysLimitButTheHolderStillSigns: past the
// limit a prober is answered RATE_LIMITED; the holder's right signatures
// still pass, so nobody can lock a bot out by knowing its key id.
func TestWrongSignaturesHitTheKeysLimitButTheHolderStillSigns(t *testing.T) {
	e := newEnv(t)
	c := e.create("read")
	for i := range e.cfg.BadSignaturesPer15Min {
		_, _, err := e.call(c, "guess", e.nonce(time.Duration(i)*time.Millisecond))
		require.Equal(t, apikeys.ReasonSignatureInvalid, reason(t, err))
	}
	_, _, err := e.call(c, "guess", e.nonce(time.Second))
	errtest.Code(t, err, ports.CodeRateLimited)
	require.Equal(t, apikeys.ReasonSignatureLimit, reason(t, err))
	_, _, err = e.call(c, c.Secret, e.nonce(2*time.Second))
	require.NoError(t, err)
}

func TestParallelRequestsWithOneNonceLetExactlyOneThrough(t *testing.T) {
	e := newEnv(t)
	c := e.create("read")
	n := e.nonce(0)
	var ok atomic.Int32
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := e.call(c, c.Secret, n); err == nil {
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	require.EqualValues(t, 1, ok.Load())
}

func TestSpentNoncesAreForgottenAfterTheirWindow(t *testing.T) {
	e := newEnv(t)
	c := e.create("read")
	for i := range 5 {
		_, _, err := e.call(c, c.Secret, e.nonce(time.Duration(i)*time.Millisecond))
		require.NoError(t, err)
	}
	require.Equal(t, 5, e.store.NonceCount(c.Key.ID))
	// Kept a window past their expiry (instances' clocks differ), then
	// forgotten.
	e.clock.Advance(time.Minute)
	_, _, err := e.call(c, c.Secret, e.nonce(0))
	require.NoError(t, err)
	require.Equal(t, 6, e.store.NonceCount(c.Key.ID), "nonces forgotten before a window past their expiry")
	e.clock.Advance(time.Minute)
	_, _, err = e.call(c, c.Secret, e.nonce(0))
	require.NoError(t, err)
	require.Equal(t, 2, e.store.NonceCount(c.Key.ID), "the nonces long past their window were kept")
}

// TestSignatureIsWhatOpensslComputes pins the documented format: the value
// `printf '%s%s' "$NONCE" "$KEY_ID" | openssl dgst -sha256 -hmac "$SECRET"`
// prints for these (README "Bots: API keys and signed requests").
func TestSignatureIsWhatOpensslComputes(t *testing.T) {
	const secret = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	const nonce, keyID = "1733500000000", "3f0c6c1e-8d1e-4c57-9a38-2f4f1c0d2b11"
	const want = "053a24123ae0b140ff2e2f9a69a23d992d8bbf4a5b0d6eaf4c8383ff6c247123"
	require.Equal(t, want, apikeys.Signature(secret, nonce, keyID))
	require.True(t, apikeys.SignatureMatches(secret, nonce, keyID, want))
	require.False(t, apikeys.SignatureMatches(secret, nonce, keyID, want[:62]+"00"))
	require.False(t, apikeys.SignatureMatches(secret, nonce+"1", keyID, want))
}

// deletingKeys deletes the key right after a request has read it: its
// owner deleted it while the request was on its way.
type deletingKeys struct {
	*apikeystest.Store
	owner uuid.UUID
}

func (d deletingKeys) Get(ctx context.Context, id uuid.UUID) (apikeys.Key, error) {
	k, err := d.Store.Get(ctx, id)
	if err == nil {
		err = d.Store.Delete(ctx, d.owner, id)
	}
	return k, err
}

func TestAKeyDeletedMidRequestIsUnknownNotAFailure(t *testing.T) {
	e := newEnv(t)
	c := e.create("read")
	auth := apikeys.NewAuthenticator(e.cfg, deletingKeys{e.store, e.user}, e.store, portsfake.NewSecretBox(),
		portsfake.NewRateLimiter(e.clock), e.clock)
	id := c.Key.ID.String()
	n := e.nonce(0)
	_, _, err := auth.Authenticate(context.Background(), id, n, apikeys.Signature(c.Secret, n, id))
	errtest.Code(t, err, ports.CodeUnauthenticated)
	require.Equal(t, apikeys.ReasonKeyUnknown, reason(t, err))
}

// TestAReplayIsRefusedByAnInstanceWhoseClockIsBehind: instances share the
// spent nonces, not their clocks. An instance a little ahead forgets a
// nonce as soon as it is past the window by its own clock; were that all
// it took, one a little behind, still within the window by its clock,
// would take the nonce again: a captured request replayed.
func TestAReplayIsRefusedByAnInstanceWhoseClockIsBehind(t *testing.T) {
	e := newEnv(t) // e.clock is the instance that is behind
	c := e.create("read")
	ahead := clock.NewManual(e.clock.Now().Add(2 * time.Second))
	other := apikeys.NewAuthenticator(e.cfg, e.store, e.store, portsfake.NewSecretBox(), portsfake.NewRateLimiter(ahead), ahead)
	id := c.Key.ID.String()

	captured := e.nonce(0)
	_, _, err := e.call(c, c.Secret, captured)
	require.NoError(t, err)
	// 29 s on, the bot's next request reaches the instance ahead (31 s on
	// by its clock), which forgets what has expired by then.
	e.clock.Advance(29 * time.Second)
	ahead.Advance(29 * time.Second)
	next := strconv.FormatInt(ahead.Now().UnixMilli(), 10)
	_, _, err = other.Authenticate(context.Background(), id, next, apikeys.Signature(c.Secret, next, id))
	require.NoError(t, err)
	// The captured request, replayed to the instance behind: 29.5 s old
	// by its clock, within the window.
	e.clock.Advance(500 * time.Millisecond)
	_, _, err = e.call(c, c.Secret, captured)
	errtest.Code(t, err, ports.CodeUnauthenticated)
	require.Equal(t, apikeys.ReasonNonceReplayed, reason(t, err))
}

// ctxLimiter is a rate limiter that, like the database's, cannot count
// for a request whose context has ended.
type ctxLimiter struct{ ports.RateLimiter }

func (l ctxLimiter) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return false, 0, ports.Unavailable(err)
	}
	return l.RateLimiter.Allow(ctx, key, limit, window)
}

// hangingUp is a key store whose caller hangs up right after the key is
// read.
type hangingUp struct {
	*apikeystest.Store
	cancel context.CancelFunc
}

func (h hangingUp) Get(ctx context.Context, id uuid.UUID) (apikeys.Key, error) {
	k, err := h.Store.Get(ctx, id)
	h.cancel()
	return k, err
}

// TestWrongSignaturesOfClientsThatHangUpStillCount: hanging up once the
// signature is being checked is no way around the key's limit.
func TestWrongSignaturesOfClientsThatHangUpStillCount(t *testing.T) {
	e := newEnv(t)
	c := e.create("read")
	id := c.Key.ID.String()
	for i := range e.cfg.BadSignaturesPer15Min + 1 {
		ctx, cancel := context.WithCancel(context.Background())
		auth := apikeys.NewAuthenticator(e.cfg, hangingUp{e.store, cancel}, e.store, portsfake.NewSecretBox(),
			ctxLimiter{e.limiter}, e.clock)
		n := e.nonce(time.Duration(i) * time.Millisecond)
		_, _, err := auth.Authenticate(ctx, id, n, apikeys.Signature("a guess", n, id))
		if i < e.cfg.BadSignaturesPer15Min {
			require.Equal(t, apikeys.ReasonSignatureInvalid, reason(t, err), "guess %d", i)
		} else {
			require.Equal(t, apikeys.ReasonSignatureLimit, reason(t, err), "guess %d", i)
		}
	}
}
