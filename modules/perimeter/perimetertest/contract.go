package perimetertest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// RunStore runs the Store contract suite against stores from newStore,
// each fresh and empty.
func RunStore(t *testing.T, newStore func(t *testing.T) perimeter.Store) {
	t.Run("CreateGetAll", func(t *testing.T) { t.Parallel(); createGetAll(t, newStore(t)) })
	t.Run("Conflicts", func(t *testing.T) { t.Parallel(); conflicts(t, newStore(t)) })
	t.Run("UpdateDelete", func(t *testing.T) { t.Parallel(); updateDelete(t, newStore(t)) })
	t.Run("Pages", func(t *testing.T) { t.Parallel(); pages(t, newStore(t)) })
}

// Rule returns an enabled restriction made at portstest.T0 + n seconds.
func Rule(n int, scope perimeter.Scope, value string, category perimeter.Category) perimeter.Restriction {
	at := portstest.T0.Add(time.Duration(n) * time.Second)
	return perimeter.Restriction{ID: uuid.New(), Scope: scope, Value: value, Category: category,
		State: perimeter.StateEnabled, Code: 100 + n, CreatedAt: at, UpdatedAt: at}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code ports.ErrorCode) {
	t.Helper()
	if got := ports.ErrorCodeOf(err); got != code {
		t.Fatalf("error %v: code %s, want %s", err, got, code)
	}
}

func same(t *testing.T, got, want perimeter.Restriction) {
	t.Helper()
	if got.ID != want.ID || got.Scope != want.Scope || got.Value != want.Value || got.Category != want.Category ||
		got.State != want.State || got.Code != want.Code || !got.CreatedAt.Equal(want.CreatedAt) ||
		!got.UpdatedAt.Equal(want.UpdatedAt) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func createGetAll(t *testing.T, s perimeter.Store) {
	ctx := context.Background()
	a := Rule(1, perimeter.ScopeSubnet, "2001:db8::/32", perimeter.CategoryBlacklist)
	b := Rule(2, perimeter.ScopeAll, "", perimeter.CategoryMaintenance)
	b.State = perimeter.StateDisabled
	must(t, s.Create(ctx, a))
	must(t, s.Create(ctx, b))
	got, err := s.Get(ctx, a.ID)
	must(t, err)
	same(t, got, a)
	all, err := s.All(ctx)
	must(t, err)
	if len(all) != 2 {
		t.Fatalf("All: %d rows, want 2 (disabled ones too)", len(all))
	}
	n, err := s.Count(ctx)
	must(t, err)
	if n != 2 {
		t.Fatalf("Count %d, want 2", n)
	}
	_, err = s.Get(ctx, uuid.New())
	wantCode(t, err, ports.CodeNotFound)
}

func conflicts(t *testing.T, s perimeter.Store) {
	ctx := context.Background()
	a := Rule(1, perimeter.ScopeIP, "203.0.113.7", perimeter.CategoryBlacklist)
	must(t, s.Create(ctx, a))
	dup := Rule(2, perimeter.ScopeIP, "203.0.113.7", perimeter.CategoryBlacklist)
	wantCode(t, s.Create(ctx, dup), ports.CodeConflict)
	// Another category of the same address is another rule.
	other := Rule(3, perimeter.ScopeIP, "203.0.113.7", perimeter.CategoryWhitelist)
	must(t, s.Create(ctx, other))
	other.Category = perimeter.CategoryBlacklist
	wantCode(t, s.Update(ctx, other), ports.CodeConflict)
}

func updateDelete(t *testing.T, s perimeter.Store) {
	ctx := context.Background()
	a := Rule(1, perimeter.ScopeCountry, "DE", perimeter.CategoryBlockLogin)
	must(t, s.Create(ctx, a))
	a.Value, a.State, a.Code = "FR", perimeter.StateDisabled, 4242
	a.UpdatedAt = a.UpdatedAt.Add(time.Hour)
	must(t, s.Update(ctx, a))
	got, err := s.Get(ctx, a.ID)
	must(t, err)
	same(t, got, a)
	missing := Rule(2, perimeter.ScopeAll, "", perimeter.CategoryBlacklist)
	err = s.Update(ctx, missing)
	wantCode(t, err, ports.CodeNotFound)
	ok, err := s.Delete(ctx, a.ID)
	must(t, err)
	if !ok {
		t.Fatal("Delete of an existing rule said false")
	}
	ok, err = s.Delete(ctx, a.ID)
	must(t, err)
	if ok {
		t.Fatal("second Delete said true")
	}
	if _, err := s.Get(ctx, a.ID); !errors.Is(err, ports.ErrNotFound) && ports.ErrorCodeOf(err) != ports.CodeNotFound {
		t.Fatalf("Get after Delete: %v", err)
	}
}

func pages(t *testing.T, s perimeter.Store) {
	ctx := context.Background()
	var made []perimeter.Restriction
	for i := range 5 {
		cat := perimeter.CategoryBlacklist
		if i%2 == 1 {
			cat = perimeter.CategoryWhitelist
		}
		r := Rule(i, perimeter.ScopeIP, "198.51.100."+string(rune('1'+i)), cat)
		must(t, s.Create(ctx, r))
		made = append(made, r)
	}
	p1, err := s.Page(ctx, perimeter.Filter{}, time.Time{}, uuid.Nil, 3)
	must(t, err)
	if len(p1) != 3 || p1[0].ID != made[0].ID || p1[2].ID != made[2].ID {
		t.Fatalf("first page %v", p1)
	}
	p2, err := s.Page(ctx, perimeter.Filter{}, p1[2].CreatedAt, p1[2].ID, 3)
	must(t, err)
	if len(p2) != 2 || p2[0].ID != made[3].ID {
		t.Fatalf("second page %v", p2)
	}
	wl := perimeter.CategoryWhitelist
	f, err := s.Page(ctx, perimeter.Filter{Category: &wl}, time.Time{}, uuid.Nil, 10)
	must(t, err)
	if len(f) != 2 || f[0].ID != made[1].ID || f[1].ID != made[3].ID {
		t.Fatalf("whitelist filter %v", f)
	}
}
