package pinreset_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestPINResetStartGivesDecoysThatLookReal(t *testing.T) {
	e := newPinResetEnv(t)
	e.user(pinResetPhone)
	noPIN := identity.User{ID: uuid.New(), Phone: "+447911123457", State: "ACTIVE", Role: ports.RoleMember,
		ReferralCode: "nopin001"}
	require.NoError(t, e.users.Create(context.Background(), noPIN))
	locked := e.user("+447911123458")
	require.NoError(t, e.users.SetState(context.Background(), locked.ID, "LOCKED", pinResetT0))

	real, err := e.svc.Start(e.ctx(), pinResetPhone, identity.DeviceProof{})
	require.NoError(t, err)
	require.False(t, e.otp.last().Decoy)
	require.True(t, e.otp.last().Background, "delivery happens after the answer")
	require.Equal(t, map[string]string{"userId": e.otp.last().Metadata["userId"]}, e.otp.last().Metadata)

	for _, phone := range []string{"+447911123459", noPIN.Phone, locked.Phone} {
		decoy, err := e.svc.Start(e.ctx(), phone, identity.DeviceProof{})
		require.NoError(t, err, phone)
		req := e.otp.last()
		require.True(t, req.Decoy, phone)
		require.True(t, req.Background, phone)
		require.Empty(t, req.Metadata, "a decoy names no user")
		require.Empty(t, e.sms.MessagesTo(phone), "a decoy sends nothing")
		// Same shape as the real challenge.
		require.Equal(t, real.Purpose, decoy.Purpose)
		require.Equal(t, real.Channel, decoy.Channel)
		require.Equal(t, real.ExpiresAt, decoy.ExpiresAt)
		require.Equal(t, real.ResendAfter, decoy.ResendAfter)
		require.Len(t, decoy.Destination, len(real.Destination))
		require.NotEqual(t, uuid.Nil, decoy.ID)
		// No code opens a reset.
		_, err = e.svc.Verify(e.ctx(), decoy.ID, "123456")
		errtest.Code(t, err, ports.CodeInvalidCode)
	}
	require.Len(t, e.sms.MessagesTo(pinResetPhone), 1)

	_, err = e.svc.Start(e.ctx(), "07911 123456", identity.DeviceProof{})
	errtest.Code(t, err, ports.CodeValidationFailed)
}

func TestPINResetStartIsRateLimitedPerClient(t *testing.T) {
	e := newPinResetEnv(t)
	for i := range e.cfg.StartsPerHour {
		_, err := e.svc.Start(e.ctx(), fmt.Sprintf("+4479111234%02d", i), identity.DeviceProof{})
		require.NoError(t, err)
	}
	_, err := e.svc.Start(e.ctx(), "+447911123499", identity.DeviceProof{})
	errtest.Code(t, err, ports.CodeRateLimited)
	other := ports.WithRequestMeta(context.Background(), ports.RequestMeta{IP: "198.51.100.1"})
	_, err = e.svc.Start(other, "+447911123499", identity.DeviceProof{})
	require.NoError(t, err, "another client has its own budget")
}

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
	_, err = e.svc.UploadDocument(e.ctx(), pinreset.DocumentInput{Ticket: tk.Ticket, Type: "PASSPORT",
		Number: "X1", Front: pinResetPNG(t)})
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "SELFIE_REQUIRED")
	// Redeeming before approval is refused.
	_, err = pinreset.Redeem(e.svc, e.ctx(), tk.Ticket)
	errtest.Code(t, err, ports.CodeConflict)

	p, err := e.svc.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
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
	_, err = e.svc.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "PENDING_REVIEW")
	_, err = pinreset.Redeem(e.svc, e.ctx(), tk.Ticket)
	errtest.Code(t, err, ports.CodeConflict)

	// Staff see it waiting and approve it.
	staff, staffID := e.as(ports.RoleCompliance)
	page, err := e.svc.List(staff, "", 10, "")
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	require.Equal(t, r.ID, page.Items[0].ID)
	approved, err := e.svc.Approve(staff, r.ID)
	require.NoError(t, err)
	require.Equal(t, pinreset.Approved, approved.Status)
	require.Equal(t, &staffID, approved.DecidedBy)
	require.NotNil(t, approved.DecidedAt)
	msgs := e.sms.MessagesTo(pinResetPhone)
	require.Contains(t, msgs[len(msgs)-1].Text, "approved")
	require.NotEmpty(t, e.activities.WithAction("pin_reset.approved"))

	p, err = e.svc.Status(e.ctx(), tk.Ticket)
	require.NoError(t, err)
	require.Equal(t, pinreset.Approved, p.Status)

	// Redeemed once, by identity, when the new PIN is set.
	got, err := pinreset.Redeem(e.svc, e.ctx(), tk.Ticket)
	require.NoError(t, err)
	require.Equal(t, u.ID, got)
	_, err = pinreset.Redeem(e.svc, e.ctx(), tk.Ticket)
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

func TestPINResetWithoutDocumentUploadsOne(t *testing.T) {
	e := newPinResetEnv(t)
	u := e.user(pinResetPhone)
	tk := e.ticket(pinResetPhone)
	require.Equal(t, pinreset.DocumentRequired, tk.Status)
	require.False(t, tk.DocumentOnFile)

	// No selfie before the document.
	_, err := e.svc.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "DOCUMENT_REQUIRED")

	// Bad input, each refused with nothing stored.
	for _, bad := range []struct {
		in    pinreset.DocumentInput
		field string
	}{
		{pinreset.DocumentInput{Type: "UTILITY_BILL", Number: "X1", Front: pinResetPNG(t)}, "type"},
		{pinreset.DocumentInput{Type: "NATIONAL_ID", Number: " ", Front: pinResetPNG(t)}, "number"},
		{pinreset.DocumentInput{Type: "NATIONAL_ID", Number: strings.Repeat("9", 65), Front: pinResetPNG(t)}, "number"},
		{pinreset.DocumentInput{Type: "NATIONAL_ID", Number: "X1"}, "front"},
		{pinreset.DocumentInput{Type: "NATIONAL_ID", Number: "X1", Front: pinResetPNG(t),
			Back: pinResetUpload("b.jpg", []byte("#!/bin/sh\nrm -rf /\n"))}, "back"},
	} {
		bad.in.Ticket = tk.Ticket
		_, err := e.svc.UploadDocument(e.ctx(), bad.in)
		perr := errtest.Code(t, err, ports.CodeValidationFailed)
		require.Contains(t, perr.Fields, bad.field)
	}
	require.Zero(t, e.blobs.Len())

	p, err := e.svc.UploadDocument(e.ctx(), pinreset.DocumentInput{Ticket: tk.Ticket, Type: "NATIONAL_ID",
		Number: " 1990-123 456 ", Front: pinResetPNG(t), Back: pinResetPNG(t)})
	require.NoError(t, err)
	require.Equal(t, pinreset.SelfieRequired, p.Status)
	require.Equal(t, 2, e.blobs.Len())
	live, err := e.store.LiveDocuments(context.Background(), u.ID)
	require.NoError(t, err)
	require.Empty(t, live, "the upload never becomes the user's live document")
	r := e.resetOf(tk.Ticket)
	require.True(t, r.DocumentUploaded)
	require.NotNil(t, r.DocumentID)
	doc, err := e.store.GetDocument(context.Background(), *r.DocumentID)
	require.NoError(t, err)
	require.Equal(t, u.ID, doc.UserID)
	require.Equal(t, "NATIONAL_ID", doc.Type)
	require.Equal(t, "1990-123 456", doc.Number)
	require.NotNil(t, doc.BackFileID)
	require.NotNil(t, doc.ReplacedAt, "stored already replaced")
	require.Equal(t, doc.CreatedAt, *doc.ReplacedAt)

	// Only once.
	_, err = e.svc.UploadDocument(e.ctx(), pinreset.DocumentInput{Ticket: tk.Ticket, Type: "PASSPORT",
		Number: "X1", Front: pinResetPNG(t)})
	errtest.Code(t, err, ports.CodeConflict)

	p, err = e.svc.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
	require.NoError(t, err)
	require.Equal(t, pinreset.PendingReview, p.Status)
	require.Equal(t, doc.ID, e.verifier.Checks()[0].DocumentID)
}

func TestPINResetDocumentUploadLeavesNothingWhenItFails(t *testing.T) {
	e := newPinResetEnv(t)
	e.user(pinResetPhone)
	tk := e.ticket(pinResetPhone)
	failing := e.parts
	failing.kycStores.Documents = pinResetFailingDocs{e.store}
	svc := failing.build(e.cfg)
	_, err := svc.UploadDocument(e.ctx(), pinreset.DocumentInput{Ticket: tk.Ticket, Type: "PASSPORT",
		Number: "X1", Front: pinResetPNG(t), Back: pinResetPNG(t)})
	require.Error(t, err)
	require.Zero(t, e.blobs.Len(), "stored objects are deleted again")
	p, err := e.svc.Status(e.ctx(), tk.Ticket)
	require.NoError(t, err)
	require.Equal(t, pinreset.DocumentRequired, p.Status)
}

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
		_, err := e.svc.SubmitSelfie(e.ctx(), tk.Ticket, up)
		require.Contains(t, errtest.Code(t, err, ports.CodeValidationFailed).Fields, "selfie")
	}
	require.Zero(t, e.blobs.Len(), "nothing stored")
	require.Empty(t, e.verifier.Checks())
	p, err := e.svc.Status(e.ctx(), tk.Ticket)
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
		p, err := e.svc.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
		require.NoError(t, err)
		require.Equal(t, pinreset.Approved, p.Status)
		got, err := pinreset.Redeem(e.svc, e.ctx(), tk.Ticket)
		require.NoError(t, err)
		require.Equal(t, u.ID, got)
	})
	t.Run("no match", func(t *testing.T) {
		e := newPinResetEnv(t)
		e.verifier.verdict = pinreset.SelfieNoMatch
		u := e.user(pinResetPhone)
		e.approvedKYC(u.ID, "RESIDENCE_PERMIT")
		tk := e.ticket(pinResetPhone)
		p, err := e.svc.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
		require.NoError(t, err)
		require.Equal(t, pinreset.Rejected, p.Status)
		require.NotEmpty(t, p.Reason)
		_, err = pinreset.Redeem(e.svc, e.ctx(), tk.Ticket)
		require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "REJECTED")
	})
	t.Run("verifier down", func(t *testing.T) {
		e := newPinResetEnv(t)
		e.verifier.err = errors.New("face service unreachable")
		u := e.user(pinResetPhone)
		e.approvedKYC(u.ID, "PASSPORT")
		tk := e.ticket(pinResetPhone)
		p, err := e.svc.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
		require.NoError(t, err)
		require.Equal(t, pinreset.PendingReview, p.Status, "left to staff")
	})
}

func TestPINResetTicketsThatDoNotWork(t *testing.T) {
	e := newPinResetEnv(t)
	ticket, id := e.pending(pinResetPhone)
	staff, _ := e.as(ports.RoleCompliance)
	_, err := e.svc.Approve(staff, id)
	require.NoError(t, err)

	unknown := []string{"ghpr_" + strings.Repeat("A", 43), "nope", "ghpr_" + strings.Repeat("A", 5000),
		"ghr_" + strings.Repeat("A", 43)}
	var msgs []string
	for _, tk := range unknown {
		_, err := e.svc.Status(e.ctx(), tk)
		msgs = append(msgs, errtest.Code(t, err, ports.CodeNotFound).Message)
		_, err = pinreset.Redeem(e.svc, e.ctx(), tk)
		errtest.Code(t, err, ports.CodeNotFound)
	}
	_, err = e.svc.Status(e.ctx(), "")
	errtest.Code(t, err, ports.CodeValidationFailed)

	// Expired: the same answer as unknown, even though it was approved.
	e.clock.Advance(e.cfg.TTL)
	_, err = e.svc.Status(e.ctx(), ticket)
	require.Equal(t, msgs[0], errtest.Code(t, err, ports.CodeNotFound).Message)
	_, err = pinreset.Redeem(e.svc, e.ctx(), ticket)
	require.Equal(t, msgs[0], errtest.Code(t, err, ports.CodeNotFound).Message)
	require.Equal(t, "this reset ticket is not valid", msgs[0])
	for _, m := range msgs {
		require.Equal(t, msgs[0], m)
	}
}

func TestPINResetDecisionsAreForComplianceStaff(t *testing.T) {
	e := newPinResetEnv(t)
	_, id := e.pending(pinResetPhone)

	_, err := e.svc.Approve(e.ctx(), id)
	errtest.Code(t, err, ports.CodeUnauthenticated)
	for _, role := range []string{ports.RoleMember, ports.RoleSupport, ports.RoleAccountant, ports.RolePartner} {
		ctx, _ := e.as(role)
		_, err := e.svc.Approve(ctx, id)
		errtest.Code(t, err, ports.CodeForbidden)
		_, err = e.svc.Reject(ctx, id, "no")
		errtest.Code(t, err, ports.CodeForbidden)
		_, err = e.svc.List(ctx, "", 10, "")
		errtest.Code(t, err, ports.CodeForbidden)
	}
	r, err := e.resets.Get(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, pinreset.PendingReview, r.Status, "nothing changed")

	// A staff member never decides their own reset.
	own := context.WithValue(e.ctx(), pinResetCallerKey{}, &ports.Caller{UserID: r.UserID, Role: ports.RoleAdmin})
	_, err = e.svc.Approve(own, id)
	errtest.Code(t, err, ports.CodeForbidden)

	admin, _ := e.as(ports.RoleAdmin)
	_, err = e.svc.Reject(admin, id, "")
	require.Contains(t, errtest.Code(t, err, ports.CodeValidationFailed).Fields, "reason")
	_, err = e.svc.Approve(admin, uuid.New())
	errtest.Code(t, err, ports.CodeNotFound)

	rejected, err := e.svc.Reject(admin, id, "The selfie is too dark.")
	require.NoError(t, err)
	require.Equal(t, pinreset.Rejected, rejected.Status)
	msgs := e.sms.MessagesTo(pinResetPhone)
	require.Contains(t, msgs[len(msgs)-1].Text, "not approved")
	super, _ := e.as(ports.RoleSuperadmin)
	_, err = e.svc.Approve(super, id)
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
				_, errs[i] = e.svc.Approve(ctx, id)
			} else {
				_, errs[i] = e.svc.Reject(ctx, id, "unclear")
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
	_, err := e.svc.Approve(staff, id)
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
	page, err := e.svc.List(staff, pinreset.PendingReview, 2, "")
	require.NoError(t, err)
	require.True(t, page.HasNext)
	require.Equal(t, []uuid.UUID{ids[0], ids[1]}, []uuid.UUID{page.Items[0].ID, page.Items[1].ID})
	next, err := e.svc.List(staff, pinreset.PendingReview, 2, page.Cursors[1])
	require.NoError(t, err)
	require.False(t, next.HasNext)
	require.Len(t, next.Items, 1)
	require.Equal(t, ids[2], next.Items[0].ID)

	approved, err := e.svc.List(staff, pinreset.Approved, 10, "")
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
		_, err := e.svc.List(staff, pinreset.Status(bad.status), bad.first, bad.after)
		require.Contains(t, errtest.Code(t, err, ports.CodeValidationFailed).Fields, bad.field)
	}
}

// Only the document of an APPROVED latest KYC submission is on file: a
// live document staff never approved proves nothing.
func TestPINResetDocumentOnFileNeedsApprovedKYC(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(e *pinResetEnv, u identity.User) *uuid.UUID // the document on file, if any
	}{
		{"live document, no submission", func(e *pinResetEnv, u identity.User) *uuid.UUID {
			e.document(u.ID, "PASSPORT")
			return nil
		}},
		{"pending submission", func(e *pinResetEnv, u identity.User) *uuid.UUID {
			d := e.document(u.ID, "PASSPORT")
			e.submission(u.ID, d.ID, kyc.StatusPending, pinResetT0.Add(-time.Hour))
			return nil
		}},
		{"rejected submission", func(e *pinResetEnv, u identity.User) *uuid.UUID {
			d := e.document(u.ID, "PASSPORT")
			e.submission(u.ID, d.ID, kyc.StatusRejected, pinResetT0.Add(-time.Hour))
			return nil
		}},
		{"approved, then a newer submission pending", func(e *pinResetEnv, u identity.User) *uuid.UUID {
			d := e.approvedKYC(u.ID, "PASSPORT")
			e.submission(u.ID, d.ID, kyc.StatusPending, pinResetT0.Add(-time.Minute))
			return nil
		}},
		{"approved, live document replaced since", func(e *pinResetEnv, u identity.User) *uuid.UUID {
			d := e.approvedKYC(u.ID, "PASSPORT")
			newer := kyc.Document{ID: uuid.New(), UserID: u.ID, Type: "PASSPORT", Number: "ZZ999",
				Metadata: json.RawMessage("{}"), FrontFileID: uuid.New(), CreatedAt: pinResetT0.Add(-time.Minute)}
			require.NoError(t, e.store.ReplaceDocument(context.Background(), newer))
			return &d.ID
		}},
		{"approved", func(e *pinResetEnv, u identity.User) *uuid.UUID {
			d := e.approvedKYC(u.ID, "NATIONAL_ID")
			return &d.ID
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newPinResetEnv(t)
			u := e.user(pinResetPhone)
			want := tc.setup(e, u)
			tk := e.ticket(pinResetPhone)
			r := e.resetOf(tk.Ticket)
			if want == nil {
				require.Equal(t, pinreset.DocumentRequired, tk.Status)
				require.False(t, tk.DocumentOnFile)
				require.Nil(t, r.DocumentID)
				return
			}
			require.Equal(t, pinreset.SelfieRequired, tk.Status)
			require.True(t, tk.DocumentOnFile)
			require.Equal(t, want, r.DocumentID, "the approved submission's document")
		})
	}
}

// A SIM swapper who uploads their own document and a matching selfie is
// not approved by the verifier: staff compare with the profile.
func TestPINResetUploadedDocumentNeedsStaff(t *testing.T) {
	upload := func(e *pinResetEnv) pinreset.Ticket {
		e.user(pinResetPhone)
		tk := e.ticket(pinResetPhone)
		require.Equal(t, pinreset.DocumentRequired, tk.Status)
		_, err := e.svc.UploadDocument(e.ctx(), pinreset.DocumentInput{Ticket: tk.Ticket, Type: "PASSPORT",
			Number: "X1", Front: pinResetPNG(e.t)})
		require.NoError(e.t, err)
		return tk
	}
	t.Run("match waits for staff", func(t *testing.T) {
		e := newPinResetEnv(t)
		e.verifier.verdict = pinreset.SelfieMatch
		tk := upload(e)
		p, err := e.svc.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
		require.NoError(t, err)
		require.Equal(t, pinreset.PendingReview, p.Status)
		require.Len(t, e.verifier.Checks(), 1, "the verifier was asked")
		_, err = pinreset.Redeem(e.svc, e.ctx(), tk.Ticket)
		require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "PENDING_REVIEW")
		r := e.resetOf(tk.Ticket)
		require.True(t, r.DocumentUploaded)
		require.Nil(t, r.DecidedAt)
		require.Empty(t, e.activities.WithAction("pin_reset.approved"))
		staff, _ := e.as(ports.RoleCompliance)
		page, err := e.svc.List(staff, "", 10, "")
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		require.True(t, page.Items[0].DocumentUploaded, "staff see the document was uploaded")
	})
	t.Run("no match still rejects", func(t *testing.T) {
		e := newPinResetEnv(t)
		e.verifier.verdict = pinreset.SelfieNoMatch
		tk := upload(e)
		p, err := e.svc.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
		require.NoError(t, err)
		require.Equal(t, pinreset.Rejected, p.Status)
	})
}

// A new reset rejects the user's open ones, whatever step they are at;
// other users' resets are left alone.
func TestPINResetNewResetSupersedesOpenOnes(t *testing.T) {
	e := newPinResetEnv(t)
	u := e.user(pinResetPhone)
	e.approvedKYC(u.ID, "PASSPORT")
	const otherPhone = "+447911123450"
	o := e.user(otherPhone)
	e.approvedKYC(o.ID, "PASSPORT")
	other := e.ticket(otherPhone)

	// One approved (as a SIM swapper's could be), one pending review, one
	// waiting for a selfie.
	approved, id := e.ticket(pinResetPhone).Ticket, uuid.Nil
	_, err := e.svc.SubmitSelfie(e.ctx(), approved, pinResetPNG(t))
	require.NoError(t, err)
	id = e.resetOf(approved).ID
	staff, _ := e.as(ports.RoleCompliance)
	_, err = e.svc.Approve(staff, id)
	require.NoError(t, err)
	e.clock.Advance(time.Minute)
	pending := e.ticket(pinResetPhone).Ticket
	_, err = e.svc.SubmitSelfie(e.ctx(), pending, pinResetPNG(t))
	require.NoError(t, err)
	e.clock.Advance(time.Minute)
	selfie := e.ticket(pinResetPhone).Ticket // supersedes the two before

	for _, tk := range []string{approved, pending} {
		p, err := e.svc.Status(e.ctx(), tk)
		require.NoError(t, err)
		require.Equal(t, pinreset.Progress{Status: pinreset.Rejected, Reason: "superseded by a newer reset",
			ExpiresAt: e.resetOf(tk).ExpiresAt}, p)
	}
	_, err = pinreset.Redeem(e.svc, e.ctx(), approved)
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "REJECTED")
	p, err := e.svc.Status(e.ctx(), selfie)
	require.NoError(t, err)
	require.Equal(t, pinreset.SelfieRequired, p.Status)
	p, err = e.svc.Status(e.ctx(), other.Ticket)
	require.NoError(t, err)
	require.Equal(t, pinreset.SelfieRequired, p.Status, "another user's reset stays")
	require.Len(t, e.activities.WithAction("pin_reset.superseded"), 2)
}

// Completing a reset rejects any other open one of the user (one that a
// race left open).
func TestPINResetOneOpenResetPerUser(t *testing.T) {
	e := newPinResetEnv(t)
	ticket, id := e.pending(pinResetPhone)
	staff, _ := e.as(ports.RoleCompliance)
	_, err := e.svc.Approve(staff, id)
	require.NoError(t, err)
	r := e.resetOf(ticket)
	// No second open reset can exist beside it (the store's unique index).
	late := pinreset.Reset{ID: uuid.New(), UserID: r.UserID, TicketHash: []byte("another ticket hash"),
		Status: pinreset.Approved, ExpiresAt: r.ExpiresAt.Add(time.Second), CreatedAt: r.CreatedAt.Add(time.Second)}
	errtest.Code(t, e.resets.Create(context.Background(), late), ports.CodeConflict)

	got, err := pinreset.Redeem(e.svc, e.ctx(), ticket)
	require.NoError(t, err)
	require.Equal(t, r.UserID, got)
	done, err := e.resets.Get(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, pinreset.Completed, done.Status)
	open, err := e.resets.OpenOf(context.Background(), r.UserID)
	require.NoError(t, err)
	require.Empty(t, open)
}

// The reset of a staff account is for a SUPERADMIN to decide.
func TestPINResetOfStaffNeedsSuperadmin(t *testing.T) {
	e := newPinResetEnv(t)
	_, id := e.pendingOf(e.userWithRole(pinResetPhone, ports.RoleAdmin))

	for _, role := range []string{ports.RoleCompliance, ports.RoleAdmin} {
		ctx, _ := e.as(role)
		_, err := e.svc.Approve(ctx, id)
		errtest.Code(t, err, ports.CodeForbidden)
		_, err = e.svc.Reject(ctx, id, "no")
		errtest.Code(t, err, ports.CodeForbidden)
	}
	r, err := e.resets.Get(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, pinreset.PendingReview, r.Status, "nothing changed")

	super, superID := e.as(ports.RoleSuperadmin)
	approved, err := e.svc.Approve(super, id)
	require.NoError(t, err)
	require.Equal(t, pinreset.Approved, approved.Status)
	require.Equal(t, &superID, approved.DecidedBy)

	// A member's reset stays with compliance.
	_, memberReset := e.pending("+447911123450")
	compliance, _ := e.as(ports.RoleCompliance)
	_, err = e.svc.Reject(compliance, memberReset, "blurred")
	require.NoError(t, err)
}

// The decoy path does the same work as the real one before it answers: an
// activity row, which names no user.
func TestPINResetStartRecordsDecoysToo(t *testing.T) {
	e := newPinResetEnv(t)
	u := e.user(pinResetPhone)
	_, err := e.svc.Start(e.ctx(), pinResetPhone, identity.DeviceProof{})
	require.NoError(t, err)
	_, err = e.svc.Start(e.ctx(), "+447911123459", identity.DeviceProof{})
	require.NoError(t, err)
	rows := e.activities.WithAction("pin_reset.requested")
	require.Len(t, rows, 2)
	require.Equal(t, &u.ID, rows[0].UserID)
	require.Nil(t, rows[1].UserID, "a decoy names no user")
	require.Equal(t, rows[0].Result, rows[1].Result)
	require.Equal(t, rows[0].Details, rows[1].Details)
}

// Only tickets with the PIN reset prefix are looked up: a refresh token
// (or anything else) is refused before it is hashed.
func TestPINResetOtherTokensAreNotLookedUp(t *testing.T) {
	e := newPinResetEnv(t)
	e.user(pinResetPhone)
	tk := e.ticket(pinResetPhone)
	parts := e.parts
	counting := &pinResetCountingFinds{Store: e.resets}
	parts.resets = counting
	svc := parts.build(e.cfg)
	for _, bad := range []string{"ghr_" + tk.Ticket[len("ghpr_"):], "ghr_" + strings.Repeat("A", 43), "Ghpr_x", "x"} {
		_, err := svc.Status(e.ctx(), bad)
		errtest.Code(t, err, ports.CodeNotFound)
		_, err = pinreset.Redeem(svc, e.ctx(), bad)
		errtest.Code(t, err, ports.CodeNotFound)
	}
	require.Zero(t, counting.finds)
	_, err := svc.Status(e.ctx(), tk.Ticket)
	require.NoError(t, err)
	require.Equal(t, 1, counting.finds)
}
