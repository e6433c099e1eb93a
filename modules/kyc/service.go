// Package kyc knows who users are: profiles, identity documents and
// selfies, phones, labels and the levels they give, the compliance review
// of submissions and extra data records. The PIN reset by ID document
// (modules/pinreset) stores its document and selfie through this module
// (reset_files.go).
// It reaches identity's users only through an interface it declares (Users)
// and the ports (CallerSource).
//
// Each use case is its own small service (PersonalData, PhoneNumbers,
// Labelling, Uploads, Files, Review, ResetFiles, Loaders), built from the
// few interfaces it uses, so a reader meets a handful of methods at a
// time; what several share (the caller and rules gate, the activity rows,
// the labeler, the review queue, the upload pipeline, file views) is a
// small unexported helper each embeds.
package kyc

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/staffrule"
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

// Services are the KYC use cases, one service each, as the resolvers and
// the app reach them.
type Services struct {
	PersonalData *PersonalData
	Phones       *PhoneNumbers
	Labels       *Labelling
	Uploads      *Uploads
	Files        *Files
	Review       *Review
	ResetFiles   *ResetFiles
	Loaders      *Loaders
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

// signedIn returns the signed-in caller; UNAUTHENTICATED when anonymous.
func signedIn(ctx context.Context, callers ports.CallerSource) (*ports.Caller, error) {
	c, err := callers.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, ports.Errorf(ports.CodeUnauthenticated, "sign in first")
	}
	return c, nil
}

// gate lets a caller through by the owner rule or the permission rows;
// the services that read or change other users' KYC data start with it.
type gate struct {
	callers ports.CallerSource
	// rules are the permission rows' answer to what a role may do.
	rules Rules
}

// caller returns the signed-in caller; UNAUTHENTICATED when anonymous.
func (g gate) caller(ctx context.Context) (*ports.Caller, error) { return signedIn(ctx, g.callers) }

// readerOf lets through the user and the roles whose rows allow operation
// (one of the opRead* fields), and returns the caller. Errors:
// UNAUTHENTICATED, FORBIDDEN.
func (g gate) readerOf(ctx context.Context, operation string, userID uuid.UUID) (*ports.Caller, error) {
	c, err := g.caller(ctx)
	if err != nil {
		return nil, err
	}
	if c.UserID != userID && !g.rules.Allowed(c.Role, operation) {
		return nil, ports.Errorf(ports.CodeForbidden, "you may not read this user's KYC data")
	}
	return c, nil
}

// decider returns the caller when the permission rows let their role do
// operation (a staff root field: the review queues and decisions, staff
// labels and data records). The rows are the one source of truth for
// roles: an ALLOW row widens who may, a DENY row narrows it.
func (g gate) decider(ctx context.Context, operation string) (*ports.Caller, error) {
	return staffrule.Caller(ctx, g.callers, g.rules, operation)
}

// trail writes the activity rows of KYC's use cases.
type trail struct {
	activities ports.ActivityLog
	clock      ports.Clock
	log        *slog.Logger
}

// record writes an activity; a failure is logged, never returned.
func (t trail) record(ctx context.Context, userID *uuid.UUID, action string, err error, details map[string]string) {
	a := ports.NewActivity(ctx, userID, "KYC", action, err, details, t.clock.Now())
	if rerr := t.activities.Record(ctx, a); rerr != nil {
		t.log.ErrorContext(ctx, "activity not recorded", "action", action, "err", rerr)
	}
}
