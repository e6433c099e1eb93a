package app_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestDeleteMe: profile, push, sessions and contact changes of a user, and
// then the deletion that erases the person and keeps the audit trail.
func TestDeleteMe(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const email, phone, pw = "ada@example.com", "+447911123503", strongPassword
	a := h.emailUser(email, pw, phone, "Ada", "laptop-1")
	uid := uuid.MustParse(a.User.ID)
	// Proving the phone on a second device makes it the account's phone.
	in := h.pwSignIn(email, pw, "phone-2", "")
	must(t, in.Status == "DEVICE_VERIFICATION_REQUIRED" && in.Challenge != nil && in.Challenge.Channel == "SMS", "new device: %+v", in)
	b := h.verifySignIn(in.Challenge.ID, h.sms.lastCode(t, phone))
	must(t, str(b.User.Phone) == phone, "phone not proven: %+v", b.User)
	if _, err := h.db.NewRaw(`UPDATE users SET firebase_uid = 'fb-ada' WHERE id = ?`, uid).Exec(t.Context()); err != nil {
		t.Fatal(err)
	}

	// Profile.
	var up struct{ UpdateMe gqlUser }
	h.ok(a.AccessToken, mUpdateMe, vars("name", "Ada King", "image", "https://img.example.com/ada.png", "country", "gb"), &up)
	must(t, up.UpdateMe.Name == "Ada King" && up.UpdateMe.ImageURL == "https://img.example.com/ada.png" && up.UpdateMe.CountryCode == "GB",
		"updateMe: %+v", up.UpdateMe)
	h.ok(a.AccessToken, mUpdateMe, vars("name", "Ada Lovelace"), &up)
	must(t, up.UpdateMe.Name == "Ada Lovelace" && up.UpdateMe.ImageURL == "https://img.example.com/ada.png" && up.UpdateMe.CountryCode == "GB",
		"omitted fields must stay: %+v", up.UpdateMe)
	r := h.fails(a.AccessToken, mUpdateMe, vars("image", "http://img.example.com/ada.png"), "VALIDATION_FAILED")
	must(t, fieldsOf(r)["imageUrl"] != nil, "fields %v", r.Errors[0].Extensions)
	r = h.fails(a.AccessToken, mUpdateMe, vars("country", "XX"), "VALIDATION_FAILED")
	must(t, fieldsOf(r)["countryCode"] != nil, "fields %v", r.Errors[0].Extensions)
	h.fails("", mUpdateMe, vars("name", "Nobody"), "UNAUTHENTICATED")
	me := h.meUser(a.AccessToken)
	must(t, me.Name == "Ada Lovelace" && me.CountryCode == "GB", "me after refused updates: %+v", me)

	// Push registration belongs to the session's own device.
	var push struct {
		RegisterPushDevice struct {
			DeviceID string
			Push     *struct{ Token, Platform, OS, Model, AppVersion string }
		}
	}
	h.ok(a.AccessToken, mRegisterPush, vars("device", "laptop-1", "token", "fcm-token-laptop"), &push)
	must(t, push.RegisterPushDevice.DeviceID == "laptop-1" && push.RegisterPushDevice.Push != nil &&
		push.RegisterPushDevice.Push.Token == "fcm-token-laptop" && push.RegisterPushDevice.Push.Platform == "ANDROID" &&
		push.RegisterPushDevice.Push.Model == "Pixel 8", "registerPushDevice: %+v", push.RegisterPushDevice)
	r = h.fails(a.AccessToken, mRegisterPush, vars("device", "phone-2", "token", "fcm-token-other"), "VALIDATION_FAILED")
	must(t, fieldsOf(r)["deviceId"] != nil, "fields %v", r.Errors[0].Extensions)

	// Sessions: the caller's is marked; another one can be ended.
	type session struct {
		ID      string
		Current bool
		MFA     bool
		Device  struct{ DeviceID string }
	}
	var ss struct{ MySessions []session }
	h.ok(a.AccessToken, qMySessions, nil, &ss)
	must(t, len(ss.MySessions) == 2, "sessions: %+v", ss.MySessions)
	var mine, other session
	for _, s := range ss.MySessions {
		if s.Current {
			mine = s
		} else {
			other = s
		}
	}
	must(t, mine.Device.DeviceID == "laptop-1" && other.Device.DeviceID == "phone-2" && other.MFA && !mine.MFA,
		"sessions: %+v", ss.MySessions)
	var rev struct{ RevokeSession struct{ ID string } }
	h.ok(a.AccessToken, mRevokeSession, vars("id", other.ID), &rev)
	must(t, rev.RevokeSession.ID == other.ID, "revokeSession: %+v", rev)
	h.fails(b.AccessToken, qMe, nil, "UNAUTHENTICATED")
	h.fails("", mRefresh, vars("token", b.RefreshToken), "UNAUTHENTICATED")
	h.fails(a.AccessToken, mRevokeSession, vars("id", other.ID), "NOT_FOUND")
	h.fails(a.AccessToken, mRevokeSession, vars("id", uuid.NewString()), "NOT_FOUND")
	h.ok(a.AccessToken, qMySessions, nil, &ss)
	must(t, len(ss.MySessions) == 1 && ss.MySessions[0].Current, "sessions after revoke: %+v", ss.MySessions)

	// Signing out of a device drops its push token.
	in = h.pwSignIn(email, pw, "phone-2", b.secret())
	must(t, in.Status == "SIGNED_IN", "trusted phone-2: %+v", in)
	e := *in.Auth
	h.ok(e.AccessToken, mRegisterPush, vars("device", "phone-2", "token", "apns-token-phone"), &push)
	pushToken := func(device string) sql.NullString {
		var tok sql.NullString
		must(t, h.db.NewRaw(`SELECT push_token FROM devices WHERE user_id = ? AND device_key = ?`, uid, device).
			Scan(t.Context(), &tok) == nil, "device %s", device)
		return tok
	}
	must(t, pushToken("phone-2").String == "apns-token-phone", "push token not stored")
	var out struct{ SignOut bool }
	h.ok(e.AccessToken, mSignOut, nil, &out)
	must(t, !pushToken("phone-2").Valid, "push token kept after sign-out: %v", pushToken("phone-2"))
	must(t, pushToken("laptop-1").String == "fcm-token-laptop", "another device's push token was dropped")

	// Contact change: a new address needs its code; a taken one is refused.
	bob := h.emailUser("bob@example.com", strongPassword2, "", "Bob", "bob-laptop")
	r = h.fails(a.AccessToken, mStartContact, vars("kind", "EMAIL", "value", "bob@example.com"), "CONFLICT")
	must(t, fieldsOf(r)["email"] != nil || fieldsOf(r)["value"] != nil, "conflict: %v", r.Errors[0].Extensions)
	const newEmail = "ada.king@example.org"
	var sc struct{ StartContactChange otpChallenge }
	h.ok(a.AccessToken, mStartContact, vars("kind", "EMAIL", "value", newEmail), &sc)
	must(t, sc.StartContactChange.Purpose == "CONTACT_CHANGE" && sc.StartContactChange.Channel == "EMAIL" &&
		sc.StartContactChange.Destination == "a***@example.org", "startContactChange: %+v", sc.StartContactChange)
	code := h.emailCode(newEmail)
	// Someone else can't answer it (and doesn't spend it).
	h.fails(bob.AccessToken, mConfirmContact, vars("id", sc.StartContactChange.ID, "code", code), "NOT_FOUND")
	var cc struct{ ConfirmContactChange gqlUser }
	h.ok(a.AccessToken, mConfirmContact, vars("id", sc.StartContactChange.ID, "code", code), &cc)
	must(t, str(cc.ConfirmContactChange.Email) == newEmail, "email after change: %+v", cc.ConfirmContactChange)
	h.fails("", mPwSignIn, pwVars(email, pw, "laptop-1", a.secret()), "UNAUTHENTICATED")
	in = h.pwSignIn(newEmail, pw, "laptop-1", a.secret())
	must(t, in.Status == "SIGNED_IN", "sign-in with the new email: %+v", in)
	// The old address is free for someone else now.
	h.emailSignUp(email, strongPassword3, "", "Other Ada", "other-laptop")

	// Deletion needs the password.
	h.fails(a.AccessToken, mDeleteMe, vars("password", "not-The-password-1"), "UNAUTHENTICATED")
	r = h.fails(a.AccessToken, mDeleteMe, nil, "VALIDATION_FAILED")
	var del struct{ DeleteMe struct{ DeletedAt string } }
	h.ok(a.AccessToken, mDeleteMe, vars("password", pw), &del)
	must(t, mustTime(t, del.DeleteMe.DeletedAt).Equal(h.clock.Now()), "deletedAt %s", del.DeleteMe.DeletedAt)
	if r := h.post(a.AccessToken, qMe, nil); r.code() != "UNAUTHENTICATED" && r.code() != "ACCESS_RESTRICTED" {
		t.Errorf("deleted user's token: %+v %s", r.Errors, r.Data)
	}
	h.fails("", mRefresh, vars("token", in.Auth.RefreshToken), "UNAUTHENTICATED")

	var (
		uPhone, uPending, uEmail, uFirebase sql.NullString
		uName, uImage, uCountry, uState     string
		deletedAt                           sql.NullTime
	)
	must(t, h.db.NewRaw(`SELECT phone, pending_phone, email, name, image_url, country_code, firebase_uid, state, deleted_at FROM users WHERE id = ?`, uid).
		Scan(t.Context(), &uPhone, &uPending, &uEmail, &uName, &uImage, &uCountry, &uFirebase, &uState, &deletedAt) == nil, "user row gone")
	must(t, !uPhone.Valid && !uPending.Valid && !uEmail.Valid && !uFirebase.Valid && uName == "" && uImage == "" && uCountry == "",
		"personal data left: phone %v pending %v email %v firebase %v name %q image %q country %q", uPhone, uPending, uEmail, uFirebase, uName, uImage, uCountry)
	must(t, uState == "DELETED" && deletedAt.Valid, "state %s deleted_at %v", uState, deletedAt)
	for table, q := range map[string]string{
		"devices":              `SELECT count(*) FROM devices WHERE user_id = ?`,
		"password_credentials": `SELECT count(*) FROM password_credentials WHERE user_id = ?`,
		"live sessions":        `SELECT count(*) FROM sessions WHERE user_id = ? AND revoked_at IS NULL`,
	} {
		var n int
		must(t, h.db.NewRaw(q, uid).Scan(t.Context(), &n) == nil, "count %s", table)
		must(t, n == 0, "%d %s left after deletion", n, table)
	}
	var actions []string
	must(t, h.db.NewRaw(`SELECT action FROM activities WHERE user_id = ?`, uid).Scan(t.Context(), &actions) == nil, "activities")
	must(t, len(actions) > 0 && slices.Contains(actions, "account.delete"), "activities after deletion: %v", actions)

	h.fails("", mPwSignIn, pwVars(newEmail, pw, "laptop-1", a.secret()), "UNAUTHENTICATED")
	// The phone is free again too.
	h.startSignup(phone)
}

// TestMyActivity: a user's own activity, newest first, filtered and paged.
func TestMyActivity(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const email, pw, newPw = "ada@example.com", strongPassword, strongPassword2
	step := func() { h.clock.Advance(time.Second) } // distinct times keep the order of the steps

	ch := h.emailSignUp(email, pw, "", "Ada", "laptop-1")
	step()
	var conf struct{ ConfirmEmail emailAuth }
	h.ok("", mConfirmEmail, vars("id", ch.ID, "code", h.emailCode(email)), &conf)
	a := conf.ConfirmEmail
	step()
	before := h.mailCount(email)
	in := h.pwSignIn(email, pw, "tablet-1", "")
	must(t, in.Status == "DEVICE_VERIFICATION_REQUIRED", "new device: %+v", in)
	step()
	h.verifySignIn(in.Challenge.ID, h.nextEmailCode(email, before))
	step()
	h.fails("", mPwSignIn, pwVars(email, "wrong-Password-7", "laptop-1", a.secret()), "UNAUTHENTICATED")
	step()
	var pc struct{ ChangePassword passwordChange }
	h.ok(a.AccessToken, mChangePassword, vars("cur", pw, "new", newPw, "confirm", newPw), &pc)
	step()
	// Someone else's activity stays theirs.
	h.emailUser("bob@example.com", strongPassword3, "", "Bob", "bob-laptop")

	type node struct {
		ID, Topic, Action, Result, IP, UserAgent, CreatedAt string
		Reason                                              *string
	}
	type page struct {
		MyActivity struct {
			Edges []struct {
				Cursor string
				Node   node
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
	}
	var all page
	h.ok(a.AccessToken, qMyActivity, vars("topic", "ALL", "first", 50), &all)
	must(t, !all.MyActivity.PageInfo.HasNextPage, "more than 50 activities")
	var nodes []node
	var prev time.Time
	for i, e := range all.MyActivity.Edges {
		n := e.Node
		nodes = append(nodes, n)
		must(t, n.IP != "" && n.UserAgent == "gatehouse-test/1.0", "activity %s: ip %q userAgent %q", n.Action, n.IP, n.UserAgent)
		at := mustTime(t, n.CreatedAt)
		must(t, i == 0 || !at.After(prev), "not newest first at %d: %s after %s", i, at, prev)
		prev = at
	}
	var actions []string
	for _, n := range nodes {
		actions = append(actions, n.Action)
	}
	want := []string{"signup.email", "signup.email_confirmed", "sign_in.second_factor_asked", "sign_in.second_factor",
		"sign_in.password", "password.change"}
	slices.Reverse(want)
	must(t, isSubsequence(want, actions), "actions (newest first) %v lack the journey %v in order", actions, want)
	must(t, count(actions, "signup.email") == 1, "another user's activity shows: %v", actions)
	for _, n := range nodes {
		if n.Action == "sign_in.password" && n.Topic == "PASSWORD" {
			must(t, n.Result == "FAILED" && str(n.Reason) == "UNAUTHENTICATED", "wrong password activity: %+v", n)
		}
		if n.Action == "password.change" {
			must(t, n.Result == "SUCCEEDED" && n.Reason == nil, "password change activity: %+v", n)
		}
	}

	// Topic filter.
	var pwPage page
	h.ok(a.AccessToken, qMyActivity, vars("topic", "PASSWORD", "first", 50), &pwPage)
	var pwActions []string
	for _, e := range pwPage.MyActivity.Edges {
		must(t, e.Node.Topic == "PASSWORD", "PASSWORD filter returned %+v", e.Node)
		pwActions = append(pwActions, e.Node.Action)
	}
	wantPw := 0
	for _, n := range nodes {
		if n.Topic == "PASSWORD" {
			wantPw++
		}
	}
	must(t, len(pwActions) == wantPw && slices.Contains(pwActions, "password.change") && slices.Contains(pwActions, "sign_in.password"),
		"PASSWORD filter: %v (want %d rows)", pwActions, wantPw)

	// Small pages walk the same list, no gaps, no repeats.
	var walked []string
	var after any
	for i := 0; ; i++ {
		must(t, i < 100, "pagination does not end")
		v := vars("topic", "ALL", "first", 2)
		if after != nil {
			v["after"] = after
		}
		var p page
		h.ok(a.AccessToken, qMyActivity, v, &p)
		must(t, len(p.MyActivity.Edges) <= 2, "page of %d", len(p.MyActivity.Edges))
		for _, e := range p.MyActivity.Edges {
			walked = append(walked, e.Node.ID)
		}
		if !p.MyActivity.PageInfo.HasNextPage {
			break
		}
		must(t, p.MyActivity.PageInfo.EndCursor != nil && len(p.MyActivity.Edges) == 2, "page %d: %+v", i, p.MyActivity.PageInfo)
		must(t, *p.MyActivity.PageInfo.EndCursor == p.MyActivity.Edges[1].Cursor, "endCursor is not the last edge's cursor")
		after = *p.MyActivity.PageInfo.EndCursor
	}
	var ids []string
	for _, n := range nodes {
		ids = append(ids, n.ID)
	}
	must(t, slices.Equal(walked, ids), "paged walk differs from the single page:\nwalked %v\nsingle %v", walked, ids)

	// Bad arguments are validation errors.
	r := h.fails(a.AccessToken, qMyActivity, vars("topic", "ALL", "first", 0), "VALIDATION_FAILED")
	must(t, fieldsOf(r)["first"] != nil, "fields %v", r.Errors[0].Extensions)
	r = h.fails(a.AccessToken, qMyActivity, vars("topic", "ALL", "first", 101), "VALIDATION_FAILED")
	r = h.fails(a.AccessToken, qMyActivity, vars("topic", "ALL", "first", 5, "after", "not-a-cursor"), "VALIDATION_FAILED")
	must(t, fieldsOf(r)["after"] != nil, "fields %v", r.Errors[0].Extensions)
	h.fails("", qMyActivity, vars("topic", "ALL", "first", 5), "UNAUTHENTICATED")
}

// isSubsequence reports whether want appears in list in order.
func isSubsequence(want, list []string) bool {
	i := 0
	for _, s := range list {
		if i < len(want) && s == want[i] {
			i++
		}
	}
	return i == len(want)
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// TestValidateToken: another service asks what a token is worth.
func TestValidateToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const email, pw = "ada@example.com", strongPassword
	a := h.emailUser(email, pw, "", "Ada", "laptop-1")

	type validation struct {
		Valid              bool
		Reason             *string
		Subject            *string
		Roles              []string
		Scopes             []string
		ExpiresAt          *string
		MissingScopes      []string
		MissingPermissions []string
	}
	check := func(token string, scopes, perms []string) validation {
		t.Helper()
		v := vars("token", token)
		if scopes != nil {
			v["scopes"] = scopes
		}
		if perms != nil {
			v["perms"] = perms
		}
		var d struct{ ValidateToken validation }
		h.ok("", qValidateToken, v, &d)
		return d.ValidateToken
	}

	// setMaintenance is staff's (ADMIN, SUPERADMIN): a member lacks it.
	v := check(a.AccessToken, []string{"session", "admin:write"}, []string{"me", "changePassword", "signIn", "setMaintenance"})
	must(t, v.Valid && v.Reason == nil && str(v.Subject) == a.User.ID, "valid token: %+v", v)
	must(t, slices.Equal(v.Roles, []string{"MEMBER"}) && slices.Contains(v.Scopes, "session") && !slices.Contains(v.Scopes, "mfa"),
		"roles/scopes: %+v", v)
	must(t, slices.Equal(v.MissingScopes, []string{"admin:write"}), "missingScopes %v", v.MissingScopes)
	must(t, slices.Equal(v.MissingPermissions, []string{"setMaintenance"}), "missingPermissions %v", v.MissingPermissions)
	must(t, v.ExpiresAt != nil && mustTime(t, *v.ExpiresAt).Equal(h.clock.Now().Add(15*time.Minute)), "expiresAt %v", str(v.ExpiresAt))
	// Nothing asked: nothing missing.
	v = check(a.AccessToken, nil, nil)
	must(t, v.Valid && len(v.MissingScopes) == 0 && len(v.MissingPermissions) == 0, "nothing asked: %+v", v)

	for name, tok := range map[string]string{"garbage": "not.a.jwt", "empty": "", "huge": strings.Repeat("x", 5000)} {
		v = check(tok, []string{"session"}, []string{"me"})
		must(t, !v.Valid && str(v.Reason) == "UNAUTHENTICATED" && v.Subject == nil && len(v.Roles) == 0, "%s token: %+v", name, v)
	}

	// A signed-out session's token is no longer valid.
	in := h.pwSignIn(email, pw, "laptop-1", a.secret())
	must(t, in.Status == "SIGNED_IN", "sign-in: %+v", in)
	other := in.Auth.AccessToken
	must(t, check(other, nil, nil).Valid, "fresh token not valid")
	var out struct{ SignOut bool }
	h.ok(other, mSignOut, nil, &out)
	v = check(other, nil, nil)
	must(t, !v.Valid && str(v.Reason) == "UNAUTHENTICATED", "signed-out token: %+v", v)

	// Nor is an expired one.
	h.clock.Advance(16 * time.Minute)
	v = check(a.AccessToken, nil, nil)
	must(t, !v.Valid && v.Reason != nil, "expired token: %+v", v)

	// Asking too much is refused.
	many := make([]string, 51)
	for i := range many {
		many[i] = fmt.Sprintf("scope-%d", i)
	}
	h.fails("", qValidateToken, vars("token", a.AccessToken, "scopes", many), "VALIDATION_FAILED")
}

// An address held only by an unconfirmed sign-up is free: the user who
// proves it by the code gets it (as a newer sign-up would).
func TestContactChangeToPendingSignupEmail(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.emailUser("ada@example.com", strongPassword, "", "Ada", "laptop-1")
	const squatted = "carol@example.com"
	h.emailSignUp(squatted, strongPassword2, "", "Not Carol", "other-laptop") // never confirmed

	before := h.mailCount(squatted)
	var sc struct{ StartContactChange otpChallenge }
	h.ok(a.AccessToken, mStartContact, vars("kind", "EMAIL", "value", squatted), &sc)
	r := h.post(a.AccessToken, mConfirmContact, vars("id", sc.StartContactChange.ID, "code", h.nextEmailCode(squatted, before)))
	must(t, len(r.Errors) == 0, "confirming a proven address held by an unconfirmed sign-up: %+v", r.Errors)
	var cc struct{ ConfirmContactChange gqlUser }
	must(t, json.Unmarshal(r.Data, &cc) == nil && str(cc.ConfirmContactChange.Email) == squatted, "email: %s", r.Data)
}

// A newer sign-up for the same address replaces an unconfirmed one: the
// old code no longer confirms anything.
func TestNewerEmailSignupReplacesPending(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const email = "ada@example.com"
	first := h.emailSignUp(email, strongPassword, "", "Ada", "laptop-1")
	firstCode := h.emailCode(email)
	second := h.emailSignUp(email, strongPassword2, "", "Ada Two", "laptop-2")
	secondCode := h.nextEmailCode(email, 1)
	h.fails("", mConfirmEmail, vars("id", first.ID, "code", firstCode), "NOT_FOUND")
	var conf struct{ ConfirmEmail emailAuth }
	h.ok("", mConfirmEmail, vars("id", second.ID, "code", secondCode), &conf)
	must(t, conf.ConfirmEmail.User.Name == "Ada Two", "user %+v", conf.ConfirmEmail.User)
	h.fails("", mPwSignIn, pwVars(email, strongPassword, "laptop-2", conf.ConfirmEmail.secret()), "UNAUTHENTICATED")
	in := h.pwSignIn(email, strongPassword2, "laptop-2", conf.ConfirmEmail.secret())
	must(t, in.Status == "SIGNED_IN", "sign-in: %+v", in)
}
