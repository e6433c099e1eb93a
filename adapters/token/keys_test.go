package token

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadOrCreateKey(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keys", "nested", "signing.pem")

	k1, err := LoadOrCreateKey(path, true)
	require.NoError(t, err)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	di, err := os.Stat(filepath.Dir(path))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), di.Mode().Perm())

	k2, err := LoadOrCreateKey(path, true)
	require.NoError(t, err)
	assert.True(t, k1.Equal(k2), "second call reloads the same key")
	k3, err := LoadOrCreateKey(path, false)
	require.NoError(t, err)
	assert.True(t, k1.Equal(k3))

	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temp file left behind")
}

func TestLoadOrCreateKeyMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent.pem")
	_, err := LoadOrCreateKey(path, false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), path)
	assert.NoFileExists(t, path)
}

func TestLoadOrCreateKeyRejectsOtherKeys(t *testing.T) {
	dir := t.TempDir()
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(ec)
	require.NoError(t, err)
	path := filepath.Join(dir, "ec.pem")
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600))
	_, err = LoadOrCreateKey(path, false)
	assert.ErrorContains(t, err, "want Ed25519")

	garbage := filepath.Join(dir, "garbage.pem")
	require.NoError(t, os.WriteFile(garbage, []byte("hello"), 0o600))
	_, err = LoadOrCreateKey(garbage, true)
	assert.ErrorContains(t, err, "no PEM data")
}

func TestLoadPublicKeys(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	var want []ed25519.PublicKey
	for _, name := range []string{"a.pub", "b.pub"} {
		pub, _, err := ed25519.GenerateKey(rand.Reader)
		require.NoError(t, err)
		der, err := x509.MarshalPKIXPublicKey(pub)
		require.NoError(t, err)
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o644))
		paths = append(paths, p)
		want = append(want, pub)
	}
	got, err := LoadPublicKeys(paths)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	got, err = LoadPublicKeys(nil)
	require.NoError(t, err)
	assert.Empty(t, got)

	_, err = LoadPublicKeys([]string{filepath.Join(dir, "missing.pub")})
	assert.ErrorContains(t, err, "missing.pub")
}

func TestLoadOrCreateSecret(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "otp.key")
	s1, err := LoadOrCreateSecret(path, true, 32)
	require.NoError(t, err)
	assert.Len(t, s1, 32)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, hex.EncodeToString(s1), strings.TrimSpace(string(raw)))

	s2, err := LoadOrCreateSecret(path, false, 32)
	require.NoError(t, err)
	assert.Equal(t, s1, s2)

	_, err = LoadOrCreateSecret(path, false, 64)
	assert.ErrorContains(t, err, "need at least 64")

	missing := filepath.Join(t.TempDir(), "nope.key")
	_, err = LoadOrCreateSecret(missing, false, 32)
	assert.ErrorContains(t, err, missing)
}

func TestDecodeSecret(t *testing.T) {
	b := make([]byte, 32)
	_, err := rand.Read(b)
	require.NoError(t, err)
	for name, s := range map[string]string{
		"hex":         hex.EncodeToString(b),
		"HEX":         strings.ToUpper(hex.EncodeToString(b)),
		"std":         base64.StdEncoding.EncodeToString(b),
		"raw std":     base64.RawStdEncoding.EncodeToString(b),
		"url":         base64.URLEncoding.EncodeToString(b),
		"raw url":     base64.RawURLEncoding.EncodeToString(b),
		"surrounding": "  " + hex.EncodeToString(b) + "\n",
	} {
		got, err := DecodeSecret(s)
		if assert.NoError(t, err, name) {
			assert.Equal(t, b, got, name)
		}
	}

	_, err = DecodeSecret(hex.EncodeToString(b[:31]))
	assert.ErrorContains(t, err, "need at least 32")
	_, err = DecodeSecret("not a secret!")
	assert.Error(t, err)
	_, err = DecodeSecret("")
	assert.Error(t, err)
}

func TestLoadOrCreateKeyConcurrentCreatorsAgree(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signing.pem")
	const n = 8
	keys := make(chan ed25519.PrivateKey, n)
	errs := make(chan error, n)
	for range n {
		go func() {
			k, err := LoadOrCreateKey(path, true)
			keys <- k
			errs <- err
		}()
	}
	first := <-keys
	require.NoError(t, <-errs)
	for range n - 1 {
		require.NoError(t, <-errs)
		assert.True(t, first.Equal(<-keys), "every instance ends up with the same key")
	}
}
