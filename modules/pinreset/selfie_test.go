package pinreset_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestPINResetSelfieMustBeAPhoto(t *testing.T) {
	e := newPinResetEnv(t)
	u := e.user(pinResetPhone)
	e.approvedKYC(u.ID, "PASSPORT")
	tk := e.ticket(pinResetPhone)
	for _, up := range []*kyc.Upload{
		nil,
		pinResetUpload("me.jpg", []byte("#!/bin/sh\necho pwned\n")),
		pinResetUpload("me.pdf", []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")),
		pinResetUpload("me.png", nil),
	} {
		_, err := e.svc.Steps.SubmitSelfie(e.ctx(), tk.Ticket, up)
		require.Contains(t, errtest.Code(t, err, ports.CodeValidationFailed).Fields, "selfie")
	}
	require.Zero(t, e.blobs.Len(), "nothing stored")
	require.Empty(t, e.verifier.Checks())
	p, err := e.svc.Steps.Status(e.ctx(), tk.Ticket)
	require.NoError(t, err)
	require.Equal(t, pinreset.SelfieRequired, p.Status)
}

func TestPINResetVerifierMayDecideAtOnce(t *testing.T) {
	t.Run("match", func(t *testing.T) {
		e := newPinResetEnv(t)
		e.verifier.verdict = pinreset.SelfieMatch
		u := e.user(pinResetPhone)
		e.approvedKYC(u.ID, "DRIVER_LICENSE")
		tk := e.ticket(pinResetPhone)
		p, err := e.svc.Steps.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
		require.NoError(t, err)
		require.Equal(t, pinreset.Approved, p.Status)
		got, err := pinreset.Redeem(e.svc.Steps, e.ctx(), tk.Ticket)
		require.NoError(t, err)
		require.Equal(t, u.ID, got)
	})
	t.Run("no match", func(t *testing.T) {
		e := newPinResetEnv(t)
		e.verifier.verdict = pinreset.SelfieNoMatch
		u := e.user(pinResetPhone)
		e.approvedKYC(u.ID, "RESIDENCE_PERMIT")
		tk := e.ticket(pinResetPhone)
		p, err := e.svc.Steps.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
		require.NoError(t, err)
		require.Equal(t, pinreset.Rejected, p.Status)
		require.NotEmpty(t, p.Reason)
		_, err = pinreset.Redeem(e.svc.Steps, e.ctx(), tk.Ticket)
		require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "REJECTED")
	})
	t.Run("verifier down", func(t *testing.T) {
		e := newPinResetEnv(t)
		e.verifier.err = errors.New("face service unreachable")
		u := e.user(pinResetPhone)
		e.approvedKYC(u.ID, "PASSPORT")
		tk := e.ticket(pinResetPhone)
		p, err := e.svc.Steps.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
		require.NoError(t, err)
		require.Equal(t, pinreset.PendingReview, p.Status, "left to staff")
	})
}

// A SIM swapper who uploads their own document and a matching selfie is
// not approved by the verifier: staff compare with the profile.
func TestPINResetUploadedDocumentNeedsStaff(t *testing.T) {
	upload := func(e *pinResetEnv) pinreset.Ticket {
		e.user(pinResetPhone)
		tk := e.ticket(pinResetPhone)
		require.Equal(t, pinreset.DocumentRequired, tk.Status)
		_, err := e.svc.Steps.UploadDocument(e.ctx(), pinreset.DocumentInput{Ticket: tk.Ticket, Type: "PASSPORT",
			Number: "X1", Front: pinResetPNG(e.t)})
		require.NoError(e.t, err)
		return tk
	}
	t.Run("match waits for staff", func(t *testing.T) {
		e := newPinResetEnv(t)
		e.verifier.verdict = pinreset.SelfieMatch
		tk := upload(e)
		p, err := e.svc.Steps.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
		require.NoError(t, err)
		require.Equal(t, pinreset.PendingReview, p.Status)
		require.Len(t, e.verifier.Checks(), 1, "the verifier was asked")
		_, err = pinreset.Redeem(e.svc.Steps, e.ctx(), tk.Ticket)
		require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "PENDING_REVIEW")
		r := e.resetOf(tk.Ticket)
		require.True(t, r.DocumentUploaded)
		require.Nil(t, r.DecidedAt)
		require.Empty(t, e.activities.WithAction("pin_reset.approved"))
		staff, _ := e.as(ports.RoleCompliance)
		page, err := e.svc.Review.List(staff, "", 10, "")
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		require.True(t, page.Items[0].DocumentUploaded, "staff see the document was uploaded")
	})
	t.Run("no match still rejects", func(t *testing.T) {
		e := newPinResetEnv(t)
		e.verifier.verdict = pinreset.SelfieNoMatch
		tk := upload(e)
		p, err := e.svc.Steps.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
		require.NoError(t, err)
		require.Equal(t, pinreset.Rejected, p.Status)
	})
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
			p, err := e.svc.Steps.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
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
	p, err := e.svc.Steps.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
	require.NoError(t, err)
	require.Equal(t, pinreset.Approved, p.Status, "a member's reset is the verifier's to approve")
}
