package perimeter_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/modules/perimeter/perimetertest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// callers answers the caller of a request by its IP (tests only).
type callers map[string]*ports.Caller

func (c callers) Caller(ctx context.Context) (*ports.Caller, error) {
	return c[ports.RequestMetaFrom(ctx).IP], nil
}

var places = perimetertest.Locator{
	netip.MustParsePrefix("81.2.69.0/24"):   {Country: "GB", Continent: "EU"},
	netip.MustParsePrefix("2.125.160.0/20"): {Country: "DE", Continent: "EU"},
	netip.MustParsePrefix("1.128.0.0/11"):   {Country: "AU", Continent: "OC"},
}

func gateWith(t *testing.T, locator perimeter.Locator, rules ...perimeter.Restriction) (*perimeter.Gate, *clock.Manual) {
	t.Helper()
	s := perimetertest.NewStore()
	for _, r := range rules {
		if err := s.Create(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	clk := clock.NewManual(portstest.T0)
	staff := callers{"198.51.100.9": {UserID: uuid.New(), Role: ports.RoleAdmin},
		"198.51.100.10": {UserID: uuid.New(), Role: ports.RoleMember}}
	g := perimeter.NewGate(s, nil, locator, perimeter.NewWhitelinks([]byte("0123456789abcdef0123456789abcdef")),
		staff, clk, quiet)
	if err := g.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return g, clk
}

func from(ip string) context.Context {
	return ports.WithRequestMeta(context.Background(), ports.RequestMeta{IP: ip})
}

func rule(n int, scope perimeter.Scope, value string, cat perimeter.Category) perimeter.Restriction {
	return perimetertest.Rule(n, scope, value, cat)
}

// verdict is what Check answered: "" (through), or code/reason/restriction code.
type verdict struct {
	code   ports.ErrorCode
	reason string
	rc     int
}

func judge(err error) verdict {
	if err == nil {
		return verdict{}
	}
	e := asErr(err)
	return verdict{e.Code, e.Reason, e.RestrictionCode}
}

func asErr(err error) *ports.Error {
	var e *ports.Error
	if !errors.As(err, &e) {
		return &ports.Error{Code: ports.CodeInternal}
	}
	return e
}

func TestGateJudgesClientsByTheirRules(t *testing.T) {
	const (
		WL = perimeter.CategoryWhitelist
		BL = perimeter.CategoryBlacklist
		MT = perimeter.CategoryMaintenance
		BK = perimeter.CategoryBlockLogin
	)
	restricted := ports.CodeAccessRestricted
	cases := []struct {
		name  string
		rules []perimeter.Restriction
		ip    string
		login bool
		want  verdict
	}{
		{"no rules let everyone through", nil, "203.0.113.7", true, verdict{}},
		{"a blacklisted address is refused with the rule's code",
			[]perimeter.Restriction{rule(1, perimeter.ScopeIP, "203.0.113.7", BL)}, "203.0.113.7", false,
			verdict{restricted, perimeter.ReasonBlacklisted, 101}},
		{"another address passes the blacklist",
			[]perimeter.Restriction{rule(1, perimeter.ScopeIP, "203.0.113.7", BL)}, "203.0.113.8", false, verdict{}},
		{"an IPv4-mapped IPv6 peer is its IPv4 address",
			[]perimeter.Restriction{rule(1, perimeter.ScopeIP, "203.0.113.7", BL)}, "::ffff:203.0.113.7", false,
			verdict{restricted, perimeter.ReasonBlacklisted, 101}},
		{"a zoned link-local peer is its address",
			[]perimeter.Restriction{rule(1, perimeter.ScopeIP, "fe80::1", BL), rule(2, perimeter.ScopeSubnet, "fe80::/64", BK)},
			"fe80::1%eth0", true, verdict{restricted, perimeter.ReasonBlacklisted, 101}},
		{"an IPv6 subnet refuses its addresses",
			[]perimeter.Restriction{rule(2, perimeter.ScopeSubnet, "2001:db8:abcd::/48", BL)}, "2001:db8:abcd:12::1", false,
			verdict{restricted, perimeter.ReasonBlacklisted, 102}},
		{"and not its neighbours",
			[]perimeter.Restriction{rule(2, perimeter.ScopeSubnet, "2001:db8:abcd::/48", BL)}, "2001:db8:abce::1", false,
			verdict{}},
		{"an IPv4 subnet does not match IPv6 clients",
			[]perimeter.Restriction{rule(2, perimeter.ScopeSubnet, "0.0.0.0/0", BL)}, "2001:db8::1", false, verdict{}},
		{"a country refuses its clients",
			[]perimeter.Restriction{rule(3, perimeter.ScopeCountry, "DE", BL)}, "2.125.160.216", false,
			verdict{restricted, perimeter.ReasonBlacklisted, 103}},
		{"a continent refuses its clients",
			[]perimeter.Restriction{rule(4, perimeter.ScopeContinent, "OC", BL)}, "1.128.0.1", false,
			verdict{restricted, perimeter.ReasonBlacklisted, 104}},
		{"with a whitelist, unlisted clients are refused without a code",
			[]perimeter.Restriction{rule(5, perimeter.ScopeSubnet, "10.0.0.0/8", WL)}, "203.0.113.7", false,
			verdict{restricted, perimeter.ReasonNotWhitelisted, 0}},
		{"with a whitelist, listed clients pass",
			[]perimeter.Restriction{rule(5, perimeter.ScopeSubnet, "10.0.0.0/8", WL), rule(6, perimeter.ScopeCountry, "GB", WL)},
			"81.2.69.160", false, verdict{}},
		{"a blacklisted address inside a whitelisted network is refused",
			[]perimeter.Restriction{rule(5, perimeter.ScopeSubnet, "10.0.0.0/8", WL), rule(1, perimeter.ScopeIP, "10.1.2.3", BL)},
			"10.1.2.3", false, verdict{restricted, perimeter.ReasonBlacklisted, 101}},
		{"maintenance refuses members",
			[]perimeter.Restriction{rule(7, perimeter.ScopeAll, "", MT)}, "198.51.100.10", false,
			verdict{ports.CodeMaintenance, perimeter.ReasonMaintenance, 107}},
		{"maintenance refuses anonymous clients",
			[]perimeter.Restriction{rule(7, perimeter.ScopeAll, "", MT)}, "203.0.113.7", false,
			verdict{ports.CodeMaintenance, perimeter.ReasonMaintenance, 107}},
		{"maintenance lets staff through",
			[]perimeter.Restriction{rule(7, perimeter.ScopeAll, "", MT)}, "198.51.100.9", false, verdict{}},
		{"block-login refuses sign-in",
			[]perimeter.Restriction{rule(8, perimeter.ScopeCountry, "GB", BK)}, "81.2.69.160", true,
			verdict{restricted, perimeter.ReasonLoginBlocked, 108}},
		{"block-login leaves other operations working",
			[]perimeter.Restriction{rule(8, perimeter.ScopeCountry, "GB", BK)}, "81.2.69.160", false, verdict{}},
		{"of two matching rules the lower code answers",
			[]perimeter.Restriction{rule(9, perimeter.ScopeSubnet, "203.0.113.0/24", BL), rule(2, perimeter.ScopeIP, "203.0.113.7", BL)},
			"203.0.113.7", false, verdict{restricted, perimeter.ReasonBlacklisted, 102}},
		{"a disabled rule does nothing",
			[]perimeter.Restriction{func() perimeter.Restriction {
				r := rule(1, perimeter.ScopeAll, "", BL)
				r.State = perimeter.StateDisabled
				return r
			}()}, "203.0.113.7", false, verdict{}},
		{"an unreadable client address matches only ALL",
			[]perimeter.Restriction{rule(1, perimeter.ScopeSubnet, "0.0.0.0/0", BL)}, "pipe", false, verdict{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, _ := gateWith(t, places, c.rules...)
			if got := judge(g.Check(from(c.ip), c.login)); got != c.want {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestWithoutGeolocationCountryRulesAreSkipped(t *testing.T) {
	g, _ := gateWith(t, nil, rule(1, perimeter.ScopeCountry, "DE", perimeter.CategoryWhitelist),
		rule(2, perimeter.ScopeContinent, "EU", perimeter.CategoryBlacklist))
	if err := g.Check(from("203.0.113.7"), false); err != nil {
		t.Fatalf("country rules applied without a database: %v", err)
	}
	if g.Count() != 0 {
		t.Fatalf("Count %d, want 0", g.Count())
	}
}

func TestWhitelinkPassesUntilItExpires(t *testing.T) {
	g, clk := gateWith(t, places, rule(1, perimeter.ScopeAll, "", perimeter.CategoryBlacklist))
	links := perimeter.NewWhitelinks([]byte("0123456789abcdef0123456789abcdef"))
	svc := perimeter.NewService(perimeter.DefaultConfig(), perimetertest.NewStore(), nil, links, clk)
	wl, err := svc.CreateWhitelink(context.Background(), 600, "support visit, ticket 51")
	if err != nil {
		t.Fatal(err)
	}
	if !wl.ExpiresAt.Equal(portstest.T0.Add(10 * time.Minute)) {
		t.Fatalf("expires %v", wl.ExpiresAt)
	}
	ctx := perimeter.WithWhitelink(from("203.0.113.7"), wl.Token)
	if err := g.Check(ctx, true); err != nil {
		t.Fatalf("whitelink refused: %v", err)
	}
	// One character of the signature changed, to another one: replacing
	// the tail with a fixed "AA" left the token whole about once in a
	// thousand runs (when it ended so already, in its data bits).
	i := len(wl.Token) - 10
	c := byte('A')
	if wl.Token[i] == c {
		c = 'B'
	}
	forged := wl.Token[:i] + string(c) + wl.Token[i+1:]
	if judge(g.Check(perimeter.WithWhitelink(from("203.0.113.7"), forged), false)).reason != perimeter.ReasonBlacklisted {
		t.Fatal("a forged whitelink passed")
	}
	other := perimeter.NewWhitelinks([]byte("another key, another key, anothe"))
	if other.Valid(wl.Token, portstest.T0) {
		t.Fatal("a link of another key is valid")
	}
	clk.Advance(10*time.Minute - time.Second)
	if err := g.Check(ctx, false); err != nil {
		t.Fatalf("whitelink refused before its expiry: %v", err)
	}
	clk.Advance(time.Second)
	if judge(g.Check(ctx, false)).reason != perimeter.ReasonBlacklisted {
		t.Fatal("an expired whitelink passed")
	}
}

func TestWhitelinkLifetimeIsBounded(t *testing.T) {
	svc := perimeter.NewService(perimeter.DefaultConfig(), perimetertest.NewStore(), nil,
		perimeter.NewWhitelinks([]byte("0123456789abcdef0123456789abcdef")), clock.NewManual(portstest.T0))
	for _, d := range []int{0, -1, 59, 8 * 24 * 3600, 9223372037} {
		_, err := svc.CreateWhitelink(context.Background(), d, "")
		if e := asErr(err); e.Code != ports.CodeValidationFailed || e.Fields["expiresIn"] == "" {
			t.Fatalf("%v: %v", d, err)
		}
	}
}

// TestCheckReadsNoStore: judging a request never reads the store, however
// many rules there are (the snapshot holds them).
func TestCheckReadsNoStore(t *testing.T) {
	s := perimetertest.NewStore()
	for _, r := range thousandRules() {
		if err := s.Create(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	g := perimeter.NewGate(s, nil, places, nil, nil, clock.NewManual(portstest.T0), quiet)
	if err := g.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	before := s.Reads()
	for range 100 {
		_ = g.Check(from("203.0.113.77"), false)
	}
	if s.Reads() != before {
		t.Fatalf("Check read the store %d times", s.Reads()-before)
	}
}

// TestWhitelinkHasOneSpelling: the token's last character carries two
// bits of no data; a decoder that ignores them accepts four spellings of
// one link, which a log or deny list matching tokens would then miss.
func TestWhitelinkHasOneSpelling(t *testing.T) {
	links := perimeter.NewWhitelinks([]byte("0123456789abcdef0123456789abcdef"))
	svc := perimeter.NewService(perimeter.DefaultConfig(), perimetertest.NewStore(), nil, links,
		clock.NewManual(portstest.T0))
	wl, err := svc.CreateWhitelink(context.Background(), 600, "")
	if err != nil {
		t.Fatal(err)
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, wl.Token[len(wl.Token)-1])
	other := wl.Token[:len(wl.Token)-1] + string(alphabet[last^1])
	if !links.Valid(wl.Token, portstest.T0) || links.Valid(other, portstest.T0) {
		t.Fatalf("valid: the link %v, its other spelling %v", links.Valid(wl.Token, portstest.T0),
			links.Valid(other, portstest.T0))
	}
}
