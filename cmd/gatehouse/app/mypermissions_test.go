package app_test

import (
	"slices"
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

	// The rows decide the permission fields too: ADMIN is offered them by
	// default, and a DENY row takes updatePermission out of the list as it
	// takes it out of reach.
	admin := h.staff("ADMIN", "+447911128003")
	for _, op := range []string{"permissions", "createPermission", "updatePermission", "deletePermission"} {
		must(t, slices.Contains(mine(admin.token), op), "ADMIN lacks %s", op)
	}
	var rules struct{ Permissions []permRow }
	h.ok(super.token, permList, nil, &rules)
	k := slices.IndexFunc(rules.Permissions, func(r permRow) bool {
		return r.Role == "ADMIN" && r.Operation == "updatePermission"
	})
	must(t, k >= 0, "no ADMIN row for updatePermission")
	h.ok(super.token, permUpdate, vars("input", map[string]any{"id": rules.Permissions[k].ID,
		"action": "DENY", "reason": "no edits by admins this week"}), &struct{ UpdatePermission permRow }{})
	within(t, "the DENY reaches ADMIN's list", time.Now(), func() bool {
		return !slices.Contains(mine(admin.token), "updatePermission")
	})
	must(t, slices.Contains(mine(admin.token), "createPermission"), "the DENY took more than updatePermission")

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
