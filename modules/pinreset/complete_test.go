package pinreset_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

// txMark marks the context of identity's transaction in these tests.
type txMark struct{}

// pins plays identity: it runs Redeem inside its transaction (a context
// it marks) and sets the PIN only when Redeem succeeds.
type pins struct {
	got    identity.PINResetByProof
	setFor uuid.UUID
}

func (p *pins) ResetPINWithProof(ctx context.Context, in identity.PINResetByProof) (identity.Auth, error) {
	p.got = in
	uid, err := in.Redeem(context.WithValue(ctx, txMark{}, true))
	if err != nil {
		return identity.Auth{}, err
	}
	p.setFor = uid
	return identity.Auth{}, nil
}

// spentIn remembers whether the ticket was spent in identity's
// transaction.
type spentIn struct {
	pinreset.Resets
	inTx *bool
}

func (s spentIn) Transition(ctx context.Context, id uuid.UUID, from []pinreset.Status, c pinreset.Change) (pinreset.Reset, error) {
	if c.Status == pinreset.Completed {
		*s.inTx = ctx.Value(txMark{}) == true
	}
	return s.Resets.Transition(ctx, id, from, c)
}

func TestCompleteSpendsTheTicketInsideIdentitysTransaction(t *testing.T) {
	e := newPinResetEnv(t)
	p, inTx := &pins{}, false
	e.parts.pins, e.parts.resets = p, spentIn{Resets: e.resets, inTx: &inTx}
	e.rebuild()
	ticket, id := e.pending(pinResetPhone)
	staff, _ := e.as(ports.RoleCompliance)
	_, err := e.svc.Review.Approve(staff, id)
	require.NoError(t, err)

	_, err = e.svc.Steps.Complete(e.ctx(), pinreset.CompleteInput{Ticket: ticket, PIN: "2580", ConfirmPIN: "2580",
		DeviceKey: "dev-1", DeviceName: "Phone"})
	require.NoError(t, err)
	require.True(t, inTx, "the ticket is spent inside the PIN's transaction")
	require.Equal(t, e.resetOf(ticket).UserID, p.setFor)
	require.Equal(t, pinreset.Completed, e.resetOf(ticket).Status)
	require.Equal(t, identity.PINResetByProof{PIN: "2580", ConfirmPIN: "2580", DeviceKey: "dev-1", DeviceName: "Phone"},
		identity.PINResetByProof{PIN: p.got.PIN, ConfirmPIN: p.got.ConfirmPIN, DeviceKey: p.got.DeviceKey,
			DeviceName: p.got.DeviceName})
}

func TestCompleteFailsWithTheTicket(t *testing.T) {
	e := newPinResetEnv(t)
	p := &pins{}
	e.parts.pins = p
	e.rebuild()
	ticket, _ := e.pending(pinResetPhone) // not approved
	_, err := e.svc.Steps.Complete(e.ctx(), pinreset.CompleteInput{Ticket: ticket, PIN: "2580", ConfirmPIN: "2580",
		DeviceKey: "d"})
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "PENDING_REVIEW")
	require.Equal(t, uuid.Nil, p.setFor, "no PIN without a spent ticket")
	_, err = e.svc.Steps.Complete(e.ctx(), pinreset.CompleteInput{Ticket: "ghpr_x", PIN: "2580", ConfirmPIN: "2580",
		DeviceKey: "d"})
	errtest.Code(t, err, ports.CodeNotFound)
	require.Equal(t, uuid.Nil, p.setFor)
}
