// Package perimeter fences the service: staff's restrictions (IP, subnet,
// country, continent or everyone; whitelist, blacklist, maintenance,
// block-login) decide which clients may call it, and whitelinks let one
// client past them for a while. Requests are judged from an in-memory
// snapshot of the restrictions that every instance reloads when they
// change, never with a database query per request.
package perimeter

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Scope is what a restriction matches a client by.
type Scope string

const (
	ScopeIP        Scope = "IP"
	ScopeSubnet    Scope = "IP_SUBNET"
	ScopeCountry   Scope = "COUNTRY"
	ScopeContinent Scope = "CONTINENT"
	ScopeAll       Scope = "ALL"
)

// Category is what a restriction does to the clients it matches.
type Category string

const (
	// CategoryWhitelist: once any enabled whitelist rule exists, only the
	// clients one of them matches pass.
	CategoryWhitelist Category = "WHITELIST"
	// CategoryBlacklist refuses the clients it matches.
	CategoryBlacklist Category = "BLACKLIST"
	// CategoryMaintenance refuses the clients it matches unless they are
	// signed-in staff.
	CategoryMaintenance Category = "MAINTENANCE"
	// CategoryBlockLogin refuses only sign-in and sign-up to the clients
	// it matches: who is signed in keeps working.
	CategoryBlockLogin Category = "BLOCKLOGIN"
)

// State turns a restriction on or off without deleting it.
type State string

const (
	StateEnabled  State = "ENABLED"
	StateDisabled State = "DISABLED"
)

// Restriction is one rule of the perimeter.
type Restriction struct {
	ID       uuid.UUID
	Scope    Scope
	Value    string // canonical: an address, a masked CIDR, an upper-case code, or "" for ALL
	Category Category
	State    State
	// Code is the number staff give the rule; a client it refuses sees it
	// (extensions.restrictionCode), so support can tell which rule it was.
	Code      int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Continents are the seven two-letter continent codes of the MaxMind
// databases.
var Continents = map[string]bool{"AF": true, "AN": true, "AS": true, "EU": true, "NA": true, "OC": true, "SA": true}

// MaxCode is the largest restriction code.
const MaxCode = 999999

// CanonicalValue checks value for scope and returns its one spelling, so
// that the same rule cannot be entered twice in two spellings:
// addresses without zone and with IPv4-mapped IPv6 unmapped, subnets
// masked ("10.1.2.3/8" is refused: it names an address, not a network),
// codes upper-case. ALL takes no value. Errors: VALIDATION_FAILED on
// "value" or "scope".
func CanonicalValue(scope Scope, value string) (string, error) {
	v := strings.TrimSpace(value)
	if len(v) > 64 {
		return "", ports.InvalidField("value", "must be at most 64 characters")
	}
	switch scope {
	case ScopeIP:
		a, err := netip.ParseAddr(v)
		if err != nil || a.Zone() != "" {
			return "", ports.InvalidField("value", "must be an IPv4 or IPv6 address (e.g. 203.0.113.7 or 2001:db8::1)")
		}
		return a.Unmap().String(), nil
	case ScopeSubnet:
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return "", ports.InvalidField("value", "must be a CIDR network (e.g. 203.0.113.0/24 or 2001:db8::/32)")
		}
		if p.Addr().Is4In6() {
			if p.Bits() < 96 {
				return "", ports.InvalidField("value", "an IPv4-mapped network must be at least /96")
			}
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		if p.Masked() != p {
			return "", ports.InvalidField("value", fmt.Sprintf("has host bits set: the network is %s", p.Masked()))
		}
		return p.String(), nil
	case ScopeCountry:
		c := strings.ToUpper(v)
		if !isAlpha2(c) {
			return "", ports.InvalidField("value", "must be an ISO 3166-1 alpha-2 country code (e.g. DE)")
		}
		return c, nil
	case ScopeContinent:
		c := strings.ToUpper(v)
		if !Continents[c] {
			return "", ports.InvalidField("value", "must be a continent code: AF, AN, AS, EU, NA, OC or SA")
		}
		return c, nil
	case ScopeAll:
		if v != "" {
			return "", ports.InvalidField("value", "must be empty for the scope ALL")
		}
		return "", nil
	}
	return "", ports.InvalidField("scope", "must be IP, IP_SUBNET, COUNTRY, CONTINENT or ALL")
}

// isAlpha2 tells whether c has the shape of an ISO 3166-1 alpha-2 code.
// The assigned list changes (and user-assigned codes such as XK are in
// use): the shape is checked, and a code no client ever has simply
// matches no one.
func isAlpha2(c string) bool {
	return len(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z'
}

// validCategory and validState check the enums a client sends.
func validCategory(c Category) bool {
	switch c {
	case CategoryWhitelist, CategoryBlacklist, CategoryMaintenance, CategoryBlockLogin:
		return true
	}
	return false
}

func validState(s State) bool { return s == StateEnabled || s == StateDisabled }

// Reasons of the refusals (extensions.reason).
const (
	ReasonBlacklisted    = "BLACKLISTED"
	ReasonNotWhitelisted = "NOT_WHITELISTED"
	ReasonMaintenance    = "MAINTENANCE"
	ReasonLoginBlocked   = "LOGIN_BLOCKED"
	// ReasonSelfLockout refuses a change that would refuse the address of
	// the staff member making it.
	ReasonSelfLockout = "SELF_LOCKOUT"
	// ReasonLimitReached refuses a restriction past the configured count.
	ReasonLimitReached = "RESTRICTION_LIMIT_REACHED"
)
