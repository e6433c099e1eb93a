package perimeter

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"time"
)

// WhitelinkHeader is the request header a client presents its whitelink
// token in.
const WhitelinkHeader = "X-Gatehouse-Whitelink"

// whitelinkPrefix marks a whitelink token (and its format's version).
const whitelinkPrefix = "gwl1_"

// whitelinkRaw is the token's bytes: the expiry (unix seconds), 16
// random bytes (no two links are alike) and the HMAC-SHA256 of both.
const whitelinkRaw = 8 + 16 + sha256.Size

// Whitelinks issues and checks whitelink tokens: signed with a key derived
// from the master data key, so every instance checks them without a
// database read, and nothing about a link is stored. A link cannot be
// revoked before it expires: its lifetime is bounded (MaxExpiresIn) for
// that reason.
type Whitelinks struct {
	key []byte
}

// NewWhitelinks returns a signer with key (32 bytes or more).
func NewWhitelinks(key []byte) *Whitelinks { return &Whitelinks{key: key} }

// Whitelink is a token that lets the client presenting it past the
// restrictions until ExpiresAt.
type Whitelink struct {
	Token     string
	ExpiresAt time.Time
}

// issue signs a token valid until exp (to the second).
func (w *Whitelinks) issue(exp time.Time) Whitelink {
	var raw [whitelinkRaw]byte
	binary.BigEndian.PutUint64(raw[:8], uint64(exp.Unix()))
	_, _ = rand.Read(raw[8:24])
	w.sign(raw[:24], raw[24:24])
	return Whitelink{Token: whitelinkPrefix + base64.RawURLEncoding.EncodeToString(raw[:]),
		ExpiresAt: time.Unix(exp.Unix(), 0).UTC()}
}

func (w *Whitelinks) sign(msg, dst []byte) []byte {
	m := hmac.New(sha256.New, w.key)
	m.Write(msg)
	return m.Sum(dst)
}

// Valid tells whether token is a whitelink of this key that has not
// expired at now. Anything else (malformed, forged, expired) is simply
// not a whitelink: the request is judged by the restrictions.
func (w *Whitelinks) Valid(token string, now time.Time) bool {
	if w == nil || len(w.key) == 0 || len(token) != len(whitelinkPrefix)+base64.RawURLEncoding.EncodedLen(whitelinkRaw) ||
		token[:len(whitelinkPrefix)] != whitelinkPrefix {
		return false
	}
	var raw [whitelinkRaw]byte
	// Strict: the last character's two spare bits must be zero, so a link
	// has one spelling.
	n, err := base64.RawURLEncoding.Strict().Decode(raw[:], []byte(token[len(whitelinkPrefix):]))
	if err != nil || n != whitelinkRaw {
		return false
	}
	var mac [sha256.Size]byte
	if !hmac.Equal(w.sign(raw[:24], mac[:0]), raw[24:]) {
		return false
	}
	return now.Unix() < int64(binary.BigEndian.Uint64(raw[:8]))
}

type whitelinkKey struct{}

// WithWhitelink carries the whitelink token a request presented.
func WithWhitelink(ctx context.Context, token string) context.Context {
	if token == "" {
		return ctx
	}
	return context.WithValue(ctx, whitelinkKey{}, token)
}

func whitelinkFrom(ctx context.Context) string {
	t, _ := ctx.Value(whitelinkKey{}).(string)
	return t
}
