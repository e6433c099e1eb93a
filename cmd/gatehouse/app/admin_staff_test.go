package app_test

import (
	"context"
	"strings"
	"testing"
)

// Staff mutations as an admin console sends them.
const (
	mSetUserState       = `mutation($input: SetUserStateInput!) { setUserState(input: $input) { id state } }`
	mSetUserRole        = `mutation($input: SetUserRoleInput!) { setUserRole(input: $input) { id role } }`
	mSetUserLabel       = `mutation($input: SetUserLabelInput!) { setUserLabel(input: $input) { key value scope } }`
	mRemoveUserLabel    = `mutation($input: RemoveUserLabelInput!) { removeUserLabel(input: $input) }`
	mResetUserMfa       = `mutation($input: ResetUserMfaInput!) { resetUserMfa(input: $input) { id totpEnabled } }`
	mRevokeUserSessions = `mutation($input: RevokeUserSessionsInput!) { revokeUserSessions(input: $input) { revoked user { id } } }`
	mDeleteUserRecord   = `mutation($input: DeleteUserDataRecordInput!) { deleteUserDataRecord(input: $input) }`
	qMySessionsIDs      = `{ mySessions { id } }`
)

// adminRow is one row of admin_activities as the database holds it.
type adminRow struct {
	AdminID  string `bun:"admin_id"`
	TargetID string `bun:"target_user_id"`
	Reason   string `bun:"reason"`
	Result   string `bun:"result"`
	Error    string `bun:"error"`
}

// adminRows reads the admin activities of action, oldest first.
func (h *harness) adminRows(action string) []adminRow {
	h.t.Helper()
	var rows []adminRow
	err := h.db.NewRaw(`SELECT admin_id::text, coalesce(target_user_id::text, '') AS target_user_id, reason, result, error
		FROM admin_activities WHERE action = ? ORDER BY created_at, id`, action).Scan(context.Background(), &rows)
	if err != nil {
		h.t.Fatalf("read admin_activities: %v", err)
	}
	return rows
}

// audited runs fn and asserts that it left exactly one new admin activity
// of action, returned.
func (h *harness) audited(action string, fn func()) adminRow {
	h.t.Helper()
	before := len(h.adminRows(action))
	fn()
	rows := h.adminRows(action)
	must(h.t, len(rows) == before+1, "%s left %d admin activities, want 1: %+v", action, len(rows)-before, rows[before:])
	return rows[len(rows)-1]
}

func in(kv ...any) map[string]any { return vars("input", vars(kv...)) }

// TestStaffMutationsWriteOneAdminActivity: every staff mutation leaves
// exactly one row with its reason, when it succeeds and when it fails.
func TestStaffMutationsWriteOneAdminActivity(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911124201")
	compliance := h.staff("COMPLIANCE", "+447911124202")
	support := h.staff("SUPPORT", "+447911124203")
	member := h.signUp("+447911124210", "4831", "member-phone")
	id := member.User.ID
	var rec struct{ PutMyDataRecord struct{ Title string } }
	h.ok(member.AccessToken, mPutDataRecord, vars("input", map[string]any{"title": "tax", "data": map[string]any{"tin": "1"}}), &rec)

	type call struct {
		action, token, query string
		vars                 map[string]any
		by                   staffUser
	}
	ok := []call{
		{"setUserState", admin.token, mSetUserState, in("userId", id, "state", "LOCKED", "reason", "suspicious logins"), admin},
		{"setUserState", admin.token, mSetUserState, in("userId", id, "state", "ACTIVE", "reason", "cleared by phone"), admin},
		{"setUserRole", admin.token, mSetUserRole, in("userId", id, "role", "SUPPORT", "reason", "joins support"), admin},
		{"setUserRole", admin.token, mSetUserRole, in("userId", id, "role", "MEMBER", "reason", "left support"), admin},
		{"setUserLabel", compliance.token, mSetUserLabel, in("userId", id, "key", "risk", "value", "low", "scope", "PRIVATE", "reason", "reviewed"), compliance},
		{"removeUserLabel", compliance.token, mRemoveUserLabel, in("userId", id, "key", "risk", "reason", "review undone"), compliance},
		{"resetUserMfa", admin.token, mResetUserMfa, in("userId", id, "reason", "lost the phone"), admin},
		{"revokeUserSessions", support.token, mRevokeUserSessions, in("userId", id, "reason", "stolen phone"), support},
		{"deleteUserDataRecord", compliance.token, mDeleteUserRecord, in("userId", id, "title", "tax", "reason", "user asked"), compliance},
	}
	for _, c := range ok {
		row := h.audited(c.action, func() {
			var out map[string]any
			h.ok(c.token, c.query, c.vars, &out)
		})
		reason := c.vars["input"].(map[string]any)["reason"]
		must(t, row.Result == "SUCCEEDED" && row.Reason == reason && row.AdminID == c.by.id && row.TargetID == id,
			"%s row: %+v", c.action, row)
	}

	// Failures: each still leaves exactly one row, DENIED or FAILED.
	bad := []struct {
		call
		code string
	}{
		{call{"setUserState", admin.token, mSetUserState, in("userId", admin.id, "state", "BANNED", "reason", "self"), admin}, "FORBIDDEN"},
		{call{"setUserRole", admin.token, mSetUserRole, in("userId", admin.id, "role", "SUPERADMIN", "reason", "self"), admin}, "FORBIDDEN"},
		{call{"setUserLabel", compliance.token, mSetUserLabel, in("userId", compliance.id, "key", "vip", "value", "yes", "scope", "PUBLIC", "reason", "self"), compliance}, "FORBIDDEN"},
		{call{"removeUserLabel", compliance.token, mRemoveUserLabel, in("userId", compliance.id, "key", "vip", "reason", "self"), compliance}, "FORBIDDEN"},
		{call{"resetUserMfa", admin.token, mResetUserMfa, in("userId", admin.id, "reason", "self"), admin}, "FORBIDDEN"},
		{call{"revokeUserSessions", support.token, mRevokeUserSessions, in("userId", support.id, "reason", "self"), support}, "FORBIDDEN"},
		{call{"deleteUserDataRecord", compliance.token, mDeleteUserRecord, in("userId", compliance.id, "title", "tax", "reason", "self"), compliance}, "FORBIDDEN"},
		{call{"setUserState", admin.token, mSetUserState, in("userId", id, "state", "BANNED", "reason", ""), admin}, "VALIDATION_FAILED"},
		{call{"setUserLabel", compliance.token, mSetUserLabel, in("userId", id, "key", "Bad Key", "value", "x", "scope", "PUBLIC", "reason", "typo"), compliance}, "VALIDATION_FAILED"},
	}
	for _, c := range bad {
		row := h.audited(c.action, func() { h.fails(c.token, c.query, c.vars, c.code) })
		want := "FAILED"
		if c.code == "FORBIDDEN" {
			want = "DENIED"
		}
		reason := c.vars["input"].(map[string]any)["reason"]
		must(t, row.Result == want && row.Error == c.code && row.Reason == reason && row.AdminID == c.by.id,
			"%s failing with %s: row %+v", c.action, c.code, row)
	}
	var me struct{ Me struct{ State string } }
	h.ok(admin.token, `{ me { state } }`, nil, &me)
	must(t, me.Me.State == "ACTIVE", "the admin banned themselves: %s", me.Me.State)

	// The user sees that staff acted, by role, with no staff id or IP.
	var acts struct {
		MyActivity struct {
			Edges []struct{ Node struct{ Action, IP string } }
		}
	}
	fresh := h.signInAgain("+447911124210", "4831", "member-phone")
	h.ok(fresh, qMyActivity, vars("topic", "ALL", "first", 100), &acts)
	seen := map[string]bool{}
	for _, e := range acts.MyActivity.Edges {
		seen[e.Node.Action] = true
		if e.Node.Action == "state.set" {
			must(t, e.Node.IP == "", "the user sees the staff member's IP: %+v", e.Node)
		}
	}
	for _, a := range []string{"state.set", "role.set", "sessions.revoke_all", "data_record.delete"} {
		must(t, seen[a], "the user does not see %s in myActivity: %v", a, seen)
	}
}

// signInAgain signs a phone user in on its trusted device and returns the
// access token.
func (h *harness) signInAgain(phone, pin, device string) string {
	h.t.Helper()
	var d struct {
		SignInWithPin struct {
			Status string
			Auth   *authPayload
		}
	}
	h.ok("", mSignIn, h.signInVars(phone, pin, device), &d)
	must(h.t, d.SignInWithPin.Status == "SIGNED_IN" && d.SignInWithPin.Auth != nil, "sign-in: %+v", d.SignInWithPin)
	return d.SignInWithPin.Auth.AccessToken
}

// TestBanEndsAccessAtOnce: a banned user's access token stops working on
// the next request, their refresh token is dead, sign-in is refused, and
// unbanning lets them sign in again.
func TestBanEndsAccessAtOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911124301")
	m := h.signUp("+447911124310", "4831", "member-phone")
	var s struct{ MySessions []struct{ ID string } }
	h.ok(m.AccessToken, qMySessionsIDs, nil, &s)
	must(t, len(s.MySessions) == 1, "sessions before: %+v", s.MySessions)

	var out struct {
		SetUserState struct{ ID, State string }
	}
	h.ok(admin.token, mSetUserState, in("userId", m.User.ID, "state", "BANNED", "reason", "fraud"), &out)
	must(t, out.SetUserState.State == "BANNED", "setUserState: %+v", out)

	// The access token is still within its 15 minutes, and dead.
	h.fails(m.AccessToken, qMySessionsIDs, nil, "UNAUTHENTICATED")
	h.fails("", mRefresh, vars("token", m.RefreshToken), "UNAUTHENTICATED")
	h.fails("", mSignIn, h.signInVars("+447911124310", "4831", "member-phone"), "ACCESS_RESTRICTED")
	var live int
	err := h.db.NewRaw(`SELECT count(*) FROM sessions WHERE user_id = ? AND revoked_at IS NULL`, m.User.ID).
		Scan(context.Background(), &live)
	must(t, err == nil && live == 0, "live sessions after the ban: %d (%v)", live, err)
	var u struct{ User struct{ State string } }
	h.ok(admin.token, `query($id: ID!) { user(id: $id) { state } }`, vars("id", m.User.ID), &u)
	must(t, u.User.State == "BANNED", "user(id) state: %s", u.User.State)

	// LOCKED says so at sign-in.
	h.ok(admin.token, mSetUserState, in("userId", m.User.ID, "state", "LOCKED", "reason", "call us"), &out)
	h.fails("", mSignIn, h.signInVars("+447911124310", "4831", "member-phone"), "LOCKED")
	h.ok(admin.token, mSetUserState, in("userId", m.User.ID, "state", "ACTIVE", "reason", "sorted"), &out)
	tok := h.signInAgain("+447911124310", "4831", "member-phone")
	h.ok(tok, qMySessionsIDs, nil, &s)
	must(t, len(s.MySessions) == 1, "sessions after unban: %+v", s.MySessions)
}

// TestRoleEscalationRefused: ADMIN grants neither ADMIN nor SUPERADMIN and
// touches no SUPERADMIN, nobody changes their own role, and SUPPORT reads
// no files.
func TestRoleEscalationRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	super := h.staff("SUPERADMIN", "+447911124401")
	admin := h.staff("ADMIN", "+447911124402")
	support := h.staff("SUPPORT", "+447911124403")
	compliance := h.staff("COMPLIANCE", "+447911124404")
	member, _ := h.approvedUser("+447911124410", compliance, 41)
	id := member.User.ID
	// The approval left one admin activity naming the user, not only the
	// submission.
	approvals := h.adminRows("approveKycSubmission")
	must(t, len(approvals) == 1 && approvals[0].TargetID == id && approvals[0].AdminID == compliance.id &&
		approvals[0].Result == "SUCCEEDED", "approval rows: %+v", approvals)

	role := func(token, userID string) string {
		var u struct{ User struct{ Role string } }
		h.ok(token, `query($id: ID!) { user(id: $id) { role } }`, vars("id", userID), &u)
		return u.User.Role
	}
	h.fails(admin.token, mSetUserRole, in("userId", id, "role", "SUPERADMIN", "reason", "promote"), "FORBIDDEN")
	h.fails(admin.token, mSetUserRole, in("userId", id, "role", "ADMIN", "reason", "promote"), "FORBIDDEN")
	must(t, role(admin.token, id) == "MEMBER", "the member was promoted by an ADMIN")
	h.fails(admin.token, mSetUserRole, in("userId", admin.id, "role", "SUPERADMIN", "reason", "me"), "FORBIDDEN")
	h.fails(super.token, mSetUserRole, in("userId", super.id, "role", "MEMBER", "reason", "me"), "FORBIDDEN")
	h.fails(admin.token, mSetUserRole, in("userId", super.id, "role", "MEMBER", "reason", "demote"), "FORBIDDEN")
	h.fails(admin.token, mSetUserState, in("userId", super.id, "state", "BANNED", "reason", "coup"), "FORBIDDEN")
	h.fails(admin.token, mRevokeUserSessions, in("userId", super.id, "reason", "coup"), "FORBIDDEN")
	must(t, role(super.token, super.id) == "SUPERADMIN" && role(super.token, admin.id) == "ADMIN", "roles moved")
	// KYC data of an ADMIN or SUPERADMIN is changed by a SUPERADMIN only.
	h.fails(compliance.token, mSetUserLabel, in("userId", admin.id, "key", "risk", "value", "low", "scope", "PRIVATE",
		"reason", "x"), "FORBIDDEN")
	h.fails(compliance.token, mDeleteDataRecord, in("userId", super.id, "title", "tax", "reason", "x"), "FORBIDDEN")
	h.ok(super.token, mSetUserLabel, in("userId", admin.id, "key", "risk", "value", "low", "scope", "PRIVATE",
		"reason", "annual review"), &struct{}{})
	h.fails(support.token, mSetUserRole, in("userId", id, "role", "SUPPORT", "reason", "x"), "FORBIDDEN")
	h.fails(member.AccessToken, mSetUserRole, in("userId", support.id, "role", "MEMBER", "reason", "x"), "FORBIDDEN")

	// A SUPERADMIN may; the new ADMIN can then act as one.
	var r struct{ SetUserRole struct{ Role string } }
	h.ok(super.token, mSetUserRole, in("userId", id, "role", "ADMIN", "reason", "new ops lead"), &r)
	must(t, r.SetUserRole.Role == "ADMIN", "setUserRole: %+v", r)
	must(t, role(super.token, id) == "ADMIN", "role not stored")
	var list struct {
		Users struct{ TotalCount int }
	}
	h.ok(member.AccessToken, `{ users { totalCount } }`, nil, &list)
	must(t, list.Users.TotalCount >= 5, "the new ADMIN's users: %+v", list)

	// SUPPORT reads the documents but gets no file link.
	const q = `query($id: ID!) { user(id: $id) { documents { front { url } } selfie { image { url } } } }`
	var d struct {
		User struct {
			Documents []struct{ Front struct{ URL *string } }
			Selfie    *struct{ Image struct{ URL *string } }
		}
	}
	h.ok(support.token, q, vars("id", id), &d)
	must(t, len(d.User.Documents) == 1 && d.User.Documents[0].Front.URL == nil && d.User.Selfie != nil &&
		d.User.Selfie.Image.URL == nil, "SUPPORT got a file link: %+v", d.User)
	h.ok(compliance.token, q, vars("id", id), &d)
	must(t, len(d.User.Documents) == 1 && d.User.Documents[0].Front.URL != nil, "COMPLIANCE got no link: %+v", d.User)
	h.fails(support.token, qKycSubmissions, nil, "FORBIDDEN")
	r2 := h.post(support.token, `query($id: ID!) { user(id: $id) { documents { front { url } } } }`, vars("id", id))
	must(t, !strings.Contains(string(r2.Data), "/files/"), "a file path reached SUPPORT: %s", r2.Data)
}

// TestResetUserMfaTurnsTheAppOff: after a reset the user signs in with the
// password alone and has no recovery codes.
func TestResetUserMfaTurnsTheAppOff(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911124501")
	const email = "lost@example.com"
	a := h.emailUser(email, strongPassword, "", "Lost", "laptop-1")
	var st struct{ StartTotpEnrollment struct{ Secret string } }
	h.ok(a.AccessToken, mStartTotp, nil, &st)
	var conf struct {
		ConfirmTotpEnrollment struct{ RecoveryCodes []string }
	}
	h.ok(a.AccessToken, mConfirmTotp, vars("code", totpCode(t, st.StartTotpEnrollment.Secret, h.clock.Now())), &conf)
	in0 := h.pwSignIn(email, strongPassword, "laptop-1", a.secret())
	must(t, in0.Status == "MFA_REQUIRED", "with the app on: %+v", in0)

	var r struct{ ResetUserMfa struct{ TotpEnabled bool } }
	h.ok(admin.token, mResetUserMfa, in("userId", a.User.ID, "reason", "lost the phone, identity checked"), &r)
	must(t, !r.ResetUserMfa.TotpEnabled, "resetUserMfa: %+v", r)
	in1 := h.pwSignIn(email, strongPassword, "laptop-1", a.secret())
	must(t, in1.Status == "SIGNED_IN", "after the reset: %+v", in1)
	var left int
	err := h.db.NewRaw(`SELECT count(*) FROM recovery_codes WHERE user_id = ?`, a.User.ID).Scan(context.Background(), &left)
	must(t, err == nil && left == 0, "recovery codes left: %d (%v)", left, err)
}
