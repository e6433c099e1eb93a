package blob

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
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
//
// Put writes format version 2, which is sealed and stored as a stream:
//
//	magic         4   "GHB2"
//	keyIDLen      1   as in GHB1
//	keyID         n
//	wrapNonce    12
//	wrappedKey   48
//	noncePrefix   7   random, for the segments' nonces
//	segments      *   the content in 64 KiB segments (the last may be
//	                  shorter; empty content is one empty segment), each
//	                  sealed with AES-256-GCM under the data key (+16 tag)
//
// Segment i is sealed with the nonce noncePrefix ‖ uint32be(i) ‖ last (1 for
// the final segment, else 0) and the additional data header ‖ object key,
// so a segment moved, dropped, repeated or cut off after a segment boundary
// fails to open, as does an object that is cut short. Get opens both
// versions.
const (
	sealedMagic   = "GHB1"
	streamMagic   = "GHB2"
	segmentSize   = 64 << 10
	prefixSize    = 7
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

// Put seals the size bytes of r for key, segment by segment, and streams
// the result to the inner store (format GHB2): at most one segment is held
// in memory.
func (s *Sealed) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	if err := validateKey(key); err != nil {
		return err
	}
	if size < 0 {
		return fmt.Errorf("%w: negative size %d", ErrSizeMismatch, size)
	}
	dataKey := make([]byte, keySize)
	nonces := make([]byte, nonceSize+prefixSize)
	if _, err := rand.Read(dataKey); err != nil {
		return fmt.Errorf("blob: seal %q: %w", key, err)
	}
	if _, err := rand.Read(nonces); err != nil {
		return fmt.Errorf("blob: seal %q: %w", key, err)
	}
	wrapNonce, prefix := nonces[:nonceSize], nonces[nonceSize:]

	id := s.current
	header := make([]byte, 0, len(streamMagic)+1+len(id)+nonceSize+wrappedKeyLen+prefixSize)
	header = append(header, streamMagic...)
	header = append(header, byte(len(id)))
	header = append(header, id...)
	wrapAD := bytes.Clone(header) // AEAD: dst and additional data must not overlap
	header = append(header, wrapNonce...)
	header = s.masters[id].Seal(header, wrapNonce, dataKey, wrapAD)
	header = append(header, prefix...)

	content, err := newGCM(dataKey)
	clear(dataKey)
	if err != nil {
		return fmt.Errorf("blob: seal %q: %w", key, err)
	}
	segments := max(1, (size+segmentSize-1)/segmentSize)
	sealedSize := int64(len(header)) + size + segments*tagSize
	sr := &sealingReader{src: r, left: size, aead: content, prefix: bytes.Clone(prefix),
		ad: contentAD(header, key), out: header, plain: make([]byte, 0, segmentSize)}
	if err := s.inner.Put(ctx, key, sr, sealedSize); err != nil {
		if sr.err != nil {
			return fmt.Errorf("blob: seal %q: %w", key, sr.err)
		}
		return err
	}
	return nil
}

// sealingReader gives the sealed object: the header, then each segment
// as it is read from src and sealed.
type sealingReader struct {
	src    io.Reader
	left   int64 // plaintext bytes still to read
	index  uint32
	done   bool // the final segment has been sealed
	aead   cipher.AEAD
	prefix []byte
	ad     []byte
	out    []byte // sealed bytes not yet given
	plain  []byte
	err    error // why the source failed (short, long, or its own error)
}

func (r *sealingReader) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		if r.done {
			return 0, io.EOF
		}
		if err := r.next(); err != nil {
			r.err = err
			return 0, err
		}
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	return n, nil
}

// next reads and seals one segment.
func (r *sealingReader) next() error {
	n := min(r.left, segmentSize)
	r.plain = r.plain[:n]
	if _, err := io.ReadFull(r.src, r.plain); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("%w: the content ended %d bytes early", ErrSizeMismatch, r.left)
		}
		return err
	}
	r.left -= n
	last := r.left == 0
	if last {
		var one [1]byte
		if k, _ := io.ReadFull(r.src, one[:]); k > 0 {
			return fmt.Errorf("%w: more bytes than announced", ErrSizeMismatch)
		}
	}
	r.out = r.aead.Seal(r.out[:0], segmentNonce(r.prefix, r.index, last), r.plain, r.ad)
	r.index++
	r.done = last
	return nil
}

// segmentNonce is prefix ‖ uint32be(index) ‖ last.
func segmentNonce(prefix []byte, index uint32, last bool) []byte {
	nonce := make([]byte, 0, nonceSize)
	nonce = append(nonce, prefix...)
	nonce = binary.BigEndian.AppendUint32(nonce, index)
	if last {
		return append(nonce, 1)
	}
	return append(nonce, 0)
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

	if len(blob) >= len(streamMagic) && string(blob[:len(streamMagic)]) == streamMagic {
		return s.openStream(key, blob, corrupt)
	}
	content, rest, err := s.unwrap(key, blob, sealedMagic, nonceSize+tagSize, corrupt)
	if err != nil {
		return nil, err
	}
	contentNonce, ciphertext := rest[:nonceSize], rest[nonceSize:]
	header := blob[:len(blob)-len(ciphertext)]
	plain, err := content.Open(nil, contentNonce, ciphertext, contentAD(header, key))
	if err != nil {
		return nil, corrupt("content does not authenticate (altered, or sealed for another key)")
	}
	return plain, nil
}

// unwrap reads the header both formats share — magic, key id, the data
// key wrapped by that master key — and returns the content cipher and
// what follows the wrapped key, which is at least tail bytes long.
func (s *Sealed) unwrap(key string, blob []byte, magic string, tail int, corrupt func(string) error) (cipher.AEAD, []byte, error) {
	if len(blob) < len(magic)+1 || string(blob[:len(magic)]) != magic {
		return nil, nil, corrupt("bad header")
	}
	rest := blob[len(magic):]
	idLen := int(rest[0])
	rest = rest[1:]
	if idLen == 0 || len(rest) < idLen+nonceSize+wrappedKeyLen+tail {
		return nil, nil, corrupt("truncated")
	}
	id := string(rest[:idLen])
	rest = rest[idLen:]
	wrapAD := blob[:len(blob)-len(rest)]
	wrapNonce, rest := rest[:nonceSize], rest[nonceSize:]
	wrapped, rest := rest[:wrappedKeyLen], rest[wrappedKeyLen:]

	master, ok := s.masters[id]
	if !ok {
		return nil, nil, fmt.Errorf("%w: %q was sealed under %q", ErrUnknownKeyID, key, id)
	}
	dataKey, err := master.Open(nil, wrapNonce, wrapped, wrapAD)
	if err != nil {
		return nil, nil, corrupt(fmt.Sprintf("data key does not unwrap under master key %q", id))
	}
	content, err := newGCM(dataKey)
	clear(dataKey)
	if err != nil {
		return nil, nil, corrupt(err.Error())
	}
	return content, rest, nil
}

// openStream opens a GHB2 object.
func (s *Sealed) openStream(key string, blob []byte, corrupt func(string) error) ([]byte, error) {
	content, rest, err := s.unwrap(key, blob, streamMagic, prefixSize+tagSize, corrupt)
	if err != nil {
		return nil, err
	}
	prefix, segments := rest[:prefixSize], rest[prefixSize:]
	header := blob[:len(blob)-len(segments)]
	ad := contentAD(header, key)
	// At least one segment (empty content is one empty, final segment).
	count := (len(segments) + segmentSize + tagSize - 1) / (segmentSize + tagSize)
	if count == 0 || len(segments)-count*tagSize < 0 {
		return nil, corrupt("truncated")
	}
	plain := make([]byte, 0, len(segments)-count*tagSize)
	for i := 0; len(segments) > 0; i++ {
		n := min(len(segments), segmentSize+tagSize)
		last := n == len(segments)
		if n < tagSize {
			return nil, corrupt("truncated")
		}
		plain, err = content.Open(plain, segmentNonce(prefix, uint32(i), last), segments[:n], ad)
		if err != nil {
			return nil, corrupt(fmt.Sprintf("segment %d does not authenticate (altered, moved, cut short, or sealed for another key)", i))
		}
		segments = segments[n:]
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
