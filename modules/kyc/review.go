package kyc

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/ports"
)

// Document types. SELFIE is the type of the selfie's document row.
const (
	DocNationalID      = "NATIONAL_ID"
	DocPassport        = "PASSPORT"
	DocDriverLicense   = "DRIVER_LICENSE"
	DocResidencePermit = "RESIDENCE_PERMIT"
	DocUtilityBill     = "UTILITY_BILL"
	DocSelfie          = "SELFIE"
)

// IdentityDocTypes are the document types that prove who someone is (a
// utility bill only proves an address).
var IdentityDocTypes = []string{DocNationalID, DocPassport, DocDriverLicense, DocResidencePermit}

// KYCStatus is where a user's review stands: the latest submission's
// status (NONE without one) and, when REJECTED, why.
type KYCStatus struct {
	Status Status
	Reason string
}

// Review is the compliance review of submissions: where a user's stands,
// the queue staff read, and their decisions, which set the labels the
// decision gives and text the user.
type Review struct {
	gate
	trail
	staffAudit
	views       viewer
	profiles    Profiles
	documents   Documents
	submissions Submissions
	users       Users
	labeler     labeler
	outbox      ports.Outbox
	tx          ports.TxRunner
	clock       ports.Clock
}

// NewReview returns the review use cases; callers and rules decide who
// may read a status and who may read the queue and decide (see gate).
func NewReview(cfg Config, profiles Profiles, documents Documents, submissions Submissions, labels Labels,
	users Users, callers ports.CallerSource, rules Rules, tx ports.TxRunner, clock ports.Clock, outbox ports.Outbox,
	activities ports.ActivityLog, audit ports.AuditTrail, log *slog.Logger) *Review {
	return &Review{gate: gate{callers: callers, rules: rules},
		trail:      trail{activities: activities, clock: clock, log: log},
		staffAudit: staffAudit{audit: audit, clock: clock}, views: newViewer(cfg, documents, rules, clock),
		profiles: profiles, documents: documents, submissions: submissions, users: users,
		labeler: labeler{store: labels, users: users, clock: clock}, outbox: outbox, tx: tx, clock: clock}
}

// KYCStatusOf returns a user's review status to the user or to staff.
// Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Review) KYCStatusOf(ctx context.Context, userID uuid.UUID) (KYCStatus, error) {
	if _, err := s.readerOf(ctx, opReadStatus, userID); err != nil {
		return KYCStatus{}, err
	}
	sub, err := readLatestSubmission(ctx, s.submissions, userID)
	if err != nil {
		return KYCStatus{}, err
	}
	if sub == nil {
		return KYCStatus{Status: StatusNone}, nil
	}
	st := KYCStatus{Status: sub.Status}
	if sub.Status == StatusRejected {
		st.Reason = sub.Reason
	}
	return st, nil
}

// SubmissionFilter selects submissions; zero fields do not filter.
type SubmissionFilter struct {
	Status  Status
	Country string
	From    *time.Time
	To      *time.Time
}

// SubmissionView is a submission with its document and selfie as the
// caller may see them.
type SubmissionView struct {
	Submission Submission
	Document   DocumentView
	Selfie     SelfieView
}

// SubmissionPage is one page of the review queue.
type SubmissionPage struct {
	Items   []SubmissionView
	Cursors []string
	HasNext bool
}

// ListSubmissions lists submissions oldest first for COMPLIANCE, ADMIN
// and SUPERADMIN; first is 1 to 100. Errors: UNAUTHENTICATED, FORBIDDEN,
// VALIDATION_FAILED.
func (s *Review) ListSubmissions(ctx context.Context, f SubmissionFilter, first int, after string) (SubmissionPage, error) {
	c, err := s.decider(ctx, "kycSubmissions")
	if err != nil {
		return SubmissionPage{}, err
	}
	q := SubmissionQuery{Status: f.Status, From: f.From, To: f.To, Limit: first + 1}
	var errs []error
	switch f.Status {
	case "", StatusPending, StatusApproved, StatusRejected:
	default:
		errs = append(errs, ports.InvalidField("status", "must be PENDING, APPROVED or REJECTED"))
	}
	if f.Country != "" {
		q.Country, err = contact.ValidateCountry("country", f.Country)
		errs = append(errs, err)
	}
	if f.From != nil && f.To != nil && !f.From.Before(*f.To) {
		errs = append(errs, ports.InvalidField("submittedTo", "must be after submittedFrom"))
	}
	at, id, hasAfter, err := ports.PageArgs(first, after)
	errs = append(errs, err)
	if hasAfter {
		q.After = &SubmissionCursor{SubmittedAt: at, ID: id}
	}
	if err := ports.MergeInvalid(errs...); err != nil {
		return SubmissionPage{}, err
	}
	subs, err := s.submissions.ListSubmissions(ctx, q)
	if err != nil {
		return SubmissionPage{}, err
	}
	page := SubmissionPage{Items: []SubmissionView{}, Cursors: []string{}}
	subs, page.HasNext = ports.TrimPage(subs, first)
	// The documents and selfies of the page, and then their files, are
	// read for every submission at once.
	expectSubmissionDocuments(ctx, subs)
	for _, sub := range subs {
		v, err := s.submissionView(ctx, c, sub)
		if err != nil {
			return SubmissionPage{}, err
		}
		page.Items = append(page.Items, v)
		page.Cursors = append(page.Cursors, ports.EncodeCursor(sub.SubmittedAt, sub.ID))
	}
	return page, nil
}

// GetSubmission returns one submission (nil when none) with file links.
// Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Review) GetSubmission(ctx context.Context, id uuid.UUID) (*SubmissionView, error) {
	c, err := s.decider(ctx, "kycSubmission")
	if err != nil {
		return nil, err
	}
	sub, err := s.submissions.GetSubmission(ctx, id)
	if isCode(err, ports.CodeNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v, err := s.submissionView(ctx, c, sub)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

func (s *Review) submissionView(ctx context.Context, c *ports.Caller, sub Submission) (SubmissionView, error) {
	v := SubmissionView{Submission: sub}
	doc, err := readDocument(ctx, s.documents, sub.DocumentID)
	if err != nil {
		return SubmissionView{}, err
	}
	if v.Document, err = s.views.documentView(ctx, c, doc); err != nil {
		return SubmissionView{}, err
	}
	selfie, err := readDocument(ctx, s.documents, sub.SelfieID)
	if err != nil {
		return SubmissionView{}, err
	}
	if v.Selfie, err = s.views.selfieView(ctx, c, selfie); err != nil {
		return SubmissionView{}, err
	}
	return v, nil
}

// ApproveSubmission approves a PENDING submission: the PRIVATE labels
// document=verified and selfie=verified are set and the level recomputed
// in the same transaction, and the user gets an SMS. Only a submission
// whose document and selfie are still the user's live ones, and whose
// user's profile is confirmed now, is approved.
// Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT (decided
// already, the documents changed since the submission, or the profile is
// no longer confirmed).
func (s *Review) ApproveSubmission(ctx context.Context, id uuid.UUID) (SubmissionView, error) {
	return s.decide(ctx, "approveKycSubmission", id, StatusApproved, "")
}

// RejectSubmission rejects a PENDING submission with a reason the user
// sees (1 to 500 characters); the document and selfie labels go. Errors:
// UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, VALIDATION_FAILED.
func (s *Review) RejectSubmission(ctx context.Context, id uuid.UUID, reason string) (SubmissionView, error) {
	return s.decide(ctx, "rejectKycSubmission", id, StatusRejected, reason)
}

func (s *Review) decide(ctx context.Context, operation string, id uuid.UUID, status Status, reason string) (SubmissionView, error) {
	c, err := s.decider(ctx, operation)
	if err != nil {
		return SubmissionView{}, err
	}
	if status == StatusRejected {
		if reason, err = reasonText("reason", reason); err != nil {
			return SubmissionView{}, err
		}
	}
	action := "submission.approve"
	if status == StatusRejected {
		action = "submission.reject"
	}
	sub, err := s.submissions.GetSubmission(ctx, id)
	if isCode(err, ports.CodeNotFound) {
		return SubmissionView{}, ports.Errorf(ports.CodeNotFound, "no such submission")
	}
	if err != nil {
		return SubmissionView{}, err
	}
	details := map[string]string{"submission": id.String()}
	if sub.UserID == c.UserID {
		err := ports.Errorf(ports.CodeForbidden, "you may not decide your own submission")
		s.recordStaff(ctx, c, sub.UserID, action, err, details)
		return SubmissionView{}, err
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.users.Lock(ctx, sub.UserID); err != nil {
			return err
		}
		if status == StatusApproved {
			if err := s.stillLive(ctx, sub); err != nil {
				return err
			}
			if err := s.stillConfirmed(ctx, sub.UserID); err != nil {
				return err
			}
		}
		decided, err := s.submissions.DecideSubmission(ctx, id, status, reason, c.UserID, s.clock.Now())
		if isCode(err, ports.CodeConflict) {
			return ports.Errorf(ports.CodeConflict, "this submission was decided already")
		}
		if err != nil {
			return err
		}
		sub = decided
		// The activities commit with the decision.
		if err := s.recordStaffTx(ctx, c, sub.UserID, action, nil, details); err != nil {
			return err
		}
		// The audit trail names the user whose submission it is.
		op := "approveKycSubmission"
		if status == StatusRejected {
			op = "rejectKycSubmission"
		}
		if err := s.recordAdminTx(ctx, c, sub.UserID, op, reason, map[string]any{"id": id.String(), "reason": reason}); err != nil {
			return err
		}
		b := s.labeler
		if status == StatusApproved {
			if _, err := b.apply(ctx, systemLabel(sub.UserID, LabelDocument, "Identity document approved by compliance")); err != nil {
				return err
			}
			if _, err = b.apply(ctx, systemLabel(sub.UserID, LabelSelfie, "Selfie approved by compliance")); err != nil {
				return err
			}
		} else {
			for _, key := range []string{LabelDocument, LabelSelfie} {
				if _, err := b.remove(ctx, sub.UserID, key); err != nil {
					return err
				}
			}
		}
		return s.queueDecision(ctx, sub)
	})
	if err != nil {
		s.recordStaff(ctx, c, sub.UserID, action, err, details)
		return SubmissionView{}, err
	}
	ports.MarkAudited(ctx)
	return s.submissionView(ctx, c, sub)
}

// stillLive refuses to approve a submission whose document or selfie the
// user has replaced since: staff would approve files they never saw.
func (s *Review) stillLive(ctx context.Context, sub Submission) error {
	docs, err := s.documents.LiveDocuments(ctx, sub.UserID)
	if err != nil {
		return err
	}
	doc, selfie := false, false
	for _, d := range docs {
		doc = doc || d.ID == sub.DocumentID
		selfie = selfie || d.ID == sub.SelfieID
	}
	if !doc || !selfie {
		return ports.Errorf(ports.CodeConflict, "the documents changed since this submission")
	}
	return nil
}

// stillConfirmed refuses to approve while the user's profile is not
// confirmed (staff unconfirmed it since the submission, so that its owner
// may correct it).
func (s *Review) stillConfirmed(ctx context.Context, userID uuid.UUID) error {
	p, err := storedProfile(ctx, s.profiles, userID)
	if err != nil {
		return err
	}
	if p == nil || p.ConfirmedAt == nil {
		return ports.Errorf(ports.CodeConflict, "the profile is no longer confirmed")
	}
	return nil
}
