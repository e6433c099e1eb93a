package otp_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/modules/otp/otptest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

const phone = "+447911123456"

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// testKey is a fixed 32-byte HMAC key so tests can recompute digests.
var testKey = []byte("0123456789abcdef0123456789abcdef")

type env struct {
	t          *testing.T
	clock      *clock.Manual
	store      *otptest.Store
	sms        *portsfake.SMSSender
	emails     *portsfake.EmailSender
	outbox     *portsfake.Outbox
	activities *portsfake.ActivityLog
	svc        *otp.Service
}

func newEnv(t *testing.T) *env {
	t.Helper()
	cfg := otp.DefaultConfig()
	cfg.HMACKey = testKey
	require.NoError(t, cfg.Validate())
	e := &env{t: t, clock: clock.NewManual(t0), store: otptest.NewStore(),
		sms: portsfake.NewSMSSender(), emails: portsfake.NewEmailSender(), activities: portsfake.NewActivityLog()}
	e.outbox = portsfake.NewOutbox(e.sms, e.emails)
	e.svc = otp.NewService(cfg, e.store, portsfake.NewTxRunner(), e.outbox, e.clock, e.activities,
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	return e
}

func (e *env) ctx() context.Context {
	return ports.WithRequestMeta(context.Background(), ports.RequestMeta{IP: "203.0.113.7", UserAgent: "test"})
}

// start sends a sign-up code to to and returns the challenge and code.
func (e *env) start(to string) (otp.ChallengeView, string) {
	e.t.Helper()
	ch, err := e.svc.Start(e.ctx(), otp.StartRequest{Purpose: otp.PurposeSignup, To: to})
	require.NoError(e.t, err)
	return ch, e.lastCode(to)
}

func (e *env) lastCode(to string) string {
	e.t.Helper()
	code, ok := e.sms.LastCode(to)
	require.True(e.t, ok, "no code sent to %s", to)
	return code
}

func (e *env) stored(id uuid.UUID) otp.Challenge {
	e.t.Helper()
	c, err := e.store.GetForUpdate(context.Background(), id)
	require.NoError(e.t, err)
	return c
}

// wrong returns a well-formed code that differs from code.
func wrong(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

// retryAfter returns the RetryAfter of err, failing when err is not a
// *ports.Error.
func retryAfter(t *testing.T, err error) time.Duration {
	t.Helper()
	var pe *ports.Error
	require.ErrorAs(t, err, &pe)
	return pe.RetryAfter
}
