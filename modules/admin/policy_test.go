package admin_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/admin/admintest"
	"github.com/gatehouse/gatehouse/ports"
)

var testOps = admin.Operations{"appConfig", "kycSubmission", "kycSubmissions", "me", "setUserRole",
	"user", "users", "createPermission", "updatePermission", "deletePermission", "permissions"}

func rule(role, op, action string) admin.Permission {
	return admin.Permission{Role: role, Operation: op, Action: action}
}

// syncBuffer is a log sink safe for the policy's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startPolicy(t *testing.T, store *admintest.PermissionStore) (*admin.Policy, *admintest.PermissionWatcher, *syncBuffer) {
	t.Helper()
	w := admintest.NewPermissionWatcher()
	store.Watcher = w
	logs := &syncBuffer{}
	p := admin.NewPolicy(store, w, testOps, slog.New(slog.NewTextHandler(logs, nil)))
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Stop(context.Background()); err != nil {
			t.Error(err)
		}
	})
	select {
	case <-w.Listening():
	case <-time.After(5 * time.Second):
		t.Fatal("the policy does not watch")
	}
	return p, w, logs
}

func TestPolicyDecides(t *testing.T) {
	store := admintest.NewPermissionStore(
		rule(ports.RoleAnonymous, "appConfig", admin.PermissionAllow),
		rule(ports.RoleMember, "me", admin.PermissionAllow),
		rule(ports.RoleSupport, "user*", admin.PermissionAllow), // user and users
		rule(ports.RoleSupport, "user", admin.PermissionAudit),
		rule(ports.RoleCompliance, "kyc*", admin.PermissionAudit),
		rule(ports.RoleCompliance, "kycSubmissions", admin.PermissionAllow), // AUDIT of the prefix wins
		rule(ports.RoleAdmin, "*", admin.PermissionAllow),
		rule(ports.RoleAdmin, "setUserRole", admin.PermissionDeny),
		rule(ports.RoleAdmin, "kyc*", admin.PermissionDeny),
		rule(ports.RoleAdmin, "kycSubmission", admin.PermissionAudit), // DENY of the prefix wins
	)
	p, _, _ := startPolicy(t, store)
	for _, c := range []struct {
		role, op, want string
		allowed        bool
	}{
		{ports.RoleAnonymous, "appConfig", admin.PermissionAllow, true},
		{ports.RoleMember, "appConfig", "", true}, // opened by ANONYMOUS
		{ports.RoleAnonymous, "me", "", false},
		{"", "me", "", false},
		{ports.RoleMember, "me", admin.PermissionAllow, true},
		{ports.RoleMember, "users", "", false},
		{ports.RoleSupport, "users", admin.PermissionAllow, true},
		{ports.RoleSupport, "user", admin.PermissionAudit, true},
		{ports.RoleSupport, "me", "", false},
		{ports.RoleCompliance, "kycSubmission", admin.PermissionAudit, true},
		{ports.RoleCompliance, "kycSubmissions", admin.PermissionAudit, true},
		{ports.RoleAdmin, "users", admin.PermissionAllow, true},
		{ports.RoleAdmin, "setUserRole", admin.PermissionDeny, false},
		{ports.RoleAdmin, "kycSubmission", admin.PermissionDeny, false},
		{ports.RoleAdmin, "kycSubmissions", admin.PermissionDeny, false},
		{ports.RoleAdmin, "notAField", "", false}, // * never opens what the schema lacks
		{ports.RoleSuperadmin, "users", "", false},
	} {
		if got := p.Decide(c.role, c.op); got != c.want {
			t.Errorf("Decide(%s, %s) = %q, want %q", c.role, c.op, got, c.want)
		}
		if got := p.Allowed(c.role, c.op); got != c.allowed {
			t.Errorf("Allowed(%s, %s) = %v, want %v", c.role, c.op, got, c.allowed)
		}
	}
	if !p.Known("users") || p.Known("notAField") || p.Known("kyc*") {
		t.Error("Known does not follow the schema's root fields")
	}
}

// eventually polls cond for up to a second, the promise of the rule.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("not within a second: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestPolicyReloadsOnChange(t *testing.T) {
	store := admintest.NewPermissionStore(rule(ports.RoleMember, "me", admin.PermissionAllow))
	p, _, _ := startPolicy(t, store)
	ctx := context.Background()
	deny := rule(ports.RoleMember, "me", admin.PermissionDeny)
	rows, _ := store.List(ctx)
	deny.ID = rows[0].ID
	if err := store.Update(ctx, deny); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the DENY applies", func() bool { return !p.Allowed(ports.RoleMember, "me") })
	if _, err := store.Delete(ctx, deny.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "no rule: refused", func() bool { return p.Decide(ports.RoleMember, "me") == "" })
	anon := rule(ports.RoleAnonymous, "me", admin.PermissionAllow)
	anon.ID = deny.ID
	if err := store.Create(ctx, anon); err != nil {
		t.Fatal(err)
	}
	eventually(t, "opened to everyone", func() bool { return p.Allowed(ports.RoleMember, "me") && p.Allowed("", "me") })
}

func TestPolicyStartFailsWithoutRules(t *testing.T) {
	store := admintest.NewPermissionStore()
	store.FailWith(errors.New("database down"))
	p := admin.NewPolicy(store, admintest.NewPermissionWatcher(), testOps, slog.New(slog.DiscardHandler))
	if err := p.Start(context.Background()); err == nil {
		t.Fatal("Start succeeded without loading the rules")
	}
	if err := p.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestPolicyKeepsRulesWhenAReloadFails(t *testing.T) {
	store := admintest.NewPermissionStore(rule(ports.RoleMember, "me", admin.PermissionAllow))
	p, w, logs := startPolicy(t, store)
	store.FailWith(errors.New("database down"))
	w.Notify()
	eventually(t, "the failed reload is logged", func() bool { return strings.Contains(logs.String(), "keeping the previous rules") })
	if !p.Allowed(ports.RoleMember, "me") {
		t.Fatal("a failed reload dropped the rules")
	}
	// It retries by itself once the store is back.
	store.FailWith(nil)
	rows, _ := store.List(context.Background())
	store.Watcher = nil // no announcement: only the retry can see this
	r := rows[0]
	r.Action = admin.PermissionDeny
	if err := store.Update(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(3 * time.Second); p.Allowed(ports.RoleMember, "me"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the policy did not retry the failed reload")
		}
	}
}

func TestPolicyWarnsAboutFieldsWithoutRows(t *testing.T) {
	store := admintest.NewPermissionStore(rule(ports.RoleSuperadmin, "user*", admin.PermissionAllow),
		rule(ports.RoleMember, "me", admin.PermissionAllow))
	_, _, logs := startPolicy(t, store)
	out := logs.String()
	_, list, ok := strings.Cut(out, "fields=\"[")
	list, _, _ = strings.Cut(list, "]")
	if !ok || !strings.Contains(out, "operations without a permission row") {
		t.Fatalf("no warning: %s", out)
	}
	got := strings.Fields(list)
	want := []string{"appConfig", "kycSubmission", "kycSubmissions", "setUserRole", "createPermission",
		"updatePermission", "deletePermission", "permissions"}
	if len(got) != len(want) {
		t.Fatalf("reported %v, want %v", got, want)
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("%s not reported in %v", w, got)
		}
	}
}
