package identity_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

func TestValidateLocaleStoresCanonicalTagsOfKnownLanguages(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"": "", "  ": "", "es": "es", "ES_mx": "es-MX", "zh-hant-tw": "zh-Hant-TW", "iw": "he",
		"sr-Latn": "sr-Latn", "es-419": "es-419", "de-DE-u-co-phonebk": "de-DE-u-co-phonebk",
	} {
		got, err := identity.ValidateLocale("locale", in)
		if err != nil || got != want {
			t.Errorf("ValidateLocale(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"xx", "und", "mul", "*", "x-foo", "en-", "es\x00", "caf\xe9", strings.Repeat("a", 36),
		"en-US-u-ca-gregory-nu-latn-x-aaaaaaaa"} {
		got, err := identity.ValidateLocale("locale", bad)
		var e *ports.Error
		if !errors.As(err, &e) || e.Code != ports.CodeValidationFailed || e.Fields["locale"] == "" || got != "" {
			t.Errorf("ValidateLocale(%.40q) = %q, %v; want VALIDATION_FAILED on locale", bad, got, err)
		}
	}
}
