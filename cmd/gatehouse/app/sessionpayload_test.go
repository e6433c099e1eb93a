package app_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/gatehouse/gatehouse/graph/generated"
	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/ports"
)

// staffOnly reports a field the schema marks for staff roles only.
func staffOnly(f *ast.FieldDefinition) bool {
	d := f.Directives.ForName("hasRole")
	if d == nil {
		return false
	}
	return !strings.Contains(d.Arguments.ForName("roles").Value.String(), "MEMBER")
}

// selectAll writes a selection of every field of typ (depth levels of
// objects deep) that takes no required argument; skip leaves fields out.
func selectAll(s *ast.Schema, typ string, depth int, skip func(*ast.FieldDefinition) bool) string {
	def := s.Types[typ]
	if def.Kind == ast.Interface || def.Kind == ast.Union {
		return "__typename"
	}
	var out []string
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") || skip(f) {
			continue
		}
		required := false
		for _, a := range f.Arguments {
			required = required || (a.Type.NonNull && a.DefaultValue == nil)
		}
		if required {
			continue
		}
		child := s.Types[f.Type.Name()]
		switch {
		case child.Kind == ast.Scalar || child.Kind == ast.Enum:
			out = append(out, f.Name)
		case depth > 0:
			out = append(out, f.Name+" { "+selectAll(s, child.Name, depth-1, skip)+" }")
		}
	}
	return strings.Join(out, " ")
}

// TestCompletePinResetAnswersEveryPayloadField: the payload's fields once
// resolved as the anonymous caller, so asking for the user's devices, KYC
// data or accounts made the whole payload null after the reset had
// committed, and the new tokens and device secret were lost. They now
// resolve as the session the reset opened, and fields only staff may read
// are refused before the reset runs (the ticket stays unspent).
func TestCompletePinResetAnswersEveryPayloadField(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	compliance := h.staff("COMPLIANCE", "+447911124401")
	const phone = "+447911124411"
	a, _ := h.approvedUser(phone, compliance, 51)
	tk := h.startVerifiedPinReset(phone)
	must(t, tk.Status == "SELFIE_REQUIRED", "ticket: %+v", tk)
	h.submitPinResetSelfie(tk.Ticket, newKYCFiles(t, 51).selfie)
	id, _ := h.pendingPinResetOf(compliance.token, a.User.ID)
	var ap struct{ ApprovePinReset struct{ Status string } }
	h.ok(compliance.token, mApprovePinReset, vars("input", map[string]any{"id": id}), &ap)
	must(t, ap.ApprovePinReset.Status == "APPROVED", "approvePinReset: %+v", ap)

	complete := func(sel string) gqlResponse {
		return h.post("", `mutation($input: CompletePinResetInput!) { completePinReset(input: $input) { `+sel+` } }`,
			completeVars(tk.Ticket, "7294", "7294", "device-P"))
	}
	// Staff-only fields of the user cannot be served to the new session:
	// refused before anything is done.
	for _, f := range schema.Types["User"].Fields {
		if !staffOnly(f) {
			continue
		}
		r := complete("accessToken user { id " + f.Name + " { __typename } }")
		must(t, r.code() == "FORBIDDEN" && len(r.Errors[0].Path) == 0 && strings.Contains(r.Errors[0].Message, f.Name),
			"completePinReset asking User.%s: want FORBIDDEN before it runs, got %+v (data %s)", f.Name, r.Errors, r.Data)
		must(t, h.pinResetStatus(tk.Ticket).Status == "APPROVED", "the refused request spent the ticket")
	}

	sel := selectAll(schema, "AuthPayload", 3, staffOnly)
	must(t, strings.Contains(sel, "devices {") && strings.Contains(sel, "accounts {") && strings.Contains(sel, "profile {"),
		"selection: %s", sel)
	r := complete(sel)
	must(t, len(r.Errors) == 0, "completePinReset asking every field: %+v (data %s)", r.Errors, r.Data)
	var d struct{ CompletePinReset authPayload }
	if err := json.Unmarshal(r.Data, &d); err != nil {
		t.Fatal(err)
	}
	n := d.CompletePinReset
	must(t, n.AccessToken != "" && n.RefreshToken != "" && n.DeviceSecret != "" && n.User.ID == a.User.ID,
		"payload: %s", r.Data)
	must(t, strings.Contains(string(r.Data), `"deviceId":"device-P"`), "the user's devices are served: %s", r.Data)
}

// TestSignInPayloadAsksThePermissionRows: the guard that keeps a sign-in
// payload from asking for fields its session may not read once read the
// schema's @hasRole lists, so a row opening User.sessions to members
// changed what members read everywhere but in the payload. It now asks
// the same rows: an ALLOW row serves the field in the payload, a DENY row
// refuses it again before the sign-in runs.
func TestSignInPayloadAsksThePermissionRows(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	rows := newRowSetter(t, h, h.staff(ports.RoleSuperadmin, "+447911124601").token)
	const phone, pin, device = "+447911124611", "4831", "device-R"
	member := h.signUp(phone, pin, device)

	signIn := func(sel string) gqlResponse {
		t.Helper()
		return h.post("", `mutation($phone: String!, $pin: String!, $device: String!, $secret: String) {
			signInWithPin(input: {phone: $phone, pin: $pin, deviceId: $device, deviceSecret: $secret}) {
				status auth { accessToken user { id `+sel+` } } } }`, h.signInVars(phone, pin, device))
	}
	refusedBeforeRun := func(field string) {
		t.Helper()
		r := signIn(field + " { __typename }")
		must(t, r.code() == "FORBIDDEN" && len(r.Errors[0].Path) == 0 && strings.Contains(r.Errors[0].Message, field),
			"signInWithPin asking User.%s: want FORBIDDEN before it runs, got %+v (data %s)", field, r.Errors, r.Data)
	}
	served := func(sel string) string {
		t.Helper()
		r := signIn(sel)
		must(t, len(r.Errors) == 0, "signInWithPin asking %s: %+v", sel, r.Errors)
		return string(r.Data)
	}
	// reads reports whether the member's own token reads field of itself:
	// the service asks the same rows, so this says the rows reached the
	// instance.
	reads := func(field string) bool {
		return len(h.post(member.AccessToken, `query { me { `+field+` { __typename } } }`, nil).Errors) == 0
	}

	// The default rows open neither field to members.
	refusedBeforeRun("sessions")
	refusedBeforeRun("recentActivity")

	// ALLOW widens: a MEMBER row for every User field serves both.
	restoreAllow := rows.set(ports.RoleMember, "User*", admin.PermissionAllow)
	within(t, "the ALLOW row reaches the instance", time.Now(), func() bool {
		return reads("sessions") && reads("recentActivity")
	})
	data := served("sessions { id } recentActivity { action }")
	must(t, strings.Contains(data, `"sessions":[{"id":`) && strings.Contains(data, `"action":"sign_in.pin"`),
		"the payload's user has its sessions and activity: %s", data)

	// DENY narrows: a DENY row for User.sessions refuses it again, while
	// the prefix still serves recentActivity.
	restoreDeny := rows.set(ports.RoleMember, "User.sessions", admin.PermissionDeny)
	within(t, "the DENY row reaches the instance", time.Now(), func() bool { return !reads("sessions") })
	refusedBeforeRun("sessions")
	served("recentActivity { action }")

	// The defaults back: refused as before.
	restoreDeny()
	restoreAllow()
	within(t, "the default rows are back", time.Now(), func() bool { return !reads("recentActivity") })
	refusedBeforeRun("sessions")
	refusedBeforeRun("recentActivity")
}
