package kyc

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/ports"
)

func TestApproveRaisesLevel(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u := e.user(ports.RoleMember, "+447911123456")
	u.Email = "ada@example.com"
	require.NoError(t, e.hook.OnUserEvent(ctx, ports.UserEvent{Kind: ports.UserActivated, User: u}))
	compliance := e.user(ports.RoleCompliance, "")
	sub := e.submitted(u)
	require.Equal(t, 2, e.level(u))

	for _, who := range []ports.User{u, e.user(ports.RoleSupport, ""), e.user(ports.RoleAccountant, "")} {
		_, err := e.svc.ApproveSubmission(e.as(who), sub.ID)
		require.Equal(t, ports.CodeForbidden, code(t, err), who.Role)
	}

	v, err := e.svc.ApproveSubmission(e.as(compliance), sub.ID)
	require.NoError(t, err)
	require.Equal(t, ports.KYCApproved, v.Submission.Status)
	require.NotNil(t, v.Submission.DecidedAt)
	require.NotEmpty(t, v.Document.Front.URL, "compliance gets links")
	require.Equal(t, 3, e.level(u))
	for _, key := range []string{LabelDocument, LabelSelfie} {
		l, err := e.store.GetLabel(ctx, u.ID, key)
		require.NoError(t, err)
		require.Equal(t, ports.ScopePrivate, l.Scope)
	}
	require.Len(t, e.sms.MessagesTo(u.Phone), 1)
	require.Contains(t, e.sms.MessagesTo(u.Phone)[0].Text, "approved")
	require.Len(t, e.activities.WithAction("submission.approve"), 1)
	st, err := e.svc.KYCStatusOf(e.as(u), u.ID)
	require.NoError(t, err)
	require.Equal(t, KYCStatus{Status: ports.KYCApproved}, st)

	_, err = e.svc.RejectSubmission(e.as(compliance), sub.ID, "too late")
	require.Equal(t, ports.CodeConflict, code(t, err), "decided already")
	_, err = e.svc.ApproveSubmission(e.as(compliance), sub.ID)
	require.Equal(t, ports.CodeConflict, code(t, err))
	require.Equal(t, 3, e.level(u))

	// After approval a new upload submits nothing.
	e.uploadSelfie(u)
	latest, err := e.store.LatestSubmission(ctx, u.ID)
	require.NoError(t, err)
	require.Equal(t, sub.ID, latest.ID)

	_, err = e.svc.ApproveSubmission(e.as(compliance), [16]byte{9})
	require.Equal(t, ports.CodeNotFound, code(t, err))
}

func TestRejectAndResubmit(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u := e.user(ports.RoleMember, "") // no phone: no SMS
	admin := e.user(ports.RoleAdmin, "")
	sub := e.submitted(u)

	_, err := e.svc.RejectSubmission(e.as(admin), sub.ID, "  ")
	require.Equal(t, map[string]string{"reason": "is required"}, fields(t, err))
	v, err := e.svc.RejectSubmission(e.as(admin), sub.ID, "The photo is blurred")
	require.NoError(t, err)
	require.Equal(t, ports.KYCRejected, v.Submission.Status)
	require.Empty(t, e.sms.Messages())
	st, err := e.svc.KYCStatusOf(e.as(u), u.ID)
	require.NoError(t, err)
	require.Equal(t, KYCStatus{Status: ports.KYCRejected, Reason: "The photo is blurred"}, st)

	e.clock.Advance(time.Hour)
	e.uploadSelfie(u)
	next, err := e.store.LatestSubmission(ctx, u.ID)
	require.NoError(t, err)
	require.NotEqual(t, sub.ID, next.ID)
	require.Equal(t, ports.KYCPending, next.Status)
	st, err = e.svc.KYCStatusOf(e.as(u), u.ID)
	require.NoError(t, err)
	require.Equal(t, KYCStatus{Status: ports.KYCPending}, st, "the old reason is gone")
}

func TestRejectRemovesDecisionLabels(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u := e.user(ports.RoleMember, "+447911123456")
	u.Email = "ada@example.com"
	require.NoError(t, e.hook.OnUserEvent(ctx, ports.UserEvent{Kind: ports.UserActivated, User: u}))
	compliance := e.user(ports.RoleCompliance, "")
	sub := e.submitted(u)
	// Staff had set the labels by hand before the decision.
	for _, key := range []string{LabelDocument, LabelSelfie} {
		_, err := e.svc.labeler().apply(ctx, systemLabel(u.ID, key, ""))
		require.NoError(t, err)
	}
	require.Equal(t, 3, e.level(u))
	_, err := e.svc.RejectSubmission(e.as(compliance), sub.ID, "Document expired")
	require.NoError(t, err)
	require.Equal(t, 2, e.level(u))
	require.Contains(t, e.sms.MessagesTo(u.Phone)[0].Text, "not approved")
}

func TestConcurrentDecisionsOneWins(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	a, b := e.user(ports.RoleCompliance, ""), e.user(ports.RoleAdmin, "")
	sub := e.submitted(u)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	start := make(chan struct{})
	for i, who := range []ports.User{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if i == 0 {
				_, errs[i] = e.svc.ApproveSubmission(e.as(who), sub.ID)
			} else {
				_, errs[i] = e.svc.RejectSubmission(e.as(who), sub.ID, "no")
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
			require.Equal(t, ports.CodeConflict, ports.ErrorCodeOf(err))
		}
	}
	require.Equal(t, 1, wins)
}

func TestNoDecidingOwnSubmission(t *testing.T) {
	e := newEnv(t)
	c := e.user(ports.RoleCompliance, "")
	sub := e.submitted(c)
	_, err := e.svc.ApproveSubmission(e.as(c), sub.ID)
	require.Equal(t, ports.CodeForbidden, code(t, err))
}

func TestListSubmissions(t *testing.T) {
	e := newEnv(t)
	compliance := e.user(ports.RoleCompliance, "")
	var subs []ports.KYCSubmission
	for range 3 {
		subs = append(subs, e.submitted(e.user(ports.RoleMember, "")))
		e.clock.Advance(time.Minute)
	}
	_, err := e.svc.ApproveSubmission(e.as(compliance), subs[1].ID)
	require.NoError(t, err)

	page, err := e.svc.ListSubmissions(e.as(compliance), SubmissionFilter{Status: ports.KYCPending}, 1, "")
	require.NoError(t, err)
	require.True(t, page.HasNext)
	require.Len(t, page.Items, 1)
	require.Equal(t, subs[0].ID, page.Items[0].Submission.ID, "oldest first")
	require.NotEmpty(t, page.Items[0].Selfie.Image.URL)
	page, err = e.svc.ListSubmissions(e.as(compliance), SubmissionFilter{Status: ports.KYCPending}, 1, page.Cursors[0])
	require.NoError(t, err)
	require.False(t, page.HasNext)
	require.Equal(t, subs[2].ID, page.Items[0].Submission.ID)

	page, err = e.svc.ListSubmissions(e.as(compliance), SubmissionFilter{Country: "fr"}, 10, "")
	require.NoError(t, err)
	require.Empty(t, page.Items)
	from := t0.Add(30 * time.Second)
	page, err = e.svc.ListSubmissions(e.as(compliance), SubmissionFilter{From: &from}, 10, "")
	require.NoError(t, err)
	require.Len(t, page.Items, 2)

	_, err = e.svc.ListSubmissions(e.as(compliance), SubmissionFilter{Status: ports.KYCNone, Country: "XX"}, 0, "!!")
	require.Equal(t, map[string]string{"status": "must be PENDING, APPROVED or REJECTED",
		"country": "must be an ISO 3166-1 alpha-2 country code, e.g. GB", "first": "must be between 1 and 100",
		"after": "is not a cursor from this list"}, fields(t, err))
	_, err = e.svc.ListSubmissions(e.as(e.user(ports.RoleSupport, "")), SubmissionFilter{}, 10, "")
	require.Equal(t, ports.CodeForbidden, code(t, err))

	got, err := e.svc.GetSubmission(e.as(compliance), subs[2].ID)
	require.NoError(t, err)
	require.Equal(t, subs[2].ID, got.Submission.ID)
	got, err = e.svc.GetSubmission(e.as(compliance), [16]byte{3})
	require.NoError(t, err)
	require.Nil(t, got)
}

func TestReadRules(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	e.submitted(u)
	_, err := e.svc.PutMyDataRecord(e.as(u), "tax", map[string]any{"tin": "123"})
	require.NoError(t, err)

	type view struct {
		docs   []DocumentView
		selfie *SelfieView
	}
	read := func(who ports.User) (view, error) {
		ctx := e.as(who)
		var v view
		var err error
		if _, err = e.svc.ProfileOf(ctx, u.ID); err != nil {
			return v, err
		}
		if _, err = e.svc.KYCStatusOf(ctx, u.ID); err != nil {
			return v, err
		}
		if _, err = e.svc.PhonesOf(ctx, u.ID); err != nil {
			return v, err
		}
		if _, err = e.svc.LabelsOf(ctx, u.ID); err != nil {
			return v, err
		}
		if _, err = e.svc.DataRecordsOf(ctx, u.ID); err != nil {
			return v, err
		}
		if v.docs, err = e.svc.DocumentsOf(ctx, u.ID); err != nil {
			return v, err
		}
		v.selfie, err = e.svc.SelfieOf(ctx, u.ID)
		return v, err
	}
	_, err = read(e.user(ports.RoleMember, ""))
	require.Equal(t, ports.CodeForbidden, code(t, err), "another user")
	_, err = read(e.user(ports.RoleAccountant, ""))
	require.Equal(t, ports.CodeForbidden, code(t, err), "an accountant")
	_, err = e.svc.ProfileOf(context.Background(), u.ID)
	require.Equal(t, ports.CodeUnauthenticated, code(t, err))

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
