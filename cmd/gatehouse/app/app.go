package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/uptrace/bun"
	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/adapters/email"
	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/secrets"
	"github.com/gatehouse/gatehouse/adapters/sms"
	"github.com/gatehouse/gatehouse/adapters/standin"
	"github.com/gatehouse/gatehouse/adapters/token"
	"github.com/gatehouse/gatehouse/graph"
	"github.com/gatehouse/gatehouse/graph/resolvers"
	"github.com/gatehouse/gatehouse/modules/accounts"
	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/apikeys"
	"github.com/gatehouse/gatehouse/modules/captcha"
	"github.com/gatehouse/gatehouse/modules/consent"
	"github.com/gatehouse/gatehouse/modules/delivery"
	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/levelrules"
	"github.com/gatehouse/gatehouse/modules/messages"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/modules/partners"
	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/modules/platform"
	"github.com/gatehouse/gatehouse/ports"
)

// Options is the whole application as fx options. Tests add fx.Decorate
// options to swap a port (clock, SMS) for a fake.
func Options(cfg Config, log *slog.Logger) fx.Option {
	opts := []fx.Option{
		// What can fail is built first, so that a start that fails has
		// started nothing: the listeners and the data directory's check,
		// then the keys (made in dev), and only then the database, which
		// may start a cluster.
		preflightModule,
		fx.Module("keys", fx.Invoke(func(ports.TokenSigner, ports.SecretBox, ports.BlobStore,
			accounts.PortfolioAddresses, otp.Config, kyc.Config, *messages.Catalog) {
		})),
		CoreOptions(cfg, log),
	}
	// Only into the embedded dev database: never into a shared one that a
	// dev-mode instance happens to point at.
	if !cfg.Prod() && cfg.DevAdminPhone != "" && cfg.DatabaseURL == "" {
		// Before the listener: /readyz must not answer until start is done.
		opts = append(opts, fx.Module("devadmin", fx.Invoke(seedDevAdmin)))
	}
	// The level jobs' runner works only in the serving app.
	// The delivery workers start before the HTTP server and stop after it
	// (a module's invokes run before the root's, in the modules' order).
	return fx.Options(append(opts, metricsOptions, deliveryWorkersModule, httpModule,
		fx.Invoke(runJanitor, runBlobJanitor),
		fx.Invoke(func(*levelrules.Runner) {}))...)
}

// CoreOptions are the modules and adapters without the HTTP server and
// background work: what one-shot commands (`admin create`) need.
func CoreOptions(cfg Config, log *slog.Logger) fx.Option {
	return fx.Options(
		fx.Supply(cfg, log),
		fx.WithLogger(func() fxevent.Logger {
			l := &fxevent.SlogLogger{Logger: log}
			l.UseLogLevel(slog.LevelDebug)
			// A failed start is reported once, by the command, as its
			// root cause: fx's own account of it repeats the error at the
			// end of every dependency chain it broke.
			l.UseErrorLevel(slog.LevelDebug)
			return l
		}),
		// The server's drain, then the delivery workers', each within
		// ShutdownTimeout.
		fx.StopTimeout(2*cfg.ShutdownTimeout+10*time.Second),
		fx.Provide(provideDatabase, func(d *Database) *bun.DB { return d.DB }),
		postgres.Module,
		clockModule,
		secretsModule,
		tokenModule,
		smsModule,
		emailModule,
		configModule,
		messages.Module,
		deliveryModule,
		delivery.Module,
		otp.Module,
		identity.Module,
		platform.Module,
		kycModule,
		kyc.Module,
		pinreset.Module,
		accounts.Module,
		admin.Module,
		apikeys.Module,
		partnersModule,
		perimeterModule,
		perimeter.Module,
		captchaModule,
		captcha.Module,
		levelrules.Module,
		oauth2PagesModule,
		federationModule,
		fx.Provide(
			fx.Annotate(func(a *apikeys.Authenticator) identity.KeyAuthenticator { return a },
				fx.ResultTags(`group:"key_authenticators"`)),
			func(s *identity.MFAService) apikeys.SecondFactor { return s },
			func() admin.Operations { return graph.Operations() },
			func(s *otp.Service) identity.Codes { return s },
			func(s *otp.Service) kyc.Codes { return s },
			func(s *platform.Service) identity.TermsCatalog { return s },
			func(s *kyc.Review) accounts.KYCStatuses { return s },
			func(s *identity.PINService) pinreset.PINs { return s },
			func(s *kyc.ResetFiles) pinreset.Documents { return s },
			func(s *otp.Service) pinreset.Codes { return s },
			func(d identity.Devices) pinreset.Budgets { return deviceBudgets{d} },
			func(s *identity.ViewerService) ports.CallerSource { return s },
			func(s *identity.ViewerService) admin.SessionCache { return s },
			func(p *admin.Policy) graph.Authorizer { return p },
			func(p *admin.Policy) accounts.Rules { return p },
			func(p *admin.Policy) identity.Rules { return p },
			func(p *admin.Policy) kyc.Rules { return p },
			func(p *admin.Policy) pinreset.Rules { return p },
			func(g *perimeter.Gate) graph.Perimeter { return g },
			func(i identity.Services, o *otp.Service, p *platform.Service, k kyc.Services,
				pr pinreset.Services, a *accounts.Service, ad admin.Services, ak apikeys.Services,
				pa *partners.Manage, pm *perimeter.Service, fe federation.Services, ac *consent.Apps,
				op *platform.Operator, lr *levelrules.Service, de *delivery.Service) *resolvers.Resolver {
				return &resolvers.Resolver{Identity: i, OTP: o, Platform: p, KYC: k, PINReset: pr, Accounts: a, Admin: ad,
					APIKeys: ak, Partners: pa, Perimeter: pm, Federation: fe, Consent: ac, Operator: op, LevelRules: lr,
					Deliveries: de}
			},
		),
	)
}

// seedDevAdmin makes sure a dev SUPERADMIN exists and prints its PIN the
// one time it is created (on stdout, not in the logs).
func seedDevAdmin(lc fx.Lifecycle, cfg Config, ids *identity.StaffService) {
	lc.Append(fx.Hook{OnStart: func(ctx context.Context) error {
		_, pin, created, err := ids.CreateUser(ctx, cfg.DevAdminPhone, "SUPERADMIN")
		if err != nil {
			return fmt.Errorf("seed the dev admin: %w", err)
		}
		if created {
			fmt.Fprintf(os.Stdout, "dev admin created (shown once): phone %s, PIN %s, role SUPERADMIN\n",
				cfg.DevAdminPhone, pin)
		}
		return nil
	}})
}

// runJanitor sweeps expired rows in the background while the app runs.
func runJanitor(lc fx.Lifecycle, db *bun.DB, c ports.Clock, log *slog.Logger) {
	j := postgres.NewJanitor(db, c, log)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			go func() { defer close(done); j.Run(ctx, 10*time.Minute) }()
			return nil
		},
		OnStop: func(context.Context) error { cancel(); <-done; return nil },
	})
}

// provideDatabase opens the database; schema checks run at start, and the
// pool (and embedded cluster) close at stop.
func provideDatabase(lc fx.Lifecycle, sd fx.Shutdowner, cfg Config, log *slog.Logger) (*Database, error) {
	d, err := OpenDatabase(context.Background(), cfg, log)
	if err != nil {
		return nil, err
	}
	lc.Append(fx.Hook{
		OnStart: func(ctx context.Context) error {
			// Migrations must not be cut by the server's statement timeout.
			db, done, err := d.Unbounded()
			if err != nil {
				return err
			}
			defer done()
			if err := PrepareSchema(ctx, cfg, db, log); err != nil {
				return err
			}
			if cfg.Serving() {
				d.watch(log, sd)
			}
			return nil
		},
		OnStop: func(context.Context) error { return d.Close() },
	})
	return d, nil
}

// The non-database adapters, one fx module per group, bound to their ports.
var (
	clockModule = fx.Module("clock",
		fx.Provide(func() ports.Clock { return clock.System{} }))
	secretsModule = fx.Module("secrets",
		fx.Provide(func(cfg Config) ports.SecretHasher {
			return secrets.NewArgon2Hasher(&argon2id.Params{Memory: uint32(cfg.Argon2MemoryKiB),
				Iterations: uint32(cfg.Argon2Iterations), Parallelism: uint8(cfg.Argon2Parallelism),
				SaltLength: 16, KeyLength: 32}, cfg.HashConcurrency)
		}),
		fx.Provide(provideBox, provideAPIKeyBox))
	tokenModule = fx.Module("token", fx.Provide(provideSigner))
	emailModule = fx.Module("email",
		fx.Provide(func(cfg Config, log *slog.Logger) (ports.EmailSender, error) {
			switch {
			case !cfg.Serving():
				return standin.Refusing{What: "e-mail sending"}, nil
			case cfg.EmailProvider == "smtp":
				return email.NewSMTP(cfg.SMTP, log)
			}
			return email.NewConsole(log, cfg.Prod())
		}))
	smsModule = fx.Module("sms",
		fx.Provide(func(cfg Config, log *slog.Logger) (ports.SMSSender, error) {
			switch {
			case !cfg.Serving():
				return standin.Refusing{What: "SMS sending"}, nil
			case cfg.SMSProvider == "twilio":
				return sms.NewTwilio(cfg.Twilio, nil, log)
			}
			return sms.NewConsole(log, cfg.Prod())
		}))
)

// ephemeralKey is the key a one-shot command keys its code digests and
// file links with: it issues neither, and should it ever, a key that dies
// with the process makes them worthless rather than forged.
func ephemeralKey() []byte {
	return []byte(rand.Text() + rand.Text())
}

// provideBox seals secrets kept at rest with a key derived from the data
// key (GATEHOUSE_DATA_KEY, or in dev one generated under the data dir).
func provideBox(cfg Config) (ports.SecretBox, error) { return derivedBox(cfg, "gatehouse/totp") }

// provideAPIKeyBox seals API-key secrets with a key of their own derived
// from the data key, apart from the TOTP seeds'.
func provideAPIKeyBox(cfg Config) (apikeys.Sealer, error) {
	return derivedBox(cfg, "gatehouse/apikeys")
}

// derivedBox seals with the key derived from the data key for label; a
// one-shot command gets a stand-in that refuses.
func derivedBox(cfg Config, label string) (ports.SecretBox, error) {
	if !cfg.Serving() {
		return standin.Refusing{What: "the data key (GATEHOUSE_DATA_KEY)"}, nil
	}
	master, err := dataKey(cfg)
	if err != nil {
		return nil, err
	}
	return secrets.NewBox(secrets.DeriveKey(master, label), cfg.DataKeyID)
}

func provideSigner(cfg Config) (ports.TokenSigner, error) {
	if !cfg.Serving() {
		return standin.Refusing{What: "token signing (GATEHOUSE_SIGNING_KEY_FILE)"}, nil
	}
	if err := EnsureDataDir(cfg); err != nil {
		return nil, err
	}
	priv, err := token.LoadOrCreateKey(cfg.SigningKeyFile, !cfg.Prod())
	if err != nil {
		return nil, fmt.Errorf("GATEHOUSE_SIGNING_KEY_FILE: %w", err)
	}
	prev, err := token.LoadPublicKeys(cfg.PreviousPublicKeys)
	if err != nil {
		return nil, err
	}
	return token.NewSigner(priv, cfg.TokenIssuer, cfg.TokenAudience, prev...), nil
}

// configModule derives each module's Config from the environment's.
var configModule = fx.Module("config",
	fx.Provide(
		func(cfg Config) (otp.Config, error) {
			key, err := otpKey(cfg)
			if err != nil {
				return otp.Config{}, err
			}
			c := otp.DefaultConfig()
			c.TTL, c.MaxAttempts, c.ResendAfter, c.SendsPerHour, c.ClientSendsPerHour, c.HMACKey =
				cfg.OTPTTL, cfg.OTPMaxAttempts, cfg.OTPResendAfter, cfg.OTPSendsPerHour, cfg.OTPClientSendsPerHour, key
			return c, c.Validate()
		},
		func(cfg Config) identity.Config {
			c := identity.DefaultConfig()
			c.AccessTokenTTL, c.SessionTTL = cfg.AccessTokenTTL, cfg.SessionTTL
			c.StatusChecksPerMinute, c.SignInsPerMinute, c.SignupStartsPerHour, c.PasswordResetsPerHour =
				cfg.StatusChecksPerMinute, cfg.SignInsPerMinute, cfg.SignupStartsPerHour, cfg.PasswordResetsPerHour
			c.MFA, c.StepUpTTL = cfg.MFA, cfg.StepUpTTL
			c.Issuer = cfg.ProductName
			c.SessionCacheTTL, c.SessionCacheSize = cfg.SessionCacheTTL, cfg.SessionCacheSize
			if c.RefreshTTL > c.SessionTTL {
				c.RefreshTTL = c.SessionTTL
			}
			return c
		},
		func(cfg Config) (apikeys.Config, error) {
			c := apikeys.DefaultConfig()
			c.MaxKeysPerUser, c.NonceWindow, c.BadSignaturesPer15Min =
				cfg.APIKeysPerUser, cfg.APIKeyNonceWindow, cfg.APIKeyBadSignaturesPer15
			return c, c.Validate()
		},
		func(cfg Config) messages.Config {
			return messages.Config{ProductName: cfg.ProductName, Dir: cfg.TemplatesDir}
		},
		func(cfg Config) levelrules.Config {
			c := levelrules.DefaultConfig()
			c.Batch = cfg.LevelJobBatch
			return c
		},
		func(cfg Config) platform.Config {
			return platform.Config{CacheTTL: cfg.PlatformCacheTTL, MaxStale: cfg.PlatformMaxStale, ForceMaintenance: cfg.Maintenance,
				MaintenanceMessage: cfg.MaintenanceMessage, OTPLifetime: cfg.OTPTTL, OTPResendAfter: cfg.OTPResendAfter,
				Version: cfg.Version}
		},
	),
)

// otpKey is GATEHOUSE_OTP_HMAC_KEY, or in dev a key generated once under
// the data directory.
func otpKey(cfg Config) ([]byte, error) {
	if !cfg.Serving() {
		return ephemeralKey(), nil
	}
	if cfg.OTPHMACKey != "" {
		return token.DecodeSecret(cfg.OTPHMACKey)
	}
	key, err := token.LoadOrCreateSecret(filepath.Join(cfg.DataDir, "keys", "otp-hmac.key"), !cfg.Prod(), 32)
	if err != nil {
		return nil, fmt.Errorf("GATEHOUSE_DATA_DIR: %w", err)
	}
	return key, nil
}

// NewLogger returns the process logger.
func NewLogger(cfg Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}
