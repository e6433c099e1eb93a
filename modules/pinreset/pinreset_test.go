package pinreset_test

import (
	"context"
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestPINResetWithDocumentOnFileThroughStaffApproval(t *testing.T) {
	e := newPinResetEnv(t)
	u := e.user(pinResetPhone)
	e.document(u.ID, "UTILITY_BILL") // not an identity document
	doc := e.approvedKYC(u.ID, "NATIONAL_ID")

	tk := e.ticket(pinResetPhone)
	require.Equal(t, pinreset.SelfieRequired, tk.Status)
	require.True(t, tk.DocumentOnFile)
	require.True(t, strings.HasPrefix(tk.Ticket, "ghpr_"))
	require.Len(t, tk.Ticket, 48)
	require.Equal(t, pinResetT0.Add(e.cfg.TTL), tk.ExpiresAt)
	sum := sha256.Sum256([]byte(tk.Ticket))
	r, err := e.resets.FindByTicket(context.Background(), sum[:])
	require.NoError(t, err, "the ticket's SHA-256 is stored")
	require.NotContains(t, string(r.TicketHash), tk.Ticket)
	require.Equal(t, &doc.ID, r.DocumentID)
	require.False(t, r.DocumentUploaded)
	require.Equal(t, u.ID, r.UserID)

	// The document step is not for this reset.
	_, err = e.svc.Steps.UploadDocument(e.ctx(), pinreset.DocumentInput{Ticket: tk.Ticket, Type: "PASSPORT",
		Number: "X1", Front: pinResetPNG(t)})
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "SELFIE_REQUIRED")
	// Redeeming before approval is refused.
	_, err = pinreset.Redeem(e.svc.Steps, e.ctx(), tk.Ticket)
	errtest.Code(t, err, ports.CodeConflict)

	p, err := e.svc.Steps.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
	require.NoError(t, err)
	require.Equal(t, pinreset.Progress{Status: pinreset.PendingReview, ExpiresAt: tk.ExpiresAt}, p)
	checks := e.verifier.Checks()
	require.Len(t, checks, 1)
	require.Equal(t, doc.ID, checks[0].DocumentID)
	require.Equal(t, u.ID, checks[0].UserID)
	require.Equal(t, r.ID, checks[0].PINResetID)
	f, err := e.store.GetFile(context.Background(), checks[0].SelfieFileID)
	require.NoError(t, err)
	require.Equal(t, kyc.FileSelfie, f.Purpose)
	require.Equal(t, "image/png", f.ContentType)
	require.Equal(t, 1, e.blobs.Len())
	// A second selfie is refused.
	_, err = e.svc.Steps.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "PENDING_REVIEW")
	_, err = pinreset.Redeem(e.svc.Steps, e.ctx(), tk.Ticket)
	errtest.Code(t, err, ports.CodeConflict)

	// Staff see it waiting and approve it.
	staff, staffID := e.as(ports.RoleCompliance)
	page, err := e.svc.Review.List(staff, "", 10, "")
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	require.Equal(t, r.ID, page.Items[0].ID)
	approved, err := e.svc.Review.Approve(staff, r.ID)
	require.NoError(t, err)
	require.Equal(t, pinreset.Approved, approved.Status)
	require.Equal(t, &staffID, approved.DecidedBy)
	require.NotNil(t, approved.DecidedAt)
	msgs := e.sms.MessagesTo(pinResetPhone)
	require.Contains(t, msgs[len(msgs)-1].Text, "pinreset_approved")
	require.NotEmpty(t, e.activities.WithAction("pin_reset.approved"))

	p, err = e.svc.Steps.Status(e.ctx(), tk.Ticket)
	require.NoError(t, err)
	require.Equal(t, pinreset.Approved, p.Status)

	// Redeemed once, by identity, when the new PIN is set.
	got, err := pinreset.Redeem(e.svc.Steps, e.ctx(), tk.Ticket)
	require.NoError(t, err)
	require.Equal(t, u.ID, got)
	_, err = pinreset.Redeem(e.svc.Steps, e.ctx(), tk.Ticket)
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "COMPLETED")
	r, err = e.resets.Get(context.Background(), r.ID)
	require.NoError(t, err)
	require.Equal(t, pinreset.Completed, r.Status)
	require.NotNil(t, r.CompletedAt)

	require.NotContains(t, e.logs.String(), tk.Ticket, "the ticket is never logged")
	for _, a := range e.activities.Activities() {
		for _, v := range a.Details {
			require.NotContains(t, v, tk.Ticket)
		}
	}
}
