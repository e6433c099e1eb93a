package otp_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// On real PostgreSQL, a failing "then" undoes the consumption with its own
// writes: the code can be used again (the fakes cannot show a rollback).
func TestVerifyThenFailureLeavesTheCodeUnspent(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	cfg := otp.DefaultConfig()
	cfg.HMACKey = testKey
	sms := portsfake.NewSMSSender()
	c := clock.NewManual(t0)
	svc := otp.NewService(cfg, postgres.NewChallengeStore(db), postgres.NewTxRunner(db), portsfake.NewOutbox(sms, portsfake.NewEmailSender()), c,
		postgres.NewActivityLog(db), slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	ch, err := svc.Start(ctx, otp.StartRequest{Purpose: otp.PurposeSignup, To: phone})
	require.NoError(t, err)
	code, ok := sms.LastCode(phone)
	require.True(t, ok)

	boom := errors.New("then failed")
	_, err = svc.VerifyThen(ctx, ch.ID, otp.PurposeSignup, code, func(ctx context.Context, v otp.Verified) error {
		// Stores write through the transaction carried by ctx.
		require.NoError(t, postgres.NewTicketStore(db).Create(ctx, identity.Ticket{ID: uuid.New(), Purpose: "P",
			Subject: v.Destination, ExpiresAt: t0, CreatedAt: t0}, []byte("then-wrote")))
		return boom
	})
	require.ErrorIs(t, err, boom)
	var n int
	require.NoError(t, db.NewRaw("SELECT count(*) FROM tickets").Scan(ctx, &n))
	assert.Equal(t, 0, n, "then's write survived its failure")

	v, err := svc.Verify(ctx, ch.ID, otp.PurposeSignup, code)
	require.NoError(t, err, "the code should still work")
	assert.Equal(t, phone, v.Destination)
}
