package identity

import (
	"context"
	"strings"

	"golang.org/x/text/language"

	"github.com/gatehouse/gatehouse/ports"
)

// MaxLocaleChars bounds a stored locale: RFC 5646 4.4.1 asks
// implementations to keep tags of at least 35 characters, which every
// language, script and region tag fits with room to spare.
const MaxLocaleChars = 35

// ValidateLocale turns a BCP 47 language tag into its canonical form
// ("EN_us" → "en-US", "iw" → "he"), or "" for empty (the default
// language). Any well-formed tag of a known language is accepted, not only
// the languages messages are written in: a user's choice outlives the
// catalog, and the catalog falls back to the closest language it has.
// Errors: VALIDATION_FAILED on field.
func ValidateLocale(field, raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", nil
	}
	if len(raw) > MaxLocaleChars {
		return "", ports.InvalidField(field, "must be at most 35 characters")
	}
	tag, err := language.Parse(raw)
	// Raw, not Base: Base guesses a language for "und".
	if base, _, _ := tag.Raw(); err != nil || base.String() == "und" || base.String() == "mul" {
		return "", ports.InvalidField(field, "must be a BCP 47 language tag such as en, es or pt-BR")
	}
	canon := tag.String()
	if len(canon) > MaxLocaleChars {
		return "", ports.InvalidField(field, "must be at most 35 characters")
	}
	return canon, nil
}

// requestLocale is the language the request's client asked for
// (Accept-Language's first choice, see ports.RequestMeta), in canonical
// form, or "" when it asked for none we can keep: a new account starts in
// it.
func requestLocale(ctx context.Context) string {
	l, err := ValidateLocale("locale", ports.RequestMetaFrom(ctx).Locale)
	if err != nil {
		return ""
	}
	return l
}
