// Package apikeys lets a user's bot call Gatehouse as the user: keys
// guarded by the user's authenticator app (TOTP), each limited to scopes,
// each request signed with the key's secret over a fresh nonce.
package apikeys

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Key is a user's API key. Its secret is kept sealed (it is needed back to
// check signatures, so it cannot be a hash) and shown to the user once.
type Key struct {
	ID           uuid.UUID
	UserID       uuid.UUID
	SealedSecret []byte
	Scopes       []string
	State        State
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// State says whether a key may sign requests.
type State string

// States of a key.
const (
	Active   State = "ACTIVE"
	Disabled State = "DISABLED"
)

// Scopes a key may hold: read covers queries (the owner's data, as far as
// the owner's permission rows allow), write covers queries and mutations
// (graph/scopes.go applies them).
const (
	ScopeRead  = "read"
	ScopeWrite = "write"
)

// Reasons of the refusals of a signed request and of the key mutations
// (extensions.reason).
const (
	ReasonKeyUnknown        = "KEY_UNKNOWN"
	ReasonKeyDisabled       = "KEY_DISABLED"
	ReasonSignatureInvalid  = "SIGNATURE_INVALID"
	ReasonSignatureLimit    = "TOO_MANY_BAD_SIGNATURES"
	ReasonNonceStale        = "NONCE_STALE"
	ReasonNonceReplayed     = "NONCE_REPLAYED"
	ReasonTOTPRequired      = "TOTP_REQUIRED"
	ReasonKeyLimitReached   = "KEY_LIMIT_REACHED"
	ReasonNoChangeRequested = "NO_CHANGE"
)

// secretBytes is the secret's entropy: 256 bits, so no guessing helps.
const secretBytes = 32

// NewSecret draws a key's secret: 64 hex characters, the HMAC key a bot
// signs with (the characters themselves, as `openssl dgst -hmac` takes it).
func NewSecret() (string, error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// Signature is the hex HMAC-SHA256, keyed with secret, of nonce followed
// by the key id: what X-Api-Signature carries.
func Signature(secret, nonce, keyID string) string {
	return hex.EncodeToString(mac(secret, nonce, keyID))
}

func mac(secret, nonce, keyID string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(nonce))
	m.Write([]byte(keyID))
	return m.Sum(nil)
}

// SignatureMatches compares a presented signature (hex, either case) with
// the right one in constant time: a timing difference would leak the right
// one byte by byte.
func SignatureMatches(secret, nonce, keyID, presented string) bool {
	got, err := hex.DecodeString(presented)
	if err != nil {
		return false
	}
	return hmac.Equal(mac(secret, nonce, keyID), got)
}

// CheckScopes validates a key's scopes: one or both of read and write,
// each once. Errors: VALIDATION_FAILED on field.
func CheckScopes(field string, scopes []string) ([]string, error) {
	if len(scopes) == 0 || len(scopes) > 2 {
		return nil, ports.InvalidField(field, "must hold read, write, or both")
	}
	out := make([]string, 0, len(scopes))
	for _, s := range scopes {
		if s != ScopeRead && s != ScopeWrite {
			return nil, ports.InvalidField(field, "must hold only read and write")
		}
		if slices.Contains(out, s) {
			return nil, ports.InvalidField(field, "names "+s+" twice")
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out, nil
}

// maxNonceDigits bounds a nonce: milliseconds since the epoch have 13
// digits until the year 2286.
const maxNonceDigits = 16

// ParseHeaders validates a signed request's headers and returns the key id
// and the nonce's instant. Errors: VALIDATION_FAILED naming the headers.
func ParseHeaders(keyID, nonce, signature string) (uuid.UUID, time.Time, error) {
	bad := map[string]string{}
	id, err := uuid.Parse(keyID)
	if err != nil || len(keyID) != 36 {
		bad["X-Api-Key"] = "must be the key id (a UUID)"
	}
	var ms int64
	if len(nonce) > maxNonceDigits || !digitsOnly(nonce) {
		bad["X-Api-Nonce"] = "must be the milliseconds since the epoch"
	} else if ms, err = strconv.ParseInt(nonce, 10, 64); err != nil {
		bad["X-Api-Nonce"] = "must be the milliseconds since the epoch"
	}
	if len(signature) != 2*sha256.Size || !hexOnly(signature) {
		bad["X-Api-Signature"] = "must be 64 hexadecimal characters (HMAC-SHA256)"
	}
	if len(bad) > 0 {
		return uuid.Nil, time.Time{}, &ports.Error{Code: ports.CodeValidationFailed,
			Message: "the API-key headers are malformed", Fields: bad}
	}
	return id, time.UnixMilli(ms), nil
}

func digitsOnly(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func hexOnly(s string) bool {
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
			return false
		}
	}
	return true
}
