package kyc_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestApproveRaisesLevel(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u := e.user(ports.RoleMember, "+447911123456")
	u.Email = "ada@example.com"
	require.NoError(t, e.hook.OnUserEvent(ctx, identity.UserEvent{Kind: identity.UserActivated, User: u}))
	compliance := e.user(ports.RoleCompliance, "")
	sub := e.submitted(u)
	require.Equal(t, 2, e.level(u))

	for _, who := range []identity.User{u, e.user(ports.RoleSupport, ""), e.user(ports.RoleAccountant, "")} {
		_, err := e.svc.Review.ApproveSubmission(e.as(who), sub.ID)
		errtest.Code(t, err, ports.CodeForbidden, who.Role)
	}

	v, err := e.svc.Review.ApproveSubmission(e.as(compliance), sub.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.StatusApproved, v.Submission.Status)
	require.NotNil(t, v.Submission.DecidedAt)
	require.NotEmpty(t, v.Document.Front.URL, "compliance gets links")
	require.Equal(t, 3, e.level(u))
	for _, key := range []string{kyc.LabelDocument, kyc.LabelSelfie} {
		l, err := e.store.GetLabel(ctx, u.ID, key)
		require.NoError(t, err)
		require.Equal(t, kyc.ScopePrivate, l.Scope)
	}
	require.Len(t, e.sms.MessagesTo(u.Phone), 1)
	require.Contains(t, e.sms.MessagesTo(u.Phone)[0].Text, "kyc_approved")
	require.Len(t, e.activities.WithAction("submission.approve"), 2, "one row for the staff member, one for the user")
	st, err := e.svc.Review.KYCStatusOf(e.as(u), u.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.KYCStatus{Status: kyc.StatusApproved}, st)

	_, err = e.svc.Review.RejectSubmission(e.as(compliance), sub.ID, "too late")
	errtest.Code(t, err, ports.CodeConflict, "decided already")
	_, err = e.svc.Review.ApproveSubmission(e.as(compliance), sub.ID)
	errtest.Code(t, err, ports.CodeConflict)
	require.Equal(t, 3, e.level(u))

	// After approval a utility bill submits nothing (a new identity
	// document or selfie does: TestReReviewAfterApproval).
	_, err = e.svc.Uploads.UploadDocument(e.as(u), kyc.DocumentInput{Type: kyc.DocUtilityBill, Number: "INV-1", Front: up(jpegOf(t, 8, 8))})
	require.NoError(t, err)
	latest, err := e.store.LatestSubmission(ctx, u.ID)
	require.NoError(t, err)
	require.Equal(t, sub.ID, latest.ID)
	require.Equal(t, kyc.StatusApproved, latest.Status)

	_, err = e.svc.Review.ApproveSubmission(e.as(compliance), [16]byte{9})
	errtest.Code(t, err, ports.CodeNotFound)
}

func TestRejectAndResubmit(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u := e.user(ports.RoleMember, "") // no phone: no SMS
	admin := e.user(ports.RoleAdmin, "")
	sub := e.submitted(u)

	_, err := e.svc.Review.RejectSubmission(e.as(admin), sub.ID, "  ")
	require.Equal(t, map[string]string{"reason": "is required"}, errtest.Fields(t, err))
	v, err := e.svc.Review.RejectSubmission(e.as(admin), sub.ID, "The photo is blurred")
	require.NoError(t, err)
	require.Equal(t, kyc.StatusRejected, v.Submission.Status)
	require.Empty(t, e.sms.Messages())
	st, err := e.svc.Review.KYCStatusOf(e.as(u), u.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.KYCStatus{Status: kyc.StatusRejected, Reason: "The photo is blurred"}, st)

	e.clock.Advance(time.Hour)
	e.uploadSelfie(u)
	next, err := e.store.LatestSubmission(ctx, u.ID)
	require.NoError(t, err)
	require.NotEqual(t, sub.ID, next.ID)
	require.Equal(t, kyc.StatusPending, next.Status)
	st, err = e.svc.Review.KYCStatusOf(e.as(u), u.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.KYCStatus{Status: kyc.StatusPending}, st, "the old reason is gone")
}

func TestRejectRemovesDecisionLabels(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u := e.user(ports.RoleMember, "+447911123456")
	u.Email = "ada@example.com"
	require.NoError(t, e.hook.OnUserEvent(ctx, identity.UserEvent{Kind: identity.UserActivated, User: u}))
	compliance := e.user(ports.RoleCompliance, "")
	sub := e.submitted(u)
	// Staff had set the labels by hand before the decision.
	for _, key := range []string{kyc.LabelDocument, kyc.LabelSelfie} {
		require.NoError(t, kyc.ApplySystemLabel(ctx, e.svc.Labels, u.ID, key))
	}
	require.Equal(t, 3, e.level(u))
	_, err := e.svc.Review.RejectSubmission(e.as(compliance), sub.ID, "Document expired")
	require.NoError(t, err)
	require.Equal(t, 2, e.level(u))
	require.Contains(t, e.sms.MessagesTo(u.Phone)[0].Text, "kyc_rejected")
}

func TestConcurrentDecisionsOneWins(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	a, b := e.user(ports.RoleCompliance, ""), e.user(ports.RoleAdmin, "")
	sub := e.submitted(u)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	start := make(chan struct{})
	for i, who := range []identity.User{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if i == 0 {
				_, errs[i] = e.svc.Review.ApproveSubmission(e.as(who), sub.ID)
			} else {
				_, errs[i] = e.svc.Review.RejectSubmission(e.as(who), sub.ID, "no")
			}
		}()
	}
	close(start)
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
		} else {
			errtest.Code(t, err, ports.CodeConflict)
		}
	}
	require.Equal(t, 1, wins)
}

func TestNoDecidingOwnSubmission(t *testing.T) {
	e := newEnv(t)
	c := e.user(ports.RoleCompliance, "")
	sub := e.submitted(c)
	_, err := e.svc.Review.ApproveSubmission(e.as(c), sub.ID)
	errtest.Code(t, err, ports.CodeForbidden)
}

func TestListSubmissions(t *testing.T) {
	e := newEnv(t)
	compliance := e.user(ports.RoleCompliance, "")
	var subs []kyc.Submission
	for range 3 {
		subs = append(subs, e.submitted(e.user(ports.RoleMember, "")))
		e.clock.Advance(time.Minute)
	}
	_, err := e.svc.Review.ApproveSubmission(e.as(compliance), subs[1].ID)
	require.NoError(t, err)

	page, err := e.svc.Review.ListSubmissions(e.as(compliance), kyc.SubmissionFilter{Status: kyc.StatusPending}, 1, "")
	require.NoError(t, err)
	require.True(t, page.HasNext)
	require.Len(t, page.Items, 1)
	require.Equal(t, subs[0].ID, page.Items[0].Submission.ID, "oldest first")
	require.NotEmpty(t, page.Items[0].Selfie.Image.URL)
	page, err = e.svc.Review.ListSubmissions(e.as(compliance), kyc.SubmissionFilter{Status: kyc.StatusPending}, 1, page.Cursors[0])
	require.NoError(t, err)
	require.False(t, page.HasNext)
	require.Equal(t, subs[2].ID, page.Items[0].Submission.ID)

	page, err = e.svc.Review.ListSubmissions(e.as(compliance), kyc.SubmissionFilter{Country: "fr"}, 10, "")
	require.NoError(t, err)
	require.Empty(t, page.Items)
	from := t0.Add(30 * time.Second)
	page, err = e.svc.Review.ListSubmissions(e.as(compliance), kyc.SubmissionFilter{From: &from}, 10, "")
	require.NoError(t, err)
	require.Len(t, page.Items, 2)

	_, err = e.svc.Review.ListSubmissions(e.as(compliance), kyc.SubmissionFilter{Status: kyc.StatusNone, Country: "XX"}, 0, "!!")
	require.Equal(t, map[string]string{"status": "must be PENDING, APPROVED or REJECTED",
		"country": "must be an ISO 3166-1 alpha-2 country code, e.g. GB", "first": "must be between 1 and 100",
		"after": "is not a cursor from this list"}, errtest.Fields(t, err))
	_, err = e.svc.Review.ListSubmissions(e.as(e.user(ports.RoleSupport, "")), kyc.SubmissionFilter{}, 10, "")
	errtest.Code(t, err, ports.CodeForbidden)

	got, err := e.svc.Review.GetSubmission(e.as(compliance), subs[2].ID)
	require.NoError(t, err)
	require.Equal(t, subs[2].ID, got.Submission.ID)
	got, err = e.svc.Review.GetSubmission(e.as(compliance), [16]byte{3})
	require.NoError(t, err)
	require.Nil(t, got)
}

func TestReadRules(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	e.submitted(u)
	_, err := e.svc.PersonalData.PutMyDataRecord(e.as(u), "tax", map[string]any{"tin": "123"})
	require.NoError(t, err)

	type view struct {
		docs   []kyc.DocumentView
		selfie *kyc.SelfieView
	}
	read := func(who identity.User) (view, error) {
		ctx := e.as(who)
		var v view
		var err error
		if _, err = e.svc.PersonalData.ProfileOf(ctx, u.ID); err != nil {
			return v, err
		}
		if _, err = e.svc.Review.KYCStatusOf(ctx, u.ID); err != nil {
			return v, err
		}
		if _, err = e.svc.Phones.PhonesOf(ctx, u.ID); err != nil {
			return v, err
		}
		if _, err = e.svc.Labels.LabelsOf(ctx, u.ID); err != nil {
			return v, err
		}
		if _, err = e.svc.PersonalData.DataRecordsOf(ctx, u.ID); err != nil {
			return v, err
		}
		if v.docs, err = e.svc.Files.DocumentsOf(ctx, u.ID); err != nil {
			return v, err
		}
		v.selfie, err = e.svc.Files.SelfieOf(ctx, u.ID)
		return v, err
	}
	_, err = read(e.user(ports.RoleMember, ""))
	errtest.Code(t, err, ports.CodeForbidden, "another user")
	_, err = read(e.user(ports.RoleAccountant, ""))
	errtest.Code(t, err, ports.CodeForbidden, "an accountant")
	_, err = e.svc.PersonalData.ProfileOf(context.Background(), u.ID)
	errtest.Code(t, err, ports.CodeUnauthenticated)

	for role, links := range map[string]bool{ports.RoleMember: false, ports.RoleSupport: false,
		ports.RoleCompliance: true, ports.RoleAdmin: true, ports.RoleSuperadmin: true} {
		who := u
		if role != ports.RoleMember {
			who = e.user(role, "")
		}
		v, err := read(who)
		require.NoError(t, err, role)
		require.Len(t, v.docs, 1)
		require.NotNil(t, v.selfie)
		if links {
			require.NotEmpty(t, v.docs[0].Front.URL, role)
			require.Equal(t, t0.Add(e.cfg.LinkTTL), *v.docs[0].Front.URLExpiresAt)
			require.NotEmpty(t, v.selfie.Image.URL, role)
		} else {
			require.Empty(t, v.docs[0].Front.URL, role)
			require.Nil(t, v.docs[0].Front.URLExpiresAt, role)
			require.Empty(t, v.selfie.Image.URL, role)
		}
	}
}

func TestReReviewAfterApproval(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u := e.user(ports.RoleMember, "+447911123456")
	u.Email = "ada@example.com"
	require.NoError(t, e.hook.OnUserEvent(ctx, identity.UserEvent{Kind: identity.UserActivated, User: u}))
	compliance := e.user(ports.RoleCompliance, "")
	sub := e.submitted(u)
	_, err := e.svc.Review.ApproveSubmission(e.as(compliance), sub.ID)
	require.NoError(t, err)
	require.Equal(t, 3, e.level(u))

	// Someone with the user's session replaces the selfie: it is reviewed.
	e.clock.Advance(time.Hour)
	selfie := e.uploadSelfie(u)
	next, err := e.store.LatestSubmission(ctx, u.ID)
	require.NoError(t, err)
	require.NotEqual(t, sub.ID, next.ID)
	require.Equal(t, kyc.StatusPending, next.Status)
	require.Equal(t, selfie.Document.ID, next.SelfieID)
	require.Equal(t, sub.DocumentID, next.DocumentID)
	require.Equal(t, "GB", next.Country)
	st, err := e.svc.Review.KYCStatusOf(e.as(u), u.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.KYCStatus{Status: kyc.StatusPending}, st)
	created := e.activities.WithAction("submission.create")
	require.Equal(t, sub.ID.String(), created[len(created)-1].Details["reviewAfter"])
	old, err := e.store.GetSubmission(ctx, sub.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.StatusApproved, old.Status, "the earlier decision stays on record")
	require.Equal(t, 3, e.level(u), "the labels stay until the decision")

	// A new identity document while the re-review is PENDING supersedes it.
	e.uploadPassport(u)
	third, err := e.store.LatestSubmission(ctx, u.ID)
	require.NoError(t, err)
	require.NotEqual(t, next.ID, third.ID)
	replaced, err := e.store.GetSubmission(ctx, next.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.StatusRejected, replaced.Status)
	require.Equal(t, "replaced by a newer upload", replaced.Reason)
	_, err = e.svc.Review.ApproveSubmission(e.as(compliance), next.ID)
	errtest.Code(t, err, ports.CodeConflict, "a superseded submission cannot be approved")

	// Rejecting the re-review removes the labels.
	_, err = e.svc.Review.RejectSubmission(e.as(compliance), third.ID, "This is not the same person")
	require.NoError(t, err)
	require.Equal(t, 2, e.level(u))
	st, err = e.svc.Review.KYCStatusOf(e.as(u), u.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.KYCStatus{Status: kyc.StatusRejected, Reason: "This is not the same person"}, st)
}

func TestReReviewAfterApprovalWithoutConfirmedProfile(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u := e.user(ports.RoleMember, "")
	compliance := e.user(ports.RoleCompliance, "")
	sub := e.submitted(u)
	_, err := e.svc.Review.ApproveSubmission(e.as(compliance), sub.ID)
	require.NoError(t, err)
	// Staff unconfirm the profile; a later selfie is still reviewed.
	_, err = e.svc.PersonalData.UpdateUserProfile(e.as(compliance), u.ID, goodProfile(), false)
	require.NoError(t, err)
	e.uploadSelfie(u)
	next, err := e.store.LatestSubmission(ctx, u.ID)
	require.NoError(t, err)
	require.NotEqual(t, sub.ID, next.ID)
	require.Equal(t, kyc.StatusPending, next.Status)
}

func TestApproveRefusesReplacedDocuments(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u := e.user(ports.RoleMember, "")
	compliance := e.user(ports.RoleCompliance, "")
	sub := e.submitted(u)
	// The live selfie changes behind the submission's back (no resubmit).
	live, err := e.store.LiveDocuments(ctx, u.ID)
	require.NoError(t, err)
	var selfie kyc.Document
	for _, d := range live {
		if d.Type == kyc.DocSelfie {
			selfie = d
		}
	}
	e.clock.Advance(time.Minute)
	selfie.ID, selfie.CreatedAt = uuid.New(), e.clock.Now()
	require.NoError(t, e.store.ReplaceDocument(ctx, selfie))

	_, err = e.svc.Review.ApproveSubmission(e.as(compliance), sub.ID)
	errtest.Code(t, err, ports.CodeConflict)
	require.Contains(t, err.Error(), "the documents changed since this submission")
	got, err := e.store.GetSubmission(ctx, sub.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.StatusPending, got.Status)
	_, err = e.store.GetLabel(ctx, u.ID, kyc.LabelSelfie)
	errtest.Code(t, err, ports.CodeNotFound, "no label for a selfie nobody saw")
	// Rejecting it still works.
	_, err = e.svc.Review.RejectSubmission(e.as(compliance), sub.ID, "Please upload again")
	require.NoError(t, err)
}

func TestStaffActionsHideStaffFromUser(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u := e.user(ports.RoleMember, "")
	compliance := e.user(ports.RoleCompliance, "")
	sub := e.submitted(u)
	_, err := e.svc.PersonalData.PutMyDataRecord(e.as(u), "tax", map[string]any{"tin": "123"})
	require.NoError(t, err)
	staffCtx := ports.WithRequestMeta(e.as(compliance), ports.RequestMeta{IP: "203.0.113.7", UserAgent: "StaffBrowser/1"})

	_, err = e.svc.Review.ApproveSubmission(staffCtx, sub.ID)
	require.NoError(t, err)
	_, err = e.svc.PersonalData.UpdateUserProfile(staffCtx, u.ID, goodProfile(), true)
	require.NoError(t, err)
	ok, err := e.svc.PersonalData.DeleteUserDataRecord(staffCtx, u.ID, "tax", "cleanup")
	require.NoError(t, err)
	require.True(t, ok)
	_, err = e.svc.Review.RejectSubmission(staffCtx, sub.ID, "again")
	errtest.Code(t, err, ports.CodeConflict, "a failed action is recorded the same way")

	for _, action := range []string{"submission.approve", "profile.staff_update", "data_record.delete", "submission.reject"} {
		rows := e.activities.WithAction(action)
		require.Len(t, rows, 2, action)
		var mine, theirs *ports.Activity
		for i := range rows {
			switch *rows[i].UserID {
			case compliance.ID:
				mine = &rows[i]
			case u.ID:
				theirs = &rows[i]
			}
		}
		require.NotNil(t, mine, action)
		require.NotNil(t, theirs, action)
		require.Equal(t, "203.0.113.7", mine.IP, action)
		require.Equal(t, "StaffBrowser/1", mine.UserAgent, action)
		require.Equal(t, u.ID.String(), mine.Details["userId"], action)
		require.Empty(t, theirs.IP, action)
		require.Empty(t, theirs.UserAgent, action)
		require.Equal(t, ports.RoleCompliance, theirs.Details["by"], action)
		for k, v := range theirs.Details {
			require.NotContains(t, v, compliance.ID.String(), "%s: details[%s] names the staff member", action, k)
		}
		require.Equal(t, mine.Result, theirs.Result, action)
	}
	// What the user reads of their own activity holds no staff IP.
	list, err := e.activities.List(ctx, ports.ActivityQuery{UserID: u.ID, Limit: 100})
	require.NoError(t, err)
	require.NotEmpty(t, list)
	for _, a := range list {
		require.NotEqual(t, "203.0.113.7", a.IP, a.Action)
		require.NotEqual(t, "StaffBrowser/1", a.UserAgent, a.Action)
	}
}

func TestStaffMayNotEditOwnKYC(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, role := range []string{ports.RoleCompliance, ports.RoleAdmin, ports.RoleSuperadmin} {
		staff := e.user(role, "")
		_, err := e.svc.PersonalData.UpsertMyProfile(e.as(staff), goodProfile(), false)
		require.NoError(t, err)
		_, err = e.svc.PersonalData.PutMyDataRecord(e.as(staff), "note", map[string]any{"a": "b"})
		require.NoError(t, err)

		_, err = e.svc.PersonalData.UpdateUserProfile(e.as(staff), staff.ID, goodProfile(), true)
		errtest.Code(t, err, ports.CodeForbidden, role)
		p, err := e.store.GetProfile(ctx, staff.ID)
		require.NoError(t, err)
		require.Nil(t, p.ConfirmedAt, "%s confirmed their own profile", role)
		_, err = e.store.GetLabel(ctx, staff.ID, kyc.LabelProfile)
		errtest.Code(t, err, ports.CodeNotFound, role)

		ok, err := e.svc.PersonalData.DeleteUserDataRecord(e.as(staff), staff.ID, "note", "cleanup")
		errtest.Code(t, err, ports.CodeForbidden, role)
		require.False(t, ok)
		recs, err := e.store.ListDataRecords(ctx, staff.ID)
		require.NoError(t, err)
		require.Len(t, recs, 1, role)
	}
}
