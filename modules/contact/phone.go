package contact

import (
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/gatehouse/gatehouse/ports"
)

// NormalizePhone parses an international number (leading +) and returns
// it in E.164. Errors: VALIDATION_FAILED on field.
func NormalizePhone(field, raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", ports.InvalidField(field, "is required")
	}
	if len(raw) > 32 {
		return "", ports.InvalidField(field, "is too long")
	}
	if !strings.HasPrefix(raw, "+") {
		return "", ports.InvalidField(field, "must be in international format, starting with + and the country code")
	}
	// The phone library reads keypad letters as digits and drops
	// extensions; a number we text must be written in digits only.
	for _, r := range raw[1:] {
		if (r < '0' || r > '9') && !strings.ContainsRune(" -().", r) {
			return "", ports.InvalidField(field, "may contain only digits, spaces, dashes, dots and parentheses after the +")
		}
	}
	num, err := phonenumbers.Parse(raw, "")
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", ports.InvalidField(field, "is not a valid phone number")
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}
