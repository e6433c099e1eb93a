package identity_test

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// strongPassphrase scores 4 with zxcvbn.
const strongPassphrase = "violet otter juggles seventeen lanterns"

// randomRunes returns n runes, some of them multibyte, with no pattern.
func randomRunes(n int) string {
	alphabet := []rune("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789#%&*éüßøжд犬漢")
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]rune, n)
	for i := range out {
		out[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(out)
}

// passwordProblem returns the one field problem of a VALIDATION_FAILED error.
func passwordProblem(t *testing.T, err error, field string) string {
	t.Helper()
	var e *ports.Error
	require.True(t, errors.As(err, &e), "want a *ports.Error, got %v", err)
	require.Equal(t, ports.CodeValidationFailed, e.Code)
	require.Len(t, e.Fields, 1)
	require.Contains(t, e.Fields, field)
	return e.Fields[field]
}

func TestValidatePassword(t *testing.T) {
	const email, phone, name = "marguerite.okonkwo@example.com", "+447911123456", "Marguerite Okonkwo"
	tests := []struct {
		name, password string
		inputs         []string
		ok             bool
		problem        string // part of the field problem when refused
	}{
		{"strong passphrase", strongPassphrase, nil, true, ""},
		{"strong passphrase with the user's details", strongPassphrase, []string{email, phone, name}, true, ""},
		{"random 16", "tV9#qLm2@xR7!wZp", nil, true, ""},
		{"spaces are fine", "  blue  kettle  marmalade  ", nil, true, ""},
		{"8 runes, strong", "Zq7#vW2!", nil, true, ""},
		{"8 multibyte runes", "ж犬🦊é∂ß漢ø", nil, true, ""},
		{"128 runes", randomRunes(128), nil, true, ""},
		{"short user inputs are ignored", strongPassphrase + " bo", []string{"bo@example.com", "Bo"}, true, ""},

		{"empty", "", nil, false, "is required"},
		{"7 runes", "Zq7#vW2", nil, false, "at least 8"},
		{"7 multibyte runes (more than 8 bytes)", "ж犬🦊é∂ß漢", nil, false, "at least 8"},
		{"129 runes", randomRunes(129), nil, false, "at most 128"},
		{"control character", "violet otter\tjuggles seventeen", nil, false, "control characters"},
		{"newline", strongPassphrase + "\n", nil, false, "control characters"},
		{"not UTF-8", strongPassphrase + "\xff", nil, false, "control characters"},
		{"password1", "password1", nil, false, ""},
		{"qwerty123", "qwerty123", nil, false, ""},
		{"P@ssw0rd", "P@ssw0rd", nil, false, ""},
		{"upper-case common", "PASSWORD123", nil, false, ""},
		{"common with a suffix", "Sunshine2024!", nil, false, "too common"},
		{"keyboard walk", "qwertyuiop", nil, false, ""},
		{"repeat", "aaaaaaaaaaaa", nil, false, ""},
		{"sequence", "abcdefghijkl", nil, false, ""},
		{"email local part", strongPassphrase + " marguerite.okonkwo", []string{email}, false, "email address"},
		{"email local part, other case", "Marguerite.Okonkwo!Lanterns", []string{email}, false, "email address"},
		{"whole email", "marguerite.okonkwo@example.com", []string{email}, false, "email address"},
		{"phone digits", "lanterns 7911123456 otter", []string{phone}, false, "phone number"},
		{"national phone number", "07911123456 violet otter", []string{phone}, false, "phone number"},
		{"name", "okonkwo violet lanterns juggle", []string{email, phone, name}, false, ""},
		{"name without its space", "margueriteokonkwo77!", []string{name}, false, "name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := identity.ValidatePassword("password", tc.password, tc.inputs...)
			s := identity.RatePassword(tc.password, tc.inputs...)
			if tc.ok {
				assert.NoError(t, err)
				assert.True(t, s.Acceptable)
				assert.GreaterOrEqual(t, s.Score, identity.MinPasswordScore)
				assert.NotNil(t, s.Feedback)
				assert.Empty(t, s.Feedback)
				return
			}
			problem := passwordProblem(t, err, "password")
			assert.Contains(t, problem, tc.problem)
			assert.False(t, s.Acceptable)
			assert.NotEmpty(t, s.Feedback)
			if tc.password != "" {
				assert.NotContains(t, problem, tc.password)
			}
		})
	}
}

func TestRatePasswordCommon(t *testing.T) {
	for _, pw := range []string{"password1", "qwerty123", "P@ssw0rd", "iloveyou", "Trustno1", "1q2w3e4r5t", "letmein123", "monkey2024!"} {
		s := identity.RatePassword(pw)
		assert.False(t, s.Acceptable, pw)
		assert.Less(t, s.Score, identity.MinPasswordScore, pw)
		assert.Contains(t, s.Feedback, "This is one of the most common passwords; choose something else.", pw)
	}
	// A long random tail is no longer "a common password plus a suffix".
	s := identity.RatePassword("monkey" + "8462917305")
	assert.NotContains(t, s.Feedback, "This is one of the most common passwords; choose something else.")
}

func TestRatePasswordScores(t *testing.T) {
	s := identity.RatePassword(strongPassphrase)
	assert.Equal(t, 4, s.Score)
	assert.True(t, s.Acceptable)

	s = identity.RatePassword("")
	assert.Equal(t, identity.PasswordStrength{Score: 0, Feedback: []string{"Enter a password."}}, s)

	// Common or personal passwords score low, whatever zxcvbn makes of them.
	s = identity.RatePassword(strongPassphrase, "Lanterns Juggles")
	assert.Less(t, s.Score, identity.MinPasswordScore)
	assert.False(t, s.Acceptable)
	assert.Contains(t, s.Feedback, "Don't use your name.")

	// A too long password is refused but still scored (on its first 128
	// runes) and quickly.
	long := strings.Repeat(strongPassphrase+" ", 200)
	start := time.Now()
	s = identity.RatePassword(long)
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.False(t, s.Acceptable)
	assert.Equal(t, 4, s.Score)
	assert.Equal(t, []string{"Use at most 128 characters."}, s.Feedback)
}

func TestRatePasswordIsQuick(t *testing.T) {
	// zxcvbn's look-alike search takes seconds on long runs of symbols;
	// RatePassword must stay quick on anything up to the length limit.
	r := rand.New(rand.NewPCG(3, 4))
	gen := func(alphabet string) string {
		a := []rune(alphabet)
		out := make([]rune, identity.PasswordMaxLength)
		for i := range out {
			out[i] = a[r.IntN(len(a))]
		}
		return string(out)
	}
	for _, pw := range []string{
		gen("4@3105$7|!+()<[{"), gen("4@3105$7|!abegilostxz"), gen("0123456789"), gen("0123456789-/. "),
		strings.Repeat("19871231", 16), randomRunes(identity.PasswordMaxLength),
		gen("4@3105$7|!+()<[{")[:24],
	} {
		start := time.Now()
		identity.RatePassword(pw, "marguerite.okonkwo@example.com", "+447911123456", "Marguerite Okonkwo")
		assert.Less(t, time.Since(start), 2*time.Second)
	}
}

func TestRatePasswordFeedback(t *testing.T) {
	tests := []struct {
		password string
		want     string
	}{
		{"short", "Use at least 8 characters."},
		{"qwertyuiop", "Add another word or two; uncommon words are better."},
		{"wsxcderfv", "Avoid keyboard patterns such as rows of neighbouring keys."},
		{"aaaaaaaaaaaa", "Avoid repeated characters or words."},
		{"abcdefghijklmnop", "Avoid sequences of letters or numbers in order."},
		{"elephant", "This is one of the most common passwords; choose something else."},
	}
	for _, tc := range tests {
		t.Run(tc.password, func(t *testing.T) {
			s := identity.RatePassword(tc.password)
			assert.Contains(t, s.Feedback, tc.want)
		})
	}
}

func TestPasswordFeedbackNeverContainsThePassword(t *testing.T) {
	const email, phone, name = "lanterns.otter@example.com", "+14155550123", "Violet Lanterns"
	for _, pw := range []string{
		"password1", "Password1!", "P@ssw0rd", "qwertyuiop", "aaaaaaaa", "abcdefgh", "12345678",
		"lanterns.otter1", "4155550123xyz", "violetlanterns", "short", "Tr0ub4dor", "dragon2024",
		"correct horse", "Sequence123456", "\tcontrol\tchars\t", strings.Repeat("z", 200),
	} {
		s := identity.RatePassword(pw, email, phone, name)
		err := identity.ValidatePassword("password", pw, email, phone, name)
		for _, fb := range s.Feedback {
			assert.NotContains(t, fb, pw)
			assert.NotContains(t, strings.ToLower(fb), strings.ToLower(pw))
		}
		if err != nil {
			assert.NotContains(t, err.Error(), pw)
		}
	}
}

// A password made of one short part repeated is as weak as the part, however
// long it grows; zxcvbn scored "iloveyou"×6 as strong.
func TestPasswordsOfOneShortPartRepeatedAreRefused(t *testing.T) {
	for _, pw := range []string{
		strings.Repeat("iloveyou", 6),
		strings.Repeat("Tr0ub4dor&", 3),
		strings.Repeat("qz7!", 5),
		strings.Repeat("ab", 20),
		"abcdabcdabcdabcdabcdab", // a part repeated with a partial tail
		"aaaabbbbaaaabbbbccccab", // four distinct characters
	} {
		t.Run(pw, func(t *testing.T) {
			err := identity.ValidatePassword("newPassword", pw)
			require.Error(t, err)
			assert.Contains(t, passwordProblem(t, err, "newPassword"), "repeat")
			assert.False(t, identity.RatePassword(pw).Acceptable)
		})
	}
	// A repeated part that is long against the whole is fine.
	for _, pw := range []string{strongPassphrase, "violet otter violet otter juggles"} {
		require.NoError(t, identity.ValidatePassword("newPassword", pw), pw)
	}
}
