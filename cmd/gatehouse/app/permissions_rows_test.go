package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/ports"
)

// rowCase is one permission row a SUPERADMIN writes for role on
// operation, and a call that shows its effect: under ALLOW a call the
// default rows refuse goes through (the service asks the same rows, so it
// does not refuse again); under DENY a call they allow is refused.
type rowCase struct {
	role, operation, action string
	// query is the call (field is the name of its root field); empty:
	// the operation called alone with minimal arguments.
	query, field string
	// needsUser: the query takes $id, a member's id.
	needsUser bool
}

// rowCases cover every role and every service that used to keep a role
// list of its own: admin (users, reads, metrics, staff changes), accounts,
// kyc and identity. SUPERADMIN holds the "*" row (every operation is open
// to it already), ANONYMOUS has no user for a service to act for, and
// ADMIN holds every operation but the permission rules, which stay
// SUPERADMIN's whatever the rows say (an ALLOW row there would hand out
// "*"; see admin's TestAnAllowRowDoesNotHandTheRulesToAnAdmin and type
// fields in TestPermissionRowsDecideTypeFields): those three only narrow.
var rowCases = []rowCase{
	{role: ports.RoleAnonymous, operation: "levels", action: admin.PermissionDeny},
	{role: ports.RoleMember, operation: "adminMetrics", action: admin.PermissionAllow, query: metricsQuery},
	{role: ports.RoleMember, operation: "myPhones", action: admin.PermissionDeny},
	{role: ports.RoleSupport, operation: "adminMetrics", action: admin.PermissionAllow, query: metricsQuery},
	{role: ports.RoleSupport, operation: "kycSubmissions", action: admin.PermissionAllow},
	{role: ports.RoleSupport, operation: "users", action: admin.PermissionDeny},
	{role: ports.RoleCompliance, operation: "adminActivities", action: admin.PermissionAllow},
	{role: ports.RoleCompliance, operation: "openAccount", action: admin.PermissionAllow},
	{role: ports.RoleCompliance, operation: "kycSubmissions", action: admin.PermissionDeny},
	{role: ports.RoleAccountant, operation: "labelKeys", action: admin.PermissionAllow},
	{role: ports.RoleAccountant, operation: "updateUserProfile", action: admin.PermissionAllow},
	{role: ports.RoleAccountant, operation: "setUserState", action: admin.PermissionAllow},
	{role: ports.RoleAccountant, operation: "user", action: admin.PermissionDeny},
	{role: ports.RoleAdmin, operation: "users", action: admin.PermissionDeny},
	{role: ports.RoleSuperadmin, operation: "adminMetrics", action: admin.PermissionDeny, query: metricsQuery},
	{role: ports.RolePartner, operation: "labelKeys", action: admin.PermissionAllow},
	{role: ports.RolePartner, operation: "mySessions", action: admin.PermissionDeny},
	{role: ports.RolePartner, operation: "account", action: admin.PermissionDeny},
}

const metricsQuery = `query { adminMetrics(from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z") { totals { __typename } } }`

// rowSetter writes permission rows as a SUPERADMIN and puts them back.
type rowSetter struct {
	t     *testing.T
	h     *harness
	super string
	ids   map[string]string // role/operation → id of a default row
}

func newRowSetter(t *testing.T, h *harness, super string) *rowSetter {
	var list struct{ Permissions []permRow }
	h.ok(super, permList, nil, &list)
	ids := map[string]string{}
	for _, p := range list.Permissions {
		ids[p.Role+"/"+p.Operation] = p.ID + " " + p.Action
	}
	return &rowSetter{t: t, h: h, super: super, ids: ids}
}

// set makes action the row of role for operation and returns what puts
// the default back (the row's old action, or no row).
func (s *rowSetter) set(role, operation, action string) (restore func()) {
	s.t.Helper()
	if old, ok := s.ids[role+"/"+operation]; ok {
		id, was, _ := strings.Cut(old, " ")
		var out struct{ UpdatePermission permRow }
		s.h.ok(s.super, permUpdate, vars("input", map[string]any{"id": id, "action": action,
			"reason": "matrix: " + action}), &out)
		return func() {
			s.h.ok(s.super, permUpdate, vars("input", map[string]any{"id": id, "action": was,
				"reason": "matrix: back"}), &out)
		}
	}
	var created struct{ CreatePermission permRow }
	s.h.ok(s.super, permCreate, vars("input", map[string]any{"role": role, "operation": operation,
		"action": action, "reason": "matrix: " + action}), &created)
	return func() {
		var deleted struct{ DeletePermission bool }
		s.h.ok(s.super, permDelete, vars("input", map[string]any{"id": created.CreatePermission.ID,
			"reason": "matrix: back"}), &deleted)
	}
}

// refusal is the code a caller of role gets when the rows refuse.
func refusal(role string) string {
	if role == ports.RoleAnonymous {
		return "UNAUTHENTICATED"
	}
	return "FORBIDDEN"
}

// refused reports whether code is a refusal of the caller.
func refused(code string) bool { return code == "FORBIDDEN" || code == "UNAUTHENTICATED" }

// TestPermissionRowsWidenAndNarrow: for every role, an ALLOW row opens a
// root field the default rows keep closed to it, through to the service
// (which asks the same rows), and a DENY row closes one they open; putting
// the default back restores the default answer.
func TestPermissionRowsWidenAndNarrow(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	schema, fields := schemaRootFields(t)
	byName := map[string]rootField{}
	for _, f := range fields {
		byName[f.def.Name] = f
	}
	super := h.staff(ports.RoleSuperadmin, "+447911128000").token
	rows := newRowSetter(t, h, super)
	member := h.signUp("+447911128001", "4831", "device-rows")
	tokens := map[string]string{ports.RoleAnonymous: ""}
	for i, role := range matrixRoles[1:] {
		tokens[role] = h.staff(role, fmt.Sprintf("+4479111281%02d", i)).token
	}
	roles := map[string]bool{}
	for _, c := range rowCases {
		roles[c.role+" "+c.action] = true
		q, field := c.query, c.field
		if q == "" {
			f, ok := byName[c.operation]
			must(t, ok, "%s is not a root field", c.operation)
			q = callOf(schema, f)
		}
		if field == "" {
			field = c.operation
		}
		var vs map[string]any
		if c.needsUser {
			vs = vars("id", member.User.ID)
		}
		call := func() string { return fieldCode(h.post(tokens[c.role], q, vs), field) }
		what := fmt.Sprintf("%s %s for %s", c.action, c.operation, c.role)

		before := call()
		if c.action == admin.PermissionAllow {
			must(t, before == refusal(c.role), "%s: by default want %s, got %q", what, refusal(c.role), before)
		} else {
			must(t, !refused(before), "%s: by default allowed, got %q", what, before)
		}
		restore := rows.set(c.role, c.operation, c.action)
		start := time.Now()
		if c.action == admin.PermissionAllow {
			within(t, what+" opens the call", start, func() bool { return !refused(call()) })
			if c.query != "" {
				r := h.post(tokens[c.role], q, vs)
				must(t, len(r.Errors) == 0, "%s: %+v", what, r.Errors)
			}
		} else {
			within(t, what+" refuses the call", start, func() bool { return call() == refusal(c.role) })
		}
		restore()
		start = time.Now()
		within(t, what+": the default is back", start, func() bool { return call() == before })
	}
	for _, role := range matrixRoles {
		must(t, roles[role+" "+admin.PermissionDeny], "no DENY case for %s", role)
		if role != ports.RoleAnonymous && role != ports.RoleSuperadmin && role != ports.RoleAdmin {
			must(t, roles[role+" "+admin.PermissionAllow], "no ALLOW case for %s", role)
		}
	}
}

// nestedCode is the code of the error at path (["user", "sessions"]), ""
// when none.
func nestedCode(r gqlResponse, path ...string) string {
	for _, e := range r.Errors {
		if len(e.Path) < len(path) {
			continue
		}
		match := true
		for i, p := range path {
			if s, _ := e.Path[i].(string); s != p {
				match = false
			}
		}
		if match {
			c, _ := e.Extensions["code"].(string)
			return c
		}
	}
	return ""
}

// TestPermissionRowsDecideTypeFields: the role-restricted fields of a
// user (sessions, profile, accounts, labels, devices) and the links to
// KYC files follow their Type.field rows as root fields follow theirs:
// ALLOW lets a role read them of any user, DENY stops a role that reads
// them by default, and putting the default back restores it.
func TestPermissionRowsDecideTypeFields(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	super := h.staff(ports.RoleSuperadmin, "+447911129000").token
	rows := newRowSetter(t, h, super)
	member := h.signUp("+447911129001", "4831", "device-fields")
	h.uploadDocument(member.AccessToken, "PASSPORT", newKYCFiles(t, 29))
	tokens := map[string]string{}
	for i, role := range matrixRoles[1:] {
		tokens[role] = h.staff(role, fmt.Sprintf("+4479111291%02d", i)).token
	}
	id := vars("id", member.User.ID)

	cases := []struct{ role, operation, action, field string }{
		{ports.RoleAccountant, "User.sessions", admin.PermissionAllow, "sessions { __typename }"},
		{ports.RoleAdmin, "User.sessions", admin.PermissionDeny, "sessions { __typename }"},
		{ports.RoleAccountant, "User.recentActivity", admin.PermissionAllow, "recentActivity { __typename }"},
		{ports.RoleAccountant, "User.profile", admin.PermissionAllow, "profile { __typename }"},
		{ports.RoleCompliance, "User.profile", admin.PermissionDeny, "profile { __typename }"},
		{ports.RoleAccountant, "User.labels", admin.PermissionAllow, "labels { __typename }"},
		{ports.RoleSupport, "User.labels", admin.PermissionDeny, "labels { __typename }"},
		{ports.RoleAccountant, "User.documents", admin.PermissionAllow, "documents { __typename }"},
		{ports.RoleSupport, "User.accounts", admin.PermissionDeny, "accounts { __typename }"},
		{ports.RoleAccountant, "User.devices", admin.PermissionAllow, "devices { __typename }"},
		{ports.RoleSupport, "User.devices", admin.PermissionDeny, "devices { __typename }"},
	}
	for _, c := range cases {
		name, _, _ := strings.Cut(c.field, " ")
		q := `query($id: ID!) { user(id: $id) { id ` + c.field + ` } }`
		call := func() string { return nestedCode(h.post(tokens[c.role], q, id), "user", name) }
		what := fmt.Sprintf("%s %s for %s", c.action, c.operation, c.role)
		before := call()
		if c.action == admin.PermissionAllow {
			must(t, before == "FORBIDDEN", "%s: by default want FORBIDDEN, got %q", what, before)
		} else {
			must(t, before == "", "%s: by default allowed, got %q", what, before)
		}
		restore := rows.set(c.role, c.operation, c.action)
		start := time.Now()
		if c.action == admin.PermissionAllow {
			within(t, what+" opens the field", start, func() bool { return call() == "" })
		} else {
			within(t, what+" refuses the field", start, func() bool { return call() == "FORBIDDEN" })
		}
		restore()
		start = time.Now()
		within(t, what+": the default is back", start, func() bool { return call() == before })
	}

	// File links: SUPPORT gets none by default, one under ALLOW, and the
	// link opens; COMPLIANCE loses its links under DENY, and a link made
	// before the DENY stops working with it.
	const qLink = `query($id: ID!) { user(id: $id) { documents { front { url } } } }`
	link := func(role string) string {
		var d struct {
			User struct {
				Documents []struct{ Front struct{ URL *string } }
			}
		}
		h.ok(tokens[role], qLink, id, &d)
		must(t, len(d.User.Documents) == 1, "%s reads %d documents", role, len(d.User.Documents))
		if u := d.User.Documents[0].Front.URL; u != nil {
			return *u
		}
		return ""
	}
	must(t, link(ports.RoleSupport) == "", "SUPPORT has a file link by default")
	restore := rows.set(ports.RoleSupport, "KycFile.url", admin.PermissionAllow)
	within(t, "ALLOW KycFile.url for SUPPORT gives a link", time.Now(), func() bool { return link(ports.RoleSupport) != "" })
	status, _ := h.fetch(link(ports.RoleSupport))
	must(t, status == 200, "SUPPORT's link under ALLOW: %d", status)
	restore()
	within(t, "SUPPORT's links end with the default", time.Now(), func() bool { return link(ports.RoleSupport) == "" })

	old := link(ports.RoleCompliance)
	must(t, old != "", "COMPLIANCE has no file link by default")
	restore = rows.set(ports.RoleCompliance, "KycFile.url", admin.PermissionDeny)
	within(t, "DENY KycFile.url for COMPLIANCE takes the links", time.Now(), func() bool { return link(ports.RoleCompliance) == "" })
	status, _ = h.fetch(old)
	must(t, status == 404, "a COMPLIANCE link made before the DENY: %d", status)
	restore()
	within(t, "COMPLIANCE's links are back", time.Now(), func() bool { return link(ports.RoleCompliance) != "" })
}
