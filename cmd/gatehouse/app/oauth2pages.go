package app

import (
	"fmt"
	"net/http"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/adapters/hydra"
	"github.com/gatehouse/gatehouse/adapters/secrets"
	"github.com/gatehouse/gatehouse/graph"
	"github.com/gatehouse/gatehouse/modules/consent"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/modules/platform"
)

// oauth2PagesModule wires modules/consent: its settings, the OAuth2
// server it answers (Ory Hydra's admin API, adapters/hydra) when
// GATEHOUSE_HYDRA_ADMIN_URL is set, and what it needs of the other
// modules. Without the URL the pages are not mounted (404) and the
// consent lists are empty.
var oauth2PagesModule = fx.Module("oauth2pages",
	fx.Provide(
		consentConfig,
		provideOAuth2Server,
		func(s *identity.SignInService) consent.SignIn { return s },
		func(s *identity.SignupService) consent.Signup { return s },
		func(s *otp.Service) consent.Codes { return s },
		func(s *identity.SessionService) consent.HandOff { return s },
		func(s *identity.ReadService) consent.Users { return s },
		func(s *identity.ViewerService) consent.Viewer { return s },
		func(g *perimeter.Gate) consent.Gate { return g },
		func(s *platform.Service) consent.Maintenance { return s },
	),
	consent.Module,
)

// oauth2Server is the OAuth2 server's side of the pages; both nil when
// none is configured.
type oauth2Server struct {
	fx.Out

	Challenges consent.Challenges
	Grants     consent.Grants
}

func provideOAuth2Server(cfg Config) (oauth2Server, error) {
	if cfg.HydraAdminURL == "" {
		return oauth2Server{}, nil
	}
	a, err := hydra.New(cfg.HydraAdminURL, nil)
	if err != nil {
		return oauth2Server{}, fmt.Errorf("GATEHOUSE_HYDRA_ADMIN_URL: %w", err)
	}
	return oauth2Server{Challenges: a, Grants: a}, nil
}

// consentConfig keys the pages' CSRF tokens with a key of their own derived
// from the data key (so every instance checks the others' forms), and
// marks their cookies Secure outside dev.
func consentConfig(cfg Config) (consent.Config, error) {
	c := consent.Config{ProductName: cfg.ProductName, SecureCookies: cfg.Prod(), RememberFor: cfg.OAuth2RememberFor,
		PagesPerMinute: cfg.OAuth2PagesPerMinute, RequestTimeout: cfg.RequestTimeout}
	if !cfg.Serving() {
		c.CSRFKey = ephemeralKey()
		return c, nil
	}
	master, err := dataKey(cfg)
	if err != nil {
		return consent.Config{}, err
	}
	c.CSRFKey = secrets.DeriveKey(master, "gatehouse/oauth2-pages")
	return c, c.Validate()
}

// mountOAuth2Pages routes the pages when there are any (an OAuth2 server
// is configured); otherwise the paths stay unrouted, 404.
func mountOAuth2Pages(mux interface {
	Handle(string, http.Handler)
}, cfg Config, pages *consent.Pages) {
	if pages == nil {
		return
	}
	h := graph.OAuth2Pages(pages.Handler(), cfg.TrustedProxies)
	for _, path := range []string{"/oauth2/login", "/oauth2/consent", "/oauth2/logout", "/oauth2/register",
		"/oauth2/pages.css"} {
		mux.Handle(path, h)
	}
}
