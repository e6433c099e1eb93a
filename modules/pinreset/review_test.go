package pinreset_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestPINResetDecisionsAreForComplianceStaff(t *testing.T) {
	e := newPinResetEnv(t)
	_, id := e.pending(pinResetPhone)

	_, err := e.svc.Review.Approve(e.ctx(), id)
	errtest.Code(t, err, ports.CodeUnauthenticated)
	for _, role := range []string{ports.RoleMember, ports.RoleSupport, ports.RoleAccountant, ports.RolePartner} {
		ctx, _ := e.as(role)
		_, err := e.svc.Review.Approve(ctx, id)
		errtest.Code(t, err, ports.CodeForbidden)
		_, err = e.svc.Review.Reject(ctx, id, "no")
		errtest.Code(t, err, ports.CodeForbidden)
		_, err = e.svc.Review.List(ctx, "", 10, "")
		errtest.Code(t, err, ports.CodeForbidden)
	}
	r, err := e.resets.Get(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, pinreset.PendingReview, r.Status, "nothing changed")

	// A staff member never decides their own reset.
	own := context.WithValue(e.ctx(), pinResetCallerKey{}, &ports.Caller{UserID: r.UserID, Role: ports.RoleAdmin})
	_, err = e.svc.Review.Approve(own, id)
	errtest.Code(t, err, ports.CodeForbidden)

	admin, _ := e.as(ports.RoleAdmin)
	_, err = e.svc.Review.Reject(admin, id, "")
	require.Contains(t, errtest.Code(t, err, ports.CodeValidationFailed).Fields, "reason")
	_, err = e.svc.Review.Approve(admin, uuid.New())
	errtest.Code(t, err, ports.CodeNotFound)

	rejected, err := e.svc.Review.Reject(admin, id, "The selfie is too dark.")
	require.NoError(t, err)
	require.Equal(t, pinreset.Rejected, rejected.Status)
	msgs := e.sms.MessagesTo(pinResetPhone)
	require.Contains(t, msgs[len(msgs)-1].Text, "pinreset_rejected")
	super, _ := e.as(ports.RoleSuperadmin)
	_, err = e.svc.Review.Approve(super, id)
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "REJECTED")
}

func TestPINResetConcurrentDecisionsOneWins(t *testing.T) {
	e := newPinResetEnv(t)
	_, id := e.pending(pinResetPhone)
	e.sms.FailWith(errors.New("provider down")) // a failed text does not undo the decision
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, _ := e.as(ports.RoleCompliance)
			if i%2 == 0 {
				_, errs[i] = e.svc.Review.Approve(ctx, id)
			} else {
				_, errs[i] = e.svc.Review.Reject(ctx, id, "unclear")
			}
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
			continue
		}
		errtest.Code(t, err, ports.CodeConflict)
	}
	require.Equal(t, 1, wins)
	// One decision: recorded once under the staff member (with their
	// address) and once under the user (without it).
	decided := append(e.activities.WithAction("pin_reset.approved"), e.activities.WithAction("pin_reset.rejected")...)
	require.Len(t, decided, 2)
	require.Equal(t, decided[0].Action, decided[1].Action)
	for _, a := range decided {
		if a.UserID != nil && a.Details["by"] != "" {
			require.Empty(t, a.IP, "the user's row has no staff address")
		}
	}
}

func TestPINResetStaffCannotDecideAnExpiredReset(t *testing.T) {
	e := newPinResetEnv(t)
	_, id := e.pending(pinResetPhone)
	e.clock.Advance(e.cfg.TTL)
	staff, _ := e.as(ports.RoleCompliance)
	_, err := e.svc.Review.Approve(staff, id)
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "expired")
}

func TestPINResetListPages(t *testing.T) {
	e := newPinResetEnv(t)
	var ids []uuid.UUID
	for _, phone := range []string{"+447911123451", "+447911123452", "+447911123453"} {
		_, id := e.pending(phone)
		ids = append(ids, id)
		e.clock.Advance(time.Second)
	}
	staff, _ := e.as(ports.RoleCompliance)
	page, err := e.svc.Review.List(staff, pinreset.PendingReview, 2, "")
	require.NoError(t, err)
	require.True(t, page.HasNext)
	require.Equal(t, []uuid.UUID{ids[0], ids[1]}, []uuid.UUID{page.Items[0].ID, page.Items[1].ID})
	next, err := e.svc.Review.List(staff, pinreset.PendingReview, 2, page.Cursors[1])
	require.NoError(t, err)
	require.False(t, next.HasNext)
	require.Len(t, next.Items, 1)
	require.Equal(t, ids[2], next.Items[0].ID)

	approved, err := e.svc.Review.List(staff, pinreset.Approved, 10, "")
	require.NoError(t, err)
	require.Empty(t, approved.Items)

	for _, bad := range []struct {
		status, after string
		first         int
		field         string
	}{
		{"SOMETHING", "", 10, "status"},
		{"", "", 0, "first"},
		{"", "", 101, "first"},
		{"", "not-a-cursor", 10, "after"},
	} {
		_, err := e.svc.Review.List(staff, pinreset.Status(bad.status), bad.first, bad.after)
		require.Contains(t, errtest.Code(t, err, ports.CodeValidationFailed).Fields, bad.field)
	}
}

// The reset of a staff account is for a SUPERADMIN to decide.
func TestPINResetOfStaffNeedsSuperadmin(t *testing.T) {
	e := newPinResetEnv(t)
	_, id := e.pendingOf(e.userWithRole(pinResetPhone, ports.RoleAdmin))

	for _, role := range []string{ports.RoleCompliance, ports.RoleAdmin} {
		ctx, _ := e.as(role)
		_, err := e.svc.Review.Approve(ctx, id)
		errtest.Code(t, err, ports.CodeForbidden)
		_, err = e.svc.Review.Reject(ctx, id, "no")
		errtest.Code(t, err, ports.CodeForbidden)
	}
	r, err := e.resets.Get(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, pinreset.PendingReview, r.Status, "nothing changed")

	super, superID := e.as(ports.RoleSuperadmin)
	approved, err := e.svc.Review.Approve(super, id)
	require.NoError(t, err)
	require.Equal(t, pinreset.Approved, approved.Status)
	require.Equal(t, &superID, approved.DecidedBy)

	// A member's reset stays with compliance.
	_, memberReset := e.pending("+447911123450")
	compliance, _ := e.as(ports.RoleCompliance)
	_, err = e.svc.Review.Reject(compliance, memberReset, "blurred")
	require.NoError(t, err)
}

// A document number and a rejection reason follow one rule wherever they
// are given: in a PIN reset as in KYC (the same kyc service checks them).
func TestPINResetSharesTheRulesOfKYC(t *testing.T) {
	e := newPinResetEnv(t)
	tk := e.ticket(e.user("+447911123351").Phone)
	member := e.user("+447911123353")
	asMember := context.WithValue(e.ctx(), pinResetCallerKey{}, &ports.Caller{UserID: member.ID, Role: member.Role})
	for _, number := range []string{"AB#123", "AB\u00a0123<script>", strings.Repeat("9", 65)} {
		_, kerr := e.kyc.Uploads.UploadDocument(asMember, kyc.DocumentInput{Type: kyc.DocPassport, Number: number,
			Front: pinResetPNG(t)})
		_, perr := e.svc.Steps.UploadDocument(e.ctx(), pinreset.DocumentInput{Ticket: tk.Ticket, Type: kyc.DocPassport,
			Number: number, Front: pinResetPNG(t)})
		kf, pf := errtest.Fields(t, kerr), errtest.Fields(t, perr)
		require.NotEmpty(t, kf["number"], number)
		require.Equal(t, kf["number"], pf["number"], number)
	}

	_, id := e.pending("+447911123352")
	compliance, _ := e.as(ports.RoleCompliance)
	_, err := e.kyc.PersonalData.UpsertMyProfile(asMember, kyc.ProfileInput{FirstName: "Ada", LastName: "Lovelace",
		DateOfBirth: "1990-12-10", Address: "12 St James's Square", Postcode: "SW1Y 4JH", City: "London",
		Country: "gb"}, true)
	require.NoError(t, err)
	_, err = e.kyc.Uploads.UploadDocument(asMember, kyc.DocumentInput{Type: kyc.DocPassport, Number: "P1234567",
		Front: pinResetPNG(t)})
	require.NoError(t, err)
	_, err = e.kyc.Uploads.UploadSelfie(asMember, pinResetPNG(t))
	require.NoError(t, err)
	sub, err := e.store.LatestSubmission(context.Background(), member.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.StatusPending, sub.Status)
	for _, reason := range []string{"blurry\nphoto", "", strings.Repeat("x", 501)} {
		_, kerr := e.kyc.Review.RejectSubmission(compliance, sub.ID, reason)
		_, perr := e.svc.Review.Reject(compliance, id, reason)
		require.Equal(t, errtest.Fields(t, kerr), errtest.Fields(t, perr), "%q", reason)
	}
	// 500 characters are 500 characters, whatever their bytes.
	_, err = e.svc.Review.Reject(compliance, id, strings.Repeat("é", 500))
	require.NoError(t, err)
}
