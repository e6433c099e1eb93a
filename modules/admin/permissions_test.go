package admin_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/admin/admintest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

var permT0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

type permCallerKey struct{}

type permCallers struct{}

func (permCallers) Caller(ctx context.Context) (*ports.Caller, error) {
	c, _ := ctx.Value(permCallerKey{}).(*ports.Caller)
	return c, nil
}

func as(role string) context.Context {
	return context.WithValue(context.Background(), permCallerKey{}, &ports.Caller{UserID: uuid.New(), Role: role})
}

type permFixture struct {
	svc   *admin.Permissions
	store *admintest.PermissionStore
	audit *portsfake.AuditTrail
	tx    *portsfake.TxRunner
	rules *portsfake.Rules
}

// superadminRules are the rows that keep SUPERADMIN in charge.
func superadminRules() []admin.Permission {
	return []admin.Permission{
		{ID: uuid.New(), Role: ports.RoleSuperadmin, Operation: "*", Action: admin.PermissionAllow},
		{ID: uuid.New(), Role: ports.RoleSuperadmin, Operation: "createPermission", Action: admin.PermissionAudit},
		{ID: uuid.New(), Role: ports.RoleMember, Operation: "me", Action: admin.PermissionAllow},
	}
}

func newPermFixture(rows ...admin.Permission) permFixture {
	f := permFixture{store: admintest.NewPermissionStore(rows...), audit: portsfake.NewAuditTrail(nil),
		tx: portsfake.NewTxRunner(), rules: portsfake.DefaultRules()}
	f.svc = admin.NewPermissions(f.store, f.audit, f.tx, clock.NewManual(permT0), testOps, permCallers{}, f.rules)
	return f
}

// Who governs the rules is not a row: an ALLOW row does not hand an
// ADMIN the rule table (and with it every power), whatever it says.
func TestAnAllowRowDoesNotHandTheRulesToAnAdmin(t *testing.T) {
	f := newPermFixture(superadminRules()...)
	f.rules.Set(ports.RoleAdmin, "permissions", admin.PermissionAllow)
	f.rules.Set(ports.RoleAdmin, "createPermission", admin.PermissionAllow)
	_, err := f.svc.List(as(ports.RoleAdmin))
	errtest.Code(t, err, ports.CodeForbidden, "ADMIN lists under an ALLOW row")
	_, err = f.svc.Create(as(ports.RoleAdmin), admin.PermissionInput{Role: ports.RoleAdmin,
		Operation: "*", Action: admin.PermissionAllow, Reason: "x"})
	errtest.Code(t, err, ports.CodeForbidden, "ADMIN grants itself * under an ALLOW row")
}

func TestPermissionsAreForSuperadminsOnly(t *testing.T) {
	f := newPermFixture(superadminRules()...)
	in := admin.PermissionInput{Role: ports.RoleMember, Operation: "users", Action: admin.PermissionAllow, Reason: "x"}
	for _, role := range []string{ports.RoleMember, ports.RoleSupport, ports.RoleAdmin} {
		ctx := as(role)
		_, err := f.svc.List(ctx)
		errtest.Code(t, err, ports.CodeForbidden, "%s lists", role)
		_, err = f.svc.Create(ctx, in)
		errtest.Code(t, err, ports.CodeForbidden, "%s creates", role)
		_, err = f.svc.Update(ctx, admin.PermissionChange{ID: uuid.New(), Reason: "x"})
		errtest.Code(t, err, ports.CodeForbidden, "%s updates", role)
		_, err = f.svc.Delete(ctx, uuid.New(), "x")
		errtest.Code(t, err, ports.CodeForbidden, "%s deletes", role)
	}
	_, err := f.svc.List(context.Background())
	errtest.Code(t, err, ports.CodeUnauthenticated, "anonymous lists")
	if rows, _ := f.store.List(context.Background()); len(rows) != 3 || len(f.audit.AdminActivities()) != 0 {
		t.Fatalf("a refused call wrote: %d rules, %d activities", len(rows), len(f.audit.AdminActivities()))
	}
	rows, err := f.svc.List(as(ports.RoleSuperadmin))
	if err != nil || len(rows) != 3 || rows[0].Role != ports.RoleMember {
		t.Fatalf("superadmin lists: %v, %v", rows, err)
	}
}

func TestCreatePermissionValidates(t *testing.T) {
	f := newPermFixture(superadminRules()...)
	ctx := as(ports.RoleSuperadmin)
	for _, c := range []struct {
		in    admin.PermissionInput
		field string
	}{
		{admin.PermissionInput{Role: "ROOT", Operation: "users", Action: "ALLOW", Reason: "r"}, "role"},
		{admin.PermissionInput{Role: "", Operation: "users", Action: "ALLOW", Reason: "r"}, "role"},
		{admin.PermissionInput{Role: "MEMBER", Operation: "notAField", Action: "ALLOW", Reason: "r"}, "operation"},
		{admin.PermissionInput{Role: "MEMBER", Operation: "", Action: "ALLOW", Reason: "r"}, "operation"},
		{admin.PermissionInput{Role: "MEMBER", Operation: "us-ers*", Action: "ALLOW", Reason: "r"}, "operation"},
		{admin.PermissionInput{Role: "MEMBER", Operation: "a*b*", Action: "ALLOW", Reason: "r"}, "operation"},
		{admin.PermissionInput{Role: "MEMBER", Operation: strings.Repeat("a", 100) + "*", Action: "ALLOW", Reason: "r"}, "operation"},
		{admin.PermissionInput{Role: "MEMBER", Operation: "users", Action: "MAYBE", Reason: "r"}, "action"},
		{admin.PermissionInput{Role: "MEMBER", Operation: "users", Action: "ALLOW", Reason: "  "}, "reason"},
		{admin.PermissionInput{Role: "MEMBER", Operation: "users", Action: "ALLOW", Reason: strings.Repeat("é", 501)}, "reason"},
		{admin.PermissionInput{Role: "MEMBER", Operation: "users", Action: "ALLOW", Reason: "a\x00b"}, "reason"},
		{admin.PermissionInput{Role: "ANONYMOUS", Operation: "users", Action: "AUDIT", Reason: "r"}, "action"},
	} {
		_, err := f.svc.Create(ctx, c.in)
		if fields := errtest.Fields(t, err); fields[c.field] == "" || len(fields) != 1 {
			t.Errorf("%+v: fields %v, want only %s", c.in, fields, c.field)
		}
	}
	// Every bad field at once.
	_, err := f.svc.Create(ctx, admin.PermissionInput{Role: "X", Operation: "?", Action: "Y"})
	if fields := errtest.Fields(t, err); len(fields) != 4 {
		t.Errorf("fields %v, want role, operation, action, reason", fields)
	}
	if len(f.audit.AdminActivities()) != 0 {
		t.Fatal("a refused create wrote an admin activity")
	}
	// Groups and ANONYMOUS are fine; 99 characters and a * make 100.
	for _, in := range []admin.PermissionInput{
		{Role: ports.RoleAnonymous, Operation: "me", Action: "ALLOW", Reason: "open me"},
		{Role: ports.RoleSupport, Operation: "*", Action: "DENY", Reason: "lock support out"},
		{Role: ports.RoleSupport, Operation: strings.Repeat("a", 99) + "*", Action: "AUDIT", Reason: "long"},
	} {
		if _, err := f.svc.Create(ctx, in); err != nil {
			t.Errorf("%+v: %v", in, err)
		}
	}
}

func TestCreatePermissionWritesOneAdminActivity(t *testing.T) {
	f := newPermFixture(superadminRules()...)
	ctx := as(ports.RoleSuperadmin)
	ctx = ports.WithRequestMeta(ctx, ports.RequestMeta{IP: "203.0.113.9", UserAgent: "console"})
	ctx, slot := ports.WithAuditSlot(ctx)
	p, err := f.svc.Create(ctx, admin.PermissionInput{Role: ports.RoleSupport, Operation: "kyc*",
		Action: admin.PermissionDeny, Reason: "  no KYC for support  "})
	if err != nil {
		t.Fatal(err)
	}
	if p.ID == uuid.Nil || p.Operation != "kyc*" || !p.CreatedAt.Equal(permT0) {
		t.Fatalf("created %+v", p)
	}
	if got, err := f.store.Get(context.Background(), p.ID); err != nil || got.Action != admin.PermissionDeny {
		t.Fatalf("stored %+v, %v", got, err)
	}
	rows := f.audit.AdminActivities()
	if len(rows) != 1 {
		t.Fatalf("%d admin activities, want 1", len(rows))
	}
	a := rows[0]
	if a.Action != "createPermission" || a.Reason != "no KYC for support" || a.Result != ports.ActivitySucceeded ||
		a.Input["operation"] != "kyc*" || a.Input["role"] != ports.RoleSupport || a.IP != "203.0.113.9" ||
		a.UserAgent != "console" {
		t.Fatalf("admin activity %+v", a)
	}
	if !slot.Written() {
		t.Fatal("not marked audited: the authorization rule would write a second row")
	}
	if f.tx.Calls() != 1 {
		t.Fatalf("%d transactions", f.tx.Calls())
	}

	// The same role and operation again: CONFLICT, nothing written.
	ctx2, slot2 := ports.WithAuditSlot(as(ports.RoleSuperadmin))
	_, err = f.svc.Create(ctx2, admin.PermissionInput{Role: ports.RoleSupport, Operation: "kyc*",
		Action: admin.PermissionAllow, Reason: "again"})
	if ports.ErrorCodeOf(err) != ports.CodeConflict || slot2.Written() || len(f.audit.AdminActivities()) != 1 {
		t.Fatalf("duplicate: %v, marked %v, %d rows", err, slot2.Written(), len(f.audit.AdminActivities()))
	}
}

func TestUpdateAndDeletePermission(t *testing.T) {
	rows := superadminRules()
	member := rows[2]
	f := newPermFixture(rows...)
	ctx := as(ports.RoleSuperadmin)
	deny := admin.PermissionDeny
	p, err := f.svc.Update(ctx, admin.PermissionChange{ID: member.ID, Action: &deny, Reason: "freeze"})
	if err != nil || p.Action != deny || p.Role != ports.RoleMember || p.Operation != "me" {
		t.Fatalf("update: %+v, %v", p, err)
	}
	bad := "nope"
	if _, err := f.svc.Update(ctx, admin.PermissionChange{ID: member.ID, Operation: &bad, Reason: "x"}); errtest.Fields(t, err)["operation"] == "" {
		t.Fatalf("bad operation: %v", err)
	}
	_, err = f.svc.Update(ctx, admin.PermissionChange{ID: uuid.New(), Action: &deny, Reason: "x"})
	errtest.Code(t, err, ports.CodeNotFound, "unknown id")
	ok, err := f.svc.Delete(ctx, member.ID, "cleanup")
	if !ok || err != nil {
		t.Fatalf("delete: %v, %v", ok, err)
	}
	ok, err = f.svc.Delete(ctx, member.ID, "cleanup")
	if ok || err != nil {
		t.Fatalf("second delete: %v, %v", ok, err)
	}
	var actions []string
	for _, a := range f.audit.AdminActivities() {
		actions = append(actions, a.Action+":"+a.Reason)
	}
	if strings.Join(actions, ",") != "updatePermission:freeze,deletePermission:cleanup" {
		t.Fatalf("admin activities %v", actions)
	}
	// The trail says what the rule was before it changed and went.
	trail := f.audit.AdminActivities()
	before := func(i int) any { return trail[i].Input["before"] }
	wantUpdate := map[string]any{"role": ports.RoleMember, "operation": "me", "action": admin.PermissionAllow}
	wantDelete := map[string]any{"role": ports.RoleMember, "operation": "me", "action": deny}
	if fmt.Sprint(before(0)) != fmt.Sprint(wantUpdate) || fmt.Sprint(before(1)) != fmt.Sprint(wantDelete) {
		t.Fatalf("before: %v, %v", before(0), before(1))
	}
}

// AUDIT for ANONYMOUS is refused on update too, whichever half was sent.
func TestUpdateCannotMakeAnonymousAudit(t *testing.T) {
	f := newPermFixture(superadminRules()...)
	ctx := as(ports.RoleSuperadmin)
	anon, err := f.svc.Create(ctx, admin.PermissionInput{Role: ports.RoleAnonymous, Operation: "users",
		Action: admin.PermissionAllow, Reason: "r"})
	if err != nil {
		t.Fatal(err)
	}
	audit := admin.PermissionAudit
	if _, err := f.svc.Update(ctx, admin.PermissionChange{ID: anon.ID, Action: &audit, Reason: "r"}); errtest.Fields(t, err)["action"] == "" {
		t.Fatalf("action AUDIT on an ANONYMOUS rule: %v", err)
	}
	member, err := f.svc.Create(ctx, admin.PermissionInput{Role: ports.RoleMember, Operation: "users",
		Action: admin.PermissionAudit, Reason: "r"})
	if err != nil {
		t.Fatal(err)
	}
	role := ports.RoleAnonymous
	if _, err := f.svc.Update(ctx, admin.PermissionChange{ID: member.ID, Role: &role, Reason: "r"}); errtest.Fields(t, err)["action"] == "" {
		t.Fatalf("role ANONYMOUS on an AUDIT rule: %v", err)
	}
}

func TestSuperadminCannotLockThemselvesOut(t *testing.T) {
	ctx := as(ports.RoleSuperadmin)
	deny, member := admin.PermissionDeny, ports.RoleMember
	// Each case on fresh rows (the fake TxRunner does not roll back).
	for name, try := range map[string]func(f permFixture, star, create admin.Permission) error{
		"delete *": func(f permFixture, star, _ admin.Permission) error {
			_, err := f.svc.Delete(ctx, star.ID, "oops")
			return err
		},
		"deny *": func(f permFixture, star, _ admin.Permission) error {
			_, err := f.svc.Update(ctx, admin.PermissionChange{ID: star.ID, Action: &deny, Reason: "oops"})
			return err
		},
		"move * to MEMBER": func(f permFixture, star, _ admin.Permission) error {
			_, err := f.svc.Update(ctx, admin.PermissionChange{ID: star.ID, Role: &member, Reason: "oops"})
			return err
		},
		"deny deletePermission": func(f permFixture, _, _ admin.Permission) error {
			_, err := f.svc.Create(ctx, admin.PermissionInput{Role: ports.RoleSuperadmin,
				Operation: "deletePermission", Action: deny, Reason: "oops"})
			return err
		},
		"deny the group": func(f permFixture, _, _ admin.Permission) error {
			_, err := f.svc.Create(ctx, admin.PermissionInput{Role: ports.RoleSuperadmin,
				Operation: "perm*", Action: deny, Reason: "oops"})
			return err
		},
		"deny createPermission, * or not": func(f permFixture, _, create admin.Permission) error {
			_, err := f.svc.Update(ctx, admin.PermissionChange{ID: create.ID, Action: &deny, Reason: "x"})
			return err
		},
	} {
		rows := superadminRules()
		f := newPermFixture(rows...)
		errtest.Code(t, try(f, rows[0], rows[1]), ports.CodeConflict, "%s", name)
		if len(f.audit.AdminActivities()) != 0 {
			t.Errorf("%s: refused but audited", name)
		}
	}
	// Deleting the AUDIT rule of createPermission is fine: * still allows it.
	rows := superadminRules()
	f := newPermFixture(rows...)
	if ok, err := f.svc.Delete(ctx, rows[1].ID, "fine"); !ok || err != nil {
		t.Errorf("delete a redundant rule: %v, %v", ok, err)
	}
}
