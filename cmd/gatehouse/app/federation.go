package app

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/adapters/oidc"
	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/modules/identity"
)

// federationModule wires sign-in with OpenID providers: the module, its
// stores, identity's sign-in and sign-up as its Accounts, and the relying
// party, which discovers the providers in the background at start (a
// provider down then only makes its own sign-ins UNAVAILABLE).
var federationModule = fx.Options(
	federation.Module,
	fx.Provide(
		func(cfg Config) (federation.Config, error) {
			c := federation.DefaultConfig()
			c.Providers, c.FlowsPerMinute = cfg.OIDCProviders, cfg.OIDCFlowsPerMinute
			return c, c.Validate(!cfg.Prod())
		},
		func(db *bun.DB) *postgres.FederationStore { return postgres.NewFederationStore(db) },
		func(s *postgres.FederationStore) federation.Identities { return s },
		func(s *postgres.FederationStore) federation.States { return s },
		func(db *bun.DB) federation.Users { return postgres.NewUserStore(db) },
		func(in *identity.SignInService, up *identity.SignupService) federation.Accounts {
			return federatedAccounts{in, up}
		},
		func(p *admin.Policy) federation.Rules { return p },
		func(lc fx.Lifecycle, cfg Config, log *slog.Logger) federation.Relying {
			opts := oidc.DefaultOptions()
			opts.Timeout = cfg.OIDCTimeout
			r := oidc.New(cfg.OIDCProviders, opts, log)
			lc.Append(fx.Hook{OnStart: func(context.Context) error {
				// Not the start's context: it ends when start does.
				r.Warm(context.Background())
				return nil
			}})
			return r
		},
	),
)

// federatedAccounts is identity's sign-in and sign-up as the federation
// needs them.
type federatedAccounts struct {
	in *identity.SignInService
	up *identity.SignupService
}

func (a federatedAccounts) SignInFederated(ctx context.Context, userID uuid.UUID, d identity.FederatedDevice) (identity.SignInResult, error) {
	return a.in.SignInFederated(ctx, userID, d)
}

func (a federatedAccounts) SignUpFederated(ctx context.Context, in identity.FederatedSignup) (identity.Auth, error) {
	return a.up.SignUpFederated(ctx, in)
}

// readOIDC reads the OpenID providers: GATEHOUSE_OIDC_PROVIDERS names them
// (comma-separated), and each name's settings are variables of its own,
// GATEHOUSE_OIDC_<NAME>_ISSUER, _CLIENT_ID, _CLIENT_SECRET,
// _REDIRECT_URIS (comma-separated) and _SCOPES (space- or
// comma-separated, optional), <NAME> upper-cased with - as _. A secret
// then sits in a variable of its own, as secret stores hand them out, and
// no value needs quoting. Every problem is reported at once; a secret's
// value never is.
func (c *Config) readOIDC(r *reader) {
	c.OIDCTimeout = r.duration("GATEHOUSE_OIDC_TIMEOUT", 10*time.Second, time.Second, time.Minute)
	c.OIDCFlowsPerMinute = r.intIn("GATEHOUSE_RATE_OIDC_FLOWS_PER_MINUTE", 30, 1, 1000000)
	names := r.list("GATEHOUSE_OIDC_PROVIDERS")
	c.OIDCProviders = nil
	for _, name := range names {
		env := "GATEHOUSE_OIDC_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_")) + "_"
		p := federation.Provider{Name: name, Issuer: r.str(env+"ISSUER", ""), ClientID: r.str(env+"CLIENT_ID", ""),
			ClientSecret: federation.Secret(r.str(env+"CLIENT_SECRET", "")), RedirectURIs: r.list(env + "REDIRECT_URIS"),
			Scopes: strings.FieldsFunc(r.getenv(env+"SCOPES"), func(r rune) bool { return r == ' ' || r == ',' })}
		c.OIDCProviders = append(c.OIDCProviders, p)
	}
	for _, problem := range federation.CheckProviders(c.OIDCProviders, !c.Prod()) {
		r.fail("GATEHOUSE_OIDC_PROVIDERS", problem+oidcHint(problem))
	}
}

// oidcHint names the variable a problem is about.
func oidcHint(problem string) string {
	for _, h := range []struct{ word, suffix string }{{"issuer", "ISSUER"}, {"client id", "CLIENT_ID"},
		{"client secret", "CLIENT_SECRET"}, {"redirect URI", "REDIRECT_URIS"}, {"scope", "SCOPES"}} {
		if strings.Contains(problem, h.word) {
			return fmt.Sprintf(" (GATEHOUSE_OIDC_<NAME>_%s)", h.suffix)
		}
	}
	return ""
}
