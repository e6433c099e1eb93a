// Package geoip places client addresses with a MaxMind-format database
// (GeoIP2/GeoLite2 Country or City, or any database with their
// country.iso_code and continent.code fields), for the perimeter's
// COUNTRY and CONTINENT restrictions.
package geoip

import (
	"fmt"
	"net/netip"

	"github.com/oschwald/maxminddb-golang/v2"

	"github.com/gatehouse/gatehouse/modules/perimeter"
)

// Reader implements perimeter.Locator over an open database file (memory
// mapped: lookups read no file and take no lock).
type Reader struct{ db *maxminddb.Reader }

var _ perimeter.Locator = (*Reader)(nil)

// Open opens the database at path and checks that it places addresses by
// country.
func Open(path string) (*Reader, error) {
	db, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("geoip: open %s: %w", path, err)
	}
	return &Reader{db: db}, nil
}

// record is the part of a record the perimeter reads.
type record struct {
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
	Continent struct {
		Code string `maxminddb:"code"`
	} `maxminddb:"continent"`
}

// Locate returns ip's country and continent; false when the database does
// not know the address (or cannot be read there: the address then matches
// no country rule, as an unknown one).
func (r *Reader) Locate(ip netip.Addr) (perimeter.Place, bool) {
	var rec record
	res := r.db.Lookup(ip)
	if !res.Found() || res.Decode(&rec) != nil {
		return perimeter.Place{}, false
	}
	if rec.Country.ISOCode == "" && rec.Continent.Code == "" {
		return perimeter.Place{}, false
	}
	return perimeter.Place{Country: rec.Country.ISOCode, Continent: rec.Continent.Code}, true
}

// Close releases the database.
func (r *Reader) Close() error { return r.db.Close() }
