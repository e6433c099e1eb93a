package graph

import (
	"net/http"
	"strings"

	"golang.org/x/text/language"

	"github.com/gatehouse/gatehouse/modules/identity"
)

// maxAcceptLanguage bounds the Accept-Language header read: browsers send
// a few dozen bytes; a longer one is nobody's real preference, and
// parsing it is work a client should not be able to ask for.
const maxAcceptLanguage = 512

// acceptLanguage is the client's first choice of language (highest
// quality, known language) in canonical form, or "" when the header is
// absent, too long or malformed: a bad header only loses the preference,
// never the request.
func acceptLanguage(h http.Header) string {
	raw := strings.Join(h.Values("Accept-Language"), ",")
	if raw == "" || len(raw) > maxAcceptLanguage {
		return ""
	}
	tags, _, err := language.ParseAcceptLanguage(raw)
	if err != nil {
		return ""
	}
	for _, tag := range tags {
		if l, err := identity.ValidateLocale("locale", tag.String()); err == nil && l != "" {
			return l
		}
		// Too long with its extensions: its language, script and region
		// are what messages need.
		base, script, region := tag.Raw()
		if t, err := language.Compose(base, script, region); err == nil {
			if l, err := identity.ValidateLocale("locale", t.String()); err == nil && l != "" {
				return l
			}
		}
	}
	return ""
}
