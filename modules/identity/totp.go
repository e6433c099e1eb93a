package identity

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/skip2/go-qrcode"
)

// Authenticator app (TOTP, RFC 6238) parameters: the ones every app
// supports.
const (
	totpPeriod     = 30 // seconds per step
	totpDigits     = 6
	totpSecretSize = 20 // bytes: 160 bits, as RFC 4226 recommends
	// totpMinSecret is RFC 4226's lower bound on a shared secret (128 bits);
	// MatchTOTP refuses shorter (or empty) secrets.
	totpMinSecret = 16
	totpQRSize    = 256 // pixels
)

var totpOpts = totp.ValidateOpts{
	Period:    totpPeriod,
	Digits:    otp.DigitsSix,
	Algorithm: otp.AlgorithmSHA1,
}

// TOTPEnrollment is what a user needs to add Gatehouse to an authenticator
// app: the secret to type in, or the otpauth:// URI as a QR code to scan.
type TOTPEnrollment struct {
	Secret        string // base32, no padding
	URI           string // otpauth://totp/...
	QRCodeDataURL string // data:image/png;base64,...
}

// NewTOTPEnrollment draws a new 160-bit secret for account (the user's email
// address or phone number) at issuer (the service's name).
func NewTOTPEnrollment(issuer, account string) (TOTPEnrollment, error) {
	if strings.Contains(issuer, ":") || strings.Contains(account, ":") {
		// The otpauth label is "issuer:account"; a colon in either is ambiguous.
		return TOTPEnrollment{}, errors.New("identity: totp: issuer and account must not contain ':'")
	}
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer:      issuer,
		AccountName: account,
		Period:      totpPeriod,
		SecretSize:  totpSecretSize,
		Digits:      otp.DigitsSix,
		Algorithm:   otp.AlgorithmSHA1,
	})
	if err != nil {
		return TOTPEnrollment{}, fmt.Errorf("identity: totp: generate: %w", err)
	}
	png, err := qrcode.Encode(key.URL(), qrcode.Medium, totpQRSize)
	if err != nil {
		return TOTPEnrollment{}, fmt.Errorf("identity: totp: qr code: %w", err)
	}
	return TOTPEnrollment{
		Secret:        key.Secret(),
		URI:           key.URL(),
		QRCodeDataURL: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png),
	}, nil
}

// totpStep is the RFC 6238 time step that t falls in.
func totpStep(t time.Time) int64 {
	u := t.Unix()
	step := u / totpPeriod
	if u < 0 && u%totpPeriod != 0 {
		step-- // floor, not truncation
	}
	return step
}

// TOTPCode is the code an app with secret shows at time at.
func TOTPCode(secret string, at time.Time) (string, error) {
	secret, err := normalizeTOTPSecret(secret)
	if err != nil {
		return "", err
	}
	return totp.GenerateCodeCustom(secret, at, totpOpts)
}

// normalizeTOTPSecret returns secret in upper case without padding. It
// refuses a secret that is not base32 or is too short to be one of ours (an
// empty secret would otherwise give valid-looking codes).
func normalizeTOTPSecret(secret string) (string, error) {
	s := strings.ToUpper(strings.TrimRight(strings.TrimSpace(secret), "="))
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
	if err != nil || len(b) < totpMinSecret {
		return "", errors.New("identity: totp: invalid secret")
	}
	return s, nil
}

// MatchTOTP checks code against the steps before, at and after now, so a
// clock off by up to one step still works. It returns the step code belongs
// to (the latest one if several match) and ok only if that step is after
// lastStep: each code works once, so a code seen (even in its window) is not
// accepted again. All three steps are always compared, in constant time.
func MatchTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	if !LooksLikeTOTP(code) {
		return 0, false
	}
	secret, err := normalizeTOTPSecret(secret)
	if err != nil {
		return 0, false
	}
	cur := totpStep(now)
	var (
		best     int64 // latest matching step after lastStep
		found    bool
		replay   int64 // latest matching step at or before lastStep
		replayed bool
	)
	for s := cur - 1; s <= cur+1; s++ {
		if s < 0 {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totpOpts)
		if err != nil {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			if s > lastStep {
				best, found = s, true
			} else {
				replay, replayed = s, true
			}
		}
	}
	switch {
	case found:
		return best, true
	case replayed:
		return replay, false
	}
	return 0, false
}

// LooksLikeTOTP reports whether code has the shape of an app code: six ASCII
// digits.
func LooksLikeTOTP(code string) bool {
	if len(code) != totpDigits {
		return false
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}

// Recovery codes: 80 random bits, written as 16 lower-case base32
// characters in four groups of four.
const (
	recoveryCodeBytes = 10
	recoveryCodeLen   = 16
	maxRecoveryCodes  = 100
)

var recoveryEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewRecoveryCodes draws n distinct recovery codes ("abcd-efgh-ijkl-mnop")
// to show the user once, and their digests (RecoveryDigest) to keep.
func NewRecoveryCodes(n int) (codes []string, digests [][]byte, err error) {
	if n < 1 || n > maxRecoveryCodes {
		return nil, nil, fmt.Errorf("identity: recovery codes: count %d out of range 1..%d", n, maxRecoveryCodes)
	}
	seen := make(map[string]bool, n)
	buf := make([]byte, recoveryCodeBytes)
	for len(codes) < n {
		if _, err := rand.Read(buf); err != nil {
			return nil, nil, fmt.Errorf("identity: recovery codes: %w", err)
		}
		norm := recoveryEncoding.EncodeToString(buf)
		if seen[norm] {
			continue
		}
		seen[norm] = true
		codes = append(codes, norm[0:4]+"-"+norm[4:8]+"-"+norm[8:12]+"-"+norm[12:16])
		digests = append(digests, RecoveryDigest(norm))
	}
	return codes, digests, nil
}

// NormalizeRecoveryCode reads a recovery code as a user may type it (any
// case, with or without dashes and spaces) and returns its 16 characters,
// ok only if it has the shape of one.
func NormalizeRecoveryCode(s string) (string, bool) {
	if len(s) > 64 {
		return "", false
	}
	s = strings.Map(func(r rune) rune {
		if r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
	if len(s) != recoveryCodeLen {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z') && !(c >= '2' && c <= '7') {
			return "", false
		}
	}
	return s, true
}

// RecoveryDigest is what is kept of a normalised recovery code: its
// SHA-256. 80 random bits need no salt or slow hash.
func RecoveryDigest(normalized string) []byte {
	sum := sha256.Sum256([]byte(normalized))
	return sum[:]
}
