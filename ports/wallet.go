package ports

import (
	"context"

	"github.com/google/uuid"
)

// WalletAddressProvider gives each portfolio its blockchain public
// address; the same id always gets the same address.
type WalletAddressProvider interface {
	Address(ctx context.Context, portfolioID uuid.UUID) (string, error)
}
