package perimeter_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/modules/perimeter/perimetertest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

func service(max int) (*perimeter.Service, *perimetertest.Store) {
	s := perimetertest.NewStore()
	cfg := perimeter.DefaultConfig()
	cfg.MaxRestrictions = max
	return perimeter.NewService(cfg, s, portsfake.NewTxRunner(), nil, clock.NewManual(portstest.T0)), s
}

func TestValuesAreCheckedAndStoredInOneSpelling(t *testing.T) {
	cases := []struct {
		scope      perimeter.Scope
		value      string
		want       string
		wantFields []string
	}{
		{perimeter.ScopeIP, " 203.0.113.7 ", "203.0.113.7", nil},
		{perimeter.ScopeIP, "::ffff:203.0.113.7", "203.0.113.7", nil},
		{perimeter.ScopeIP, "2001:DB8::1", "2001:db8::1", nil},
		{perimeter.ScopeIP, "203.0.113.0/24", "", []string{"value"}},
		{perimeter.ScopeIP, "fe80::1%eth0", "", []string{"value"}},
		{perimeter.ScopeIP, "example.com", "", []string{"value"}},
		{perimeter.ScopeSubnet, "2001:db8::/32", "2001:db8::/32", nil},
		{perimeter.ScopeSubnet, "10.0.0.0/8", "10.0.0.0/8", nil},
		{perimeter.ScopeSubnet, "::ffff:10.0.0.0/104", "10.0.0.0/8", nil},
		{perimeter.ScopeSubnet, "10.1.2.3/8", "", []string{"value"}},
		{perimeter.ScopeSubnet, "10.0.0.0/33", "", []string{"value"}},
		{perimeter.ScopeSubnet, "10.0.0.0", "", []string{"value"}},
		{perimeter.ScopeCountry, "de", "DE", nil},
		{perimeter.ScopeCountry, "DEU", "", []string{"value"}},
		{perimeter.ScopeCountry, "D1", "", []string{"value"}},
		{perimeter.ScopeContinent, "eu", "EU", nil},
		{perimeter.ScopeContinent, "XX", "", []string{"value"}},
		{perimeter.ScopeAll, "", "", nil},
		{perimeter.ScopeAll, "everyone", "", []string{"value"}},
		{"PLANET", "earth", "", []string{"scope"}},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s %q", c.scope, c.value), func(t *testing.T) {
			svc, _ := service(10)
			r, err := svc.Create(context.Background(), perimeter.Input{Scope: c.scope, Value: c.value,
				Category: perimeter.CategoryBlacklist, Code: 1})
			if c.wantFields != nil {
				fields := errtest.Fields(t, err)
				for _, f := range c.wantFields {
					if fields[f] == "" {
						t.Fatalf("no problem on %s: %v", f, fields)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Value != c.want || r.State != perimeter.StateEnabled {
				t.Fatalf("stored %q %s, want %q ENABLED", r.Value, r.State, c.want)
			}
		})
	}
}

func TestEveryBadFieldIsReportedAtOnce(t *testing.T) {
	svc, _ := service(10)
	_, err := svc.Create(context.Background(), perimeter.Input{Scope: perimeter.ScopeIP, Value: "nope",
		Category: "GREYLIST", State: "MAYBE", Code: 0})
	fields := errtest.Fields(t, err)
	for _, f := range []string{"value", "category", "state", "code"} {
		if fields[f] == "" {
			t.Fatalf("no problem on %s: %v", f, fields)
		}
	}
}

func TestRestrictionsAreLimited(t *testing.T) {
	svc, _ := service(2)
	ctx := context.Background()
	for i := range 2 {
		if _, err := svc.Create(ctx, perimeter.Input{Scope: perimeter.ScopeIP, Value: fmt.Sprintf("203.0.113.%d", i),
			Category: perimeter.CategoryBlacklist, Code: 1}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := svc.Create(ctx, perimeter.Input{Scope: perimeter.ScopeIP, Value: "203.0.113.9",
		Category: perimeter.CategoryBlacklist, Code: 1})
	if e := errtest.Code(t, err, ports.CodeConflict); e.Reason != perimeter.ReasonLimitReached {
		t.Fatalf("reason %q", e.Reason)
	}
}

func TestUpdateRechecksTheWholeRule(t *testing.T) {
	svc, _ := service(10)
	ctx := context.Background()
	r, err := svc.Create(ctx, perimeter.Input{Scope: perimeter.ScopeIP, Value: "203.0.113.7",
		Category: perimeter.CategoryBlacklist, Code: 7})
	if err != nil {
		t.Fatal(err)
	}
	// A new scope alone leaves the old value, which is no country.
	country := perimeter.ScopeCountry
	_, err = svc.Update(ctx, perimeter.Change{ID: r.ID, Scope: &country})
	if errtest.Fields(t, err)["value"] == "" {
		t.Fatal("an address was kept as a country")
	}
	v, disabled := "gb", perimeter.StateDisabled
	got, err := svc.Update(ctx, perimeter.Change{ID: r.ID, Scope: &country, Value: &v, State: &disabled})
	if err != nil {
		t.Fatal(err)
	}
	if got.Value != "GB" || got.State != perimeter.StateDisabled || got.Code != 7 {
		t.Fatalf("updated %+v", got)
	}
}

func TestListPagesWithCursors(t *testing.T) {
	svc, _ := service(10)
	ctx := context.Background()
	for i := range 3 {
		if _, err := svc.Create(ctx, perimeter.Input{Scope: perimeter.ScopeIP, Value: fmt.Sprintf("203.0.113.%d", i),
			Category: perimeter.CategoryBlacklist, Code: 1}); err != nil {
			t.Fatal(err)
		}
	}
	p, err := svc.List(ctx, perimeter.Filter{}, 2, "")
	if err != nil || len(p.Items) != 2 || !p.HasNext {
		t.Fatalf("first page %+v %v", p, err)
	}
	p2, err := svc.List(ctx, perimeter.Filter{}, 2, perimeter.Cursor(p.Items[1]))
	if err != nil || len(p2.Items) != 1 || p2.HasNext {
		t.Fatalf("second page %+v %v", p2, err)
	}
	_, err = svc.List(ctx, perimeter.Filter{}, 201, "")
	errtest.Code(t, err, ports.CodeValidationFailed)
	_, err = svc.List(ctx, perimeter.Filter{}, 2, "junk")
	errtest.Code(t, err, ports.CodeValidationFailed)
}

func TestReasonsAreCheckedWhenGiven(t *testing.T) {
	svc, s := service(10)
	ctx := context.Background()
	bad := "a\x00b"
	_, err := svc.Create(ctx, perimeter.Input{Scope: perimeter.ScopeAll, Category: perimeter.CategoryBlacklist,
		Code: 1, Reason: bad})
	if errtest.Fields(t, err)["reason"] == "" {
		t.Fatal("a reason with a NUL was taken")
	}
	r, err := svc.Create(ctx, perimeter.Input{Scope: perimeter.ScopeAll, Category: perimeter.CategoryBlacklist,
		Code: 1, Reason: "incident 7"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.Delete(ctx, r.ID, string(make([]byte, 501)))
	errtest.Code(t, err, ports.CodeValidationFailed)
	if n, _ := s.Count(ctx); n != 1 {
		t.Fatal("deleted despite the bad reason")
	}
	_, err = svc.Update(ctx, perimeter.Change{ID: r.ID, Reason: bad})
	errtest.Code(t, err, ports.CodeValidationFailed)
}

// TestStaffCannotShutThemselvesOut: a rule that would refuse the address
// of the staff member making it (a BLACKLIST on it, a first WHITELIST
// that misses it) would also refuse the call that undoes it, and only SQL
// would get them back: it is refused with its own reason. A change that
// leaves them reachable, or one made from an address already refused (a
// whitelink let them in), passes.
func TestStaffCannotShutThemselvesOut(t *testing.T) {
	s, store := service(10)
	g := perimeter.NewGate(store, nil, nil, nil, nil, clock.NewManual(portstest.T0), quiet)
	s.GuardLockout(g)
	ctx := from("203.0.113.7")
	in := func(scope perimeter.Scope, value string, cat perimeter.Category, code int) perimeter.Input {
		return perimeter.Input{Scope: scope, Value: value, Category: cat, Code: code}
	}
	for _, c := range []perimeter.Input{
		in(perimeter.ScopeIP, "::ffff:203.0.113.7", perimeter.CategoryBlacklist, 1),
		in(perimeter.ScopeSubnet, "203.0.113.0/24", perimeter.CategoryBlacklist, 2),
		in(perimeter.ScopeAll, "", perimeter.CategoryBlacklist, 3),
		in(perimeter.ScopeSubnet, "198.51.100.0/24", perimeter.CategoryWhitelist, 4),
	} {
		_, err := s.Create(ctx, c)
		e := asErr(err)
		if e == nil || e.Code != ports.CodeConflict || e.Reason != perimeter.ReasonSelfLockout {
			t.Fatalf("%s %s %q: %v, want CONFLICT %s", c.Category, c.Scope, c.Value, err, perimeter.ReasonSelfLockout)
		}
	}
	// Their own address first, then the office's: reachable throughout.
	mine, err := s.Create(ctx, in(perimeter.ScopeIP, "203.0.113.7", perimeter.CategoryWhitelist, 5))
	if err != nil {
		t.Fatalf("whitelist the caller's address: %v", err)
	}
	if _, err := s.Create(ctx, in(perimeter.ScopeSubnet, "198.51.100.0/24", perimeter.CategoryWhitelist, 6)); err != nil {
		t.Fatalf("whitelist another network then: %v", err)
	}
	off := perimeter.StateDisabled
	_, err = s.Update(ctx, perimeter.Change{ID: mine.ID, State: &off})
	if e := asErr(err); e == nil || e.Reason != perimeter.ReasonSelfLockout {
		t.Fatalf("disable the rule that lets the caller in: %v", err)
	}
	if _, err := s.Delete(ctx, mine.ID, ""); asErr(err) == nil || asErr(err).Reason != perimeter.ReasonSelfLockout {
		t.Fatalf("delete the rule that lets the caller in: %v", err)
	}
	// From an address the rules refuse already, changes pass.
	if _, err := s.Create(from("192.0.2.1"), in(perimeter.ScopeIP, "192.0.2.9", perimeter.CategoryBlacklist, 7)); err != nil {
		t.Fatalf("a change by a caller refused already: %v", err)
	}
}
