package portsfake

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"errors"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.SecretBox = (*SecretBox)(nil)

// secretBoxKey is the fake's fixed key: anyone can open what it seals.
var secretBoxKey = sha256.Sum256([]byte("portsfake secret box: not a secret"))

// SecretBox implements ports.SecretBox with AES-256-GCM under a fixed,
// public key, so sealing is reversible and a wrong aad (or a tampered
// value) does not open, as with the real box. NEVER use it in production.
type SecretBox struct{ aead cipher.AEAD }

// NewSecretBox returns a SecretBox.
func NewSecretBox() *SecretBox {
	block, err := aes.NewCipher(secretBoxKey[:])
	if err != nil {
		panic(err) // a 32-byte key cannot fail
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return &SecretBox{aead: aead}
}

// Seal returns nonce || ciphertext.
func (b *SecretBox) Seal(plaintext, aad []byte) ([]byte, error) {
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plaintext)+b.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return b.aead.Seal(nonce, nonce, plaintext, aad), nil
}

// errSealed is what any value that does not open gets.
var errSealed = errors.New("portsfake: sealed value does not open (wrong aad or tampered)")

// Open reverses Seal when aad is the one sealed with.
func (b *SecretBox) Open(sealed, aad []byte) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < n+b.aead.Overhead() {
		return nil, errSealed
	}
	out, err := b.aead.Open(nil, sealed[:n], sealed[n:], aad)
	if err != nil {
		return nil, errSealed
	}
	return out, nil
}
