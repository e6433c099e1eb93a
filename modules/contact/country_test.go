package contact_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestValidateCountry(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"upper case", "GB", "GB"},
		{"lower case", "bd", "BD"},
		{"spaces around", " us ", "US"},
		{"empty is no country", "", ""},
		{"blank is no country", "   ", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := contact.ValidateCountry("country", tc.raw)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestValidateCountryRefuses(t *testing.T) {
	tests := []struct {
		name, raw string
	}{
		{"alpha-3", "GBR"},
		{"one letter", "G"},
		{"not in use", "XX"},
		{"UK is not ISO 3166-1", "UK"},
		{"digits", "44"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := contact.ValidateCountry("countryCode", tc.raw)
			errtest.Code(t, err, ports.CodeValidationFailed, "%q must be refused", tc.raw)
			assert.NotEmpty(t, errtest.Fields(t, err)["countryCode"])
		})
	}
}
