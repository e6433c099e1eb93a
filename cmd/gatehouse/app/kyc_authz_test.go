package app_test

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// The callers of the authorization matrix, in order.
var authzCallers = []string{"anonymous", "owner", "other", "SUPPORT", "COMPLIANCE", "ACCOUNTANT", "ADMIN"}

// authzWant is what each caller gets: "" success, else the error code;
// "A|B" accepts either code.
type authzWant map[string]string

// signedIn: anonymous is UNAUTHENTICATED, every signed-in caller gets ok.
func signedIn(ok string) authzWant {
	w := authzWant{"anonymous": "UNAUTHENTICATED"}
	for _, c := range authzCallers[1:] {
		w[c] = ok
	}
	return w
}

// everyone gets code, anonymous included.
func everyone(code string) authzWant {
	w := authzWant{}
	for _, c := range authzCallers {
		w[c] = code
	}
	return w
}

// onlyRoles: anonymous is UNAUTHENTICATED, the roles get ok, every other
// signed-in caller FORBIDDEN.
func onlyRoles(ok string, roles ...string) authzWant {
	w := authzWant{"anonymous": "UNAUTHENTICATED"}
	for _, c := range authzCallers[1:] {
		w[c] = "FORBIDDEN"
		if slices.Contains(roles, c) {
			w[c] = ok
		}
	}
	return w
}

// ownerAndStaff: the owner and every staff role read it, another member
// gets NOT_FOUND.
func ownerAndStaff() authzWant {
	w := signedIn("")
	w["other"] = "NOT_FOUND"
	return w
}

func (w authzWant) with(caller, code string) authzWant {
	out := authzWant{}
	for k, v := range w {
		out[k] = v
	}
	out[caller] = code
	return out
}

type authzCase struct {
	name  string
	query string
	vars  func(caller string, i int) map[string]any
	files func() []fileSpec
	want  authzWant
	// nonNull: a success must carry a non-null root field.
	nonNull bool
}

// Every root field of kyc.graphqls and accounts.graphqls, for anonymous,
// the owner of what is asked for, another member and each staff role.
func TestKycAuthzMatrix(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tokens := map[string]string{"anonymous": ""}
	staffPhones := map[string]string{"SUPPORT": "+447911124211", "COMPLIANCE": "+447911124212",
		"ACCOUNTANT": "+447911124213", "ADMIN": "+447911124214"}
	for role, phone := range staffPhones {
		tokens[role] = h.staff(role, phone).token
	}
	compliance := staffUser{token: tokens["COMPLIANCE"]}
	owner, sub := h.approvedUser("+447911124021", compliance, 90)
	tokens["owner"] = owner.AccessToken
	tokens["other"] = h.signUp("+447911124022", "4831", "device-O").AccessToken
	me := h.kycMe(owner.AccessToken)
	account := me.Accounts[0].ID
	var cp struct{ CreatePortfolio gqlPortfolio }
	h.ok(owner.AccessToken, mCreatePortfolio, vars("input", map[string]any{"accountId": account, "name": "Main", "type": "TRADING"}), &cp)
	portfolio := cp.CreatePortfolio.ID

	none := func(string, int) map[string]any { return nil }
	random := uuid.NewString()
	bogusTicket := "ghr_" + strings.Repeat("A", 43)
	jpg := jpegBytes(t, 32, 32, 91)
	profileOf := func(userID string) map[string]any {
		in := profileInput("Ada", false)
		delete(in, "confirm")
		in["userId"], in["confirmed"] = userID, true
		return vars("input", in)
	}
	cases := []authzCase{
		// Queries.
		{name: "myProfile", query: qMyProfile, vars: none, want: signedIn("")},
		{name: "myPhones", query: qMyPhones, vars: none, want: signedIn("")},
		{name: "myDataRecords", query: qMyDataRecords, vars: none, want: signedIn("")},
		{name: "levels", query: qLevels, vars: none, want: everyone("")},
		{name: "kycSubmissions", query: qKycSubmissions, vars: none, want: onlyRoles("", "COMPLIANCE", "ADMIN")},
		{name: "kycSubmission", query: qKycSubmission, vars: func(string, int) map[string]any { return vars("id", sub.ID) },
			want: onlyRoles("", "COMPLIANCE", "ADMIN"), nonNull: true},
		{name: "pinResets", query: qPinResets, vars: none, want: onlyRoles("", "COMPLIANCE", "ADMIN")},
		{name: "pinResetStatus", query: qPinResetStatus, vars: func(string, int) map[string]any { return vars("ticket", bogusTicket) },
			want: everyone("NOT_FOUND")},
		{name: "user", query: qUser, vars: func(string, int) map[string]any { return vars("id", owner.User.ID) },
			want: onlyRoles("", "SUPPORT", "COMPLIANCE", "ACCOUNTANT", "ADMIN"), nonNull: true},
		{name: "account", query: qAccount, vars: func(string, int) map[string]any { return vars("id", account) },
			want: ownerAndStaff(), nonNull: true},
		{name: "portfolio", query: qPortfolio, vars: func(string, int) map[string]any { return vars("id", portfolio) },
			want: ownerAndStaff(), nonNull: true},

		// Mutations on the caller's own data.
		{name: "upsertMyProfile", query: mUpsertProfile,
			vars: func(string, int) map[string]any { return vars("input", profileInput("Someone", false)) },
			want: signedIn("").with("owner", "CONFLICT")}, // the owner's profile is confirmed
		{name: "addPhone", query: mAddPhone,
			vars: func(_ string, i int) map[string]any {
				return vars("input", map[string]any{"phone": fmt.Sprintf("+4479111243%02d", i)})
			}, want: signedIn("")},
		{name: "verifyPhone", query: mVerifyPhone,
			vars: func(string, int) map[string]any {
				return vars("input", map[string]any{"challengeId": random, "code": "123456"})
			}, want: signedIn("NOT_FOUND")},
		{name: "setMyLabel", query: mSetMyLabel,
			vars: func(string, int) map[string]any {
				return vars("input", map[string]any{"key": "theme", "value": "dark"})
			},
			want: signedIn("")},
		{name: "removeMyLabel", query: mRemoveMyLabel,
			vars: func(string, int) map[string]any { return vars("input", map[string]any{"key": "theme"}) },
			want: signedIn("")},
		{name: "putMyDataRecord", query: mPutDataRecord,
			vars: func(string, int) map[string]any {
				return vars("input", map[string]any{"title": "notes", "data": map[string]any{"a": 1}})
			}, want: signedIn("")},

		// Staff decisions and edits.
		{name: "updateUserProfile", query: mUpdateProfile, vars: func(string, int) map[string]any { return profileOf(owner.User.ID) },
			want: onlyRoles("", "COMPLIANCE", "ADMIN")},
		{name: "deleteUserDataRecord", query: mDeleteDataRecord,
			vars: func(string, int) map[string]any {
				return vars("input", map[string]any{"userId": owner.User.ID, "title": "nothing", "reason": "matrix"})
			}, want: onlyRoles("", "COMPLIANCE", "ADMIN")},
		{name: "approveKycSubmission", query: mApproveKyc,
			vars: func(string, int) map[string]any { return vars("input", map[string]any{"id": random}) },
			want: onlyRoles("NOT_FOUND", "COMPLIANCE", "ADMIN")},
		{name: "rejectKycSubmission", query: mRejectKyc,
			vars: func(string, int) map[string]any { return vars("input", map[string]any{"id": random, "reason": "no"}) },
			want: onlyRoles("NOT_FOUND", "COMPLIANCE", "ADMIN")},
		{name: "approvePinReset", query: mApprovePinReset,
			vars: func(string, int) map[string]any { return vars("input", map[string]any{"id": random}) },
			want: onlyRoles("NOT_FOUND", "COMPLIANCE", "ADMIN")},
		{name: "rejectPinReset", query: mRejectPinReset,
			vars: func(string, int) map[string]any { return vars("input", map[string]any{"id": random, "reason": "no"}) },
			want: onlyRoles("NOT_FOUND", "COMPLIANCE", "ADMIN")},
		{name: "openAccount", query: mOpenAccount,
			vars: func(string, int) map[string]any { return vars("input", map[string]any{"userId": owner.User.ID}) },
			want: onlyRoles("", "ADMIN"), nonNull: true},
		{name: "createPortfolio in the owner's account", query: mCreatePortfolio,
			vars: func(caller string, _ int) map[string]any {
				return vars("input", map[string]any{"accountId": account, "name": "By " + caller, "type": "STAKING"})
			},
			want: authzWant{"anonymous": "UNAUTHENTICATED", "owner": "", "other": "NOT_FOUND", "SUPPORT": "NOT_FOUND|FORBIDDEN",
				"COMPLIANCE": "NOT_FOUND|FORBIDDEN", "ACCOUNTANT": "NOT_FOUND|FORBIDDEN", "ADMIN": "NOT_FOUND|FORBIDDEN"}},

		// The PIN reset by document is for anonymous clients holding a ticket.
		{name: "startPinReset", query: mStartPinReset,
			vars: func(_ string, i int) map[string]any {
				return vars("input", map[string]any{"phone": fmt.Sprintf("+4479111244%02d", i)})
			},
			want: everyone("")},
		{name: "verifyPinReset", query: mVerifyPinReset,
			vars: func(string, int) map[string]any {
				return vars("input", map[string]any{"challengeId": random, "code": "123456"})
			}, want: everyone("NOT_FOUND")},
		{name: "uploadPinResetDocument", query: mPinResetDocument,
			vars: func(string, int) map[string]any {
				return vars("input", map[string]any{"ticket": bogusTicket, "type": "PASSPORT", "number": "P1"})
			},
			files: func() []fileSpec { return []fileSpec{file("variables.input.front", "front.jpg", jpg)} },
			want:  everyone("NOT_FOUND")},
		{name: "submitPinResetSelfie", query: mPinResetSelfie,
			vars:  func(string, int) map[string]any { return vars("input", map[string]any{"ticket": bogusTicket}) },
			files: func() []fileSpec { return []fileSpec{file("variables.input.selfie", "selfie.jpg", jpg)} },
			want:  everyone("NOT_FOUND")},
		{name: "completePinReset", query: mCompletePinReset,
			vars: func(string, int) map[string]any { return completeVars(bogusTicket, "7294", "7294", "device-Z") },
			want: everyone("NOT_FOUND")},

		// Uploads last: they may open new submissions.
		{name: "uploadKycDocument", query: mUploadDocument,
			vars: func(string, int) map[string]any {
				return vars("input", map[string]any{"type": "UTILITY_BILL", "number": "B-1"})
			},
			files: func() []fileSpec { return []fileSpec{file("variables.input.front", "bill.pdf", pdfBytes())} },
			want:  signedIn(""), nonNull: true},
		{name: "uploadSelfie", query: mUploadSelfie,
			vars:  func(string, int) map[string]any { return vars("input", map[string]any{}) },
			files: func() []fileSpec { return []fileSpec{file("variables.input.image", "me.jpg", jpg)} },
			want:  signedIn(""), nonNull: true},
	}

	// Every new root field is in the table.
	covered := map[string]bool{}
	for _, c := range cases {
		covered[strings.Fields(c.name)[0]] = true
	}
	for _, f := range newRootFields(t) {
		must(t, covered[f], "root field %s has no row in the authorization matrix", f)
	}

	for _, c := range cases {
		for i, caller := range authzCallers {
			want := c.want[caller]
			var r gqlResponse
			if c.files != nil {
				r = h.upload(tokens[caller], c.query, c.vars(caller, i), c.files()...)
			} else {
				r = h.post(tokens[caller], c.query, c.vars(caller, i))
			}
			got := r.code()
			if !slices.Contains(strings.Split(want, "|"), got) {
				t.Errorf("%s as %s: want %q, got %q (%+v)", c.name, caller, want, got, r.Errors)
				continue
			}
			if got == "" && c.nonNull && rootIsNull(r.Data) {
				t.Errorf("%s as %s: allowed but null: %s", c.name, caller, r.Data)
			}
			if got != "" && !rootIsNull(r.Data) {
				t.Errorf("%s as %s: refused (%s) but data leaked: %s", c.name, caller, got, r.Data)
			}
		}
	}
}

// rootIsNull reports whether every root field of data is null (or data is).
func rootIsNull(data json.RawMessage) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil || m == nil {
		return true
	}
	for _, v := range m {
		if string(v) != "null" {
			return false
		}
	}
	return true
}

// newRootFields are the Query and Mutation fields kyc.graphqls and
// accounts.graphqls add, read from the schema files.
func newRootFields(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, f := range []string{"kyc.graphqls", "pinreset.graphqls", "accounts.graphqls"} {
		src := readSchema(t, f)
		for _, block := range []string{"extend type Query {", "extend type Mutation {"} {
			i := strings.Index(src, block)
			if i < 0 {
				continue
			}
			body := src[i+len(block):]
			body = body[:strings.Index(body, "\n}")]
			inString := false
			depth := 0 // inside a field's argument list written over several lines
			for _, line := range strings.Split(body, "\n") {
				line = strings.TrimSpace(line)
				if strings.HasPrefix(line, `"""`) {
					inString = !inString
					continue
				}
				if inString || line == "" || strings.HasPrefix(line, `"`) || strings.HasPrefix(line, "#") {
					continue
				}
				open := depth > 0
				depth += strings.Count(line, "(") - strings.Count(line, ")")
				if open {
					continue
				}
				name := line[:strings.IndexAny(line, "(:")]
				out = append(out, strings.TrimSpace(name))
			}
		}
	}
	must(t, len(out) > 30, "read only %d root fields from the schema: %v", len(out), out)
	return out
}

// What a user's record shows depends on who reads it: staff see the
// profile, only the file roles get links, ACCOUNTANT sees portfolios but
// not the profile, and nobody else reaches another's data.
func TestKycAuthzUserFields(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	support := h.staff("SUPPORT", "+447911124221")
	compliance := h.staff("COMPLIANCE", "+447911124222")
	accountant := h.staff("ACCOUNTANT", "+447911124223")
	admin := h.staff("ADMIN", "+447911124224")
	owner, _ := h.approvedUser("+447911124031", compliance, 100)
	other := h.signUp("+447911124032", "4831", "device-O")
	me := h.kycMe(owner.AccessToken)
	account := me.Accounts[0].ID
	var cp struct{ CreatePortfolio gqlPortfolio }
	h.ok(owner.AccessToken, mCreatePortfolio, vars("input", map[string]any{"accountId": account, "name": "Main", "type": "TRADING"}), &cp)
	pf := cp.CreatePortfolio

	// The owner never gets a link to its own files.
	me = h.kycMe(owner.AccessToken)
	must(t, len(me.Documents) == 1 && me.Documents[0].Front.URL == nil && me.Documents[0].Back != nil &&
		me.Documents[0].Back.URL == nil && me.Selfie != nil && me.Selfie.Image.URL == nil, "owner's own files: %+v %+v", me.Documents, me.Selfie)

	// Another member reaches nothing of the owner's.
	h.fails(other.AccessToken, qAccount, vars("id", account), "NOT_FOUND")
	h.fails(other.AccessToken, qPortfolio, vars("id", pf.ID), "NOT_FOUND")
	h.fails(other.AccessToken, qUser, vars("id", owner.User.ID), "FORBIDDEN")
	h.fails(other.AccessToken, mCreatePortfolio, vars("input", map[string]any{"accountId": account, "name": "Mine now", "type": "TRADING"}), "NOT_FOUND")
	om := h.kycMe(other.AccessToken)
	must(t, om.ID != owner.User.ID && om.Profile == nil && len(om.Documents) == 0 && om.Selfie == nil &&
		len(om.Accounts) == 1 && om.Accounts[0].ID != account, "another member's me: %+v", om)

	const qUserKYC = `query($id: ID!) { user(id: $id) { id kycStatus profile { firstName confirmed } labels { key scope }
		documents { type front { url } back { url } } selfie { image { url } } } }`
	type userKYC struct {
		User *struct {
			ID        string
			KycStatus string
			Profile   *struct {
				FirstName string
				Confirmed bool
			}
			Labels    []gqlLabel
			Documents []struct {
				Type  string
				Front struct{ URL *string }
				Back  *struct{ URL *string }
			}
			Selfie *struct{ Image struct{ URL *string } }
		}
	}
	// SUPPORT: the profile and documents, no links.
	var su userKYC
	h.ok(support.token, qUserKYC, vars("id", owner.User.ID), &su)
	must(t, su.User != nil && su.User.KycStatus == "APPROVED" && su.User.Profile != nil && su.User.Profile.FirstName == "Ada" &&
		len(su.User.Documents) == 1 && su.User.Selfie != nil, "support's view: %+v", su.User)
	must(t, su.User.Documents[0].Front.URL == nil && su.User.Documents[0].Back.URL == nil && su.User.Selfie.Image.URL == nil,
		"SUPPORT got a file link: %+v", su.User.Documents)
	must(t, slices.ContainsFunc(su.User.Labels, func(l gqlLabel) bool { return l.Key == "document" && l.Scope == "PRIVATE" }),
		"staff don't see PRIVATE labels: %+v", su.User.Labels)
	// COMPLIANCE and ADMIN: links that work.
	for _, s := range []staffUser{compliance, admin} {
		var cu userKYC
		h.ok(s.token, qUserKYC, vars("id", owner.User.ID), &cu)
		must(t, cu.User != nil && len(cu.User.Documents) == 1 && cu.User.Documents[0].Front.URL != nil &&
			cu.User.Selfie != nil && cu.User.Selfie.Image.URL != nil, "file roles got no links: %+v", cu.User)
		status, _ := h.fetch(*cu.User.Documents[0].Front.URL)
		must(t, status == 200, "file role's link: HTTP %d", status)
	}
	// ACCOUNTANT: accounts and portfolios, not the profile.
	var au struct {
		User *struct {
			Accounts []struct {
				ID         string
				Portfolios []struct{ ID, Address string }
			}
		}
	}
	h.ok(accountant.token, `query($id: ID!) { user(id: $id) { accounts { id portfolios { id address } } } }`, vars("id", owner.User.ID), &au)
	must(t, au.User != nil && len(au.User.Accounts) == 1 && au.User.Accounts[0].ID == account &&
		len(au.User.Accounts[0].Portfolios) == 1 && au.User.Accounts[0].Portfolios[0].Address == pf.Address,
		"accountant's view: %+v", au.User)
	r := h.fails(accountant.token, `query($id: ID!) { user(id: $id) { id profile { firstName } } }`, vars("id", owner.User.ID), "FORBIDDEN")
	must(t, !strings.Contains(string(r.Data), "Ada"), "the profile leaked to ACCOUNTANT: %s", r.Data)
	var ga struct{ Account *gqlAccount }
	h.ok(accountant.token, qAccount, vars("id", account), &ga)
	must(t, ga.Account != nil && len(ga.Account.Portfolios) == 1, "accountant's account(id): %+v", ga.Account)
	// No one gets a file link through a submission without a file role.
	h.fails(support.token, qKycSubmissions, nil, "FORBIDDEN")
}

func readSchema(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../../../graph/schema/" + name)
	if err != nil {
		t.Fatalf("schema %s: %v", name, err)
	}
	return string(b)
}
