package selfie_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/adapters/selfie"
	"github.com/gatehouse/gatehouse/modules/pinreset"
)

func TestQueueLeavesEverySelfieToStaff(t *testing.T) {
	q := selfie.NewQueue()
	for range 3 {
		verdict, err := q.Verify(context.Background(), pinreset.SelfieCheck{UserID: uuid.New(),
			PINResetID: uuid.New(), SelfieFileID: uuid.New(), DocumentID: uuid.New()})
		require.NoError(t, err)
		require.Equal(t, pinreset.SelfiePendingReview, verdict)
	}
}

func TestQueueHonoursCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	verdict, err := selfie.NewQueue().Verify(ctx, pinreset.SelfieCheck{})
	require.ErrorIs(t, err, context.Canceled)
	require.Empty(t, verdict)
}
