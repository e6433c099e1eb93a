package perimeter

import (
	"net/netip"
	"slices"
)

// Place is where an address is, as a geolocation database tells.
type Place struct {
	Country   string // ISO 3166-1 alpha-2, upper case
	Continent string // one of Continents
}

// categories in the order hits holds them.
var categories = [...]Category{CategoryWhitelist, CategoryBlacklist, CategoryMaintenance, CategoryBlockLogin}

func categoryIndex(c Category) int {
	for i, k := range categories {
		if k == c {
			return i
		}
	}
	return -1
}

// hits holds, per category, the rule that matched (nil: none); when
// several match, the one with the lowest code, so the answer is stable.
type hits [len(categories)]*Restriction

func (h *hits) add(r *Restriction) {
	i := categoryIndex(r.Category)
	if h[i] == nil || r.Code < h[i].Code {
		h[i] = r
	}
}

func (h *hits) merge(o *hits) {
	if o == nil {
		return
	}
	for i, r := range o {
		if r != nil && (h[i] == nil || r.Code < h[i].Code) {
			h[i] = r
		}
	}
}

// snapshot is one immutable compilation of the enabled restrictions,
// indexed so that judging a client costs a few map lookups whatever the
// number of rules: addresses by address, subnets by their masked prefix
// for each prefix length in use, countries and continents by code.
type snapshot struct {
	count       int
	byIP        map[netip.Addr]*hits
	bySubnet    map[netip.Prefix]*hits
	lens4       []int // prefix lengths in use, longest first
	lens6       []int
	byCountry   map[string]*hits
	byContinent map[string]*hits
	all         *hits
	// whitelist: some enabled WHITELIST rule exists (only matching
	// clients pass).
	whitelist bool
	// geo: some rule needs the client's place.
	geo bool
}

// compile builds the snapshot of rs, skipping disabled rules and, when
// geoOK is false (no geolocation database), country and continent rules.
func compile(rs []Restriction, geoOK bool) *snapshot {
	s := &snapshot{byIP: map[netip.Addr]*hits{}, bySubnet: map[netip.Prefix]*hits{},
		byCountry: map[string]*hits{}, byContinent: map[string]*hits{}}
	at := func(m map[string]*hits, k string) *hits {
		if m[k] == nil {
			m[k] = &hits{}
		}
		return m[k]
	}
	for i := range rs {
		r := &rs[i]
		if r.State != StateEnabled || categoryIndex(r.Category) < 0 {
			continue
		}
		switch r.Scope {
		case ScopeIP:
			a, err := netip.ParseAddr(r.Value)
			if err != nil {
				continue
			}
			a = a.Unmap()
			if s.byIP[a] == nil {
				s.byIP[a] = &hits{}
			}
			s.byIP[a].add(r)
		case ScopeSubnet:
			p, err := netip.ParsePrefix(r.Value)
			if err != nil {
				continue
			}
			p = p.Masked()
			if s.bySubnet[p] == nil {
				s.bySubnet[p] = &hits{}
			}
			s.bySubnet[p].add(r)
			if p.Addr().Is4() {
				s.lens4 = addLen(s.lens4, p.Bits())
			} else {
				s.lens6 = addLen(s.lens6, p.Bits())
			}
		case ScopeCountry:
			if !geoOK {
				continue
			}
			at(s.byCountry, r.Value).add(r)
			s.geo = true
		case ScopeContinent:
			if !geoOK {
				continue
			}
			at(s.byContinent, r.Value).add(r)
			s.geo = true
		case ScopeAll:
			if s.all == nil {
				s.all = &hits{}
			}
			s.all.add(r)
		default:
			continue
		}
		s.count++
		if r.Category == CategoryWhitelist {
			s.whitelist = true
		}
	}
	return s
}

func addLen(lens []int, n int) []int {
	if slices.Contains(lens, n) {
		return lens
	}
	lens = append(lens, n)
	slices.Sort(lens)
	slices.Reverse(lens)
	return lens
}

// match returns the rules that match a client at ip; locate is asked only
// when some rule needs the client's place. An invalid ip matches only the
// rules of scope ALL.
func (s *snapshot) match(ip netip.Addr, locate Locator) hits {
	var h hits
	h.merge(s.all)
	if !ip.IsValid() {
		return h
	}
	// Rules name addresses without a zone (a link-local peer's %eth0
	// says which interface, not who).
	ip = ip.Unmap().WithZone("")
	h.merge(s.byIP[ip])
	lens := s.lens6
	if ip.Is4() {
		lens = s.lens4
	}
	for _, n := range lens {
		p, err := ip.Prefix(n)
		if err == nil {
			h.merge(s.bySubnet[p])
		}
	}
	if s.geo && locate != nil {
		if pl, ok := locate.Locate(ip); ok {
			h.merge(s.byCountry[pl.Country])
			h.merge(s.byContinent[pl.Continent])
		}
	}
	return h
}
