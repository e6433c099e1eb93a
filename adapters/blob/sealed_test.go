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
	require.NoError(t, putBytes(ctx, s, "kyc/u1/doc", plain))
	require.NoError(t, putBytes(ctx, s, "kyc/u1/doc2", plain))

	raw, err := inner.Get(ctx, "kyc/u1/doc")
	require.NoError(t, err)
	require.NotEqual(t, plain, raw)
	require.False(t, bytes.Contains(raw, []byte("PASSPORT")), "plaintext visible at rest")
	require.True(t, bytes.HasPrefix(raw, []byte("GHB2")))

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
	require.NoError(t, putBytes(ctx, s, "doc", []byte("secret content")))
	raw, err := inner.Get(ctx, "doc")
	require.NoError(t, err)

	// Flip each byte in turn: every single change must be detected.
	for i := range raw {
		bad := bytes.Clone(raw)
		bad[i] ^= 0x01
		require.NoError(t, putBytes(ctx, inner, "doc", bad))
		_, err := s.Get(ctx, "doc")
		require.Error(t, err, "byte %d", i)
		require.True(t, errors.Is(err, ErrSealedCorrupt) || errors.Is(err, ErrUnknownKeyID), "byte %d: %v", i, err)
	}

	for name, bad := range map[string][]byte{
		"empty":           {},
		"plain":           []byte("not sealed at all"),
		"magic only":      []byte("GHB2"),
		"old magic only":  []byte("GHB1"),
		"zero id length":  append([]byte("GHB2\x00"), raw[5:]...),
		"truncated":       raw[:len(raw)-1],
		"header only":     raw[:len(raw)-len("secret content")-16],
		"appended":        append(bytes.Clone(raw), 0),
		"wrong version":   append([]byte("GHB1"), raw[4:]...),
		"unknown version": append([]byte("GHB3"), raw[4:]...),
		"huge id length":  append([]byte("GHB2\xff"), raw[5:]...),
		"id length short": append([]byte("GHB2\x01"), raw[5:]...),
	} {
		require.NoError(t, putBytes(ctx, inner, "doc", bad))
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
	require.NoError(t, putBytes(ctx, old, "old", []byte("written under k1")))

	rotated := newTestSealed(t, inner, map[string][]byte{"k1": k1, "k2": k2}, "k2")
	require.Equal(t, "k2", rotated.KeyID())
	got, err := rotated.Get(ctx, "old")
	require.NoError(t, err)
	require.Equal(t, "written under k1", string(got))

	require.NoError(t, putBytes(ctx, rotated, "new", []byte("written under k2")))
	raw, err := inner.Get(ctx, "new")
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(raw, []byte("GHB2\x02k2")))

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
	require.NoError(t, putBytes(ctx, s, "kyc/alice/passport", []byte("alice's passport")))

	raw, err := inner.Get(ctx, "kyc/alice/passport")
	require.NoError(t, err)
	require.NoError(t, putBytes(ctx, inner, "kyc/mallory/passport", raw))

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
	require.NoError(t, putBytes(context.Background(), s, "x", []byte("v")))
	delete(keys, "k1")
	got, err := s.Get(context.Background(), "x")
	require.NoError(t, err)
	require.Equal(t, "v", string(got))
}

// sealV1 writes an object as Put wrote it before format 2 (GHB1: one
// AES-GCM seal over the whole content), to check such objects still open.
func sealV1(t *testing.T, s *Sealed, key string, data []byte) []byte {
	t.Helper()
	dataKey, nonces := make([]byte, keySize), make([]byte, 2*nonceSize)
	_, _ = rand.Read(dataKey)
	_, _ = rand.Read(nonces)
	id := s.current
	out := append([]byte(sealedMagic), byte(len(id)))
	out = append(out, id...)
	wrapAD := bytes.Clone(out)
	out = append(out, nonces[:nonceSize]...)
	out = s.masters[id].Seal(out, nonces[:nonceSize], dataKey, wrapAD)
	out = append(out, nonces[nonceSize:]...)
	content, err := newGCM(dataKey)
	require.NoError(t, err)
	return content.Seal(out, nonces[nonceSize:], data, contentAD(out, key))
}

// Objects written in format 1 (before streaming) still open, and still
// refuse any altered byte.
func TestSealedReadsFormat1(t *testing.T) {
	ctx := context.Background()
	inner := newTestLocal(t)
	s := newTestSealed(t, inner, map[string][]byte{"k1": randKey(t)}, "k1")
	plain := bytes.Repeat([]byte("old passport "), 10000)
	raw := sealV1(t, s, "kyc/u1/old", plain)
	require.NoError(t, putBytes(ctx, inner, "kyc/u1/old", raw))
	got, err := s.Get(ctx, "kyc/u1/old")
	require.NoError(t, err)
	require.Equal(t, plain, got)

	for _, i := range []int{0, 5, len(raw) / 2, len(raw) - 1} {
		bad := bytes.Clone(raw)
		bad[i] ^= 0x01
		require.NoError(t, putBytes(ctx, inner, "kyc/u1/old", bad))
		_, err := s.Get(ctx, "kyc/u1/old")
		require.Error(t, err, "byte %d", i)
	}
}

// Format 2 seals 64 KiB segments; every size round-trips, and segments cut
// off, dropped, repeated or swapped are refused.
func TestSealedSegments(t *testing.T) {
	ctx := context.Background()
	inner := newTestLocal(t)
	s := newTestSealed(t, inner, map[string][]byte{"k1": randKey(t)}, "k1")
	for _, size := range []int{0, 1, segmentSize - 1, segmentSize, segmentSize + 1, 2 * segmentSize, 3*segmentSize + 100} {
		plain := make([]byte, size)
		_, _ = rand.Read(plain)
		require.NoError(t, putBytes(ctx, s, "doc", plain), "size %d", size)
		raw, err := inner.Get(ctx, "doc")
		require.NoError(t, err)
		segments := max(1, (size+segmentSize-1)/segmentSize)
		require.Len(t, raw, len(streamMagic)+1+2+nonceSize+wrappedKeyLen+prefixSize+size+segments*tagSize, "size %d", size)
		got, err := s.Get(ctx, "doc")
		require.NoError(t, err, "size %d", size)
		require.True(t, bytes.Equal(plain, got), "size %d", size)
		require.NoError(t, s.Delete(ctx, "doc"))
	}

	plain := make([]byte, 3*segmentSize+100)
	_, _ = rand.Read(plain)
	require.NoError(t, putBytes(ctx, s, "doc", plain))
	raw, err := inner.Get(ctx, "doc")
	require.NoError(t, err)
	hdr := len(streamMagic) + 1 + 2 + nonceSize + wrappedKeyLen + prefixSize
	seg := func(i int) []byte {
		start := hdr + i*(segmentSize+tagSize)
		return raw[start:min(len(raw), start+segmentSize+tagSize)]
	}
	join := func(parts ...[]byte) []byte {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	head := raw[:hdr]
	for name, bad := range map[string][]byte{
		"cut after segment 3":   join(head, seg(0), seg(1), seg(2)),
		"cut after segment 1":   join(head, seg(0)),
		"cut after the header":  join(head),
		"segment 2 dropped":     join(head, seg(0), seg(2), seg(3)),
		"segments 1, 2 swapped": join(head, seg(1), seg(0), seg(2), seg(3)),
		"segment 1 repeated":    join(head, seg(0), seg(0), seg(1), seg(2), seg(3)),
		"last segment cut":      raw[:len(raw)-1],
	} {
		require.NoError(t, putBytes(ctx, inner, "doc", bad))
		_, err := s.Get(ctx, "doc")
		require.ErrorIs(t, err, ErrSealedCorrupt, name)
	}
}

// A reader that holds fewer or more bytes than announced stores nothing.
func TestSealedPutChecksTheSize(t *testing.T) {
	ctx := context.Background()
	inner := newTestLocal(t)
	s := newTestSealed(t, inner, map[string][]byte{"k1": randKey(t)}, "k1")
	data := make([]byte, 2*segmentSize+7)
	for name, size := range map[string]int64{"short": int64(len(data)) + 1, "long": int64(len(data)) - 1, "long by a segment": segmentSize} {
		err := s.Put(ctx, "doc", bytes.NewReader(data), size)
		require.ErrorIs(t, err, ErrSizeMismatch, name)
		_, err = inner.Get(ctx, "doc")
		require.ErrorIs(t, err, ports.ErrNotFound, name)
	}
}
