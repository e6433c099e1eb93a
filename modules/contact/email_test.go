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

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"plain", "ana@example.com", "ana@example.com"},
		{"lower-cased", "Ana.Silva@Example.COM", "ana.silva@example.com"},
		{"spaces around", "  ana@example.com\t", "ana@example.com"},
		{"plus tag", "ana+kyc@example.co.uk", "ana+kyc@example.co.uk"},
		{"254 characters", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 185) + ".com", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 185) + ".com"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := contact.NormalizeEmail("email", tc.raw)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestNormalizeEmailRefuses(t *testing.T) {
	tests := []struct {
		name, raw string
	}{
		{"empty", ""},
		{"blank", "   "},
		{"no @", "ana.example.com"},
		{"nothing before @", "@example.com"},
		{"no dot in the domain", "ana@localhost"},
		{"display name", "Ana <ana@example.com>"},
		{"space inside", "ana silva@example.com"},
		{"quoted local part", `"ana"@example.com`},
		{"comma list", "ana@example.com,bob@example.com"},
		{"local part over 64", strings.Repeat("a", 65) + "@example.com"},
		{"255 characters", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com"},
		{"non-ASCII", "josé@example.com"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := contact.NormalizeEmail("value", tc.raw)
			errtest.Code(t, err, ports.CodeValidationFailed, "%q must be refused", tc.raw)
			fields := errtest.Fields(t, err)
			assert.Len(t, fields, 1)
			assert.NotEmpty(t, fields["value"], "the problem is reported on the given field")
		})
	}
}
