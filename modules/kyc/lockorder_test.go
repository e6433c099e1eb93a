package kyc_test

import (
	"context"
	"crypto/sha256"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
)

// Every transaction of the PIN reset by document takes the user's lock
// before its first write (and only the subject's when staff decide).
func TestPINResetChangesRunUnderTheUserLock(t *testing.T) {
	e, c := lockedEnv(t)
	verifier := &pinResetVerifier{verdict: kyc.SelfiePendingReview}
	e.parts.selfies = verifier
	e.parts.codes = &pinResetOTP{Codes: e.parts.codes}
	e.rebuild()
	ctx := context.Background()
	u := e.user(ports.RoleMember, "+447911123456")
	require.NoError(t, e.creds.CreatePIN(ctx, u.ID, "hash", t0))
	compliance := e.user(ports.RoleCompliance, "")
	step := func(name string, fn func() error) {
		t.Helper()
		before := c.locks
		require.NoError(t, fn(), name)
		require.Empty(t, c.take(), "%s used the user's rows before locking them", name)
		require.Greater(t, c.locks, before, "%s locked nothing", name)
	}
	verify := func() kyc.PINResetTicket {
		t.Helper()
		ch, err := e.svc.StartPINReset(ctx, u.Phone, identity.DeviceProof{})
		require.NoError(t, err)
		code, ok := e.sms.LastCode(u.Phone)
		require.True(t, ok)
		var tk kyc.PINResetTicket
		step("verifyPinReset", func() error {
			tk, err = e.svc.VerifyPINReset(ctx, ch.ID, code)
			return err
		})
		return tk
	}
	tk := verify()
	require.Equal(t, kyc.PINResetDocumentRequired, tk.Status)
	step("uploadPinResetDocument", func() error {
		_, err := e.svc.UploadPINResetDocument(ctx, kyc.PINResetDocumentInput{Ticket: tk.Ticket, Type: kyc.DocPassport,
			Number: "P1", Front: up(jpegOf(t, 8, 8))})
		return err
	})
	step("submitPinResetSelfie", func() error {
		_, err := e.svc.SubmitPINResetSelfie(ctx, tk.Ticket, up(pngOf(t, 8, 8)))
		return err
	})
	r := e.resetOfTicket(tk.Ticket)
	step("approvePinReset", func() error {
		_, err := e.svc.ApprovePINReset(e.as(compliance), r.ID)
		return err
	})
	step("completePinReset", func() error {
		return e.parts.tx.InTx(ctx, func(ctx context.Context) error {
			_, err := e.svc.RedeemPINReset(ctx, tk.Ticket)
			return err
		})
	})

	// A reset the verifier rejects at once: its decision too runs under
	// the lock. A second verification supersedes the open reset under it.
	verifier.verdict = kyc.SelfieNoMatch
	first := verify()
	second := verify()
	require.Equal(t, kyc.PINResetRejected, e.resetOfTicket(first.Ticket).Status, "superseded")
	step("uploadPinResetDocument", func() error {
		_, err := e.svc.UploadPINResetDocument(ctx, kyc.PINResetDocumentInput{Ticket: second.Ticket, Type: kyc.DocPassport,
			Number: "P1", Front: up(jpegOf(t, 8, 8))})
		return err
	})
	step("submitPinResetSelfie (verifier decides)", func() error {
		p, err := e.svc.SubmitPINResetSelfie(ctx, second.Ticket, up(pngOf(t, 8, 8)))
		if err == nil {
			require.Equal(t, kyc.PINResetRejected, p.Status)
		}
		return err
	})
}

func (e *env) resetOfTicket(ticket string) kyc.PINReset {
	e.t.Helper()
	sum := sha256.Sum256([]byte(ticket))
	r, err := e.store.FindPINReset(context.Background(), sum[:])
	require.NoError(e.t, err)
	return r
}
