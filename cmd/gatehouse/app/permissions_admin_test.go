package app_test

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestAnAdminGovernsTheRulesBelowIt: the rows give ADMIN the permission
// fields, and the service keeps it to the rules of the roles below it.
// Each refusal is FORBIDDEN with its own reason, as a client sees it.
func TestAnAdminGovernsTheRulesBelowIt(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	super := h.staff("SUPERADMIN", "+447911129001")
	admin := h.staff("ADMIN", "+447911129002")

	var list struct{ Permissions []permRow }
	h.ok(admin.token, permList, nil, &list)
	find := func(role, op string) permRow {
		t.Helper()
		i := slices.IndexFunc(list.Permissions, func(r permRow) bool { return r.Role == role && r.Operation == op })
		must(t, i >= 0, "no %s row for %s", role, op)
		return list.Permissions[i]
	}
	// An ADMIN reads every row, its own and SUPERADMIN's included.
	find("SUPERADMIN", "*")
	adminRow, superRow := find("ADMIN", "users"), find("SUPERADMIN", "createPermission")

	// It edits a SUPPORT row.
	support := find("SUPPORT", "users")
	var updated struct{ UpdatePermission permRow }
	h.ok(admin.token, permUpdate, vars("input", map[string]any{"id": support.ID, "action": "AUDIT",
		"reason": "audit support's searches"}), &updated)
	must(t, updated.UpdatePermission.Action == "AUDIT", "SUPPORT row after the edit: %+v", updated.UpdatePermission)

	refused := func(what, query string, input map[string]any, reason string) {
		t.Helper()
		r := h.fails(admin.token, query, vars("input", input), "FORBIDDEN")
		got, _ := r.Errors[0].Extensions["reason"].(string)
		must(t, got == reason, "%s: reason %q, want %q (%s)", what, got, reason, r.Errors[0].Message)
		must(t, !strings.Contains(strings.ToLower(r.Errors[0].Message), "sql"), "%s: %s", what, r.Errors[0].Message)
	}
	refused("an ADMIN row", permUpdate, map[string]any{"id": adminRow.ID, "action": "DENY", "reason": "x"},
		"PERMISSION_ABOVE_YOUR_ROLE")
	refused("a SUPERADMIN row", permUpdate, map[string]any{"id": superRow.ID, "action": "DENY", "reason": "x"},
		"PERMISSION_ABOVE_YOUR_ROLE")
	refused("a new ADMIN row", permCreate, map[string]any{"role": "ADMIN", "operation": "setUserRole",
		"action": "ALLOW", "reason": "x"}, "PERMISSION_ABOVE_YOUR_ROLE")
	refused("deleting a SUPERADMIN row", permDelete, map[string]any{"id": superRow.ID, "reason": "x"},
		"PERMISSION_ABOVE_YOUR_ROLE")
	refused("a row on createPermission", permCreate, map[string]any{"role": "SUPPORT", "operation": "createPermission",
		"action": "ALLOW", "reason": "x"}, "PERMISSION_OPERATION_RESERVED")
	refused("moving a SUPPORT row onto the permission fields", permUpdate, map[string]any{"id": support.ID,
		"operation": "perm*", "reason": "x"}, "PERMISSION_OPERATION_RESERVED")
	// A field ADMIN's rows keep from it (by default ADMIN has every root
	// field SUPERADMIN has), opened to everyone.
	lacked := "userApiKeys"
	h.ok(super.token, permUpdate, vars("input", map[string]any{"id": find("ADMIN", lacked).ID, "action": "DENY",
		"reason": "admins do not read keys"}), &updated)
	within(t, "the DENY reaches ADMIN", time.Now(), func() bool {
		r := h.post(admin.token, `query { userApiKeys(userId: "00000000-0000-0000-0000-000000000001") { __typename } }`, nil)
		return r.code() == "FORBIDDEN"
	})
	refused("opening "+lacked+" to everyone", permCreate, map[string]any{"role": "ANONYMOUS",
		"operation": lacked, "action": "ALLOW", "reason": "x"}, "PERMISSION_WIDENS_YOUR_ROLE")

	// Nothing refused stuck (each ran in its own rolled-back transaction).
	h.ok(super.token, permList, nil, &list)
	must(t, find("ADMIN", "users").Action == adminRow.Action, "the ADMIN row changed")
	must(t, find("SUPPORT", "users").Operation == "users", "the SUPPORT row moved")
	for _, r := range list.Permissions {
		must(t, !(r.Role == "ANONYMOUS" && r.Operation == lacked), "the ANONYMOUS row stuck")
	}

	// A DENY row for ADMIN on updatePermission takes the power away.
	h.ok(super.token, permUpdate, vars("input", map[string]any{"id": find("ADMIN", "updatePermission").ID,
		"action": "DENY", "reason": "freeze admin edits"}), &updated)
	within(t, "the DENY reaches ADMIN", time.Now(), func() bool {
		return h.post(admin.token, permUpdate, vars("input", map[string]any{"id": support.ID, "action": "ALLOW",
			"reason": "back"})).code() == "FORBIDDEN"
	})
	// The SUPERADMIN still edits any row.
	h.ok(super.token, permUpdate, vars("input", map[string]any{"id": adminRow.ID, "action": "AUDIT",
		"reason": "audit admins' searches"}), &updated)
}
