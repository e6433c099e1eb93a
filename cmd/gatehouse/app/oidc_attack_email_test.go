package app_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/modules/federation/federationtest"
)

// TestOIDCAttackEmailLookalikesDoNotOpenAccounts: the provider's email is
// matched to an account only in the form Gatehouse stores addresses
// (ASCII, lower case). strings.ToLower maps the Kelvin sign (U+212A) to
// "k", so "\u212Aate@example.com", an address the provider verified, was
// taken for kate@example.com, and the provider account was linked to
// Kate's: a takeover by whoever holds the look-alike mailbox.
func TestOIDCAttackEmailLookalikesDoNotOpenAccounts(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op)
	kate := h.emailUser("kate@example.com", strongPassword, "", "Kate", testDeviceLaptop)

	for _, email := range []string{"\u212Aate@example.com", "kate@example.co\u1E3F", "kat\u0435@example.com"} {
		p := federationtest.Person{Subject: "look-" + email, Email: email, EmailVerified: true}
		code, state := h.oidcAuthorize(op, "", mStartOIDC, p, "mallory-phone")
		r := h.post("", mCompleteOIDC, oidcVars(code, state, "mallory-phone", "", true))
		must(t, len(r.Errors) == 1 && reasonOf(r) == federation.ReasonEmailUnusable,
			"provider email %q: want FORBIDDEN %s, got %+v", email, federation.ReasonEmailUnusable, r)
	}
	must(t, len(h.myIdentities(kate.AccessToken)) == 0, "a look-alike address linked an identity to Kate's account")

	// Case alone is no look-alike: KATE@EXAMPLE.COM is Kate's address.
	p := federationtest.Person{Subject: "kate-g", Email: "KATE@Example.COM", EmailVerified: true}
	res := h.oidcSignIn(op, p, testDeviceLaptop, kate.secret(), false)
	must(t, res.Status == "SIGNED_IN" && res.Auth.User.ID == kate.User.ID, "kate's provider sign-in: %+v", res)
}
