// Package kyc knows who users are: profiles, identity documents and
// selfies, phones, labels and the levels they give, the compliance review
// of submissions and extra data records. The PIN reset by ID document
// (modules/pinreset) stores its document and selfie through this module
// (reset_files.go).
// It reaches identity's users only through an interface it declares (Users)
// and the ports (CallerSource).
package kyc

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// Config bounds what the KYC module accepts.
type Config struct {
	// Files bounds each uploaded file.
	Files FileLimits
	// LinkKey signs the short-lived links staff open files with (32 bytes).
	LinkKey []byte
	// LinkTTL is how long a signed file link works.
	LinkTTL time.Duration
	// UploadsPerHour limits file uploads per user.
	UploadsPerHour int
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{Files: DefaultFileLimits(), LinkTTL: 5 * time.Minute, UploadsPerHour: 60}
}

// Codes issues and checks the one-time codes that prove a phone (the otp
// module's service).
type Codes interface {
	Start(ctx context.Context, r otp.StartRequest) (otp.ChallengeView, error)
	// Destination returns the phone of an open challenge without touching
	// it. Errors: NOT_FOUND, INVALID_CODE, TOO_MANY_ATTEMPTS, CODE_EXPIRED.
	Destination(ctx context.Context, id uuid.UUID, purpose otp.Purpose) (string, error)
	// VerifyThen runs then, on a right code, inside the transaction that
	// consumes the challenge: if then fails, the code is not spent and
	// nothing then wrote stays.
	VerifyThen(ctx context.Context, id uuid.UUID, purpose otp.Purpose, code string,
		then func(ctx context.Context, v otp.Verified) error) (otp.Verified, error)
}

// deps are what the KYC service is built from (NewService's arguments).
type deps struct {
	profiles    Profiles
	documents   Documents
	submissions Submissions
	labels      Labels
	phones      Phones
	users       Users
	callers     ports.CallerSource
	tx          ports.TxRunner
	clock       ports.Clock
	codes       Codes
	blobs       ports.BlobStore
	// intents, when set, records each object before it is written, so
	// that none outlives a failed transaction (SweepOrphanBlobs).
	intents    ports.BlobIntents
	sms        ports.SMSSender
	limiter    ports.RateLimiter
	activities ports.ActivityLog
	// audit keeps the staff audit trail (staff label and record changes).
	audit ports.AuditTrail
	// reads, when set, reads the KYC fields of many users at once for the
	// per-request loaders (WithLoaders).
	reads UserReads
	// rules are the permission rows' answer to what a role may do.
	rules Rules
	log   *slog.Logger
}

// Service is the KYC use cases.
type Service struct {
	cfg Config
	deps
}

// NewService returns the KYC service. stores are usually one value that is
// every store (adapters/postgres's KYCStore, kyctest's Store). intents may
// be nil (no orphan sweep) and so may reads (the per-request loaders then
// read one user at a time).
func NewService(cfg Config, stores Stores, users Users, callers ports.CallerSource, tx ports.TxRunner, clock ports.Clock,
	codes Codes, blobs ports.BlobStore, intents ports.BlobIntents, sms ports.SMSSender,
	limiter ports.RateLimiter, activities ports.ActivityLog, audit ports.AuditTrail, reads UserReads, rules Rules,
	log *slog.Logger) *Service {
	return &Service{cfg: cfg, deps: deps{profiles: stores.Profiles, documents: stores.Documents,
		submissions: stores.Submissions, labels: stores.Labels, phones: stores.Phones,
		users: users, callers: callers, tx: tx, clock: clock, codes: codes, blobs: blobs, intents: intents, sms: sms,
		limiter: limiter, activities: activities, audit: audit, reads: reads, rules: rules, log: log}}
}

// The operations of the permission rows that let a role read any user's
// KYC data, field by field (a user reads their own by the owner rule).
const (
	opReadProfile   = "User.profile"
	opReadStatus    = "User.kycStatus"
	opReadLabels    = "User.labels" // PRIVATE ones included
	opReadPhones    = "User.phones"
	opReadDocuments = "User.documents"
	opReadSelfie    = "User.selfie"
	opReadRecords   = "User.dataRecords"
	// opFileLinks lets a role have links to the files of others.
	opFileLinks = "KycFile.url"
)

// caller returns the signed-in caller; UNAUTHENTICATED when anonymous.
func (s *Service) caller(ctx context.Context) (*ports.Caller, error) {
	c, err := s.callers.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, ports.Errorf(ports.CodeUnauthenticated, "sign in first")
	}
	return c, nil
}

// record writes an activity; a failure is logged, never returned.
func (s *Service) record(ctx context.Context, userID *uuid.UUID, action string, err error, details map[string]string) {
	a := ports.NewActivity(ctx, userID, "KYC", action, err, details, s.clock.Now())
	if rerr := s.activities.Record(ctx, a); rerr != nil {
		s.log.ErrorContext(ctx, "activity not recorded", "action", action, "err", rerr)
	}
}
