package portstest

import (
	"bytes"
	"context"
	"testing"

	"github.com/gatehouse/gatehouse/ports"
)

// RunSecretHasher runs the SecretHasher contract suite against
// implementations from newHasher (portsfake.SecretHasher and the argon2id
// hasher of adapters/secrets).
func RunSecretHasher(t *testing.T, newHasher func(t *testing.T) ports.SecretHasher) {
	t.Run("HashVerify", func(t *testing.T) { t.Parallel(); hasherHashVerify(t, newHasher(t)) })
	t.Run("EndedContext", func(t *testing.T) { t.Parallel(); hasherEndedContext(t, newHasher(t)) })
}

func hasherHashVerify(t *testing.T, h ports.SecretHasher) {
	ctx := context.Background()
	hash, err := h.Hash(ctx, "482913")
	noErr(t, err)
	check(t, hash != "" && hash != "482913", "the hash is the secret: %q", hash)
	ok, err := h.Verify(ctx, "482913", hash)
	noErr(t, err)
	check(t, ok, "the right secret does not verify")
	ok, err = h.Verify(ctx, "482914", hash)
	noErr(t, err)
	check(t, !ok, "a wrong secret verifies")
	_, err = h.Verify(ctx, "482913", "not a hash")
	check(t, err != nil, "a malformed hash is an error, not a mismatch")
	h.Burn(ctx, "482913") // no hash to compare against; must not fail
}

// hasherEndedContext: a request that has ended does not start the work.
func hasherEndedContext(t *testing.T, h ports.SecretHasher) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := h.Hash(ctx, "482913")
	check(t, err != nil, "Hash ran for an ended context")
}

// RunSecretBox runs the SecretBox contract suite against implementations
// from newBox (portsfake.SecretBox and the AES-256-GCM box of
// adapters/secrets).
func RunSecretBox(t *testing.T, newBox func(t *testing.T) ports.SecretBox) {
	t.Run("OpensOnlyWithItsAAD", func(t *testing.T) { t.Parallel(); boxOpensOnlyWithItsAAD(t, newBox(t)) })
}

func boxOpensOnlyWithItsAAD(t *testing.T, b ports.SecretBox) {
	secret := []byte("JBSWY3DPEHPK3PXP")
	sealed, err := b.Seal(secret, []byte("user-1"))
	noErr(t, err)
	check(t, !bytes.Contains(sealed, secret), "the sealed value shows the secret")
	again, err := b.Seal(secret, []byte("user-1"))
	noErr(t, err)
	check(t, !bytes.Equal(sealed, again), "two seals of one secret are equal: no fresh nonce")

	plain, err := b.Open(sealed, []byte("user-1"))
	noErr(t, err)
	check(t, bytes.Equal(plain, secret), "opened %q", plain)
	_, err = b.Open(sealed, []byte("user-2"))
	check(t, err != nil, "opened with another owner's aad")
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	_, err = b.Open(tampered, []byte("user-1"))
	check(t, err != nil, "a tampered value opened")
	_, err = b.Open([]byte("short"), []byte("user-1"))
	check(t, err != nil, "a value too short to be sealed opened")
}
