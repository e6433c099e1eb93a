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

// The rows decide who may read and change the rules: a DENY row takes
// them from an ADMIN, and roles without a row never had them.
func TestThePermissionRowsDecideWhoGovernsTheRules(t *testing.T) {
	f := newPermFixture(superadminRules()...)
	in := admin.PermissionInput{Role: ports.RoleMember, Operation: "users", Action: admin.PermissionAllow, Reason: "x"}
	f.rules.Set(ports.RoleAdmin, "permissions", admin.PermissionDeny)
	f.rules.Set(ports.RoleAdmin, "createPermission", admin.PermissionDeny)
	f.rules.Set(ports.RoleAdmin, "updatePermission", admin.PermissionDeny)
	f.rules.Set(ports.RoleAdmin, "deletePermission", admin.PermissionDeny)
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
	// The default rows give them to ADMIN (and to no role below it).
	f = newPermFixture(superadminRules()...)
	if rows, err := f.svc.List(as(ports.RoleAdmin)); err != nil || len(rows) != 3 {
		t.Fatalf("ADMIN lists by the default rows: %v, %v", rows, err)
	}
	if _, err := f.svc.Create(as(ports.RoleAdmin), in); err != nil {
		t.Fatalf("ADMIN adds a MEMBER rule by the default rows: %v", err)
	}
	_, err = f.svc.List(as(ports.RoleSupport))
	errtest.Code(t, err, ports.CodeForbidden, "SUPPORT lists by the default rows")
}

// refusedAs checks err is FORBIDDEN with reason.
func refusedAs(t *testing.T, err error, reason, what string) {
	t.Helper()
	if e := errtest.Code(t, err, ports.CodeForbidden, "%s", what); e != nil && e.Reason != reason {
		t.Errorf("%s: reason %q, want %q (%v)", what, e.Reason, reason, err)
	}
}

// An ADMIN governs the rules of the roles below it only: never ADMIN's or
// SUPERADMIN's, never the permission operations' own (exact or by a
// group), whatever the rows let it call.
func TestAnAdminChangesOnlyTheRulesBelowIt(t *testing.T) {
	for _, role := range []string{ports.RoleAnonymous, ports.RoleMember, ports.RolePartner, ports.RoleSupport,
		ports.RoleCompliance, ports.RoleAccountant} {
		f := newPermFixture(superadminRules()...)
		p, err := f.svc.Create(as(ports.RoleAdmin), admin.PermissionInput{Role: role, Operation: "kycSubmissions",
			Action: admin.PermissionDeny, Reason: "below"})
		if err != nil || p.Role != role {
			t.Errorf("ADMIN adds a %s rule: %+v, %v", role, p, err)
		}
	}
	for _, c := range []struct {
		role, op, reason string
	}{
		{ports.RoleAdmin, "users", admin.ReasonPermissionAboveYourRole},
		{ports.RoleAdmin, "*", admin.ReasonPermissionAboveYourRole},
		{ports.RoleSuperadmin, "users", admin.ReasonPermissionAboveYourRole},
		{ports.RoleSupport, "createPermission", admin.ReasonPermissionReserved},
		{ports.RoleSupport, "permissions", admin.ReasonPermissionReserved},
		{ports.RoleMember, "*", admin.ReasonPermissionReserved},
		{ports.RoleMember, "del*", admin.ReasonPermissionReserved},
		{ports.RoleMember, "perm*", admin.ReasonPermissionReserved},
	} {
		f := newPermFixture(superadminRules()...)
		for _, action := range []string{admin.PermissionAllow, admin.PermissionDeny} {
			_, err := f.svc.Create(as(ports.RoleAdmin), admin.PermissionInput{Role: c.role, Operation: c.op,
				Action: action, Reason: "up"})
			refusedAs(t, err, c.reason, fmt.Sprintf("ADMIN adds %s %s %s", c.role, c.op, action))
		}
		if rows, _ := f.store.List(context.Background()); len(rows) != 3 || len(f.audit.AdminActivities()) != 0 {
			t.Errorf("%s %s: a refused call wrote: %d rules, %d activities", c.role, c.op, len(rows),
				len(f.audit.AdminActivities()))
		}
	}
	// A group that covers no permission operation is fine.
	f := newPermFixture(superadminRules()...)
	if _, err := f.svc.Create(as(ports.RoleAdmin), admin.PermissionInput{Role: ports.RoleMember, Operation: "kyc*",
		Action: admin.PermissionDeny, Reason: "group"}); err != nil {
		t.Errorf("ADMIN adds MEMBER kyc*: %v", err)
	}
	// The SUPERADMIN keeps every power.
	if _, err := f.svc.Create(as(ports.RoleSuperadmin), admin.PermissionInput{Role: ports.RoleAdmin, Operation: "users",
		Action: admin.PermissionAllow, Reason: "super"}); err != nil {
		t.Errorf("SUPERADMIN adds an ADMIN rule: %v", err)
	}
	if _, err := f.svc.Create(as(ports.RoleSuperadmin), admin.PermissionInput{Role: ports.RoleSupport, Operation: "permissions",
		Action: admin.PermissionAllow, Reason: "super"}); err != nil {
		t.Errorf("SUPERADMIN adds a SUPPORT permissions rule: %v", err)
	}
}

// An ADMIN may neither change nor delete a rule above it, nor move a rule
// below it up (or onto the permission operations).
func TestAnAdminUpdatesAndDeletesOnlyTheRulesBelowIt(t *testing.T) {
	rows := append(superadminRules(),
		admin.Permission{ID: uuid.New(), Role: ports.RoleAdmin, Operation: "users", Action: admin.PermissionAllow},
		admin.Permission{ID: uuid.New(), Role: ports.RoleSupport, Operation: "users", Action: admin.PermissionAllow})
	super, member, adminRow, support := rows[0], rows[2], rows[3], rows[4]
	f := newPermFixture(rows...)
	ctx := as(ports.RoleAdmin)
	deny, allow := admin.PermissionDeny, admin.PermissionAllow
	roleAdmin, roleSuper, roleCompliance := ports.RoleAdmin, ports.RoleSuperadmin, ports.RoleCompliance
	opCreate, opStar := "createPermission", "*"
	for _, c := range []struct {
		what   string
		change admin.PermissionChange
		reason string
	}{
		{"deny the ADMIN row", admin.PermissionChange{ID: adminRow.ID, Action: &deny, Reason: "x"}, admin.ReasonPermissionAboveYourRole},
		{"move the ADMIN row down", admin.PermissionChange{ID: adminRow.ID, Role: &roleCompliance, Reason: "x"}, admin.ReasonPermissionAboveYourRole},
		{"deny SUPERADMIN *", admin.PermissionChange{ID: super.ID, Action: &deny, Reason: "x"}, admin.ReasonPermissionAboveYourRole},
		{"move SUPPORT up to ADMIN", admin.PermissionChange{ID: support.ID, Role: &roleAdmin, Reason: "x"}, admin.ReasonPermissionAboveYourRole},
		{"move SUPPORT up to SUPERADMIN", admin.PermissionChange{ID: support.ID, Role: &roleSuper, Reason: "x"}, admin.ReasonPermissionAboveYourRole},
		{"point SUPPORT at createPermission", admin.PermissionChange{ID: support.ID, Operation: &opCreate, Reason: "x"}, admin.ReasonPermissionReserved},
		{"point MEMBER at *", admin.PermissionChange{ID: member.ID, Operation: &opStar, Action: &allow, Reason: "x"}, admin.ReasonPermissionReserved},
	} {
		_, err := f.svc.Update(ctx, c.change)
		refusedAs(t, err, c.reason, "ADMIN: "+c.what)
	}
	for _, id := range []uuid.UUID{adminRow.ID, super.ID} {
		ok, err := f.svc.Delete(ctx, id, "x")
		refusedAs(t, err, admin.ReasonPermissionAboveYourRole, "ADMIN deletes a rule above it")
		if ok {
			t.Errorf("refused but deleted")
		}
	}
	if len(f.audit.AdminActivities()) != 0 {
		t.Fatalf("refused calls audited: %d", len(f.audit.AdminActivities()))
	}
	stored, _ := f.store.List(context.Background())
	for _, p := range stored {
		if p.ID == adminRow.ID && p.Action != allow || p.ID == support.ID && p.Role != ports.RoleSupport {
			t.Fatalf("a refused change stuck: %+v", p)
		}
	}
	// Below it, it edits and deletes.
	p, err := f.svc.Update(ctx, admin.PermissionChange{ID: support.ID, Action: &deny, Reason: "support is read-only today"})
	if err != nil || p.Action != deny {
		t.Fatalf("ADMIN denies SUPPORT users: %+v, %v", p, err)
	}
	if ok, err := f.svc.Delete(ctx, support.ID, "gone"); !ok || err != nil {
		t.Fatalf("ADMIN deletes the SUPPORT rule: %v, %v", ok, err)
	}
}

// An ANONYMOUS rule opens a field to every role, the ADMIN's own: an
// ADMIN may not use it to reach what its rows keep from it.
func TestAnAdminCannotWidenItsOwnRoleThroughAnonymous(t *testing.T) {
	ctx := as(ports.RoleAdmin)
	// Fresh rows for each (the fake TxRunner does not roll back).
	for _, op := range []string{"setUserRole", "set*"} {
		f := newPermFixture(superadminRules()...)
		_, err := f.svc.Create(ctx, admin.PermissionInput{Role: ports.RoleAnonymous, Operation: op,
			Action: admin.PermissionAllow, Reason: "open to all"})
		refusedAs(t, err, admin.ReasonPermissionWidensYou, "ADMIN opens "+op+" to ANONYMOUS")
		if len(f.audit.AdminActivities()) != 0 {
			t.Fatalf("refused but audited")
		}
	}
	// Once ADMIN's own rows allow it, opening it to everyone widens nothing of ADMIN's.
	f2 := newPermFixture(append(superadminRules(),
		admin.Permission{ID: uuid.New(), Role: ports.RoleAdmin, Operation: "appConfig", Action: admin.PermissionAllow})...)
	if _, err := f2.svc.Create(ctx, admin.PermissionInput{Role: ports.RoleAnonymous, Operation: "appConfig",
		Action: admin.PermissionAllow, Reason: "public"}); err != nil {
		t.Fatalf("ADMIN opens what it has to ANONYMOUS: %v", err)
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
