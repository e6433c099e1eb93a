package app_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

const (
	mCompleteReferred = `mutation($ticket: String!, $ref: String) {
		completePhoneSignup(input: {ticket: $ticket, pin: "583920", confirmPin: "583920", acceptTerms: true,
			deviceId: "wallet-phone", firebaseUid: "fb-wallet-7", referralCode: $ref}) { accessToken user { id } } }`
	qMyReferral   = `{ me { id referralCode referredByCode firebaseUid } }`
	qMyReferrer   = `{ me { id referrer { id } } }`
	qUserReferral = `query($id: ID!) { user(id: $id) { id firebaseUid referredByCode referrer { id referralCode } } }`
	mVerifyTotp   = `mutation($code: String!) { verifyTotp(input: {code: $code}) { steppedUpUntil } }`
	mDeleteMeTOTP = `mutation($password: String, $pin: String, $totp: String) {
		deleteMe(input: {password: $password, pin: $pin, totpCode: $totp}) { deletedAt } }`
	mCreateKeyStepUp = `mutation { createApiKey(input: {scopes: ["read"]}) { keyId } }`
)

type myReferral struct {
	ID             string  `json:"id"`
	ReferralCode   string  `json:"referralCode"`
	ReferredByCode *string `json:"referredByCode"`
	FirebaseUID    *string `json:"firebaseUid"`
}

func (h *harness) myReferral(token string) myReferral {
	h.t.Helper()
	var d struct{ Me myReferral }
	h.ok(token, qMyReferral, nil, &d)
	return d.Me
}

// fieldRefused asserts VALIDATION_FAILED naming field.
func fieldRefused(t *testing.T, r gqlResponse, field string) {
	t.Helper()
	must(t, r.code() == "VALIDATION_FAILED", "want VALIDATION_FAILED on %s, got %+v", field, r.Errors)
	fields, _ := r.Errors[0].Extensions["fields"].(map[string]any)
	must(t, fields[field] != nil, "VALIDATION_FAILED does not name %s: %+v", field, r.Errors)
}

// TestPhoneSignupTakesAReferralCode: the last step of a phone sign-up
// takes a referral code as the email sign-up does; a code that is no
// one's (unknown, of a deleted account, hostile) is refused on the field
// and the ticket stays good for the corrected code. The referred user
// reads back the code and the Firebase id, staff read the referrer too,
// and a role the rows do not open is refused.
func TestPhoneSignupTakesAReferralCode(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ann := h.signUp("+447911123011", "583920", "ann-phone")
	annCode := h.myReferral(ann.AccessToken).ReferralCode
	must(t, annCode != "", "the referrer has no referral code")
	gone := h.signUp("+447911123012", "583920", "gone-phone")
	goneCode := h.myReferral(gone.AccessToken).ReferralCode
	h.ok(gone.AccessToken, mDeleteMeTOTP, vars("pin", "583920"), &struct{}{})

	ticket := h.ticketFor("+447911123013")
	for name, bad := range map[string]string{
		"unknown":           "NOSUCH00",
		"a deleted account": goneCode,
		"NUL":               annCode[:4] + "\x00" + annCode[4:],
		"huge":              strings.Repeat("A", 5000),
		"bidi and spaces":   " " + annCode + "\u202e",
	} {
		t.Run(name, func(t *testing.T) {
			fieldRefused(t, h.post("", mCompleteReferred, vars("ticket", ticket, "ref", bad)), "referralCode")
		})
	}
	// The same ticket, not spent by the refusals, completes with the right code.
	var d struct{ CompletePhoneSignup authPayload }
	h.ok("", mCompleteReferred, vars("ticket", ticket, "ref", annCode), &d)
	bob := d.CompletePhoneSignup
	me := h.myReferral(bob.AccessToken)
	must(t, str(me.ReferredByCode) == annCode, "referredByCode %v, want %s", me.ReferredByCode, annCode)
	must(t, str(me.FirebaseUID) == "fb-wallet-7", "firebaseUid %v", me.FirebaseUID)
	must(t, me.ReferralCode != "" && me.ReferralCode != annCode, "own referral code %q", me.ReferralCode)
	// Who referred them is staff's to read: it would show the referrer's
	// contacts. The user reads null there.
	var own struct {
		Me struct {
			ID       string
			Referrer *struct{ ID string }
		}
	}
	h.ok(bob.AccessToken, qMyReferrer, nil, &own)
	must(t, own.Me.ID == bob.User.ID && own.Me.Referrer == nil, "the user's own referrer: %+v", own.Me)

	// Without a code the sign-up is as before; the referrer reads null.
	mine := h.myReferral(ann.AccessToken)
	must(t, mine.ReferredByCode == nil && mine.FirebaseUID != nil, "referrer's own view: %+v", mine)

	// Staff read what the sign-up recorded, the referrer included.
	support := h.staff("SUPPORT", "+447911123014")
	var u struct {
		User struct {
			ID             string
			FirebaseUID    *string
			ReferredByCode *string
			Referrer       *struct{ ID, ReferralCode string }
		}
	}
	h.ok(support.token, qUserReferral, vars("id", bob.User.ID), &u)
	must(t, str(u.User.FirebaseUID) == "fb-wallet-7" && str(u.User.ReferredByCode) == annCode &&
		u.User.Referrer != nil && u.User.Referrer.ID == ann.User.ID && u.User.Referrer.ReferralCode == annCode,
		"support's view: %+v", u.User)

	// A role that may read the user but not these fields is refused them.
	accountant := h.staff("ACCOUNTANT", "+447911123015")
	for _, q := range []string{
		`query($id: ID!) { user(id: $id) { id firebaseUid } }`,
		`query($id: ID!) { user(id: $id) { id referredByCode } }`,
		`query($id: ID!) { user(id: $id) { id referrer { id } } }`,
	} {
		r := h.fails(accountant.token, q, vars("id", bob.User.ID), "FORBIDDEN")
		must(t, !strings.Contains(string(r.Data), "fb-wallet-7") && !strings.Contains(string(r.Data), annCode),
			"refused data shown: %s", r.Data)
	}
}

// TestVerifyTotpStepsUpTheSession: verifyTotp takes the app's current code
// once, and the session's next sensitive action given no code takes the
// step-up in its place and spends it; the step-up ends after its TTL
// (the clock moves, no one sleeps) and is the session's own.
func TestVerifyTotpStepsUpTheSession(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	plain := h.emailUser("plain-step@example.com", strongPassword, "", "Plain", "laptop-1")
	refusedWith(t, h.post(plain.AccessToken, mVerifyTotp, vars("code", "123456")), "FORBIDDEN", "TOTP_REQUIRED")

	u := h.totpUser("step@example.com")
	h.fails("", mVerifyTotp, vars("code", "123456"), "UNAUTHENTICATED")
	fieldRefused(t, h.post(u.AccessToken, mVerifyTotp, vars("code", "12ab")), "code")
	code := u.code()
	wrong := "000000"
	if wrong == code {
		wrong = "111111"
	}
	h.fails(u.AccessToken, mVerifyTotp, vars("code", wrong), "INVALID_CODE")
	// No step-up yet: an action without a code is refused on the field.
	fieldRefused(t, h.post(u.AccessToken, mCreateKeyStepUp, nil), "totpCode")

	var v struct {
		VerifyTotp struct{ SteppedUpUntil time.Time }
	}
	h.ok(u.AccessToken, mVerifyTotp, vars("code", code), &v)
	must(t, v.VerifyTotp.SteppedUpUntil.Equal(h.clock.Now().Add(5*time.Minute)), "steppedUpUntil %v, now %v",
		v.VerifyTotp.SteppedUpUntil, h.clock.Now())
	h.fails(u.AccessToken, mVerifyTotp, vars("code", code), "INVALID_CODE") // replayed

	// Another session of the same user has no step-up.
	in := h.pwSignIn("step@example.com", strongPassword, "laptop-1", u.emailAuth.secret())
	must(t, in.Status == "MFA_REQUIRED" && in.Challenge != nil, "second sign-in: %+v", in)
	other := h.verifySignIn(in.Challenge.ID, u.code())
	fieldRefused(t, h.post(other.AccessToken, mCreateKeyStepUp, nil), "totpCode")

	// The step-up buys one action: the second is refused.
	var k struct{ CreateApiKey struct{ KeyID string } }
	h.ok(u.AccessToken, mCreateKeyStepUp, nil, &k)
	must(t, k.CreateApiKey.KeyID != "", "no key")
	fieldRefused(t, h.post(u.AccessToken, mCreateKeyStepUp, nil), "totpCode")

	// A step-up not spent before its end is gone.
	h.ok(u.AccessToken, mVerifyTotp, vars("code", u.code()), &v)
	h.clock.Advance(5 * time.Minute)
	fieldRefused(t, h.post(u.AccessToken, mCreateKeyStepUp, nil), "totpCode")

	var acts struct {
		MyActivity struct {
			Edges []struct {
				Node struct{ Action, Result string }
			}
		}
	}
	h.ok(u.AccessToken, `{ myActivity(topic: MFA, first: 50) { edges { node { action result } } } }`, nil, &acts)
	got := map[string]int{}
	for _, e := range acts.MyActivity.Edges {
		got[e.Node.Action+"/"+e.Node.Result]++
	}
	must(t, got["totp.step_up/SUCCEEDED"] == 2 && got["totp.step_up/FAILED"] == 2 && got["totp.step_up_spent/SUCCEEDED"] == 1,
		"activity: %v", got)
}

// TestVerifyTotpTriesAreBounded: verifyTotp's tries count with every
// other authenticator check (10 per 15 minutes by default, the
// enrollment's code among them): past them even the right code is
// RATE_LIMITED, and tries sent at once cannot check more codes than that.
func TestVerifyTotpTriesAreBounded(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u := h.totpUser("bounded@example.com")
	code := u.code()
	wrong := "000000"
	if wrong == code {
		wrong = "111111"
	}
	const tries = 30
	answers := make([]string, tries)
	var wg sync.WaitGroup
	for i := range tries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = h.post(u.AccessToken, mVerifyTotp, vars("code", wrong)).code()
		}()
	}
	wg.Wait()
	count := map[string]int{}
	for _, a := range answers {
		count[a]++
	}
	// The enrollment took one of the 10 tries.
	must(t, count["INVALID_CODE"] == 9 && count["RATE_LIMITED"] == tries-9, "answers: %v", count)
	r := h.fails(u.AccessToken, mVerifyTotp, vars("code", code), "RATE_LIMITED")
	must(t, r.Errors[0].Extensions["retryAfterSeconds"] != nil, "no retryAfterSeconds: %+v", r.Errors)
	// The same count guards deleteMe's code.
	h.fails(u.AccessToken, mDeleteMeTOTP, vars("password", strongPassword, "totp", code), "RATE_LIMITED")

	// After the window (and a refresh of the access token it outlived)
	// the right code works again.
	h.clock.Advance(15 * time.Minute)
	var ref struct{ RefreshSession struct{ AccessToken string } }
	h.ok("", `mutation($t: String!) { refreshSession(input: {refreshToken: $t}) { accessToken } }`,
		vars("t", u.RefreshToken), &ref)
	var v struct {
		VerifyTotp struct{ SteppedUpUntil time.Time }
	}
	h.ok(ref.RefreshSession.AccessToken, mVerifyTotp, vars("code", u.code()), &v)
}

// TestDeleteMeAsksForTheAuthenticator: with the app on, deleteMe needs its
// code (or the session's step-up) beside the password: missing, wrong and
// replayed codes are refused with the codes of every other TOTP check,
// and the account stays.
func TestDeleteMeAsksForTheAuthenticator(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u := h.totpUser("delete-totp@example.com")
	fieldRefused(t, h.post(u.AccessToken, mDeleteMeTOTP, vars("password", strongPassword)), "totpCode")
	code := u.code()
	wrong := "000000"
	if wrong == code {
		wrong = "111111"
	}
	h.fails(u.AccessToken, mDeleteMeTOTP, vars("password", strongPassword, "totp", wrong), "INVALID_CODE")
	fieldRefused(t, h.post(u.AccessToken, mDeleteMeTOTP, vars("password", strongPassword, "totp", "12345x")), "totpCode")
	must(t, h.meUser(u.AccessToken).ID == u.User.ID, "the account went without its code")
	// The code is checked first: a wrong password after it is still wrong,
	// and the code it came with is spent.
	h.fails(u.AccessToken, mDeleteMeTOTP, vars("password", "not-The-password-1", "totp", code), "UNAUTHENTICATED")
	h.fails(u.AccessToken, mDeleteMeTOTP, vars("password", strongPassword, "totp", code), "INVALID_CODE")

	var del struct{ DeleteMe struct{ DeletedAt time.Time } }
	h.ok(u.AccessToken, mDeleteMeTOTP, vars("password", strongPassword, "totp", u.code()), &del)
	must(t, !del.DeleteMe.DeletedAt.IsZero(), "no deletedAt")
	h.fails(u.AccessToken, qMeID, nil, "UNAUTHENTICATED")

	// A step-up of the session stands in for the code.
	w := h.totpUser("delete-stepup@example.com")
	var v struct {
		VerifyTotp struct{ SteppedUpUntil time.Time }
	}
	h.ok(w.AccessToken, mVerifyTotp, vars("code", w.code()), &v)
	h.ok(w.AccessToken, mDeleteMeTOTP, vars("password", strongPassword), &del)
}

// TestReferralFieldsOfAUserPageCostTheSameForTwentyOrFifty: a staff page
// of users asking what their sign-ups recorded, the referrer included,
// reads the users and then their referrers once each, whatever the size
// of the page.
func TestReferralFieldsOfAUserPageCostTheSameForTwentyOrFifty(t *testing.T) {
	t.Parallel()
	log := &statementLog{}
	h := newHarnessWith(t, []fx.Option{logStatements(log)}, func(c *app.Config) { c.SessionCacheTTL = 0 })
	support := h.staff("SUPPORT", "+447911128001")
	for i := range 50 {
		_, _, _, err := h.ids.CreateUser(context.Background(), fmt.Sprintf("+4479111282%02d", i), "MEMBER")
		must(t, err == nil, "create member %d: %v", i, err)
	}
	// The newest users, so on both pages: three referrers, each with a
	// user they referred.
	h.clock.Advance(time.Minute)
	referred := map[string]string{} // user id → the referrer's code
	for i := range 3 {
		ref := h.signUp(fmt.Sprintf("+4479111283%02d", i), "583920", "ref-phone")
		code := h.myReferral(ref.AccessToken).ReferralCode
		var d struct{ CompletePhoneSignup authPayload }
		h.ok("", mCompleteReferred, vars("ticket", h.ticketFor(fmt.Sprintf("+4479111284%02d", i)), "ref", code), &d)
		referred[d.CompletePhoneSignup.User.ID] = code
	}
	const q = `query($n: Int!) { users(first: $n) { edges { node { id firebaseUid referredByCode
		referrer { id referralCode } } } } }`
	page := func(n int) []string {
		var d struct {
			Users struct {
				Edges []struct {
					Node struct {
						ID             string
						FirebaseUID    *string
						ReferredByCode *string
						Referrer       *struct{ ID, ReferralCode string }
					}
				}
			}
		}
		stmts := log.during(func() { h.ok(support.token, q, vars("n", n), &d) })
		must(t, len(d.Users.Edges) == n, "want %d users, got %d", n, len(d.Users.Edges))
		seen := 0
		for _, e := range d.Users.Edges {
			u := e.Node
			code, ok := referred[u.ID]
			if !ok {
				must(t, u.ReferredByCode == nil && u.Referrer == nil, "not referred: %+v", u)
				continue
			}
			seen++
			must(t, str(u.ReferredByCode) == code && u.Referrer != nil && u.Referrer.ReferralCode == code &&
				str(u.FirebaseUID) == "fb-wallet-7", "referred user: %+v", u)
		}
		must(t, seen == len(referred), "page of %d shows %d of the referred users", n, seen)
		return stmts
	}
	twenty, fifty := page(20), page(50)
	t.Logf("users(first: 20) with referral fields: %d statements; users(first: 50): %d statements", len(twenty), len(fifty))
	must(t, len(twenty) == len(fifty), "%d statements for 20 users, %d for 50:\n%s",
		len(twenty), len(fifty), strings.Join(fifty, "\n"))
}
