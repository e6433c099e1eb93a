package app_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

const (
	permCreate = `mutation($input: CreatePermissionInput!) { createPermission(input: $input) { id role operation action } }`
	permUpdate = `mutation($input: UpdatePermissionInput!) { updatePermission(input: $input) { id action } }`
	permDelete = `mutation($input: DeletePermissionInput!) { deletePermission(input: $input) }`
	permList   = `query { permissions { id role operation action } }`
	permPhones = `query { myPhones { __typename } }`
)

type permRow struct {
	ID, Role, Operation, Action string
}

// within polls call until it reports true, failing after a second: the
// promise of a permission change on every instance.
func within(t *testing.T, what string, start time.Time, call func() bool) {
	t.Helper()
	for !call() {
		if time.Since(start) > time.Second {
			t.Fatalf("not within one second: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestPermissionChangeReachesAnotherInstance runs two Gatehouses on one
// database: a rule changed through the first applies on the second
// within a second, with no request of its own to the database.
func TestPermissionChangeReachesAnotherInstance(t *testing.T) {
	t.Parallel()
	a := newHarness(t)
	b := newHarness(t, func(c *app.Config) { c.DatabaseURL = a.cfg.DatabaseURL })
	super := a.staff("SUPERADMIN", "+447911127001")
	member := b.staff("MEMBER", "+447911127002").token // signed in on B, by B

	code := func() string { return b.post(member, permPhones, nil).code() }
	if c := code(); c != "" {
		t.Fatalf("myPhones before any change: %s", c)
	}

	var created struct{ CreatePermission permRow }
	a.ok(super.token, permCreate, vars("input", map[string]any{"role": "MEMBER", "operation": "my*",
		"action": "DENY", "reason": "freeze self-service"}), &created)
	start := time.Now()
	within(t, "instance B refuses after the DENY", start, func() bool { return code() == "FORBIDDEN" })
	// Only the group is refused: other fields stay open.
	if c := b.post(member, `query { levels { __typename } }`, nil).code(); c != "" {
		t.Fatalf("levels after denying my*: %s", c)
	}

	// Updating the rule to ALLOW opens it again.
	var updated struct{ UpdatePermission permRow }
	a.ok(super.token, permUpdate, vars("input", map[string]any{"id": created.CreatePermission.ID, "action": "ALLOW",
		"reason": "thaw"}), &updated)
	start = time.Now()
	within(t, "instance B allows after the update", start, func() bool { return code() == "" })

	// DENY again, then deleting the rule restores the default.
	a.ok(super.token, permUpdate, vars("input", map[string]any{"id": created.CreatePermission.ID, "action": "DENY",
		"reason": "freeze again"}), &updated)
	start = time.Now()
	within(t, "instance B refuses again", start, func() bool { return code() == "FORBIDDEN" })
	var deleted struct{ DeletePermission bool }
	a.ok(super.token, permDelete, vars("input", map[string]any{"id": created.CreatePermission.ID,
		"reason": "back to the defaults"}), &deleted)
	must(t, deleted.DeletePermission, "the rule was not deleted")
	start = time.Now()
	within(t, "instance B allows after the delete", start, func() bool { return code() == "" })

	// Each change left exactly one admin activity, with its reason.
	var reasons []string
	err := a.db.NewRaw(`SELECT reason FROM admin_activities WHERE action LIKE '%Permission' ORDER BY created_at, id`).
		Scan(context.Background(), &reasons)
	must(t, err == nil, "read admin activities: %v", err)
	want := []string{"freeze self-service", "thaw", "freeze again", "back to the defaults"}
	must(t, len(reasons) == len(want), "admin activities %v, want %v", reasons, want)
	for i := range want {
		must(t, reasons[i] == want[i], "admin activities %v, want %v", reasons, want)
	}
}

// TestPermissionRulesGuardThemselves: the rows keep the rules from roles
// without a row for them (an ADMIN's limits: permissions_admin_test), bad input is VALIDATION_FAILED, and SUPERADMIN cannot remove
// its own power to edit them.
func TestPermissionRulesGuardThemselves(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	super := h.staff("SUPERADMIN", "+447911127011")
	support := h.staff("SUPPORT", "+447911127012")

	h.fails(support.token, permList, nil, "FORBIDDEN")
	h.fails("", permList, nil, "UNAUTHENTICATED")
	var list struct{ Permissions []permRow }
	h.ok(super.token, permList, nil, &list)
	var star string
	for _, p := range list.Permissions {
		if p.Role == "SUPERADMIN" && p.Operation == "*" {
			star = p.ID
		}
	}
	must(t, star != "", "no SUPERADMIN * rule among %d", len(list.Permissions))

	r := h.fails(super.token, permCreate, vars("input", map[string]any{"role": "MEMBER", "operation": "noSuchField",
		"action": "ALLOW", "reason": "x"}), "VALIDATION_FAILED")
	must(t, r.Errors[0].Extensions["fields"] != nil, "no fields in %+v", r.Errors)
	h.fails(super.token, permCreate, vars("input", map[string]any{"role": "MEMBER", "operation": "myPhones",
		"action": "DENY", "reason": "dup"}), "CONFLICT") // MEMBER has a myPhones rule already
	h.fails(super.token, permDelete, vars("input", map[string]any{"id": star, "reason": "oops"}), "CONFLICT")
	h.fails(super.token, permCreate, vars("input", map[string]any{"role": "SUPERADMIN", "operation": "*Permission",
		"action": "DENY", "reason": "oops"}), "VALIDATION_FAILED") // a group is a prefix
	h.fails(super.token, permUpdate, vars("input", map[string]any{"id": uuid.NewString(), "action": "DENY",
		"reason": "x"}), "NOT_FOUND")
	var after struct{ Permissions []permRow }
	h.ok(super.token, permList, nil, &after)
	must(t, len(after.Permissions) == len(list.Permissions), "refused changes changed the rules")
}

// TestAuditRuleLeavesOneAdminActivity: an AUDIT call leaves exactly one
// row of the staff audit trail, with who, on whom, from where; a failed
// staff mutation one FAILED row; secrets never reach it.
func TestAuditRuleLeavesOneAdminActivity(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	support := h.staff("SUPPORT", "+447911127021")
	super := h.staff("SUPERADMIN", "+447911127022")
	m := h.signUp("+447911127023", "4831", "device-M")

	type auditRow struct {
		AdminID      uuid.UUID  `bun:"admin_id"`
		TargetUserID *uuid.UUID `bun:"target_user_id"`
		Action       string     `bun:"action"`
		Reason       string     `bun:"reason"`
		Input        string     `bun:"input"`
		Result       string     `bun:"result"`
		Error        string     `bun:"error"`
		IP           string     `bun:"ip"`
		UserAgent    string     `bun:"user_agent"`
	}
	rowsOf := func(action string) []auditRow {
		t.Helper()
		var rows []auditRow
		err := h.db.NewRaw(`SELECT admin_id, target_user_id, action, reason, input::text AS input, result, error, ip,
			user_agent FROM admin_activities WHERE action = ? ORDER BY created_at, id`, action).Scan(ctx, &rows)
		must(t, err == nil, "read admin activities: %v", err)
		return rows
	}

	// A read under AUDIT.
	var u struct{ User *struct{ ID string } }
	h.ok(support.token, `query($id: ID!) { user(id: $id) { id } }`, vars("id", m.User.ID), &u)
	must(t, u.User != nil && u.User.ID == m.User.ID, "user: %+v", u.User)
	rows := rowsOf("user")
	must(t, len(rows) == 1, "%d admin activities for one user call", len(rows))
	r := rows[0]
	must(t, r.AdminID.String() == support.id && r.TargetUserID != nil && r.TargetUserID.String() == m.User.ID &&
		r.Result == "SUCCEEDED" && r.IP != "" && r.UserAgent == "gatehouse-test/1.0", "row %+v", r)

	// A staff mutation that fails: one FAILED row, with the reason.
	h.fails(super.token, `mutation($input: SetUserStateInput!) { setUserState(input: $input) { id } }`,
		vars("input", map[string]any{"userId": uuid.NewString(), "state": "BANNED", "reason": "fraud ring"}), "NOT_FOUND")
	rows = rowsOf("setUserState")
	must(t, len(rows) == 1, "%d admin activities for one failed setUserState", len(rows))
	must(t, rows[0].Result == "FAILED" && rows[0].Error == "NOT_FOUND" && rows[0].Reason == "fraud ring" &&
		rows[0].AdminID.String() == super.id, "row %+v", rows[0])

	// Secrets: put changePin under AUDIT for members, then change a PIN.
	var rules struct{ Permissions []permRow }
	h.ok(super.token, permList, nil, &rules)
	var changePin string
	for _, p := range rules.Permissions {
		if p.Role == "MEMBER" && p.Operation == "changePin" {
			changePin = p.ID
		}
	}
	must(t, changePin != "", "no MEMBER changePin rule")
	var updated struct{ UpdatePermission permRow }
	h.ok(super.token, permUpdate, vars("input", map[string]any{"id": changePin, "action": "AUDIT",
		"reason": "watch PIN changes"}), &updated)
	// A probe committed after it: once it applies, so does the AUDIT rule
	// (every reload reads all the rows).
	var probe struct{ CreatePermission permRow }
	h.ok(super.token, permCreate, vars("input", map[string]any{"role": "SUPPORT", "operation": "label*",
		"action": "DENY", "reason": "probe"}), &probe)
	start := time.Now()
	within(t, "the rules reload", start, func() bool {
		return h.post(support.token, `query { labelKeys { __typename } }`, nil).code() == "FORBIDDEN"
	})
	h.ok(m.AccessToken, `mutation($input: ChangePinInput!) { changePin(input: $input) { __typename } }`,
		vars("input", map[string]any{"currentPin": "4831", "newPin": "9157", "confirmPin": "9157"}), &struct{}{})
	rows = rowsOf("changePin")
	must(t, len(rows) == 1, "%d rows for one audited changePin", len(rows))
	var input map[string]any
	must(t, json.Unmarshal([]byte(rows[0].Input), &input) == nil, "input %s", rows[0].Input)
	for _, k := range []string{"currentPin", "newPin", "confirmPin"} {
		must(t, input[k] == "[redacted]", "%s kept in the audit trail: %s", k, rows[0].Input)
	}
	for _, secret := range []string{"4831", "9157"} {
		must(t, !strings.Contains(rows[0].Input, secret), "a PIN reached the audit trail: %s", rows[0].Input)
	}
}
