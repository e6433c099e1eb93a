package consent

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/modules/identity"
)

// The scopes Gatehouse knows how to explain, and the claims each one lets
// an app read. An app may ask for others (its own API's scopes); the page
// shows those by name.
const (
	ScopeOpenID        = "openid"
	ScopeOfflineAccess = "offline_access"
	ScopeEmail         = "email"
	ScopePhone         = "phone"
	ScopeKYC           = "kyc"
)

// scopeWords are what the consent page says for a scope.
var scopeWords = map[string]string{
	ScopeOpenID:        "Know who you are (your %s account id)",
	ScopeOfflineAccess: "Stay connected while you are away (keep access until you revoke it)",
	ScopeEmail:         "Your email address",
	ScopePhone:         "Your phone number",
	ScopeKYC:           "Your verification level",
}

// ScopeDescription is what a person is told a scope gives the app: the
// words for the scopes Gatehouse knows (naming the service as product),
// the scope's own name for others.
func ScopeDescription(scope, product string) string {
	if w, ok := scopeWords[scope]; ok {
		if strings.Contains(w, "%s") {
			return fmt.Sprintf(w, product)
		}
		return w
	}
	return "Access named “" + scope + "”"
}

// IDTokenClaims are the claims about u an id token carries for the granted
// scopes, and only those: email → email, email_verified; phone →
// phone_number, phone_number_verified; kyc → kyc_level. The subject (the
// user id) is the OAuth2 server's, from the accepted login. A claim with
// no value (no email on the account) is left out rather than sent empty.
func IDTokenClaims(u identity.User, granted []string) map[string]any {
	c := map[string]any{}
	if slices.Contains(granted, ScopeEmail) && u.Email != "" {
		c["email"] = u.Email
		// An account that never confirmed its address is PENDING; every
		// other state proved it.
		c["email_verified"] = u.State != identity.StatePending
	}
	if slices.Contains(granted, ScopePhone) {
		switch {
		case u.Phone != "":
			c["phone_number"], c["phone_number_verified"] = u.Phone, true
		case u.PendingPhone != "":
			c["phone_number"], c["phone_number_verified"] = u.PendingPhone, false
		}
	}
	if slices.Contains(granted, ScopeKYC) {
		c["kyc_level"] = u.Level
	}
	return c
}

// grantable keeps of allowed the scopes the app asked for, in the app's
// order and once each: a form cannot grant what was not asked.
func grantable(requested, allowed []string) []string {
	out := []string{}
	for _, s := range requested {
		if slices.Contains(allowed, s) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// clientName is how a page names the app: its registered name, else its id.
func clientName(c Client) string {
	if c.Name != "" {
		return c.Name
	}
	return c.ID
}
