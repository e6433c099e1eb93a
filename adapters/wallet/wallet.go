// Package wallet provides an accounts.PortfolioAddresses that derives a
// deterministic Ethereum-style address for every portfolio from one secret
// seed, and helpers for the EIP-55 mixed-case checksum address format.
package wallet

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/google/uuid"
	"golang.org/x/crypto/sha3"

	"github.com/gatehouse/gatehouse/modules/accounts"
)

var _ accounts.PortfolioAddresses = (*Derived)(nil)

// MinSeedLen is the smallest seed, in bytes, that NewDerived accepts.
const MinSeedLen = 32

// derivationPrefix domain-separates portfolio keys from anything else that
// might be derived from the same seed. Changing it changes every address.
const derivationPrefix = "gatehouse/portfolio/v1/"

// ErrShortSeed is returned by NewDerived when the seed is shorter than
// MinSeedLen bytes.
var ErrShortSeed = errors.New("wallet: seed must be at least 32 bytes")

// Derived derives each portfolio's address from a secret seed. The
// private key for a portfolio is HMAC-SHA256(seed, "gatehouse/portfolio/v1/"
// || id bytes), read as a big-endian integer; if that is zero or not below
// the secp256k1 group order, the HMAC is recomputed with a 4-byte
// big-endian counter (1, 2, ...) appended to the message until a valid
// scalar results. The address is the last 20 bytes of the Keccak-256 hash
// of the uncompressed public key's X||Y coordinates, in EIP-55 form.
//
// A Derived is immutable after construction and safe for concurrent use.
type Derived struct {
	seed []byte
}

// NewDerived returns a Derived for seed, which must be at least MinSeedLen
// bytes. The seed is copied, so the caller may wipe its own slice.
func NewDerived(seed []byte) (*Derived, error) {
	if len(seed) < MinSeedLen {
		return nil, ErrShortSeed
	}
	return &Derived{seed: append([]byte(nil), seed...)}, nil
}

// Address returns the EIP-55 checksummed address for portfolioID. The same
// seed and id always give the same address.
func (d *Derived) Address(ctx context.Context, portfolioID uuid.UUID) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	key, err := d.privateKey(portfolioID)
	if err != nil {
		return "", err
	}
	defer key.Zero()
	return ChecksumAddress(pubKeyAddress(key.PubKey())), nil
}

// privateKey derives the secp256k1 private key for portfolioID.
func (d *Derived) privateKey(portfolioID uuid.UUID) (*secp256k1.PrivateKey, error) {
	msg := make([]byte, 0, len(derivationPrefix)+len(portfolioID)+4)
	msg = append(msg, derivationPrefix...)
	msg = append(msg, portfolioID[:]...)
	base := len(msg)
	for counter := uint32(0); ; counter++ {
		msg = msg[:base]
		if counter > 0 {
			msg = binary.BigEndian.AppendUint32(msg, counter)
		}
		mac := hmac.New(sha256.New, d.seed)
		mac.Write(msg)
		sum := mac.Sum(nil)
		var s secp256k1.ModNScalar
		overflow := s.SetByteSlice(sum)
		clear(sum)
		if !overflow && !s.IsZero() {
			return secp256k1.NewPrivateKey(&s), nil
		}
		s.Zero()
		if counter == ^uint32(0) {
			// Unreachable in practice: each attempt fails with
			// probability about 2^-128.
			return nil, fmt.Errorf("wallet: no valid key for portfolio %s", portfolioID)
		}
	}
}

// pubKeyAddress returns the 20-byte Ethereum address of pub: the last 20
// bytes of Keccak-256 over the 64-byte X||Y encoding.
func pubKeyAddress(pub *secp256k1.PublicKey) [20]byte {
	uncompressed := pub.SerializeUncompressed() // 0x04 || X || Y
	sum := keccak256(uncompressed[1:])
	var addr [20]byte
	copy(addr[:], sum[len(sum)-20:])
	return addr
}

// keccak256 is Ethereum's hash (the original Keccak, not NIST SHA3-256).
func keccak256(b []byte) []byte {
	h := sha3.NewLegacyKeccak256()
	h.Write(b)
	return h.Sum(nil)
}

// ChecksumAddress formats addr as a "0x"-prefixed hex string using the
// EIP-55 mixed-case checksum: each hex letter is upper-cased when the
// corresponding nibble of Keccak-256(lowercase hex) is 8 or more.
func ChecksumAddress(addr [20]byte) string {
	lower := hex.EncodeToString(addr[:])
	hash := keccak256([]byte(lower))
	out := make([]byte, 2, 42)
	out[0], out[1] = '0', 'x'
	for i := 0; i < len(lower); i++ {
		c := lower[i]
		nibble := hash[i/2]
		if i%2 == 0 {
			nibble >>= 4
		}
		if c >= 'a' && c <= 'f' && nibble&0x0f >= 8 {
			c -= 'a' - 'A'
		}
		out = append(out, c)
	}
	return string(out)
}

// ValidChecksum reports whether s is a "0x"-prefixed, 40-hex-digit address
// written exactly in its EIP-55 form. An address whose EIP-55 form happens
// to be all one case is valid; a lower-cased copy of a mixed-case address
// is not.
func ValidChecksum(s string) bool {
	if len(s) != 42 || s[0] != '0' || s[1] != 'x' {
		return false
	}
	var addr [20]byte
	if _, err := hex.Decode(addr[:], []byte(s[2:])); err != nil {
		return false
	}
	return ChecksumAddress(addr) == s
}
