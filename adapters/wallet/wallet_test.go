package wallet

import (
	"bytes"
	"context"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

func testSeed(b byte) []byte { return bytes.Repeat([]byte{b}, MinSeedLen) }

func mustBytes(t *testing.T, s string) [20]byte {
	t.Helper()
	raw, err := hex.DecodeString(strings.ToLower(strings.TrimPrefix(s, "0x")))
	require.NoError(t, err)
	require.Len(t, raw, 20)
	var addr [20]byte
	copy(addr[:], raw)
	return addr
}

// Test vectors from EIP-55.
var (
	mixedVectors = []string{
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
		"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
		"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
	}
	singleCaseVectors = []string{
		"0x52908400098527886E0F7030069857D2E4169EE7",
		"0x8617E340B3D01FA5F11F306F4090FD50E238070D",
		"0xde709f2102306220921060314715629080e2fb77",
		"0x27b1fdb04752bbc536007a920d24acb045561c26",
	}
)

func TestChecksumAddressEIP55Vectors(t *testing.T) {
	for _, v := range append(append([]string(nil), mixedVectors...), singleCaseVectors...) {
		require.Equal(t, v, ChecksumAddress(mustBytes(t, v)), v)
	}
}

func TestValidChecksum(t *testing.T) {
	for _, v := range mixedVectors {
		require.True(t, ValidChecksum(v), v)
		// Flipping the case of any one letter breaks the checksum.
		for i := 2; i < len(v); i++ {
			c := v[i]
			var flipped byte
			switch {
			case c >= 'a' && c <= 'f':
				flipped = c - ('a' - 'A')
			case c >= 'A' && c <= 'F':
				flipped = c + ('a' - 'A')
			default:
				continue
			}
			bad := v[:i] + string(flipped) + v[i+1:]
			require.False(t, ValidChecksum(bad), bad)
		}
		require.False(t, ValidChecksum(strings.ToLower(v)), "all lower")
		require.False(t, ValidChecksum("0x"+strings.ToUpper(v[2:])), "all upper")
	}
	// Addresses whose EIP-55 form is all one case are valid as written,
	// and the other case of them is not.
	for _, v := range singleCaseVectors {
		require.True(t, ValidChecksum(v), v)
		other := strings.ToLower(v)
		if other == v {
			other = "0x" + strings.ToUpper(v[2:])
		}
		require.False(t, ValidChecksum(other), other)
	}
	for _, bad := range []string{
		"",
		"0x",
		"5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",   // no prefix
		"0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", // capital X
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe",  // 39 digits
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed0",
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", // non-hex
		" 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
	} {
		require.False(t, ValidChecksum(bad), bad)
	}
}

func TestPrivateKeyOneAddress(t *testing.T) {
	one := make([]byte, 32)
	one[31] = 1
	addr := pubKeyAddress(secp256k1.PrivKeyFromBytes(one).PubKey())
	// The widely published address of private key 1. (Note "DfCb7b8":
	// a "DfCd7b8" variant that sometimes circulates is a typo.)
	want := "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"
	require.Equal(t, want, ChecksumAddress(addr))
	require.True(t, ValidChecksum(want))
}

func TestNewDerivedRefusesShortSeed(t *testing.T) {
	for _, n := range []int{0, 1, 16, MinSeedLen - 1} {
		d, err := NewDerived(make([]byte, n))
		require.ErrorIs(t, err, ErrShortSeed, n)
		require.Nil(t, d)
	}
	_, err := NewDerived(nil)
	require.ErrorIs(t, err, ErrShortSeed)
	d, err := NewDerived(make([]byte, MinSeedLen))
	require.NoError(t, err)
	require.NotNil(t, d)
}

func TestDerivedDeterministic(t *testing.T) {
	ctx := context.Background()
	id := uuid.MustParse("6f1c2a5e-3b4d-4e8f-9a0b-1c2d3e4f5a6b")
	other := uuid.MustParse("6f1c2a5e-3b4d-4e8f-9a0b-1c2d3e4f5a6c")

	seed := testSeed(0x42)
	a, err := NewDerived(seed)
	require.NoError(t, err)
	b, err := NewDerived(testSeed(0x42))
	require.NoError(t, err)

	first, err := a.Address(ctx, id)
	require.NoError(t, err)
	again, err := a.Address(ctx, id)
	require.NoError(t, err)
	require.Equal(t, first, again, "same instance, same id")
	fromB, err := b.Address(ctx, id)
	require.NoError(t, err)
	require.Equal(t, first, fromB, "same seed, same id")

	// The seed is copied: wiping the caller's slice changes nothing.
	clear(seed)
	afterWipe, err := a.Address(ctx, id)
	require.NoError(t, err)
	require.Equal(t, first, afterWipe)

	otherID, err := a.Address(ctx, other)
	require.NoError(t, err)
	require.NotEqual(t, first, otherID, "different id")

	c, err := NewDerived(testSeed(0x43))
	require.NoError(t, err)
	otherSeed, err := c.Address(ctx, id)
	require.NoError(t, err)
	require.NotEqual(t, first, otherSeed, "different seed")
}

// TestDerivedMatchesSpec recomputes one address step by step from the
// documented derivation so that an accidental change to it is caught.
func TestDerivedMatchesSpec(t *testing.T) {
	d, err := NewDerived(testSeed(0x42))
	require.NoError(t, err)
	id := uuid.MustParse("6f1c2a5e-3b4d-4e8f-9a0b-1c2d3e4f5a6b")
	got, err := d.Address(context.Background(), id)
	require.NoError(t, err)

	mac := hmacSHA256(testSeed(0x42), append([]byte("gatehouse/portfolio/v1/"), id[:]...))
	want := ChecksumAddress(pubKeyAddress(secp256k1.PrivKeyFromBytes(mac).PubKey()))
	require.Equal(t, want, got)
}

func TestDerivedAddressesAreChecksummed(t *testing.T) {
	ctx := context.Background()
	d, err := NewDerived(testSeed(0x07))
	require.NoError(t, err)
	seen := make(map[string]bool)
	for i := range 200 {
		id := uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(i)})
		addr, err := d.Address(ctx, id)
		require.NoError(t, err)
		require.True(t, ValidChecksum(addr), addr)
		require.False(t, seen[addr], "duplicate address %s", addr)
		seen[addr] = true
	}
}

func TestAddressHonoursCancelledContext(t *testing.T) {
	d, err := NewDerived(testSeed(0x01))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = d.Address(ctx, uuid.New())
	require.ErrorIs(t, err, context.Canceled)
}

func TestDerivedConcurrentUse(t *testing.T) {
	d, err := NewDerived(testSeed(0x09))
	require.NoError(t, err)
	id := uuid.MustParse("00000000-0000-4000-8000-000000000001")
	want, err := d.Address(context.Background(), id)
	require.NoError(t, err)
	errs := make(chan error, 16)
	for range 16 {
		go func() {
			got, err := d.Address(context.Background(), id)
			if err == nil && got != want {
				err = errMismatch(got)
			}
			errs <- err
		}()
	}
	for range 16 {
		require.NoError(t, <-errs)
	}
}
