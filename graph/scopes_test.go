package graph

import (
	"context"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/ports"
)

func reason(t *testing.T, res callResult) string {
	t.Helper()
	if len(res.errs) == 0 {
		return ""
	}
	r, _ := res.errs[0].Extensions["reason"].(string)
	return r
}

// TestProgramsReachOnlyWhatRowsAndScopesBothAllow: the role's rows decide
// first, then the program's scopes; a field no program may call is
// refused whatever the scopes.
func TestProgramsReachOnlyWhatRowsAndScopesBothAllow(t *testing.T) {
	rows := []admin.Permission{
		perm(ports.RoleMember, "me", admin.PermissionAllow),
		perm(ports.RoleMember, "updateMe", admin.PermissionAllow),
		perm(ports.RoleMember, "changePin", admin.PermissionAllow),
		perm(ports.RoleMember, "createApiKey", admin.PermissionAllow),
		perm(ports.RolePartner, "openAccount", admin.PermissionAllow),
		perm(ports.RolePartner, "users", admin.PermissionAllow),
		perm(ports.RolePartner, "me", admin.PermissionAllow),
	}
	key := func(scopes ...string) *ports.Program {
		return &ports.Program{Kind: ports.ProgramAPIKey, ID: "k", Scopes: scopes}
	}
	partner := func(scopes ...string) *ports.Program {
		return &ports.Program{Kind: ports.ProgramPartner, ID: "c", Scopes: scopes}
	}
	for _, tc := range []struct {
		name                 string
		role                 string
		program              *ports.Program
		object, field        string
		wantCode, wantReason string
	}{
		{"read key reads", ports.RoleMember, key(ScopeRead), "Query", "me", "", ""},
		{"write key reads", ports.RoleMember, key(ScopeWrite), "Query", "me", "", ""},
		{"write key writes", ports.RoleMember, key(ScopeWrite), "Mutation", "updateMe", "", ""},
		{"read key may not write", ports.RoleMember, key(ScopeRead), "Mutation", "updateMe", "FORBIDDEN", ReasonScopeMissing},
		{"a key without scopes", ports.RoleMember, key(), "Query", "me", "FORBIDDEN", ReasonScopeMissing},
		{"the owner's rows still decide", ports.RoleMember, key(ScopeWrite), "Query", "users", "FORBIDDEN", ""},
		{"no key changes a PIN", ports.RoleMember, key(ScopeWrite), "Mutation", "changePin", "FORBIDDEN", ReasonProgramNotAllowed},
		{"no key mints a key", ports.RoleMember, key(ScopeWrite), "Mutation", "createApiKey", "FORBIDDEN", ReasonProgramNotAllowed},
		{"partner with its scope", ports.RolePartner, partner("accounts:write"), "Mutation", "openAccount", "", ""},
		{"partner without it", ports.RolePartner, partner("users:read"), "Mutation", "openAccount", "FORBIDDEN", ReasonScopeMissing},
		{"partner reads users", ports.RolePartner, partner("users:read"), "Query", "users", "", ""},
		{"a field no scope covers", ports.RolePartner, partner("users:read", "accounts:write"), "Query", "me", "FORBIDDEN", ReasonScopeMissing},
		{"the user's own session", ports.RoleMember, nil, "Mutation", "changePin", "", ""},
	} {
		c := newAuthzCase(t, rows...)
		c.role, c.program = tc.role, tc.program
		res := c.call(context.Background(), tc.object, tc.field, ast.ArgumentList{}, nil, nil)
		if got := code(res.errs); got != tc.wantCode || res.ran != (tc.wantCode == "") {
			t.Errorf("%s: code %q ran %v, want %q", tc.name, got, res.ran, tc.wantCode)
		}
		if got := reason(t, res); got != tc.wantReason {
			t.Errorf("%s: reason %q, want %q", tc.name, got, tc.wantReason)
		}
	}
}

// TestEveryFieldNoProgramMayCallExists: a renamed field would silently
// open to programs; the list must name fields of the schema.
func TestEveryFieldNoProgramMayCallExists(t *testing.T) {
	known := map[string]bool{}
	for _, n := range RootFieldNames() {
		known[n] = true
	}
	for n := range programsNever {
		if !known[n] {
			t.Errorf("programsNever names %s, which is no root field", n)
		}
	}
	for n := range partnerScopes {
		if !known[n] {
			t.Errorf("partnerScopes names %s, which is no root field", n)
		}
	}
}

// TestAnAuditedCallByAKeyNamesItsOwner: the admin activity of a key's
// audited call names the key's owner as the actor.
func TestAnAuditedCallByAKeyNamesItsOwner(t *testing.T) {
	c := newAuthzCase(t, perm(ports.RoleSupport, "users", admin.PermissionAudit))
	c.role = ports.RoleSupport
	c.program = &ports.Program{Kind: ports.ProgramAPIKey, ID: "k", Scopes: []string{ScopeRead}}
	res := c.call(context.Background(), "Query", "users", ast.ArgumentList{}, nil, nil)
	if !res.ran || len(res.errs) != 0 {
		t.Fatalf("ran %v, errors %v", res.ran, res.errs)
	}
	got := c.audit.AdminActivities()
	if len(got) != 1 || got[0].AdminID != c.userID {
		t.Fatalf("rows %+v, want one by %s", got, c.userID)
	}
}
