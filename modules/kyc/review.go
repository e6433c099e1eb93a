package kyc

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
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
	Status string
	Reason string
}

// KYCStatusOf returns a user's review status to the user or to staff.
// Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Service) KYCStatusOf(ctx context.Context, userID uuid.UUID) (KYCStatus, error) {
	if _, err := s.readerOf(ctx, userID); err != nil {
		return KYCStatus{}, err
	}
	sub, err := s.Store.LatestSubmission(ctx, userID)
	if isCode(err, ports.CodeNotFound) {
		return KYCStatus{Status: ports.KYCNone}, nil
	}
	if err != nil {
		return KYCStatus{}, err
	}
	st := KYCStatus{Status: sub.Status}
	if sub.Status == ports.KYCRejected {
		st.Reason = sub.Reason
	}
	return st, nil
}

// maybeSubmit hands the user's set to review when it is complete (a
// confirmed profile, a live identity document, a live selfie), nothing is
// PENDING and the latest decision is not an approval. It runs after the
// change that completed the set has committed; a failure is logged (the
// next upload or confirm tries again).
func (s *Service) maybeSubmit(ctx context.Context, userID uuid.UUID) {
	var created *ports.KYCSubmission
	err := s.Tx.InTx(ctx, func(ctx context.Context) error {
		created = nil
		sub, ok, err := s.completeSet(ctx, userID)
		if err != nil || !ok {
			return err
		}
		latest, err := s.Store.LatestSubmission(ctx, userID)
		switch {
		case isCode(err, ports.CodeNotFound):
		case err != nil:
			return err
		case latest.Status == ports.KYCPending || latest.Status == ports.KYCApproved:
			return nil
		}
		if err := s.Store.CreateSubmission(ctx, sub); err != nil {
			if isCode(err, ports.CodeConflict) {
				return nil // another request submitted it
			}
			return err
		}
		created = &sub
		return nil
	})
	if err != nil {
		s.Log.ErrorContext(ctx, "KYC submission not created", "user", userID, "err", err)
		return
	}
	if created != nil {
		s.record(ctx, &userID, "submission.create", nil, map[string]string{"submission": created.ID.String()})
	}
}

// completeSet returns the submission the user's current set makes, and
// whether the set is complete.
func (s *Service) completeSet(ctx context.Context, userID uuid.UUID) (ports.KYCSubmission, bool, error) {
	p, err := s.profile(ctx, userID)
	if err != nil || p == nil || p.ConfirmedAt == nil {
		return ports.KYCSubmission{}, false, err
	}
	docs, err := s.Store.LiveDocuments(ctx, userID)
	if err != nil {
		return ports.KYCSubmission{}, false, err
	}
	var doc, selfie *ports.Document
	for i := range docs {
		d := &docs[i]
		switch {
		case d.Type == DocSelfie:
			selfie = d
		case isIdentityDoc(d.Type) && (doc == nil || d.CreatedAt.After(doc.CreatedAt)):
			doc = d
		}
	}
	if doc == nil || selfie == nil {
		return ports.KYCSubmission{}, false, nil
	}
	return ports.KYCSubmission{ID: uuid.Must(uuid.NewV7()), UserID: userID, Status: ports.KYCPending, Country: p.Country,
		DocumentID: doc.ID, SelfieID: selfie.ID, SubmittedAt: s.Clock.Now()}, true, nil
}

func isIdentityDoc(t string) bool {
	for _, x := range IdentityDocTypes {
		if x == t {
			return true
		}
	}
	return false
}

// SubmissionFilter selects submissions; zero fields do not filter.
type SubmissionFilter struct {
	Status  string
	Country string
	From    *time.Time
	To      *time.Time
}

// SubmissionView is a submission with its document and selfie as the
// caller may see them.
type SubmissionView struct {
	Submission ports.KYCSubmission
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
func (s *Service) ListSubmissions(ctx context.Context, f SubmissionFilter, first int, after string) (SubmissionPage, error) {
	c, err := s.decider(ctx)
	if err != nil {
		return SubmissionPage{}, err
	}
	q := ports.SubmissionQuery{Status: f.Status, From: f.From, To: f.To, Limit: first + 1}
	var errs []error
	switch f.Status {
	case "", ports.KYCPending, ports.KYCApproved, ports.KYCRejected:
	default:
		errs = append(errs, ports.InvalidField("status", "must be PENDING, APPROVED or REJECTED"))
	}
	if f.Country != "" {
		q.Country, err = identity.ValidateCountry("country", f.Country)
		errs = append(errs, err)
	}
	if f.From != nil && f.To != nil && !f.From.Before(*f.To) {
		errs = append(errs, ports.InvalidField("submittedTo", "must be after submittedFrom"))
	}
	if first < 1 || first > 100 {
		errs = append(errs, ports.InvalidField("first", "must be between 1 and 100"))
	}
	if after != "" {
		at, id, err := ports.DecodeCursor(after)
		errs = append(errs, err)
		q.After = &ports.SubmissionCursor{SubmittedAt: at, ID: id}
	}
	if err := ports.MergeInvalid(errs...); err != nil {
		return SubmissionPage{}, err
	}
	subs, err := s.Store.ListSubmissions(ctx, q)
	if err != nil {
		return SubmissionPage{}, err
	}
	page := SubmissionPage{HasNext: len(subs) > first, Items: []SubmissionView{}, Cursors: []string{}}
	if page.HasNext {
		subs = subs[:first]
	}
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
func (s *Service) GetSubmission(ctx context.Context, id uuid.UUID) (*SubmissionView, error) {
	c, err := s.decider(ctx)
	if err != nil {
		return nil, err
	}
	sub, err := s.Store.GetSubmission(ctx, id)
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

func (s *Service) submissionView(ctx context.Context, c *ports.Caller, sub ports.KYCSubmission) (SubmissionView, error) {
	v := SubmissionView{Submission: sub}
	doc, err := s.Store.GetDocument(ctx, sub.DocumentID)
	if err != nil {
		return SubmissionView{}, err
	}
	if v.Document, err = s.documentView(ctx, c, doc); err != nil {
		return SubmissionView{}, err
	}
	selfie, err := s.Store.GetDocument(ctx, sub.SelfieID)
	if err != nil {
		return SubmissionView{}, err
	}
	if v.Selfie, err = s.selfieView(ctx, c, selfie); err != nil {
		return SubmissionView{}, err
	}
	return v, nil
}

// ApproveSubmission approves a PENDING submission: the PRIVATE labels
// document=verified and selfie=verified are set and the level recomputed
// in the same transaction, and the user gets an SMS. Errors:
// UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT (decided already).
func (s *Service) ApproveSubmission(ctx context.Context, id uuid.UUID) (SubmissionView, error) {
	return s.decide(ctx, id, ports.KYCApproved, "")
}

// RejectSubmission rejects a PENDING submission with a reason the user
// sees (1 to 500 characters); the document and selfie labels go. Errors:
// UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, VALIDATION_FAILED.
func (s *Service) RejectSubmission(ctx context.Context, id uuid.UUID, reason string) (SubmissionView, error) {
	return s.decide(ctx, id, ports.KYCRejected, reason)
}

func (s *Service) decide(ctx context.Context, id uuid.UUID, status, reason string) (SubmissionView, error) {
	c, err := s.decider(ctx)
	if err != nil {
		return SubmissionView{}, err
	}
	if status == ports.KYCRejected {
		if reason, err = text("reason", reason, 1, 500); err != nil {
			return SubmissionView{}, err
		}
	}
	action := "submission.approve"
	if status == ports.KYCRejected {
		action = "submission.reject"
	}
	sub, err := s.Store.GetSubmission(ctx, id)
	if isCode(err, ports.CodeNotFound) {
		return SubmissionView{}, ports.Errorf(ports.CodeNotFound, "no such submission")
	}
	if err != nil {
		return SubmissionView{}, err
	}
	if sub.UserID == c.UserID {
		err := ports.Errorf(ports.CodeForbidden, "you may not decide your own submission")
		s.record(ctx, &sub.UserID, action, err, map[string]string{"submission": id.String(), "by": c.UserID.String()})
		return SubmissionView{}, err
	}
	details := map[string]string{"submission": id.String(), "by": c.UserID.String()}
	err = s.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		sub, err = s.Store.DecideSubmission(ctx, id, status, reason, c.UserID, s.Clock.Now())
		if isCode(err, ports.CodeConflict) {
			return ports.Errorf(ports.CodeConflict, "this submission was decided already")
		}
		if err != nil {
			return err
		}
		// The activity commits with the decision.
		err = s.Activities.Record(ctx, ports.NewActivity(ctx, &sub.UserID, "KYC", action, nil, details, s.Clock.Now()))
		if err != nil {
			return err
		}
		b := s.labeler()
		if status == ports.KYCApproved {
			if _, err := b.apply(ctx, systemLabel(sub.UserID, LabelDocument, "Identity document approved by compliance")); err != nil {
				return err
			}
			_, err = b.apply(ctx, systemLabel(sub.UserID, LabelSelfie, "Selfie approved by compliance"))
			return err
		}
		for _, key := range []string{LabelDocument, LabelSelfie} {
			if _, err := b.remove(ctx, sub.UserID, key); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.record(ctx, &sub.UserID, action, err, details)
		return SubmissionView{}, err
	}
	s.notifyDecision(ctx, sub)
	return s.submissionView(ctx, c, sub)
}

// notifyDecision texts the user the decision; a failure is only logged.
func (s *Service) notifyDecision(ctx context.Context, sub ports.KYCSubmission) {
	u, err := s.Users.GetByID(ctx, sub.UserID)
	if err != nil {
		s.Log.ErrorContext(ctx, "KYC decision not notified", "user", sub.UserID, "err", err)
		return
	}
	if u.Phone == "" {
		return
	}
	msg := "Gatehouse: your identity verification was approved."
	if sub.Status == ports.KYCRejected {
		msg = "Gatehouse: your identity verification was not approved. Open the app to see why and submit again."
	}
	if err := s.SMS.SendSMS(ctx, u.Phone, msg); err != nil {
		s.Log.ErrorContext(ctx, "KYC decision SMS not sent", "user", sub.UserID, "err", err)
	}
}

// decider returns the caller when they may read files and decide reviews.
func (s *Service) decider(ctx context.Context) (*ports.Caller, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return nil, err
	}
	if !ports.RoleIn(c.Role, kycDeciders...) {
		return nil, ports.Errorf(ports.CodeForbidden, "only compliance staff may do this")
	}
	return c, nil
}
