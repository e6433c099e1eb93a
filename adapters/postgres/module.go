package postgres

import (
	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/modules/accounts"
	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/apikeys"
	"github.com/gatehouse/gatehouse/modules/captcha"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/levelrules"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/modules/partners"
	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/modules/platform"
	"github.com/gatehouse/gatehouse/ports"
)

// Module binds the PostgreSQL stores to their ports. The *bun.DB itself is
// provided by the app, which decides between DATABASE_URL and the
// embedded cluster.
var Module = fx.Module("postgres",
	fx.Provide(
		fx.Annotate(NewTxRunner, fx.As(new(ports.TxRunner))),
		// accounts.Users, kyc.Users, pinreset.Users and admin.Users (and
		// admin.Sessions, admin.TOTPRemover below) are what those modules
		// need of the identity stores.
		fx.Annotate(NewUserStore, fx.As(new(admin.Users)), fx.As(new(accounts.Users)), fx.As(new(kyc.Users)),
			fx.As(new(pinreset.Users)), fx.As(new(identity.Users)), fx.As(new(identity.UserChanges)), fx.As(new(identity.Devices))),
		// One CredentialStore is identity's PINs, Passwords, TOTPs and
		// CredentialEraser.
		fx.Annotate(NewCredentialStore, fx.As(new(admin.TOTPRemover)), fx.As(new(identity.PINs)),
			fx.As(new(identity.Passwords)), fx.As(new(identity.TOTPs)), fx.As(new(identity.CredentialEraser))),
		fx.Annotate(NewSessionStore, fx.As(new(identity.Sessions)), fx.As(new(identity.SessionReads)),
			fx.As(new(admin.Sessions))),
		// One LISTEN connection tells both caches (verified sessions, the
		// viewers' accounts) and the restrictions' snapshot of changes.
		NewSessionWatcher,
		fx.Annotate(NewWatchHub, fx.As(new(identity.SessionWatcher)), fx.As(new(accounts.Watcher)),
			fx.As(new(perimeter.Watcher)), fx.As(new(platform.Watcher))),
		fx.Annotate(NewTicketStore, fx.As(new(identity.Tickets))),
		fx.Annotate(NewChallengeStore, fx.As(new(otp.Store))),
		fx.Annotate(NewRateLimiter, fx.As(new(ports.RateLimiter))),
		fx.Annotate(NewCaptchaFailures, fx.As(new(captcha.Failures))),
		fx.Annotate(NewActivityLog, fx.As(new(ports.ActivityLog)), fx.As(new(admin.RecentActivities))),
		fx.Annotate(NewPlatformStore, fx.As(new(platform.Store)), fx.As(new(platform.Changes)), fx.As(new(platform.Terms))),
		// One KYCStore is every store of the kyc module, and its batched
		// reads (the loaders).
		fx.Annotate(NewKYCStore, fx.As(new(kyc.Profiles)), fx.As(new(kyc.Documents)), fx.As(new(kyc.Submissions)),
			fx.As(new(kyc.Labels)), fx.As(new(kyc.Phones)), fx.As(new(kyc.UserReads))),
		fx.Annotate(NewPINResetStore, fx.As(new(pinreset.Resets))),
		fx.Annotate(NewAPIKeyStore, fx.As(new(apikeys.Keys)), fx.As(new(apikeys.Nonces))),
		fx.Annotate(NewBlobIntents, fx.As(new(ports.BlobIntents))),
		fx.Annotate(NewAccountStore, fx.As(new(accounts.Store))),
		fx.Annotate(NewPartnerAppStore, fx.As(new(partners.Apps))),
		fx.Annotate(NewUserDirectory, fx.As(new(admin.UserDirectory))),
		fx.Annotate(NewAuditTrail, fx.As(new(ports.AuditTrail)), fx.As(new(admin.AuditSearch))),
		fx.Annotate(NewMetricsStore, fx.As(new(admin.MetricsStore))),
		fx.Annotate(NewPermissionStore, fx.As(new(admin.PermissionStore))),
		fx.Annotate(NewPermissionWatcher, fx.As(new(admin.PermissionWatcher))),
		fx.Annotate(NewRestrictionStore, fx.As(new(perimeter.Store))),
		fx.Annotate(NewLevelRuleStore, fx.As(new(levelrules.Rules)), fx.As(new(levelrules.Jobs)),
			fx.As(new(levelrules.Users))),
	),
)
