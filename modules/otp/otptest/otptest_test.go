package otptest_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/modules/otp/otptest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// TestStoreContract runs the suite the PostgreSQL adapter also passes.
func TestStoreContract(t *testing.T) {
	otptest.RunStore(t, func(t *testing.T) otptest.Stores {
		return otptest.Stores{Store: otptest.NewStore(), Tx: portsfake.NewTxRunner()}
	})
}

func TestChallengeSends(t *testing.T) {
	ctx := context.Background()
	s := otptest.NewStore()
	c := otp.Challenge{ID: uuid.New(), Destination: "+1", CreatedAt: otptest.T0}
	require.NoError(t, s.Create(ctx, c))
	require.NoError(t, s.Rearm(ctx, c, otptest.T0.Add(time.Minute)))
	n, oldest, err := s.SendsSince(ctx, otp.SendQuery{Destination: "+1", Since: otptest.T0.Add(-time.Second)})
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.Equal(t, otptest.T0, oldest)
	n, oldest, _ = s.SendsSince(ctx, otp.SendQuery{Destination: "+1", Since: otptest.T0.Add(time.Second)})
	assert.Equal(t, 1, n)
	assert.Equal(t, otptest.T0.Add(time.Minute), oldest)
	got, err := s.GetForUpdate(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, got.Sends)

	ok, err := s.MarkConsumed(ctx, c.ID, otptest.T0)
	require.NoError(t, err)
	assert.True(t, ok)
	ok, _ = s.MarkConsumed(ctx, c.ID, otptest.T0)
	assert.False(t, ok, "consumed once only")
}
