package kyc

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// Each service is built from what it uses; the app binds each interface
// to its provider (adapters/postgres's KYCStore is every store and the
// UserReads).

type personalDataDeps struct {
	fx.In

	Profiles    Profiles
	Documents   Documents
	Submissions Submissions
	Labels      Labels
	Users       Users
	Callers     ports.CallerSource
	Rules       Rules
	Tx          ports.TxRunner
	Clock       ports.Clock
	Activities  ports.ActivityLog
	Audit       ports.AuditTrail
	Log         *slog.Logger
}

func providePersonalData(d personalDataDeps) *PersonalData {
	return NewPersonalData(d.Profiles, d.Documents, d.Submissions, d.Labels, d.Users, d.Callers, d.Rules, d.Tx,
		d.Clock, d.Activities, d.Audit, d.Log)
}

type phonesDeps struct {
	fx.In

	Phones     Phones
	Labels     Labels
	Users      Users
	Codes      Codes
	Callers    ports.CallerSource
	Rules      Rules
	Tx         ports.TxRunner
	Clock      ports.Clock
	Activities ports.ActivityLog
	Log        *slog.Logger
}

func providePhones(d phonesDeps) *PhoneNumbers {
	return NewPhoneNumbers(d.Phones, d.Labels, d.Users, d.Codes, d.Callers, d.Rules, d.Tx, d.Clock, d.Activities,
		d.Log)
}

type labellingDeps struct {
	fx.In

	Labels     Labels
	Users      Users
	Callers    ports.CallerSource
	Rules      Rules
	Tx         ports.TxRunner
	Clock      ports.Clock
	Activities ports.ActivityLog
	Audit      ports.AuditTrail
	Log        *slog.Logger
}

func provideLabelling(d labellingDeps) *Labelling {
	return NewLabelling(d.Labels, d.Users, d.Callers, d.Rules, d.Tx, d.Clock, d.Activities, d.Audit, d.Log)
}

type uploadsDeps struct {
	fx.In

	Config      Config
	Documents   Documents
	Profiles    Profiles
	Submissions Submissions
	Users       Users
	Callers     ports.CallerSource
	Tx          ports.TxRunner
	Clock       ports.Clock
	Blobs       ports.BlobStore
	// Intents is optional: without it there is no orphan sweep.
	Intents    ports.BlobIntents `optional:"true"`
	Limiter    ports.RateLimiter
	Activities ports.ActivityLog
	Log        *slog.Logger
}

func provideUploads(d uploadsDeps) *Uploads {
	return NewUploads(d.Config, d.Documents, d.Profiles, d.Submissions, d.Users, d.Callers, d.Tx, d.Clock, d.Blobs,
		d.Intents, d.Limiter, d.Activities, d.Log)
}

type filesDeps struct {
	fx.In

	Config     Config
	Documents  Documents
	Users      Users
	Callers    ports.CallerSource
	Rules      Rules
	Clock      ports.Clock
	Blobs      ports.BlobStore
	Activities ports.ActivityLog
	Log        *slog.Logger
}

func provideFiles(d filesDeps) *Files {
	return NewFiles(d.Config, d.Documents, d.Users, d.Callers, d.Rules, d.Clock, d.Blobs, d.Activities, d.Log)
}

type reviewDeps struct {
	fx.In

	Config      Config
	Profiles    Profiles
	Documents   Documents
	Submissions Submissions
	Labels      Labels
	Users       Users
	Callers     ports.CallerSource
	Rules       Rules
	Tx          ports.TxRunner
	Clock       ports.Clock
	Outbox      ports.Outbox
	Activities  ports.ActivityLog
	Audit       ports.AuditTrail
	Log         *slog.Logger
}

func provideReview(d reviewDeps) *Review {
	return NewReview(d.Config, d.Profiles, d.Documents, d.Submissions, d.Labels, d.Users, d.Callers, d.Rules, d.Tx,
		d.Clock, d.Outbox, d.Activities, d.Audit, d.Log)
}

type resetFilesDeps struct {
	fx.In

	Config      Config
	Documents   Documents
	Submissions Submissions
	Users       Users
	Tx          ports.TxRunner
	Clock       ports.Clock
	Blobs       ports.BlobStore
	// Intents is optional, as for Uploads.
	Intents ports.BlobIntents `optional:"true"`
	Log     *slog.Logger
}

func provideResetFiles(d resetFilesDeps) *ResetFiles {
	return NewResetFiles(d.Config, d.Documents, d.Submissions, d.Users, d.Tx, d.Clock, d.Blobs, d.Intents, d.Log)
}

type loadersDeps struct {
	fx.In

	Reads   UserReads
	Callers ports.CallerSource
	Rules   Rules
}

func provideLoaders(d loadersDeps) *Loaders { return NewLoaders(d.Reads, d.Callers, d.Rules) }

type services struct {
	fx.In

	PersonalData *PersonalData
	Phones       *PhoneNumbers
	Labels       *Labelling
	Uploads      *Uploads
	Files        *Files
	Review       *Review
	ResetFiles   *ResetFiles
	Loaders      *Loaders
}

func provideServices(s services) Services {
	return Services{PersonalData: s.PersonalData, Phones: s.Phones, Labels: s.Labels, Uploads: s.Uploads,
		Files: s.Files, Review: s.Review, ResetFiles: s.ResetFiles, Loaders: s.Loaders}
}

// Module provides the KYC services (each alone, and together as Services
// for the resolvers) and its user hook (in the "user_hooks" group identity
// calls); the app supplies Config, binds kyc's interfaces (the stores,
// Users, UserReads, Codes, Rules) and the ports, and binds the services
// to what other modules declare they need of KYC (accounts' KYCStatuses
// to Review, pinreset's Documents to ResetFiles).
var Module = fx.Module("kyc",
	fx.Provide(providePersonalData, providePhones, provideLabelling, provideUploads, provideFiles, provideReview,
		provideResetFiles, provideLoaders, provideServices,
		fx.Annotate(NewHook, fx.As(new(identity.UserHook)), fx.ResultTags(`group:"user_hooks"`))))
