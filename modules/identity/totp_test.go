package identity_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"image/png"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
)

// totpSecret is RFC 6238's SHA-1 test key, "12345678901234567890", in base32.
var totpSecret = base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))

func TestTOTPCodeRFC6238Vectors(t *testing.T) {
	// RFC 6238 appendix B, SHA-1, last 6 of the 8 digits.
	for unix, want := range map[int64]string{
		59: "287082", 1111111109: "081804", 1111111111: "050471", 1234567890: "005924", 2000000000: "279037",
	} {
		got, err := identity.TOTPCode(totpSecret, time.Unix(unix, 0))
		require.NoError(t, err)
		assert.Equal(t, want, got, "t=%d", unix)
	}
	_, err := identity.TOTPCode("", time.Now())
	assert.Error(t, err, "an empty secret is no secret")
	_, err = identity.TOTPCode("not base32!", time.Now())
	assert.Error(t, err)
	_, err = identity.TOTPCode("JBSWY3DPEHPK3PXP", time.Now()) // 80 bits
	assert.Error(t, err, "too short a secret")
}

func TestMatchTOTPWindow(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 10, 0, time.UTC)
	step := at.Unix() / 30
	code, err := identity.TOTPCode(totpSecret, at)
	require.NoError(t, err)

	tests := []struct {
		name  string
		now   time.Time
		match bool
	}{
		{"same time", at, true},
		{"same step, later", at.Add(19 * time.Second), true},
		{"30 s later", at.Add(30 * time.Second), true},
		{"30 s earlier", at.Add(-30 * time.Second), true},
		{"90 s later", at.Add(90 * time.Second), false},
		{"90 s earlier", at.Add(-90 * time.Second), false},
		{"an hour later", at.Add(time.Hour), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := identity.MatchTOTP(totpSecret, code, tc.now, 0)
			assert.Equal(t, tc.match, ok)
			if tc.match {
				assert.Equal(t, step, got, "the step the code belongs to")
			}
		})
	}
}

func TestMatchTOTPOnce(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 10, 0, time.UTC)
	step := at.Unix() / 30
	code, err := identity.TOTPCode(totpSecret, at)
	require.NoError(t, err)

	got, ok := identity.MatchTOTP(totpSecret, code, at, step-1)
	require.True(t, ok)
	assert.Equal(t, step, got)

	// Replayed in its own step or the next: refused, though it matches.
	got, ok = identity.MatchTOTP(totpSecret, code, at, step)
	assert.False(t, ok)
	assert.Equal(t, step, got)
	_, ok = identity.MatchTOTP(totpSecret, code, at.Add(30*time.Second), step)
	assert.False(t, ok)
	// A code older than the last one used is refused too.
	_, ok = identity.MatchTOTP(totpSecret, code, at, step+1)
	assert.False(t, ok)

	// The next step's code still works after this one was used.
	next, err := identity.TOTPCode(totpSecret, at.Add(30*time.Second))
	require.NoError(t, err)
	got, ok = identity.MatchTOTP(totpSecret, next, at, step)
	require.True(t, ok)
	assert.Equal(t, step+1, got)
}

func TestMatchTOTPRefuses(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 10, 0, time.UTC)
	code, err := identity.TOTPCode(totpSecret, at)
	require.NoError(t, err)
	wrong := []byte(code)
	wrong[5] = '0' + (wrong[5]-'0'+1)%10

	other := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("abcdefghijabcdefghij"))
	for name, tc := range map[string]struct{ secret, code string }{
		"wrong code":        {totpSecret, string(wrong)},
		"other secret":      {other, code},
		"empty":             {totpSecret, ""},
		"5 digits":          {totpSecret, code[:5]},
		"7 digits":          {totpSecret, code + "0"},
		"space":             {totpSecret, code[:3] + " " + code[3:]},
		"leading space":     {totpSecret, " " + code},
		"letters":           {totpSecret, "12345a"},
		"non-ASCII digits":  {totpSecret, "١٢٣٤٥٦"},
		"empty secret":      {"", code},
		"not base32 secret": {"!!!!", code},
		"secret of 80 bits": {"JBSWY3DPEHPK3PXP", code},
	} {
		t.Run(name, func(t *testing.T) {
			step, ok := identity.MatchTOTP(tc.secret, tc.code, at, 0)
			assert.False(t, ok)
			assert.Zero(t, step)
		})
	}
	// A lower-case or padded secret is the same secret.
	_, ok := identity.MatchTOTP(strings.ToLower(totpSecret), code, at, 0)
	assert.True(t, ok)
	_, ok = identity.MatchTOTP(totpSecret+"====", code, at, 0)
	assert.True(t, ok)
}

func TestLooksLikeTOTP(t *testing.T) {
	for code, want := range map[string]bool{
		"123456": true, "000000": true,
		"": false, "12345": false, "1234567": false, "12345a": false, "123 456": false, " 123456": false,
		"١٢٣٤٥٦": false, "abcd-efgh-ijkl-mnop": false,
	} {
		assert.Equal(t, want, identity.LooksLikeTOTP(code), "%q", code)
	}
}

func TestNewTOTPEnrollment(t *testing.T) {
	e, err := identity.NewTOTPEnrollment("Gatehouse", "ada@example.com")
	require.NoError(t, err)

	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(e.Secret)
	require.NoError(t, err)
	assert.Len(t, raw, 20)

	key, err := otp.NewKeyFromURL(e.URI)
	require.NoError(t, err)
	assert.Equal(t, "totp", key.Type())
	assert.Equal(t, "Gatehouse", key.Issuer())
	assert.Equal(t, "ada@example.com", key.AccountName())
	assert.Equal(t, e.Secret, key.Secret())
	assert.Equal(t, uint64(30), key.Period())
	assert.Equal(t, otp.DigitsSix, key.Digits())
	assert.Equal(t, otp.AlgorithmSHA1, key.Algorithm())

	const prefix = "data:image/png;base64,"
	require.True(t, strings.HasPrefix(e.QRCodeDataURL, prefix))
	pngBytes, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(e.QRCodeDataURL, prefix))
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(pngBytes))
	require.NoError(t, err)
	assert.Equal(t, 256, img.Bounds().Dx())
	assert.Equal(t, 256, img.Bounds().Dy())

	// A code from the new secret matches.
	now := time.Now()
	code, err := identity.TOTPCode(e.Secret, now)
	require.NoError(t, err)
	_, ok := identity.MatchTOTP(e.Secret, code, now, 0)
	assert.True(t, ok)

	e2, err := identity.NewTOTPEnrollment("Gatehouse", "ada@example.com")
	require.NoError(t, err)
	assert.NotEqual(t, e.Secret, e2.Secret, "each enrollment draws a new secret")

	for _, ok := range [][2]string{{"Gatehouse Bank", "+447911123456"}, {"Gatehouse", "3f1c9a2e-0b7d-4c52-9a61-6a1f0e2b8c4d"}} {
		e, err := identity.NewTOTPEnrollment(ok[0], ok[1])
		require.NoError(t, err)
		key, err := otp.NewKeyFromURL(e.URI)
		require.NoError(t, err)
		assert.Equal(t, ok[0], key.Issuer())
		assert.Equal(t, ok[1], key.AccountName())
	}

	for _, bad := range [][2]string{{"", "ada@example.com"}, {"Gatehouse", ""}, {"Gate:house", "ada"}, {"Gatehouse", "a:da"}} {
		_, err := identity.NewTOTPEnrollment(bad[0], bad[1])
		assert.Error(t, err, "%q", bad)
	}
}

var recoveryCodeShape = regexp.MustCompile(`^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$`)

func TestNewRecoveryCodes(t *testing.T) {
	codes, digests, err := identity.NewRecoveryCodes(10)
	require.NoError(t, err)
	require.Len(t, codes, 10)
	require.Len(t, digests, 10)

	seen := map[string]bool{}
	for i, code := range codes {
		assert.Regexp(t, recoveryCodeShape, code)
		assert.False(t, seen[code], "codes are unique")
		seen[code] = true

		norm, ok := identity.NormalizeRecoveryCode(code)
		require.True(t, ok)
		assert.Equal(t, strings.ReplaceAll(code, "-", ""), norm)
		want := sha256.Sum256([]byte(norm))
		assert.Equal(t, want[:], digests[i])
		assert.Equal(t, digests[i], identity.RecoveryDigest(norm))

		// As a user may type it.
		typed := " " + strings.ToUpper(strings.ReplaceAll(code, "-", " ")) + "\n"
		norm2, ok := identity.NormalizeRecoveryCode(typed)
		require.True(t, ok)
		assert.Equal(t, norm, norm2)
	}

	for _, n := range []int{0, -1, 101} {
		_, _, err := identity.NewRecoveryCodes(n)
		assert.Error(t, err, "n=%d", n)
	}
}

func TestNormalizeRecoveryCode(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"abcd-efgh-ijkl-mnop", "abcdefghijklmnop", true},
		{"ABCD-EFGH-IJKL-MNOP", "abcdefghijklmnop", true},
		{"abcdefghijklmnop", "abcdefghijklmnop", true},
		{"  qrst uvwx yz23 4567 ", "qrstuvwxyz234567", true},
		{"abcd--efgh-ijkl-mnop", "abcdefghijklmnop", true},

		{"", "", false},
		{"abcd-efgh-ijkl-mno", "", false},     // 15
		{"abcd-efgh-ijkl-mnopq", "", false},   // 17
		{"abcd-efgh-ijkl-mno1", "", false},    // 1 is not base32
		{"abcd-efgh-ijkl-mno0", "", false},    // nor 0
		{"abcd-efgh-ijkl-mno8", "", false},    // nor 8
		{"abcd_efgh_ijkl_mnop", "", false},    // underscores
		{"abcd-efgh-ijkl-mnoé", "", false},    // non-ASCII
		{"123456", "", false},                 // a TOTP code
		{strings.Repeat("a", 100), "", false}, // long
		{strings.Repeat("-", 100) + "abcdefghijklmnop", "", false},
	}
	for _, tc := range tests {
		got, ok := identity.NormalizeRecoveryCode(tc.in)
		assert.Equal(t, tc.ok, ok, "%q", tc.in)
		assert.Equal(t, tc.want, got, "%q", tc.in)
	}
	assert.Len(t, identity.RecoveryDigest("abcdefghijklmnop"), 32)
	assert.NotEqual(t, identity.RecoveryDigest("abcdefghijklmnop"), identity.RecoveryDigest("abcdefghijklmnoq"))
}
