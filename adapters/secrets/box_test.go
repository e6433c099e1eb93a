package secrets

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func TestBoxRoundTrip(t *testing.T) {
	box, err := NewBox(testKey(1), "k1")
	require.NoError(t, err)
	assert.Equal(t, "k1", box.KeyID())

	for _, pt := range [][]byte{[]byte("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"), {}, bytes.Repeat([]byte{0xAB}, 4096)} {
		sealed, err := box.Seal(pt, []byte("user-1"))
		require.NoError(t, err)
		assert.Len(t, sealed, 2+len("k1")+12+len(pt)+16)
		assert.Equal(t, byte(1), sealed[0], "version")
		assert.Equal(t, byte(2), sealed[1], "key id length")
		assert.Equal(t, "k1", string(sealed[2:4]))
		if len(pt) > 0 {
			assert.False(t, bytes.Contains(sealed, pt), "plaintext must not show in the sealed value")
		}

		got, err := box.Open(sealed, []byte("user-1"))
		require.NoError(t, err)
		assert.Equal(t, len(pt), len(got))
		assert.True(t, bytes.Equal(pt, got))
	}
}

func TestBoxNoncesDiffer(t *testing.T) {
	box, err := NewBox(testKey(1), "k1")
	require.NoError(t, err)
	a, err := box.Seal([]byte("same"), nil)
	require.NoError(t, err)
	b, err := box.Seal([]byte("same"), nil)
	require.NoError(t, err)
	assert.NotEqual(t, a, b)
}

func TestBoxRefuses(t *testing.T) {
	const secret = "JBSWY3DPEHPK3PXP-very-secret"
	box, err := NewBox(testKey(1), "k1")
	require.NoError(t, err)
	aad := []byte("user-1")
	sealed, err := box.Seal([]byte(secret), aad)
	require.NoError(t, err)

	flip := func(i int) []byte {
		c := bytes.Clone(sealed)
		c[i] ^= 0x01
		return c
	}
	other, err := NewBox(testKey(2), "k1") // same id, different key
	require.NoError(t, err)
	rotated, err := NewBox(testKey(1), "k2")
	require.NoError(t, err)

	tests := []struct {
		name   string
		box    *Box
		sealed []byte
		aad    []byte
		want   error
	}{
		{"wrong aad", box, sealed, []byte("user-2"), ErrSealedInvalid},
		{"no aad", box, sealed, nil, ErrSealedInvalid},
		{"flipped ciphertext", box, flip(len(sealed) - 20), aad, ErrSealedInvalid},
		{"flipped tag", box, flip(len(sealed) - 1), aad, ErrSealedInvalid},
		{"flipped nonce", box, flip(4), aad, ErrSealedInvalid},
		{"flipped key id", box, flip(2), aad, ErrUnknownKey},
		{"unknown key id", rotated, sealed, aad, ErrUnknownKey},
		{"wrong key, same id", other, sealed, aad, ErrSealedInvalid},
		{"unknown version", box, append([]byte{2}, sealed[1:]...), aad, ErrSealedMalformed},
		{"empty", box, nil, aad, ErrSealedMalformed},
		{"version only", box, sealed[:1], aad, ErrSealedMalformed},
		{"header only", box, sealed[:4], aad, ErrSealedMalformed},
		{"truncated tag", box, sealed[:len(sealed)-1], aad, ErrSealedInvalid},
		{"truncated to nonce+tag-1", box, sealed[:4+12+15], aad, ErrSealedMalformed},
		{"zero key id length", box, append([]byte{1, 0}, sealed[2:]...), aad, ErrSealedMalformed},
		{"key id length past the end", box, append([]byte{1, 255}, sealed[2:]...), aad, ErrSealedMalformed},
		{"extra byte", box, append(bytes.Clone(sealed), 0), aad, ErrSealedInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.box.Open(tc.sealed, tc.aad)
			require.Error(t, err)
			assert.Nil(t, got)
			assert.True(t, errors.Is(err, tc.want), "got %v, want %v", err, tc.want)
			assert.NotContains(t, err.Error(), secret)
			assert.NotContains(t, err.Error(), "very-secret")
		})
	}
}

func TestBoxRotation(t *testing.T) {
	old, err := NewBox(testKey(1), "2025")
	require.NoError(t, err)
	sealedOld, err := old.Seal([]byte("old secret"), []byte("u"))
	require.NoError(t, err)

	box, err := NewBoxWithKeys("2026", map[string][]byte{"2025": testKey(1), "2026": testKey(2)})
	require.NoError(t, err)
	got, err := box.Open(sealedOld, []byte("u"))
	require.NoError(t, err)
	assert.Equal(t, "old secret", string(got))

	sealedNew, err := box.Seal([]byte("new secret"), []byte("u"))
	require.NoError(t, err)
	assert.Equal(t, "2026", string(sealedNew[2:6]), "seals with the current key")
	_, err = old.Open(sealedNew, []byte("u"))
	assert.ErrorIs(t, err, ErrUnknownKey)
	got, err = box.Open(sealedNew, []byte("u"))
	require.NoError(t, err)
	assert.Equal(t, "new secret", string(got))
}

func TestNewBoxRefuses(t *testing.T) {
	tests := []struct {
		name    string
		current string
		keys    map[string][]byte
	}{
		{"short key", "k", map[string][]byte{"k": make([]byte, 16)}},
		{"long key", "k", map[string][]byte{"k": make([]byte, 33)}},
		{"no key", "k", map[string][]byte{"k": nil}},
		{"empty id", "", map[string][]byte{"": testKey(1)}},
		{"id with space", "a b", map[string][]byte{"a b": testKey(1)}},
		{"id with control", "a\n", map[string][]byte{"a\n": testKey(1)}},
		{"non-ASCII id", "clé", map[string][]byte{"clé": testKey(1)}},
		{"id too long", strings.Repeat("k", 65), map[string][]byte{strings.Repeat("k", 65): testKey(1)}},
		{"current not among keys", "k2", map[string][]byte{"k1": testKey(1)}},
		{"another key bad", "k1", map[string][]byte{"k1": testKey(1), "k2": make([]byte, 31)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			box, err := NewBoxWithKeys(tc.current, tc.keys)
			assert.Error(t, err)
			assert.Nil(t, box)
		})
	}

	_, err := NewBox(make([]byte, 31), "k")
	assert.Error(t, err)
	box, err := NewBox(testKey(7), strings.Repeat("k", 64))
	require.NoError(t, err)
	sealed, err := box.Seal([]byte("x"), nil)
	require.NoError(t, err)
	got, err := box.Open(sealed, nil)
	require.NoError(t, err)
	assert.Equal(t, "x", string(got))
}

func TestBoxKeepsItsOwnKeyCopy(t *testing.T) {
	key := testKey(1)
	box, err := NewBox(key, "k")
	require.NoError(t, err)
	sealed, err := box.Seal([]byte("x"), nil)
	require.NoError(t, err)
	clear(key) // the caller wipes its copy
	got, err := box.Open(sealed, nil)
	require.NoError(t, err)
	assert.Equal(t, "x", string(got))
}

func TestDeriveKey(t *testing.T) {
	master := []byte("0123456789abcdef0123456789abcdef")
	a := DeriveKey(master, "totp-secrets")
	b := DeriveKey(master, "otp-codes")
	assert.Len(t, a, 32)
	assert.NotEqual(t, a, b, "labels give separate keys")
	assert.Equal(t, a, DeriveKey(master, "totp-secrets"), "deterministic")
	assert.NotEqual(t, a, DeriveKey([]byte("another master secret, 32 bytes!"), "totp-secrets"))

	mac := hmac.New(sha256.New, master)
	mac.Write([]byte("totp-secrets"))
	assert.Equal(t, mac.Sum(nil), a, "HMAC-SHA256(master, label)")

	_, err := NewBox(a, "totp-1")
	assert.NoError(t, err, "a derived key fits the box")
}
