package perimeter_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/modules/perimeter/perimetertest"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// thousandRules is the load: 1,000 blacklist rules of every scope
// (none of which matches 203.0.113.77), so Check walks all its indexes.
func thousandRules() []perimeter.Restriction {
	var rs []perimeter.Restriction
	for i := range 1000 {
		var r perimeter.Restriction
		switch i % 5 {
		case 0:
			r = rule(i, perimeter.ScopeIP, fmt.Sprintf("198.18.%d.%d", i/256, i%256), perimeter.CategoryBlacklist)
		case 1:
			r = rule(i, perimeter.ScopeSubnet, fmt.Sprintf("10.%d.%d.0/24", i/256, i%256), perimeter.CategoryBlacklist)
		case 2:
			r = rule(i, perimeter.ScopeSubnet, fmt.Sprintf("2001:db8:%x::/%d", i, 48+i%16), perimeter.CategoryBlacklist)
		case 3:
			r = rule(i, perimeter.ScopeCountry, fmt.Sprintf("%c%c", 'A'+i/26%26, 'A'+i%26), perimeter.CategoryBlockLogin)
		default:
			r = rule(i, perimeter.ScopeSubnet, fmt.Sprintf("172.%d.%d.0/%d", 16+i%16, i/16%256, 20+i%5*2), perimeter.CategoryBlacklist)
		}
		r.Value, _ = perimeter.CanonicalValue(r.Scope, r.Value)
		rs = append(rs, r)
	}
	return rs
}

func benchGate(b *testing.B, rules []perimeter.Restriction) {
	s := perimetertest.NewStore()
	for _, r := range rules {
		_ = s.Create(context.Background(), r)
	}
	g := perimeter.NewGate(s, nil, places, nil, nil, clock.NewManual(portstest.T0), quiet)
	if err := g.Load(context.Background()); err != nil {
		b.Fatal(err)
	}
	ctx := from("203.0.113.77")
	b.ReportAllocs()
	for b.Loop() {
		if err := g.Check(ctx, false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck is the cost the restrictions add to a request: none
// loaded, and the 1,000.
func BenchmarkCheck(b *testing.B) {
	b.Run("none", func(b *testing.B) { benchGate(b, nil) })
	b.Run("1000", func(b *testing.B) { benchGate(b, thousandRules()) })
	// Without country rules no place is looked up (the fake locator above
	// costs what a real lookup does: BenchmarkLocate in adapters/geoip).
	b.Run("1000-addresses", func(b *testing.B) {
		var rs []perimeter.Restriction
		for _, r := range thousandRules() {
			if r.Scope == perimeter.ScopeCountry {
				r.Scope, r.Value = perimeter.ScopeIP, fmt.Sprintf("198.19.%d.%d", r.Code/256, r.Code%256)
			}
			rs = append(rs, r)
		}
		benchGate(b, rs)
	})
}
