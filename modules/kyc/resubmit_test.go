package kyc_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func (e *env) status(u identity.User) kyc.KYCStatus {
	e.t.Helper()
	st, err := e.svc.Review.KYCStatusOf(e.as(u), u.ID)
	require.NoError(e.t, err)
	return st
}

func (e *env) latest(u identity.User) kyc.Submission {
	e.t.Helper()
	sub, err := e.store.LatestSubmission(context.Background(), u.ID)
	require.NoError(e.t, err)
	return sub
}

// After a rejection, only something new is queued again: the very set
// staff rejected is not.
func TestRejectedSetIsNotResubmittedUnchanged(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	compliance := e.user(ports.RoleCompliance, "")
	sub := e.submitted(u)
	_, err := e.svc.Review.RejectSubmission(e.as(compliance), sub.ID, "The photo is blurred")
	require.NoError(t, err)
	rejected := kyc.KYCStatus{Status: kyc.StatusRejected, Reason: "The photo is blurred"}

	e.clock.Advance(time.Hour)
	_, err = e.svc.Uploads.UploadDocument(e.as(u), kyc.DocumentInput{Type: kyc.DocUtilityBill, Number: "INV-1",
		Front: up(jpegOf(t, 8, 8))})
	require.NoError(t, err)
	require.Equal(t, rejected, e.status(u), "a utility bill is no answer to the rejection")
	require.Equal(t, sub.ID, e.latest(u).ID)

	_, err = e.svc.PersonalData.UpdateUserProfile(e.as(compliance), u.ID, goodProfile(), true)
	require.NoError(t, err)
	require.Equal(t, rejected, e.status(u), "a staff confirm of the same profile queues nothing")
	require.Equal(t, sub.ID, e.latest(u).ID)

	// The owner corrects the profile: staff unconfirm it, the owner
	// confirms it again. That is new: reviewed again.
	_, err = e.svc.PersonalData.UpdateUserProfile(e.as(compliance), u.ID, goodProfile(), false)
	require.NoError(t, err)
	e.clock.Advance(time.Hour)
	e.confirmProfile(u)
	next := e.latest(u)
	require.NotEqual(t, sub.ID, next.ID)
	require.Equal(t, kyc.StatusPending, next.Status)
	require.Equal(t, sub.DocumentID, next.DocumentID)
}

func TestRejectedThenNewSelfieIsResubmitted(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	compliance := e.user(ports.RoleCompliance, "")
	sub := e.submitted(u)
	_, err := e.svc.Review.RejectSubmission(e.as(compliance), sub.ID, "The photo is blurred")
	require.NoError(t, err)
	e.clock.Advance(time.Hour)
	selfie := e.uploadSelfie(u)
	next := e.latest(u)
	require.Equal(t, kyc.StatusPending, next.Status)
	require.Equal(t, selfie.Document.ID, next.SelfieID)
}

// Staff unconfirm an approved profile, the owner rewrites who they are and
// confirms: the new profile is reviewed, not silently approved.
func TestProfileRewriteAfterApprovalIsReviewed(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "+447911123456")
	compliance := e.user(ports.RoleCompliance, "")
	sub := e.submitted(u)
	_, err := e.svc.Review.ApproveSubmission(e.as(compliance), sub.ID)
	require.NoError(t, err)

	e.clock.Advance(time.Hour)
	_, err = e.svc.PersonalData.UpdateUserProfile(e.as(compliance), u.ID, goodProfile(), false)
	require.NoError(t, err)
	// Unconfirming alone, or confirming the same content, is no change.
	e.clock.Advance(time.Hour)
	e.confirmProfile(u)
	require.Equal(t, kyc.KYCStatus{Status: kyc.StatusApproved}, e.status(u))
	require.Equal(t, sub.ID, e.latest(u).ID)

	_, err = e.svc.PersonalData.UpdateUserProfile(e.as(compliance), u.ID, goodProfile(), false)
	require.NoError(t, err)
	e.clock.Advance(time.Hour)
	in := goodProfile()
	in.FirstName, in.DateOfBirth, in.Country = "Mallory", "1970-01-01", "fr"
	_, err = e.svc.PersonalData.UpsertMyProfile(e.as(u), in, false)
	require.NoError(t, err)
	e.clock.Advance(time.Hour)
	_, err = e.svc.PersonalData.UpsertMyProfile(e.as(u), in, true)
	require.NoError(t, err)
	require.Equal(t, kyc.KYCStatus{Status: kyc.StatusPending}, e.status(u))
	next := e.latest(u)
	require.NotEqual(t, sub.ID, next.ID)
	require.Equal(t, "FR", next.Country)

	// While that is PENDING, another rewrite supersedes it.
	_, err = e.svc.PersonalData.UpdateUserProfile(e.as(compliance), u.ID, in, false)
	require.NoError(t, err)
	e.clock.Advance(time.Hour)
	in.FirstName = "Eve"
	_, err = e.svc.PersonalData.UpsertMyProfile(e.as(u), in, true)
	require.NoError(t, err)
	third := e.latest(u)
	require.NotEqual(t, next.ID, third.ID)
	replaced, err := e.store.GetSubmission(context.Background(), next.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.StatusRejected, replaced.Status)
	_, err = e.svc.Review.ApproveSubmission(e.as(compliance), third.ID)
	require.NoError(t, err)
}

func TestApproveNeedsAConfirmedProfile(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	compliance := e.user(ports.RoleCompliance, "")
	sub := e.submitted(u)
	_, err := e.svc.PersonalData.UpdateUserProfile(e.as(compliance), u.ID, goodProfile(), false)
	require.NoError(t, err)
	_, err = e.svc.Review.ApproveSubmission(e.as(compliance), sub.ID)
	errtest.Code(t, err, ports.CodeConflict)
	require.Contains(t, err.Error(), "the profile is no longer confirmed")
	require.Equal(t, kyc.StatusPending, e.latest(u).Status)
}

func TestProfileTimestamps(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	compliance := e.user(ports.RoleCompliance, "")
	p, err := e.svc.PersonalData.UpsertMyProfile(e.as(u), goodProfile(), false)
	require.NoError(t, err)
	require.Equal(t, t0, p.CreatedAt)
	require.Equal(t, t0, p.UpdatedAt)

	e.clock.Advance(time.Hour)
	in := goodProfile()
	in.City = "Bath"
	_, err = e.svc.PersonalData.UpsertMyProfile(e.as(u), in, false)
	require.NoError(t, err)
	got, err := e.svc.PersonalData.MyProfile(e.as(u))
	require.NoError(t, err)
	require.Equal(t, t0, got.CreatedAt, "created once")
	require.Equal(t, t0.Add(time.Hour), got.UpdatedAt)

	e.clock.Advance(time.Hour)
	_, err = e.svc.PersonalData.UpsertMyProfile(e.as(u), in, true)
	require.NoError(t, err)
	got, err = e.svc.PersonalData.ProfileOf(e.as(compliance), u.ID)
	require.NoError(t, err)
	require.Equal(t, t0.Add(time.Hour), got.UpdatedAt, "confirming changes no content")
	require.Equal(t, t0.Add(2*time.Hour), *got.ConfirmedAt)

	e.clock.Advance(time.Hour)
	in.Postcode = "BA1 1AA"
	_, err = e.svc.PersonalData.UpdateUserProfile(e.as(compliance), u.ID, in, true)
	require.NoError(t, err)
	got, err = e.svc.PersonalData.ProfileOf(e.as(compliance), u.ID)
	require.NoError(t, err)
	require.Equal(t, t0, got.CreatedAt)
	require.Equal(t, t0.Add(3*time.Hour), got.UpdatedAt)
}

// Staff never get a link to their own files: they must not review their
// own KYC.
func TestNoLinksToOnesOwnFiles(t *testing.T) {
	e := newEnv(t)
	compliance := e.user(ports.RoleCompliance, "")
	admin := e.user(ports.RoleAdmin, "")
	doc := e.uploadPassport(compliance)
	require.Empty(t, doc.Front.URL, "not even in the upload's answer")
	selfie := e.uploadSelfie(compliance)
	require.Empty(t, selfie.Image.URL)
	docs, err := e.svc.Files.DocumentsOf(e.as(compliance), compliance.ID)
	require.NoError(t, err)
	require.Empty(t, docs[0].Front.URL)
	require.Nil(t, docs[0].Front.URLExpiresAt)
	f, err := e.svc.Files.FileByID(e.as(compliance), doc.Front.File.ID)
	require.NoError(t, err)
	require.Empty(t, f.URL)
	// Another staff member gets one.
	docs, err = e.svc.Files.DocumentsOf(e.as(admin), compliance.ID)
	require.NoError(t, err)
	require.NotEmpty(t, docs[0].Front.URL)
}

// A link stops working when the staff member it names may no longer read
// files.
func TestSignedLinkNeedsAStaffMemberWhoStillReadsFiles(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	compliance := e.user(ports.RoleCompliance, "")
	e.uploadPassport(u)
	docs, err := e.svc.Files.DocumentsOf(e.as(compliance), u.ID)
	require.NoError(t, err)
	id, exp, staff, sig := parseLink(t, docs[0].Front.URL)
	ctx := context.Background()
	_, _, err = e.svc.Files.OpenSignedFile(ctx, id, exp, staff, sig)
	require.NoError(t, err)

	users := &promotedUsers{UserStore: e.users, roles: map[uuid.UUID]string{}}
	e.parts.users = users
	e.rebuild()
	for _, role := range []string{ports.RoleSupport, ports.RoleMember, "ACCOUNTANT"} {
		users.roles[compliance.ID] = role
		_, _, err = e.svc.Files.OpenSignedFile(ctx, id, exp, staff, sig)
		errtest.Code(t, err, ports.CodeNotFound, role)
	}
	delete(users.roles, compliance.ID)
	require.NoError(t, e.users.SetState(ctx, compliance.ID, "SUSPENDED", t0))
	_, _, err = e.svc.Files.OpenSignedFile(ctx, id, exp, staff, sig)
	errtest.Code(t, err, ports.CodeNotFound, "suspended")

	// A link signed for an id that is no user at all.
	ghost := "00000000-0000-4000-8000-000000000001"
	_, _, err = e.svc.Files.OpenSignedFile(ctx, id, exp, ghost, kyc.LinkSig(e.svc.Files, id, exp, ghost))
	errtest.Code(t, err, ports.CodeNotFound, "no such staff member")
	require.Len(t, e.activities.WithAction("file.open"), 1, "only the good opening is recorded")
}
