package blob

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/ports"
)

func randKey(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, 32)
	_, err := rand.Read(k)
	require.NoError(t, err)
	return k
}

func newTestSealed(t *testing.T, inner ports.BlobStore, keys map[string][]byte, current string) *Sealed {
	t.Helper()
	s, err := NewSealed(inner, keys, current)
	require.NoError(t, err)
	return s
}

// The sealed wrapper must itself honour the store contract.
func TestSealedContract(t *testing.T) {
	testBlobStore(t, func(t *testing.T) ports.BlobStore {
		return newTestSealed(t, newTestLocal(t), map[string][]byte{"k1": randKey(t)}, "k1")
	})
}

func TestSealedEncryptsAtRest(t *testing.T) {
	ctx := context.Background()
	inner := newTestLocal(t)
	s := newTestSealed(t, inner, map[string][]byte{"k1": randKey(t)}, "k1")
	require.Equal(t, "k1", s.KeyID())

	plain := bytes.Repeat([]byte("PASSPORT NUMBER X1234567 "), 40)
	require.NoError(t, s.Put(ctx, "kyc/u1/doc", plain))
	require.NoError(t, s.Put(ctx, "kyc/u1/doc2", plain))

	raw, err := inner.Get(ctx, "kyc/u1/doc")
	require.NoError(t, err)
	require.NotEqual(t, plain, raw)
	require.False(t, bytes.Contains(raw, []byte("PASSPORT")), "plaintext visible at rest")
	require.True(t, bytes.HasPrefix(raw, []byte("GHB1")))

	raw2, err := inner.Get(ctx, "kyc/u1/doc2")
	require.NoError(t, err)
	require.NotEqual(t, raw, raw2, "same plaintext must seal differently")

	got, err := s.Get(ctx, "kyc/u1/doc")
	require.NoError(t, err)
	require.Equal(t, plain, got)
}

func TestSealedTamper(t *testing.T) {
	ctx := context.Background()
	inner := newTestLocal(t)
	s := newTestSealed(t, inner, map[string][]byte{"k1": randKey(t)}, "k1")
	require.NoError(t, s.Put(ctx, "doc", []byte("secret content")))
	raw, err := inner.Get(ctx, "doc")
	require.NoError(t, err)

	// Flip each byte in turn: every single change must be detected.
	for i := range raw {
		bad := bytes.Clone(raw)
		bad[i] ^= 0x01
		require.NoError(t, inner.Put(ctx, "doc", bad))
		_, err := s.Get(ctx, "doc")
		require.Error(t, err, "byte %d", i)
		require.True(t, errors.Is(err, ErrSealedCorrupt) || errors.Is(err, ErrUnknownKeyID), "byte %d: %v", i, err)
	}

	for name, bad := range map[string][]byte{
		"empty":           {},
		"plain":           []byte("not sealed at all"),
		"magic only":      []byte("GHB1"),
		"zero id length":  append([]byte("GHB1\x00"), raw[5:]...),
		"truncated":       raw[:len(raw)-1],
		"header only":     raw[:len(raw)-len("secret content")-16],
		"appended":        append(bytes.Clone(raw), 0),
		"wrong version":   append([]byte("GHB2"), raw[4:]...),
		"huge id length":  append([]byte("GHB1\xff"), raw[5:]...),
		"id length short": append([]byte("GHB1\x01"), raw[5:]...),
	} {
		require.NoError(t, inner.Put(ctx, "doc", bad))
		_, err := s.Get(ctx, "doc")
		require.Error(t, err, name)
		require.True(t, errors.Is(err, ErrSealedCorrupt) || errors.Is(err, ErrUnknownKeyID), "%s: %v", name, err)
	}
}

func TestSealedRotation(t *testing.T) {
	ctx := context.Background()
	inner := newTestLocal(t)
	k1, k2 := randKey(t), randKey(t)

	old := newTestSealed(t, inner, map[string][]byte{"k1": k1}, "k1")
	require.NoError(t, old.Put(ctx, "old", []byte("written under k1")))

	rotated := newTestSealed(t, inner, map[string][]byte{"k1": k1, "k2": k2}, "k2")
	require.Equal(t, "k2", rotated.KeyID())
	got, err := rotated.Get(ctx, "old")
	require.NoError(t, err)
	require.Equal(t, "written under k1", string(got))

	require.NoError(t, rotated.Put(ctx, "new", []byte("written under k2")))
	raw, err := inner.Get(ctx, "new")
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(raw, []byte("GHB1\x02k2")))

	// k1 retired: old objects fail clearly, new ones still open.
	retired := newTestSealed(t, inner, map[string][]byte{"k2": k2}, "k2")
	_, err = retired.Get(ctx, "old")
	require.ErrorIs(t, err, ErrUnknownKeyID)
	require.Contains(t, err.Error(), `"k1"`)
	got, err = retired.Get(ctx, "new")
	require.NoError(t, err)
	require.Equal(t, "written under k2", string(got))

	// Same id, different key material: does not open.
	impostor := newTestSealed(t, inner, map[string][]byte{"k1": randKey(t)}, "k1")
	_, err = impostor.Get(ctx, "old")
	require.ErrorIs(t, err, ErrSealedCorrupt)
}

func TestSealedWrongObjectKey(t *testing.T) {
	ctx := context.Background()
	inner := newTestLocal(t)
	s := newTestSealed(t, inner, map[string][]byte{"k1": randKey(t)}, "k1")
	require.NoError(t, s.Put(ctx, "kyc/alice/passport", []byte("alice's passport")))

	raw, err := inner.Get(ctx, "kyc/alice/passport")
	require.NoError(t, err)
	require.NoError(t, inner.Put(ctx, "kyc/mallory/passport", raw))

	_, err = s.Get(ctx, "kyc/mallory/passport")
	require.ErrorIs(t, err, ErrSealedCorrupt)
}

func TestSealedNotFoundPassesThrough(t *testing.T) {
	s := newTestSealed(t, newTestLocal(t), map[string][]byte{"k1": randKey(t)}, "k1")
	_, err := s.Get(context.Background(), "absent")
	require.ErrorIs(t, err, ports.ErrNotFound)
}

func TestNewSealedValidates(t *testing.T) {
	inner := newTestLocal(t)
	good := randKey(t)
	short := []byte("0123456789abcdef") // 16 bytes
	cases := map[string]struct {
		inner   ports.BlobStore
		keys    map[string][]byte
		current string
	}{
		"nil inner":       {nil, map[string][]byte{"k1": good}, "k1"},
		"no keys":         {inner, nil, "k1"},
		"current missing": {inner, map[string][]byte{"k1": good}, "k2"},
		"short key":       {inner, map[string][]byte{"k1": short}, "k1"},
		"short old key":   {inner, map[string][]byte{"k1": good, "k0": short}, "k1"},
		"empty id":        {inner, map[string][]byte{"": good}, ""},
		"long id":         {inner, map[string][]byte{string(bytes.Repeat([]byte("i"), 256)): good}, string(bytes.Repeat([]byte("i"), 256))},
	}
	for name, c := range cases {
		_, err := NewSealed(c.inner, c.keys, c.current)
		require.Error(t, err, name)
		require.NotContains(t, err.Error(), string(short), name)
	}

	// The key map is copied.
	keys := map[string][]byte{"k1": good}
	s, err := NewSealed(inner, keys, "k1")
	require.NoError(t, err)
	require.NoError(t, s.Put(context.Background(), "x", []byte("v")))
	delete(keys, "k1")
	got, err := s.Get(context.Background(), "x")
	require.NoError(t, err)
	require.Equal(t, "v", string(got))
}
