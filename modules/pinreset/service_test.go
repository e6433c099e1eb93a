package pinreset_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/pinreset"
)

type ctxKey struct{}

// pins runs Redeem inside its "transaction" (a context it marks), as
// identity does, and sets the PIN only when Redeem succeeds.
type pins struct {
	got    identity.PINResetByProof
	setFor uuid.UUID
}

func (p *pins) ResetPINWithProof(ctx context.Context, in identity.PINResetByProof) (identity.Auth, error) {
	p.got = in
	uid, err := in.Redeem(context.WithValue(ctx, ctxKey{}, "tx"))
	if err != nil {
		return identity.Auth{}, err
	}
	p.setFor = uid
	return identity.Auth{}, nil
}

type tickets struct {
	user   uuid.UUID
	err    error
	ticket string
	inTx   bool
}

func (t *tickets) RedeemPINReset(ctx context.Context, ticket string) (uuid.UUID, error) {
	t.ticket, t.inTx = ticket, ctx.Value(ctxKey{}) == "tx"
	return t.user, t.err
}

func TestCompleteSpendsTheTicketInsideIdentitysTransaction(t *testing.T) {
	p, tk := &pins{}, &tickets{user: uuid.New()}
	_, err := pinreset.NewService(p, tk).Complete(context.Background(), pinreset.CompleteInput{Ticket: "ghpr_x",
		PIN: "2580", ConfirmPIN: "2580", DeviceKey: "dev-1", DeviceName: "Phone"})
	require.NoError(t, err)
	require.Equal(t, "ghpr_x", tk.ticket)
	require.True(t, tk.inTx, "the ticket is spent inside the PIN's transaction")
	require.Equal(t, tk.user, p.setFor)
	require.Equal(t, identity.PINResetByProof{PIN: "2580", ConfirmPIN: "2580", DeviceKey: "dev-1", DeviceName: "Phone"},
		identity.PINResetByProof{PIN: p.got.PIN, ConfirmPIN: p.got.ConfirmPIN, DeviceKey: p.got.DeviceKey,
			DeviceName: p.got.DeviceName})
}

func TestCompleteFailsWithTheTicket(t *testing.T) {
	refused := errors.New("not approved")
	p := &pins{}
	_, err := pinreset.NewService(p, &tickets{err: refused}).Complete(context.Background(),
		pinreset.CompleteInput{Ticket: "ghpr_x", PIN: "2580", ConfirmPIN: "2580", DeviceKey: "d"})
	require.ErrorIs(t, err, refused)
	require.Equal(t, uuid.Nil, p.setFor, "no PIN without a spent ticket")
}
