// Package partners is the partner apps of issue 18: programs of other
// companies (a partner's back office) that call Gatehouse with their own
// OAuth2 client credentials. Staff create, rotate and disable apps; an
// app trades its client id and secret for a short-lived access token at
// POST /oauth2/token (RFC 6749 §4.4).
package partners

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/textin"
	"github.com/gatehouse/gatehouse/ports"
)

// State is where an app stands.
type State string

const (
	// Active apps get tokens.
	Active State = "ACTIVE"
	// Disabled apps get none, and their tokens stop working at once. A
	// disabled app stays disabled: a partner that comes back gets a new
	// app, with new credentials.
	Disabled State = "DISABLED"
)

// App is one partner application. Its ID is its OAuth2 client id.
type App struct {
	ID     uuid.UUID
	Name   string
	Scopes []string
	State  State
	// SecretHash is SHA-256 of the current client secret (see HashSecret).
	SecretHash []byte
	// PreviousSecretHash is the secret a rotation replaced, accepted until
	// PreviousSecretExpiresAt so that a partner can roll its deployment
	// over; nil when there is none.
	PreviousSecretHash      []byte
	PreviousSecretExpiresAt *time.Time
	CreatedBy               uuid.UUID
	CreatedAt               time.Time
	SecretRotatedAt         *time.Time
	DisabledAt              *time.Time
}

// ClientID is the app's OAuth2 client id.
func (a App) ClientID() string { return a.ID.String() }

// Credentials are an app and its secret, shown once: when the app is
// created and when its secret is rotated. Only the hash is kept.
type Credentials struct {
	App    App
	Secret string
}

// The scopes a partner app may hold. Which root fields each opens is the
// graph's scope table; whether the PARTNER role may call them at all is
// the permission rows'.
const (
	// ScopeAccountsWrite opens accounts for users (openAccount).
	ScopeAccountsWrite = "accounts:write"
	// ScopeUsersRead reads users (users, user).
	ScopeUsersRead = "users:read"
)

// Scopes are the scopes an app may be given, in the order they are kept.
var Scopes = []string{ScopeAccountsWrite, ScopeUsersRead}

// Limits of the inputs.
const (
	MaxNameLength = 100
	// MaxScopes bounds the entries of an app's scopes input.
	MaxScopes = 10
	// MaxScopeParam bounds the scope parameter of a token request
	// (every scope, space-separated, fits many times over).
	MaxScopeParam = 512
)

// ReasonSecretRotated is the CONFLICT of a rotation that another one,
// made at the same time, beat: the winner's secret is the app's, and the
// loser's secret was never valid.
const ReasonSecretRotated = "SECRET_ROTATED_MEANWHILE"

// secretPrefix starts every client secret, so a leaked one is easy to
// recognise (secret scanners) and to tell from the other secrets Gatehouse
// hands out.
const secretPrefix = "ghps_"

// newSecret returns a client secret: 256 random bits, base64url.
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return secretPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret is what is kept of a client secret: its SHA-256. A secret of
// 256 random bits cannot be guessed from its hash, so a slow, memory-hard
// hash (argon2id, for PINs and passwords a person chose) would add nothing
// but ~30 ms and 64 MiB to every token request, and hand anyone who can
// reach /oauth2/token a lever on the server's memory. A fast hash also
// lets the comparison be constant-time on fixed-size digests.
func HashSecret(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// secretMatches reports whether secret is the app's current secret, or its
// previous one while that is still in its grace period at now.
func (a App) secretMatches(secret string, now time.Time) bool {
	h := HashSecret(secret)
	cur := subtle.ConstantTimeCompare(h, a.SecretHash) == 1
	prev := a.PreviousSecretHash != nil && a.PreviousSecretExpiresAt != nil && now.Before(*a.PreviousSecretExpiresAt) &&
		subtle.ConstantTimeCompare(h, a.PreviousSecretHash) == 1
	return cur || prev
}

// checkName checks an app's name.
func checkName(name string) (string, error) {
	return textin.Text("name", name, 1, MaxNameLength)
}

// checkScopes checks an app's scopes (at least one, each known) and
// returns them without duplicates, in the order of Scopes.
func checkScopes(field string, scopes []string) ([]string, error) {
	if len(scopes) == 0 {
		return nil, ports.InvalidField(field, "must name at least one scope")
	}
	if len(scopes) > MaxScopes {
		return nil, ports.InvalidField(field, fmt.Sprintf("must name at most %d scopes", MaxScopes))
	}
	for _, s := range scopes {
		if !slices.Contains(Scopes, s) {
			return nil, ports.InvalidField(field, "must be among "+strings.Join(Scopes, ", "))
		}
	}
	var out []string
	for _, s := range Scopes {
		if slices.Contains(scopes, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// Config is the partner apps' settings.
type Config struct {
	// SecretGrace is how long a rotated secret keeps working.
	SecretGrace time.Duration
	// TokenTTL is the lifetime of a partner's access token.
	TokenTTL time.Duration
	// TokensPerMinute bounds the tokens issued per client id, and apart
	// from them the wrong secrets presented for it (so that knowing a
	// client id is no way to use up the partner's limit);
	// TokensPerMinutePerIP bounds the token requests from one client
	// address (IPv6: its /64), counted before anything else.
	TokensPerMinute      int
	TokensPerMinutePerIP int
	// MaxApps bounds the apps, disabled ones included.
	MaxApps int
}

// DefaultConfig is the documented defaults.
func DefaultConfig() Config {
	return Config{SecretGrace: 24 * time.Hour, TokenTTL: 15 * time.Minute, TokensPerMinute: 60,
		TokensPerMinutePerIP: 120, MaxApps: 1000}
}

// Page is one page of apps, oldest first.
type Page struct {
	Items   []App
	Cursors []string
	HasNext bool
}

// Cursor is a position in the list of apps (by CreatedAt, then ID).
type Cursor struct {
	CreatedAt time.Time
	ID        uuid.UUID
}
