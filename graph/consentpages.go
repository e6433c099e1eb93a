package graph

import (
	"net/http"
	"net/netip"

	"github.com/gatehouse/gatehouse/modules/perimeter"
)

// OAuth2Pages serves the OAuth2 login, consent and logout pages
// (modules/consent) with what each request must carry, as GraphQL's do:
// its client's address (the activity rows, the restrictions, the sign-in
// rate limits) and its whitelink. The pages judge the restrictions
// themselves, to answer a refusal as a page rather than as JSON.
func OAuth2Pages(pages http.Handler, trusted []netip.Prefix) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := perimeter.WithWhitelink(withMeta(r, trusted), r.Header.Get(perimeter.WhitelinkHeader))
		pages.ServeHTTP(w, r.WithContext(ctx))
	})
}
