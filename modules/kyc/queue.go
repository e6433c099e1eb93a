package kyc

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// reasonReplaced is the reason of a PENDING submission an upload replaced.
const reasonReplaced = "replaced by a newer upload"

// queue hands the user's live set to the review (resubmit): the uploads
// and the profile's confirmation call it inside their transactions.
type queue struct {
	profiles    Profiles
	documents   Documents
	submissions Submissions
	activities  ports.ActivityLog
	clock       ports.Clock
}

// resubmit keeps the review in step with the user's live set; call it
// inside the transaction that changed the set, after Users.Lock:
//   - a complete set (a confirmed profile, a live identity document, a
//     live selfie) is submitted when there is no submission yet;
//   - after a rejection, a complete set is submitted again only when it
//     differs from the rejected one: another identity document or selfie,
//     or a profile confirmed or changed since the rejection. The very set
//     staff rejected is not queued again (an upload of a utility bill or
//     a staff confirm of the same profile changes nothing);
//   - while a submission is PENDING, a set with another document or
//     selfie, or a confirmed profile whose content changed since the
//     submission, supersedes it: the old one is REJECTED (reasonReplaced,
//     decided by the user whose change replaced it) and the new one is
//     PENDING;
//   - after an approval, another identity document or selfie, or a
//     confirmed profile whose content changed since the approved
//     submission, is reviewed again (a new PENDING submission; the labels
//     stay until the decision), so no change goes unreviewed.
//
// A utility bill is not part of the set and changes nothing by itself.
func (s queue) resubmit(ctx context.Context, userID uuid.UUID) error {
	set, err := s.completeSet(ctx, userID)
	if err != nil || set.sub == nil {
		return err
	}
	sub, complete := set.sub, set.complete
	latest, err := s.submissions.LatestSubmission(ctx, userID)
	details := map[string]string{"submission": sub.ID.String()}
	sameFiles := err == nil && latest.DocumentID == sub.DocumentID && latest.SelfieID == sub.SelfieID
	switch {
	case isCode(err, ports.CodeNotFound):
		if !complete {
			return nil
		}
	case err != nil:
		return err
	case latest.Status == StatusRejected:
		if !complete || (sameFiles && !set.profileNewerThan(latest.DecidedAt)) {
			return nil // nothing new since the rejection
		}
	case sameFiles && !(complete && set.profileChangedAfter(latest.SubmittedAt)):
		return nil // this very set is under review or approved
	case latest.Status == StatusApproved:
		// Reviewed again even when staff have unconfirmed the profile
		// since: a replaced document must not keep an approval unseen.
		details["reviewAfter"] = latest.ID.String()
	case latest.Status == StatusPending:
		if _, err := s.submissions.DecideSubmission(ctx, latest.ID, StatusRejected, reasonReplaced, userID,
			s.clock.Now()); err != nil {
			return err
		}
		details["replaces"] = latest.ID.String()
	}
	if sub.Country == "" && err == nil {
		sub.Country = latest.Country
	}
	if err := s.submissions.CreateSubmission(ctx, *sub); err != nil {
		return err
	}
	// The activity commits with the submission.
	return s.activities.Record(ctx, ports.NewActivity(ctx, &userID, "KYC", "submission.create", nil, details,
		s.clock.Now()))
}

// liveSubmission is what the user's live set would submit.
type liveSubmission struct {
	// sub is the submission of the live identity document and selfie
	// (nil when either is missing).
	sub *Submission
	// complete: the profile is confirmed too.
	complete bool
	profile  *Profile
}

// profileNewerThan says whether the profile was confirmed, or its content
// changed, after at (nil: never).
func (l liveSubmission) profileNewerThan(at *time.Time) bool {
	if l.profile == nil || at == nil {
		return false
	}
	p := l.profile
	return l.profileChangedAfter(*at) || (p.ConfirmedAt != nil && p.ConfirmedAt.After(*at))
}

// profileChangedAfter says whether the profile's content changed after at
// (UpdatedAt moves only when the content does; see UpsertMyProfile).
func (l liveSubmission) profileChangedAfter(at time.Time) bool {
	return l.profile != nil && l.profile.UpdatedAt.After(at)
}

// completeSet returns the submission the user's live identity document
// and selfie make, and whether the set is complete.
func (s queue) completeSet(ctx context.Context, userID uuid.UUID) (liveSubmission, error) {
	p, err := storedProfile(ctx, s.profiles, userID)
	if err != nil {
		return liveSubmission{}, err
	}
	doc, selfie, err := s.liveSet(ctx, userID)
	if err != nil || doc == nil || selfie == nil {
		return liveSubmission{}, err
	}
	sub := &Submission{ID: uuid.Must(uuid.NewV7()), UserID: userID, Status: StatusPending,
		DocumentID: doc.ID, SelfieID: selfie.ID, SubmittedAt: s.clock.Now()}
	if p != nil {
		sub.Country = p.Country
	}
	return liveSubmission{sub: sub, complete: p != nil && p.ConfirmedAt != nil, profile: p}, nil
}

// liveSet returns the user's newest live identity document and live
// selfie (nil when none).
func (s queue) liveSet(ctx context.Context, userID uuid.UUID) (doc, selfie *Document, err error) {
	docs, err := s.documents.LiveDocuments(ctx, userID)
	if err != nil {
		return nil, nil, err
	}
	for i := range docs {
		d := &docs[i]
		switch {
		case d.Type == DocSelfie:
			selfie = d
		case isIdentityDoc(d.Type) && (doc == nil || d.CreatedAt.After(doc.CreatedAt)):
			doc = d
		}
	}
	return doc, selfie, nil
}

func isIdentityDoc(t string) bool {
	for _, x := range IdentityDocTypes {
		if x == t {
			return true
		}
	}
	return false
}
