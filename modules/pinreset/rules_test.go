package pinreset_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/modules/pinreset/pinresettest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

// promotedUsers is the user store with roles changed since the users were
// made (the fake has no role change).
type promotedUsers struct {
	*identitytest.UserStore
	roles map[uuid.UUID]string
}

func (p *promotedUsers) GetByID(ctx context.Context, id uuid.UUID) (identity.User, error) {
	u, err := p.UserStore.GetByID(ctx, id)
	if role, ok := p.roles[id]; ok && err == nil {
		u.Role = role
	}
	return u, err
}

func (e *pinResetEnv) promote(id uuid.UUID, role string) {
	p, ok := e.parts.users.(*promotedUsers)
	if !ok {
		p = &promotedUsers{UserStore: e.users, roles: map[uuid.UUID]string{}}
		e.parts.users = p
		e.rebuild()
	}
	p.roles[id] = role
}

// redeem completes a reset as identity does: inside a transaction.
func (e *pinResetEnv) redeem(ticket string) (uuid.UUID, error) {
	var id uuid.UUID
	err := e.parts.tx.InTx(e.ctx(), func(ctx context.Context) error {
		var err error
		id, err = pinreset.Redeem(e.svc, ctx, ticket)
		return err
	})
	return id, err
}

func TestPINResetVerifierMatchLeavesStaffAccountsToSuperadmin(t *testing.T) {
	for _, role := range []string{ports.RoleSupport, ports.RoleCompliance, ports.RoleAdmin, ports.RoleSuperadmin} {
		t.Run(role, func(t *testing.T) {
			e := newPinResetEnv(t)
			e.verifier.verdict = pinreset.SelfieMatch
			u := e.userWithRole("+447911123301", role)
			e.approvedKYC(u.ID, kyc.DocPassport)
			tk := e.ticket(u.Phone)
			require.True(t, tk.DocumentOnFile)
			p, err := e.svc.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
			require.NoError(t, err)
			require.Equal(t, pinreset.PendingReview, p.Status, "a machine never approves a staff account's reset")
			_, err = e.redeem(tk.Ticket)
			errtest.Code(t, err, ports.CodeConflict)
		})
	}
	e := newPinResetEnv(t)
	e.verifier.verdict = pinreset.SelfieMatch
	u := e.user("+447911123302")
	e.approvedKYC(u.ID, kyc.DocPassport)
	tk := e.ticket(u.Phone)
	p, err := e.svc.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
	require.NoError(t, err)
	require.Equal(t, pinreset.Approved, p.Status, "a member's reset is the verifier's to approve")
}

func TestPINResetRedeemRechecksTheRole(t *testing.T) {
	e := newPinResetEnv(t)
	u := e.user("+447911123311")
	ticket, id := e.pendingOf(u)
	_, err := e.svc.Approve(func() context.Context { c, _ := e.as(ports.RoleCompliance); return c }(), id)
	require.NoError(t, err)
	e.promote(u.ID, ports.RoleAdmin) // made staff after the approval
	_, err = e.redeem(ticket)
	pe := errtest.Code(t, err, ports.CodeForbidden)
	require.Contains(t, pe.Message, "SUPERADMIN")
	require.Equal(t, pinreset.Approved, e.resetOf(ticket).Status, "nothing spent")

	e.promote(u.ID, ports.RoleMember) // a member again: the approval stands
	got, err := e.redeem(ticket)
	require.NoError(t, err)
	require.Equal(t, u.ID, got)

	// Approved by a SUPERADMIN: a promotion since changes nothing.
	v := e.user("+447911123312")
	ticket, id = e.pendingOf(v)
	super := e.userWithRole("+447911123313", ports.RoleSuperadmin)
	ctx := context.WithValue(e.ctx(), pinResetCallerKey{}, &ports.Caller{UserID: super.ID, Role: super.Role})
	_, err = e.svc.Approve(ctx, id)
	require.NoError(t, err)
	e.promote(v.ID, ports.RoleCompliance)
	got, err = e.redeem(ticket)
	require.NoError(t, err)
	require.Equal(t, v.ID, got)
}

func TestPINResetExpiredApprovedDocumentIsNotOnFile(t *testing.T) {
	e := newPinResetEnv(t)
	u := e.user("+447911123321")
	d := kyc.Document{ID: uuid.New(), UserID: u.ID, Type: kyc.DocPassport, Number: "AB123456",
		Metadata: json.RawMessage("{}"), FrontFileID: uuid.New(), CreatedAt: pinResetT0.Add(-400 * 24 * time.Hour),
		ExpiresOn: pinResetT0.AddDate(0, 0, -1).Format(time.DateOnly)}
	require.NoError(t, e.store.ReplaceDocument(context.Background(), d))
	e.submission(u.ID, d.ID, kyc.StatusApproved, pinResetT0.Add(-300*24*time.Hour))
	tk := e.ticket(u.Phone)
	require.False(t, tk.DocumentOnFile, "an expired passport proves nothing")
	require.Equal(t, pinreset.DocumentRequired, tk.Status)

	v := e.user("+447911123322")
	d.ID, d.UserID, d.ExpiresOn = uuid.New(), v.ID, pinResetT0.Format(time.DateOnly) // expires today: still good
	require.NoError(t, e.store.ReplaceDocument(context.Background(), d))
	e.submission(v.ID, d.ID, kyc.StatusApproved, pinResetT0.Add(-time.Hour))
	tk = e.ticket(v.Phone)
	require.True(t, tk.DocumentOnFile)
	require.Equal(t, pinreset.SelfieRequired, tk.Status)
}

func TestPINResetVerifyNeedsTheCodesPhoneToBeTheAccounts(t *testing.T) {
	e := newPinResetEnv(t)
	u := e.user("+447911123331")
	ch, err := e.svc.Start(e.ctx(), u.Phone, identity.DeviceProof{})
	require.NoError(t, err)
	code, ok := e.sms.LastCode(u.Phone)
	require.True(t, ok)
	// The account moved to another number before the code was used.
	require.NoError(t, e.users.SetPhone(context.Background(), u.ID, "+447911123339", pinResetT0))
	_, err = e.svc.Verify(e.ctx(), ch.ID, code)
	errtest.Code(t, err, ports.CodeNotFound)
	open, err := e.resets.OpenOf(context.Background(), u.ID)
	require.NoError(t, err)
	require.Empty(t, open, "no reset was opened")
}

// conflictingResets refuses every new reset as the open-reset index would
// when another one was opened at the same moment.
type conflictingResets struct{ *pinresettest.Store }

func (conflictingResets) Create(ctx context.Context, r pinreset.Reset) error {
	return ports.Errorf(ports.CodeConflict, "duplicate key value violates unique constraint")
}

func TestPINResetVerifyConflictIsExplained(t *testing.T) {
	e := newPinResetEnv(t)
	u := e.user("+447911123341")
	e.parts.resets = conflictingResets{e.resets}
	e.rebuild()
	ch, err := e.svc.Start(e.ctx(), u.Phone, identity.DeviceProof{})
	require.NoError(t, err)
	code, _ := e.sms.LastCode(u.Phone)
	_, err = e.svc.Verify(e.ctx(), ch.ID, code)
	pe := errtest.Code(t, err, ports.CodeConflict)
	require.Contains(t, pe.Message, "another PIN reset of this account was started at the same moment")
}

// A document number and a rejection reason follow one rule wherever they
// are given: in a PIN reset as in KYC (the same kyc service checks them).
func TestPINResetSharesTheRulesOfKYC(t *testing.T) {
	e := newPinResetEnv(t)
	tk := e.ticket(e.user("+447911123351").Phone)
	member := e.user("+447911123353")
	asMember := context.WithValue(e.ctx(), pinResetCallerKey{}, &ports.Caller{UserID: member.ID, Role: member.Role})
	for _, number := range []string{"AB#123", "AB\u00a0123<script>", strings.Repeat("9", 65)} {
		_, kerr := e.kyc.UploadDocument(asMember, kyc.DocumentInput{Type: kyc.DocPassport, Number: number,
			Front: pinResetPNG(t)})
		_, perr := e.svc.UploadDocument(e.ctx(), pinreset.DocumentInput{Ticket: tk.Ticket, Type: kyc.DocPassport,
			Number: number, Front: pinResetPNG(t)})
		kf, pf := errtest.Fields(t, kerr), errtest.Fields(t, perr)
		require.NotEmpty(t, kf["number"], number)
		require.Equal(t, kf["number"], pf["number"], number)
	}

	_, id := e.pending("+447911123352")
	compliance, _ := e.as(ports.RoleCompliance)
	_, err := e.kyc.UpsertMyProfile(asMember, kyc.ProfileInput{FirstName: "Ada", LastName: "Lovelace",
		DateOfBirth: "1990-12-10", Address: "12 St James's Square", Postcode: "SW1Y 4JH", City: "London",
		Country: "gb"}, true)
	require.NoError(t, err)
	_, err = e.kyc.UploadDocument(asMember, kyc.DocumentInput{Type: kyc.DocPassport, Number: "P1234567",
		Front: pinResetPNG(t)})
	require.NoError(t, err)
	_, err = e.kyc.UploadSelfie(asMember, pinResetPNG(t))
	require.NoError(t, err)
	sub, err := e.store.LatestSubmission(context.Background(), member.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.StatusPending, sub.Status)
	for _, reason := range []string{"blurry\nphoto", "", strings.Repeat("x", 501)} {
		_, kerr := e.kyc.RejectSubmission(compliance, sub.ID, reason)
		_, perr := e.svc.Reject(compliance, id, reason)
		require.Equal(t, errtest.Fields(t, kerr), errtest.Fields(t, perr), "%q", reason)
	}
	// 500 characters are 500 characters, whatever their bytes.
	_, err = e.svc.Reject(compliance, id, strings.Repeat("é", 500))
	require.NoError(t, err)
}
