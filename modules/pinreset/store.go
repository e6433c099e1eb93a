package pinreset

import (
	"context"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
)

// PINs sets a PIN for a user who proved who they are another way
// (identity's service).
type PINs interface {
	// ResetPINWithProof runs in.Redeem inside the transaction that sets
	// the PIN, then signs in on the device.
	ResetPINWithProof(ctx context.Context, in identity.PINResetByProof) (identity.Auth, error)
}

// Tickets spends approved PIN reset tickets (kyc's service).
type Tickets interface {
	// RedeemPINReset spends an APPROVED ticket and returns the user whose
	// PIN may be set.
	RedeemPINReset(ctx context.Context, ticket string) (uuid.UUID, error)
}
