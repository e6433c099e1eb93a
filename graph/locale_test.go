package graph

import (
	"net/http"
	"strings"
	"testing"
)

func TestAcceptLanguageKeepsTheFirstUsableChoiceOrNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		values []string
		want   string
	}{
		{nil, ""},
		{[]string{"es-MX,es;q=0.9,en;q=0.8"}, "es-MX"},
		{[]string{"en;q=0.2", "de-AT"}, "de-AT"}, // two header lines are one list
		{[]string{"da;q=0, sv;q=0.3"}, "sv"},     // q=0 means "not this one"
		{[]string{"*;q=1, pt-BR;q=0.5"}, "pt-BR"},
		{[]string{"i-klingon"}, "tlh"},
		{[]string{"en-US-u-ca-gregory-nu-latn-x-aaaaaaaa"}, "en-US"}, // extensions dropped to fit
		{[]string{"x-private"}, ""},
		{[]string{"es\x00"}, ""},
		{[]string{"\xff\xfe"}, ""},
		{[]string{";;;q=,,="}, ""},
		{[]string{strings.Repeat("es-ES,", 100)}, ""}, // longer than anyone's real preference
		{[]string{strings.Repeat("a", 1<<20)}, ""},
	} {
		h := http.Header{}
		for _, v := range tc.values {
			h.Add("Accept-Language", v)
		}
		if got := acceptLanguage(h); got != tc.want {
			t.Errorf("acceptLanguage(%.40q) = %q, want %q", tc.values, got, tc.want)
		}
	}
}
