package blob

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"sort"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.BlobStore = (*Sealed)(nil)

// Object layout written by Sealed (all lengths in bytes):
//
//	magic         4   "GHB1" (format version 1)
//	keyIDLen      1   length of the master key id, 1..255
//	keyID         n   id of the master key that wrapped the data key
//	wrapNonce    12   AES-GCM nonce used to wrap the data key
//	wrappedKey   48   32-byte data key sealed with AES-256-GCM (+16 tag)
//	contentNonce 12   AES-GCM nonce used for the content
//	ciphertext    *   content sealed with AES-256-GCM under the data key
//
// The wrapped data key is authenticated with the header up to and including
// keyID, and the content with the whole header followed by the object key,
// so an object copied to a different key, or any altered byte, fails to open.
const (
	sealedMagic   = "GHB1"
	keySize       = 32
	nonceSize     = 12
	tagSize       = 16
	wrappedKeyLen = keySize + tagSize
	maxKeyIDLen   = 255
)

var (
	// ErrUnknownKeyID is returned (wrapped) by Sealed.Get when the object was
	// sealed under a master key id that is not in the Sealed's key map.
	ErrUnknownKeyID = errors.New("blob: object sealed under an unknown master key id")
	// ErrSealedCorrupt is returned (wrapped) by Sealed.Get when an object is
	// not in the sealed format, was altered, or is stored under a key other
	// than the one it was sealed for.
	ErrSealedCorrupt = errors.New("blob: sealed object is corrupt, tampered with or under the wrong key")
)

// Sealed implements ports.BlobStore by envelope-encrypting every object
// before handing it to an inner store. Each Put draws a fresh random data
// key, encrypts the content with it (AES-256-GCM) and stores the data key
// wrapped (AES-256-GCM) under the current master key, whose id is recorded
// in the object. Master keys can therefore rotate: objects written under an
// older key id still open as long as that key remains in the map.
type Sealed struct {
	inner   ports.BlobStore
	current string
	masters map[string]cipher.AEAD
}

// NewSealed wraps inner. keys maps master key ids (1..255 bytes) to 32-byte
// AES-256 keys; currentKeyID names the one used for new objects. The map is
// copied, so later changes to it have no effect.
func NewSealed(inner ports.BlobStore, keys map[string][]byte, currentKeyID string) (*Sealed, error) {
	if inner == nil {
		return nil, errors.New("blob: sealed store needs an inner store")
	}
	if _, ok := keys[currentKeyID]; !ok {
		return nil, fmt.Errorf("blob: current master key id %q is not in the key map", currentKeyID)
	}
	ids := make([]string, 0, len(keys))
	for id := range keys {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	masters := make(map[string]cipher.AEAD, len(keys))
	for _, id := range ids {
		if id == "" || len(id) > maxKeyIDLen {
			return nil, fmt.Errorf("blob: master key id %q must be 1..%d bytes", id, maxKeyIDLen)
		}
		// Never include the key material in errors.
		if len(keys[id]) != keySize {
			return nil, fmt.Errorf("blob: master key %q is %d bytes, want %d", id, len(keys[id]), keySize)
		}
		aead, err := newGCM(keys[id])
		if err != nil {
			return nil, fmt.Errorf("blob: master key %q: %w", id, err)
		}
		masters[id] = aead
	}
	return &Sealed{inner: inner, current: currentKeyID, masters: masters}, nil
}

// KeyID returns the id of the master key new objects are sealed under.
func (s *Sealed) KeyID() string { return s.current }

// Put seals data for key and stores the result in the inner store.
func (s *Sealed) Put(ctx context.Context, key string, data []byte) error {
	if err := validateKey(key); err != nil {
		return err
	}
	dataKey := make([]byte, keySize)
	nonces := make([]byte, 2*nonceSize)
	if _, err := rand.Read(dataKey); err != nil {
		return fmt.Errorf("blob: seal %q: %w", key, err)
	}
	if _, err := rand.Read(nonces); err != nil {
		return fmt.Errorf("blob: seal %q: %w", key, err)
	}
	wrapNonce, contentNonce := nonces[:nonceSize], nonces[nonceSize:]

	id := s.current
	hdrLen := len(sealedMagic) + 1 + len(id) + nonceSize + wrappedKeyLen + nonceSize
	out := make([]byte, 0, hdrLen+len(data)+tagSize)
	out = append(out, sealedMagic...)
	out = append(out, byte(len(id)))
	out = append(out, id...)
	wrapAD := bytes.Clone(out) // AEAD: dst and additional data must not overlap
	out = append(out, wrapNonce...)
	out = s.masters[id].Seal(out, wrapNonce, dataKey, wrapAD)
	out = append(out, contentNonce...)

	content, err := newGCM(dataKey)
	if err != nil {
		return fmt.Errorf("blob: seal %q: %w", key, err)
	}
	out = content.Seal(out, contentNonce, data, contentAD(out, key))
	clear(dataKey)
	return s.inner.Put(ctx, key, out)
}

// Get fetches the object under key from the inner store and opens it.
// ports.ErrNotFound passes through; a tampered object, an unknown master
// key id or an object stored under another key gives ErrSealedCorrupt or
// ErrUnknownKeyID (wrapped).
func (s *Sealed) Get(ctx context.Context, key string) ([]byte, error) {
	if err := validateKey(key); err != nil {
		return nil, err
	}
	blob, err := s.inner.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	corrupt := func(why string) error {
		return fmt.Errorf("%w: %q: %s", ErrSealedCorrupt, key, why)
	}

	rest := blob
	if len(rest) < len(sealedMagic)+1 || string(rest[:len(sealedMagic)]) != sealedMagic {
		return nil, corrupt("bad header")
	}
	rest = rest[len(sealedMagic):]
	idLen := int(rest[0])
	rest = rest[1:]
	if idLen == 0 || len(rest) < idLen+nonceSize+wrappedKeyLen+nonceSize+tagSize {
		return nil, corrupt("truncated")
	}
	id := string(rest[:idLen])
	rest = rest[idLen:]
	wrapAD := blob[:len(blob)-len(rest)]
	wrapNonce, rest := rest[:nonceSize], rest[nonceSize:]
	wrapped, rest := rest[:wrappedKeyLen], rest[wrappedKeyLen:]
	contentNonce, ciphertext := rest[:nonceSize], rest[nonceSize:]
	header := blob[:len(blob)-len(ciphertext)]

	master, ok := s.masters[id]
	if !ok {
		return nil, fmt.Errorf("%w: %q was sealed under %q", ErrUnknownKeyID, key, id)
	}
	dataKey, err := master.Open(nil, wrapNonce, wrapped, wrapAD)
	if err != nil {
		return nil, corrupt(fmt.Sprintf("data key does not unwrap under master key %q", id))
	}
	content, err := newGCM(dataKey)
	clear(dataKey)
	if err != nil {
		return nil, corrupt(err.Error())
	}
	plain, err := content.Open(nil, contentNonce, ciphertext, contentAD(header, key))
	if err != nil {
		return nil, corrupt("content does not authenticate (altered, or sealed for another key)")
	}
	return plain, nil
}

// Delete removes the object from the inner store.
func (s *Sealed) Delete(ctx context.Context, key string) error {
	if err := validateKey(key); err != nil {
		return err
	}
	return s.inner.Delete(ctx, key)
}

// contentAD is the additional data for the content: the full header, then
// the object key. The header has a self-describing length, so the
// concatenation is unambiguous.
func contentAD(header []byte, key string) []byte {
	var b bytes.Buffer
	b.Grow(len(header) + len(key))
	b.Write(header)
	b.WriteString(key)
	return b.Bytes()
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
