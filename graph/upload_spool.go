package graph

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"io"
	"os"
)

// spoolKey encrypts one spooled file: AES-256-CTR under a random key that
// lives only in this process's memory, so a file left behind (a crash, a
// full disk) or read by another local user is noise. The files are read
// back only by this request, so integrity needs no tag: a changed byte is
// a changed upload, which the KYC checks then see.
type spoolKey struct {
	block cipher.Block
	iv    [aes.BlockSize]byte
}

func newSpoolKey() (*spoolKey, error) {
	var key [32]byte
	if _, err := rand.Read(key[:]); err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key[:])
	clear(key[:])
	if err != nil {
		return nil, err
	}
	k := &spoolKey{block: block}
	if _, err := rand.Read(k.iv[:]); err != nil {
		return nil, err
	}
	return k, nil
}

// streamAt is the key stream from byte offset off.
func (k *spoolKey) streamAt(off int64) cipher.Stream {
	iv := k.iv
	// The IV is a 128-bit big-endian counter: add the block index.
	hi, lo := binary.BigEndian.Uint64(iv[:8]), binary.BigEndian.Uint64(iv[8:])
	blocks := uint64(off / aes.BlockSize)
	sum := lo + blocks
	if sum < lo {
		hi++
	}
	binary.BigEndian.PutUint64(iv[:8], hi)
	binary.BigEndian.PutUint64(iv[8:], sum)
	s := cipher.NewCTR(k.block, iv[:])
	if skip := int(off % aes.BlockSize); skip > 0 {
		var junk [aes.BlockSize]byte
		s.XORKeyStream(junk[:skip], junk[:skip])
	}
	return s
}

// writer encrypts what is written to w, from offset 0.
func (k *spoolKey) writer(w io.Writer) io.Writer {
	return cipher.StreamWriter{S: k.streamAt(0), W: w}
}

// spoolReader reads a spooled file back in the clear; each variable a file
// goes to gets its own, with its own position.
type spoolReader struct {
	f    *os.File
	key  *spoolKey
	off  int64
	size int64
}

var _ io.ReadSeeker = (*spoolReader)(nil)

func (r *spoolReader) Read(p []byte) (int, error) {
	if r.off >= r.size {
		return 0, io.EOF
	}
	if rest := r.size - r.off; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := r.f.ReadAt(p, r.off)
	r.key.streamAt(r.off).XORKeyStream(p[:n], p[:n])
	r.off += int64(n)
	if errors.Is(err, io.EOF) && n > 0 {
		err = nil
	}
	return n, err
}

func (r *spoolReader) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = r.off + offset
	case io.SeekEnd:
		abs = r.size + offset
	default:
		return 0, errors.New("spool: bad whence")
	}
	if abs < 0 {
		return 0, errors.New("spool: negative position")
	}
	r.off = abs
	return abs, nil
}
