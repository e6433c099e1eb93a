package admintest

import (
	"testing"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/ports"
)

// rulesRows are the rows of the Rules suite: exact rows, prefix groups, a
// DENY under an ALLOW group, AUDIT, an ANONYMOUS row that opens a field to
// everyone, and a role with no row at all (ADMIN).
var rulesRows = []admin.Permission{
	{Role: ports.RoleAnonymous, Operation: "levels", Action: admin.PermissionAllow},
	{Role: ports.RoleMember, Operation: "me", Action: admin.PermissionAllow},
	{Role: ports.RoleMember, Operation: "my*", Action: admin.PermissionAllow},
	{Role: ports.RoleMember, Operation: "myPhones", Action: admin.PermissionDeny},
	{Role: ports.RoleSupport, Operation: "users", Action: admin.PermissionAudit},
	{Role: ports.RoleSupport, Operation: "kyc*", Action: admin.PermissionAllow},
	{Role: ports.RoleSupport, Operation: "kycSubmission", Action: admin.PermissionDeny},
	{Role: ports.RoleSupport, Operation: "User.sessions", Action: admin.PermissionAllow},
	{Role: ports.RoleCompliance, Operation: "*", Action: admin.PermissionAllow},
	{Role: ports.RoleCompliance, Operation: "setUserRole", Action: admin.PermissionDeny},
	{Role: ports.RoleAccountant, Operation: "account", Action: admin.PermissionAllow},
	{Role: ports.RoleAccountant, Operation: "acc*", Action: admin.PermissionDeny},
}

// rulesOps are the operations the suite asks about (the Policy knows no
// other).
var rulesOps = admin.Operations{"levels", "me", "myDevices", "myPhones", "users", "kycSubmissions",
	"kycSubmission", "setUserRole", "account", "User.sessions"}

// RunRules runs the suite of the rule the permission rows decide by, for
// admin.Policy and for portsfake.Rules, which the modules' service tests
// use in its place: newRules returns rules holding rows that know ops.
func RunRules(t *testing.T, newRules func(t *testing.T, rows []admin.Permission, ops admin.Operations) admin.Rules) {
	rows := make([]admin.Permission, len(rulesRows))
	for i, r := range rulesRows {
		r.ID, r.CreatedAt, r.UpdatedAt = uuid.New(), T0, T0
		rows[i] = r
	}
	rules := newRules(t, rows, rulesOps)
	allowed := map[string][]string{
		// The ANONYMOUS row opens levels to every caller, signed in or not.
		"":                   {"levels"},
		ports.RoleAnonymous:  {"levels"},
		ports.RoleMember:     {"levels", "me", "myDevices"},
		ports.RoleSupport:    {"levels", "users", "kycSubmissions", "User.sessions"},
		ports.RoleCompliance: {"levels", "me", "myDevices", "myPhones", "users", "kycSubmissions", "kycSubmission", "account", "User.sessions"},
		ports.RoleAccountant: {"levels"},
		ports.RoleAdmin:      {"levels"},
	}
	for role, ops := range allowed {
		want := map[string]bool{}
		for _, op := range ops {
			want[op] = true
		}
		for _, op := range rulesOps {
			if got := rules.Allowed(role, op); got != want[op] {
				t.Errorf("Allowed(%q, %s) = %v, want %v", role, op, got, want[op])
			}
		}
	}
}
