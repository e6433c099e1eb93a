package accounts

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// Hook opens a user's first account when the user becomes usable. It
// needs only stores: identity calls it, so it must not depend on identity.
type Hook struct {
	accounts Store
	clock    ports.Clock
}

var _ identity.UserHook = (*Hook)(nil)

// NewHook returns the hook.
func NewHook(accounts Store, clock ports.Clock) *Hook {
	return &Hook{accounts: accounts, clock: clock}
}

// OnUserEvent opens an account (with the user's email) on UserActivated
// unless the user has one already; it runs inside identity's transaction,
// so the account commits with the activation.
func (h *Hook) OnUserEvent(ctx context.Context, e identity.UserEvent) error {
	if e.Kind != identity.UserActivated {
		return nil
	}
	have, err := h.accounts.AccountsByUsers(ctx, []uuid.UUID{e.User.ID})
	if err != nil || len(have) > 0 {
		return err
	}
	return h.accounts.CreateAccount(ctx, newAccount(e.User, h.clock.Now().UTC().Truncate(time.Microsecond)))
}
