package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.SecretBox = (*Box)(nil)

// Sealed value layout:
//
//	version (1 byte) | len(keyID) (1 byte) | keyID | nonce (12 bytes) | ciphertext | tag (16 bytes)
//
// The header (version and key id) is authenticated with the caller's aad.
const (
	boxVersion  = 1
	boxKeySize  = 32 // AES-256
	maxKeyIDLen = 64
	nonceSize   = 12
	tagSize     = 16
)

// Errors of Open. None of them carries any part of the plaintext.
var (
	ErrSealedMalformed = errors.New("secrets: sealed value is malformed")
	ErrUnknownKey      = errors.New("secrets: sealed value names an unknown key")
	ErrSealedInvalid   = errors.New("secrets: sealed value does not open (tampered, or wrong key or aad)")
)

// Box implements ports.SecretBox with AES-256-GCM and a random 96-bit nonce
// per value. Each sealed value names the key that sealed it, so keys can be
// rotated: a Box seals with its current key and opens with any key it
// knows. Random nonces are safe for well under 2^32 values per key, far
// more than the small secrets (TOTP seeds) kept this way.
type Box struct {
	current string
	aeads   map[string]cipher.AEAD
}

// NewBox returns a Box with one 32-byte key named keyID (1 to 64 printable
// ASCII characters, no spaces), e.g. "totp-2026".
func NewBox(key []byte, keyID string) (*Box, error) {
	return NewBoxWithKeys(keyID, map[string][]byte{keyID: key})
}

// NewBoxWithKeys returns a Box that seals with keys[current] and opens
// values sealed with any of keys.
func NewBoxWithKeys(current string, keys map[string][]byte) (*Box, error) {
	if _, ok := keys[current]; !ok {
		return nil, fmt.Errorf("secrets: box: current key %q is not among the keys", current)
	}
	b := &Box{current: current, aeads: make(map[string]cipher.AEAD, len(keys))}
	for id, key := range keys {
		if err := checkKeyID(id); err != nil {
			return nil, err
		}
		if len(key) != boxKeySize {
			// The key's length only, never its bytes.
			return nil, fmt.Errorf("secrets: box: key %q is %d bytes, want %d", id, len(key), boxKeySize)
		}
		block, err := aes.NewCipher(key) // copies the key
		if err != nil {
			return nil, fmt.Errorf("secrets: box: %w", err)
		}
		aead, err := cipher.NewGCMWithRandomNonce(block)
		if err != nil {
			return nil, fmt.Errorf("secrets: box: %w", err)
		}
		b.aeads[id] = aead
	}
	return b, nil
}

func checkKeyID(id string) error {
	if id == "" || len(id) > maxKeyIDLen {
		return fmt.Errorf("secrets: box: key id must be 1 to %d characters", maxKeyIDLen)
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] > '~' {
			return fmt.Errorf("secrets: box: key id %q must be printable ASCII without spaces", id)
		}
	}
	return nil
}

// KeyID names the key new values are sealed with.
func (b *Box) KeyID() string { return b.current }

// Seal encrypts plaintext bound to aad (which is not stored: Open needs the
// same aad).
func (b *Box) Seal(plaintext, aad []byte) ([]byte, error) {
	header := make([]byte, 0, 2+len(b.current))
	header = append(header, boxVersion, byte(len(b.current)))
	header = append(header, b.current...)
	aead := b.aeads[b.current]
	out := make([]byte, len(header), len(header)+nonceSize+len(plaintext)+tagSize)
	copy(out, header)
	return aead.Seal(out, nil, plaintext, additionalData(header, aad)), nil
}

// Open decrypts a value made by Seal with the same aad. Errors:
// ErrSealedMalformed (truncated, unknown version), ErrUnknownKey,
// ErrSealedInvalid (tampered, wrong aad, wrong key).
func (b *Box) Open(sealed, aad []byte) ([]byte, error) {
	if len(sealed) < 2 {
		return nil, ErrSealedMalformed
	}
	if sealed[0] != boxVersion {
		return nil, fmt.Errorf("%w: version %d", ErrSealedMalformed, sealed[0])
	}
	idLen := int(sealed[1])
	if idLen == 0 || len(sealed) < 2+idLen+nonceSize+tagSize {
		return nil, ErrSealedMalformed
	}
	header, body := sealed[:2+idLen], sealed[2+idLen:]
	id := string(header[2:])
	aead, ok := b.aeads[id]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownKey, id)
	}
	plaintext, err := aead.Open(nil, nil, body, additionalData(header, aad))
	if err != nil {
		return nil, ErrSealedInvalid
	}
	return plaintext, nil
}

// additionalData is what GCM authenticates besides the ciphertext: the
// header (its length is fixed by its own length byte, so the split between
// header and aad is unambiguous) and the caller's aad.
func additionalData(header, aad []byte) []byte {
	ad := make([]byte, 0, len(header)+len(aad))
	ad = append(ad, header...)
	return append(ad, aad...)
}

// DeriveKey derives a 32-byte key for one use from a master secret:
// HMAC-SHA256(master, label). Different labels (e.g. "totp-secrets",
// "otp-codes") give independent keys, so one configured master secret
// serves several purposes. master should hold at least 32 random bytes.
func DeriveKey(master []byte, label string) []byte {
	mac := hmac.New(sha256.New, master)
	mac.Write([]byte(label))
	return mac.Sum(nil)
}
