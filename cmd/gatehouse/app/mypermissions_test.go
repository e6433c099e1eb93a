package app_test

import (
	"slices"
	"strings"
	"testing"
	"time"
)

const qMyPermissions = `query { myPermissions }`

// TestMyPermissionsFollowTheRows: a role reads what its own rows let it
// call, and a new DENY row takes the operation out of the list as it
// takes it out of reach (the staff console hides what the list lacks).
func TestMyPermissionsFollowTheRows(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	super := h.staff("SUPERADMIN", "+447911128001")
	reviewer := h.staff("COMPLIANCE", "+447911128002")

	mine := func(token string) []string {
		var d struct{ MyPermissions []string }
		h.ok(token, qMyPermissions, nil, &d)
		return d.MyPermissions
	}
	ops := mine(reviewer.token)
	for _, op := range []string{"kycSubmissions", "approveKycSubmission", "users", "me", "myPermissions"} {
		must(t, slices.Contains(ops, op), "COMPLIANCE lacks %s in %v", op, ops)
	}
	for _, op := range []string{"createPermission", "permissions", "setUserRole"} {
		must(t, !slices.Contains(ops, op), "COMPLIANCE has %s", op)
	}
	must(t, slices.IsSorted(ops), "not sorted: %v", ops)
	must(t, slices.Contains(mine(super.token), "createPermission"), "SUPERADMIN lacks createPermission")

	h.fails("", qMyPermissions, nil, "UNAUTHENTICATED")

	// Only a SUPERADMIN governs the rules, whatever the rows say: an ADMIN
	// whose rows allow them is not offered what the service refuses.
	admin := h.staff("ADMIN", "+447911128003")
	h.ok(super.token, permCreate, vars("input", map[string]any{"role": "ADMIN", "operation": "createPermission",
		"action": "ALLOW", "reason": "try to share the rules"}), &struct{ CreatePermission permRow }{})
	// The service's own refusal, not the rows': the ALLOW row is in force.
	within(t, "the ALLOW reaches the policy", time.Now(), func() bool {
		r := h.post(admin.token, permCreate, vars("input", map[string]any{"role": "MEMBER", "operation": "users",
			"action": "ALLOW", "reason": "x"}))
		return r.code() == "FORBIDDEN" && strings.Contains(r.Errors[0].Message, "only a SUPERADMIN")
	})
	must(t, !slices.Contains(mine(admin.token), "createPermission"), "ADMIN is offered createPermission")

	var rows struct{ Permissions []permRow }
	h.ok(super.token, permList, nil, &rows)
	i := slices.IndexFunc(rows.Permissions, func(r permRow) bool {
		return r.Role == "COMPLIANCE" && r.Operation == "approveKycSubmission"
	})
	must(t, i >= 0, "no COMPLIANCE row for approveKycSubmission")
	h.ok(super.token, permUpdate, vars("input", map[string]any{"id": rows.Permissions[i].ID,
		"action": "DENY", "reason": "four eyes only"}), &struct{ UpdatePermission permRow }{})
	within(t, "the DENY reaches the list", time.Now(), func() bool {
		return !slices.Contains(mine(reviewer.token), "approveKycSubmission")
	})
	h.fails(reviewer.token, `mutation { approveKycSubmission(input: {id: "00000000-0000-0000-0000-000000000001"}) { id } }`,
		nil, "FORBIDDEN")
}
