package geoip_test

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/gatehouse/gatehouse/adapters/geoip"
	"github.com/gatehouse/gatehouse/adapters/geoip/geoiptest"
	"github.com/gatehouse/gatehouse/modules/perimeter"
)

func TestLocatePlacesAddressesOfTheDatabase(t *testing.T) {
	path := geoiptest.Write(t,
		geoiptest.Network{CIDR: "81.2.69.0/24", Country: "GB", Continent: "EU"},
		geoiptest.Network{CIDR: "2001:db8:1::/48", Country: "JP", Continent: "AS"})
	r, err := geoip.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cases := []struct {
		ip    string
		want  perimeter.Place
		found bool
	}{
		{"81.2.69.160", perimeter.Place{Country: "GB", Continent: "EU"}, true},
		{"::ffff:81.2.69.160", perimeter.Place{Country: "GB", Continent: "EU"}, true},
		{"2001:db8:1::42", perimeter.Place{Country: "JP", Continent: "AS"}, true},
		{"203.0.113.7", perimeter.Place{}, false},
	}
	for _, c := range cases {
		got, ok := r.Locate(netip.MustParseAddr(c.ip))
		if got != c.want || ok != c.found {
			t.Errorf("%s: %+v %v, want %+v %v", c.ip, got, ok, c.want, c.found)
		}
	}
}

func TestOpenRefusesWhatIsNoDatabase(t *testing.T) {
	if _, err := geoip.Open("/nonexistent/country.mmdb"); err == nil {
		t.Fatal("opened a missing file")
	}
}

// BenchmarkLocate is what a COUNTRY or CONTINENT rule adds to judging a
// request: one lookup in a memory-mapped database.
func BenchmarkLocate(b *testing.B) {
	var nets []geoiptest.Network
	for i := range 256 {
		nets = append(nets, geoiptest.Network{CIDR: fmt.Sprintf("81.%d.0.0/16", i), Country: "GB", Continent: "EU"})
	}
	r, err := geoip.Open(geoiptest.Write(b, nets...))
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	ip := netip.MustParseAddr("81.2.69.160")
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := r.Locate(ip); !ok {
			b.Fatal("not found")
		}
	}
}
