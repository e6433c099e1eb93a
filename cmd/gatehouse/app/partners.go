package app

import (
	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/graph"
	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/partners"
)

// partnersModule wires the partner apps: their settings, the rows that
// decide who manages them, and their tokens as a program path of the
// viewer (identity's "program_tokens" group), which validateToken answers
// with the graph's scope table.
var partnersModule = fx.Options(
	partners.Module,
	fx.Provide(
		func(cfg Config) partners.Config {
			return partners.Config{SecretGrace: cfg.PartnerSecretGrace, TokenTTL: cfg.PartnerTokenTTL,
				TokensPerMinute: cfg.PartnerTokensPerMinute, TokensPerMinutePerIP: cfg.PartnerTokensPerMinutePerIP,
				MaxApps: cfg.PartnerMaxApps}
		},
		func(p *admin.Policy) partners.Rules { return p },
		func(t *partners.Tokens) graph.TokenIssuer { return t },
		fx.Annotate(partners.NewCallers, fx.As(new(identity.ProgramTokens)), fx.ResultTags(`group:"program_tokens"`)),
	),
	fx.Invoke(func(v *identity.ViewerService) { v.UseCallerRule(graph.CallerRule) }),
)
