package contact

import (
	"net/mail"
	"strings"
	"unicode"

	"github.com/gatehouse/gatehouse/ports"
)

// maxEmailLength is RFC 5321's limit on a forward path.
const maxEmailLength = 254

// NormalizeEmail checks an address (a bare addr-spec, no display name) and
// returns it lower-cased. Errors: VALIDATION_FAILED on field.
func NormalizeEmail(field, raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	switch {
	case raw == "":
		return "", ports.InvalidField(field, "is required")
	case len(raw) > maxEmailLength:
		return "", ports.InvalidField(field, "is too long")
	}
	addr, err := mail.ParseAddress(raw)
	at := strings.LastIndexByte(raw, '@')
	if err != nil || addr.Address != raw || addr.Name != "" || at < 1 || at > 64 ||
		!strings.Contains(raw[at+1:], ".") || strings.ContainsAny(raw, " \t\r\n\"<>()[],;:\\") {
		return "", ports.InvalidField(field, "is not a valid email address")
	}
	for _, r := range raw {
		if r > unicode.MaxASCII {
			return "", ports.InvalidField(field, "must be written in ASCII")
		}
	}
	return strings.ToLower(raw), nil
}
