package pinreset_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/modules/pinreset/pinresettest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

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
	ch, err := e.svc.Steps.Start(e.ctx(), u.Phone, identity.DeviceProof{})
	require.NoError(t, err)
	code, ok := e.sms.LastCode(u.Phone)
	require.True(t, ok)
	// The account moved to another number before the code was used.
	require.NoError(t, e.users.SetPhone(context.Background(), u.ID, "+447911123339", pinResetT0))
	_, err = e.svc.Steps.Verify(e.ctx(), ch.ID, code)
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
	ch, err := e.svc.Steps.Start(e.ctx(), u.Phone, identity.DeviceProof{})
	require.NoError(t, err)
	code, _ := e.sms.LastCode(u.Phone)
	_, err = e.svc.Steps.Verify(e.ctx(), ch.ID, code)
	pe := errtest.Code(t, err, ports.CodeConflict)
	require.Contains(t, pe.Message, "another PIN reset of this account was started at the same moment")
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
	_, err := e.svc.Steps.SubmitSelfie(e.ctx(), approved, pinResetPNG(t))
	require.NoError(t, err)
	id = e.resetOf(approved).ID
	staff, _ := e.as(ports.RoleCompliance)
	_, err = e.svc.Review.Approve(staff, id)
	require.NoError(t, err)
	e.clock.Advance(time.Minute)
	pending := e.ticket(pinResetPhone).Ticket
	_, err = e.svc.Steps.SubmitSelfie(e.ctx(), pending, pinResetPNG(t))
	require.NoError(t, err)
	e.clock.Advance(time.Minute)
	selfie := e.ticket(pinResetPhone).Ticket // supersedes the two before

	for _, tk := range []string{approved, pending} {
		p, err := e.svc.Steps.Status(e.ctx(), tk)
		require.NoError(t, err)
		require.Equal(t, pinreset.Progress{Status: pinreset.Rejected, Reason: "superseded by a newer reset",
			ExpiresAt: e.resetOf(tk).ExpiresAt}, p)
	}
	_, err = pinreset.Redeem(e.svc.Steps, e.ctx(), approved)
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "REJECTED")
	p, err := e.svc.Steps.Status(e.ctx(), selfie)
	require.NoError(t, err)
	require.Equal(t, pinreset.SelfieRequired, p.Status)
	p, err = e.svc.Steps.Status(e.ctx(), other.Ticket)
	require.NoError(t, err)
	require.Equal(t, pinreset.SelfieRequired, p.Status, "another user's reset stays")
	require.Len(t, e.activities.WithAction("pin_reset.superseded"), 2)
}
