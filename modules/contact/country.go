package contact

import (
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/gatehouse/gatehouse/ports"
)

// ValidateCountry accepts an ISO 3166-1 alpha-2 code (any case), or empty.
// Errors: VALIDATION_FAILED on field.
func ValidateCountry(field, raw string) (string, error) {
	code := strings.ToUpper(strings.TrimSpace(raw))
	if code == "" {
		return "", nil
	}
	if len(code) != 2 || !isRegion(code) {
		return "", ports.InvalidField(field, "must be an ISO 3166-1 alpha-2 country code, e.g. GB")
	}
	return code, nil
}

// isRegion reports whether code is a country the phone-number library
// knows: the ISO 3166-1 alpha-2 codes in use.
func isRegion(code string) bool {
	_, ok := phonenumbers.GetSupportedRegions()[code]
	return ok
}
