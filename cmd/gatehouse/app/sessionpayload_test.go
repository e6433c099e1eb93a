package app_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/gatehouse/gatehouse/graph/generated"
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
