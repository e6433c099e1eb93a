package app

import (
	"context"
	"fmt"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/adapters/geoip"
	"github.com/gatehouse/gatehouse/adapters/secrets"
	"github.com/gatehouse/gatehouse/modules/perimeter"
)

// perimeterModule gives the perimeter its settings, the geolocation
// database (nil without one) and the whitelinks' key.
var perimeterModule = fx.Module("perimeter-config",
	fx.Provide(
		func(cfg Config) perimeter.Config {
			c := perimeter.DefaultConfig()
			c.MaxRestrictions, c.MaxWhitelinkTTL, c.GeoIPDB = cfg.MaxRestrictions, cfg.WhitelinkMaxTTL, cfg.GeoIPDB
			return c
		},
		provideLocator,
		provideWhitelinks,
	),
)

// provideLocator opens GATEHOUSE_GEOIP_DB for the life of the app; none
// configured is a nil Locator (the gate then skips country rules).
func provideLocator(lc fx.Lifecycle, cfg Config) (perimeter.Locator, error) {
	if cfg.GeoIPDB == "" {
		return nil, nil
	}
	r, err := geoip.Open(cfg.GeoIPDB)
	if err != nil {
		return nil, fmt.Errorf("GATEHOUSE_GEOIP_DB: %w", err)
	}
	lc.Append(fx.Hook{OnStop: func(context.Context) error { return r.Close() }})
	return r, nil
}

// provideWhitelinks signs whitelinks with a key derived from the data key
// (GATEHOUSE_DATA_KEY), so that every instance checks them and a rotated
// data key ends them all.
func provideWhitelinks(cfg Config) (*perimeter.Whitelinks, error) {
	if !cfg.Serving() {
		return perimeter.NewWhitelinks(ephemeralKey()), nil
	}
	master, err := dataKey(cfg)
	if err != nil {
		return nil, err
	}
	return perimeter.NewWhitelinks(secrets.DeriveKey(master, "gatehouse/whitelink")), nil
}
