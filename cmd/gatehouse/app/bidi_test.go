package app_test

import "testing"

// TestBidiControlsAreRefusedInNamesAndReasons: a right-to-left override in
// a name or a staff reason makes it display as something else than it
// holds ("Trojan Source"), to staff reading it in the console. Names (the
// account's, the KYC profile's) and staff reasons refuse the bidi controls
// with VALIDATION_FAILED naming the field; right-to-left scripts pass.
func TestBidiControlsAreRefusedInNamesAndReasons(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911124301")
	member := h.signUp("+447911124310", "4831", "member-phone")
	const spoof = "Ada \u202egnihtoN" // displays as "Ada Nothing"

	refused := func(what, token, query string, v map[string]any, field string) {
		t.Helper()
		r := h.post(token, query, v)
		if r.code() != "VALIDATION_FAILED" || fieldsOf(r)[field] == nil {
			t.Errorf("%s: want VALIDATION_FAILED naming %s, got %+v (data %s)", what, field, r.Errors, r.Data)
		}
	}
	refused("updateMe name", member.AccessToken, mUpdateMe, vars("name", spoof), "name")
	refused("signUpWithEmail name", "", `mutation($input: SignUpWithEmailInput!) { signUpWithEmail(input: $input) { __typename } }`,
		vars("input", map[string]any{"email": "bidi@example.com", "password": strongPassword, "name": "Eve\u2066x\u2069",
			"deviceId": "laptop-b", "acceptTerms": true}), "name")
	for _, field := range []string{"firstName", "lastName"} {
		in := profileInput("Ada", false)
		in[field] = spoof
		refused("upsertMyProfile "+field, member.AccessToken, mUpsertProfile, vars("input", in), field)
	}
	refused("setUserState reason", admin.token, mSetUserState,
		in("userId", member.User.ID, "state", "LOCKED", "reason", "per \u202bticket 42"), "reason")

	// Names in right-to-left scripts are names like any other.
	var up struct{ UpdateMe gqlUser }
	h.ok(member.AccessToken, mUpdateMe, vars("name", "محمد عبد الله"), &up)
	must(t, up.UpdateMe.Name == "محمد عبد الله", "updateMe: %+v", up.UpdateMe)
}
