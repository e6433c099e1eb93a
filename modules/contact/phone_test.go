package contact_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"E.164", "+447911123456", "+447911123456"},
		{"spaces around and inside", " +44 7911 123456 ", "+447911123456"},
		{"Bangladesh", "+8801712345678", "+8801712345678"},
		{"punctuation", "+44 (7911) 123-456", "+447911123456"},
		{"US", "+1 202 555 0123", "+12025550123"},
		{"32 characters", "+44" + strings.Repeat(" ", 19) + "7911123456", "+447911123456"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := contact.NormalizePhone("phone", tc.raw)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestNormalizePhoneRefuses(t *testing.T) {
	tests := []struct {
		name, raw string
	}{
		{"empty", ""},
		{"blank", "   "},
		{"national format, no +", "07911123456"},
		{"digits without +", "447911123456"},
		{"too short", "+12"},
		{"letters only", "+abc"},
		{"letters mixed in", "+44791112345A"},
		{"words", "+44 7911 FLOWER"},
		{"not a number at all", "hello"},
		{"invalid for the country", "+44123"},
		{"33 characters", "+44" + strings.Repeat(" ", 20) + "7911123456"},
		{"over 32 characters inside", "+4 4 7 9 1 1 1 2 3 4 5 6 7 8 9 0 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := contact.NormalizePhone("msisdn", tc.raw)
			errtest.Code(t, err, ports.CodeValidationFailed, "%q must be refused", tc.raw)
			assert.NotEmpty(t, errtest.Fields(t, err)["msisdn"])
		})
	}
}

func TestNormalizePhoneRefusesKeypadLetters(t *testing.T) {
	for _, raw := range []string{"+447911ABCDEF", "+1 800 FLOWERS"} {
		_, err := contact.NormalizePhone("phone", raw)
		errtest.Code(t, err, ports.CodeValidationFailed, raw)
	}
}
