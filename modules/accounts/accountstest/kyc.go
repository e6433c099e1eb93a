package accountstest

import (
	"context"
	"sync"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/accounts"
	"github.com/gatehouse/gatehouse/modules/kyc"
)

var _ accounts.KYCStatuses = (*KYCStatuses)(nil)

// KYCStatuses implements accounts.KYCStatuses in memory: a user's status
// is what Set last gave it, NONE before. Its provider is kyc.Review,
// not a store, so it has no PostgreSQL contract; the kyc module's tests
// pin KYCStatusOf, and the app's end-to-end tests cover portfolios
// opening only after an approval.
type KYCStatuses struct {
	mu sync.Mutex
	m  map[uuid.UUID]kyc.KYCStatus
}

// NewKYCStatuses returns statuses where every user is NONE.
func NewKYCStatuses() *KYCStatuses { return &KYCStatuses{m: map[uuid.UUID]kyc.KYCStatus{}} }

// Set makes status (and, for REJECTED, reason) the user's.
func (k *KYCStatuses) Set(userID uuid.UUID, status kyc.Status, reason string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[userID] = kyc.KYCStatus{Status: status, Reason: reason}
}

// KYCStatusOf returns the user's status; it does not check the caller.
func (k *KYCStatuses) KYCStatusOf(ctx context.Context, userID uuid.UUID) (kyc.KYCStatus, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if st, ok := k.m[userID]; ok {
		return st, nil
	}
	return kyc.KYCStatus{Status: kyc.StatusNone}, nil
}
