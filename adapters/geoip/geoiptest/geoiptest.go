// Package geoiptest builds small MaxMind-format databases for tests, with
// github.com/maxmind/mmdbwriter, in the layout of GeoIP2 Country.
package geoiptest

import (
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// Network is a network and where it is.
type Network struct {
	CIDR      string
	Country   string // ISO 3166-1 alpha-2
	Continent string
}

// Write writes a database of nets into a temporary directory of t and
// returns its path.
func Write(t testing.TB, nets ...Network) string {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "Gatehouse-Test-Country", RecordSize: 24,
		IncludeReservedNetworks: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nets {
		_, ipnet, err := net.ParseCIDR(n.CIDR)
		if err != nil {
			t.Fatal(err)
		}
		rec := mmdbtype.Map{
			"country":   mmdbtype.Map{"iso_code": mmdbtype.String(n.Country)},
			"continent": mmdbtype.Map{"code": mmdbtype.String(n.Continent)},
		}
		if err := tree.Insert(ipnet, rec); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "country.mmdb")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := tree.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	return path
}
