package apikeys_test

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/apikeys"
	"github.com/gatehouse/gatehouse/modules/apikeys/apikeystest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

var t0 = time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)

// callers is a fake ports.CallerSource: the caller is carried in ctx.
type callers struct{}

type callerKey struct{}

func (callers) Caller(ctx context.Context) (*ports.Caller, error) {
	c, _ := ctx.Value(callerKey{}).(*ports.Caller)
	return c, nil
}

type env struct {
	t       *testing.T
	cfg     apikeys.Config
	clock   *clock.Manual
	store   *apikeystest.Store
	tfa     *apikeystest.SecondFactor
	acts    *portsfake.ActivityLog
	limiter ports.RateLimiter
	auth    *apikeys.Authenticator
	keys    *apikeys.Manage
	user    uuid.UUID
}

const goodCode = "123456"

func newEnv(t *testing.T) *env {
	e := &env{t: t, cfg: apikeys.DefaultConfig(), clock: clock.NewManual(t0), store: apikeystest.NewStore(),
		tfa: apikeystest.NewSecondFactor(), acts: portsfake.NewActivityLog(), user: uuid.New()}
	e.cfg.BadSignaturesPer15Min = 3
	box := portsfake.NewSecretBox()
	e.limiter = portsfake.NewRateLimiter(e.clock)
	e.auth = apikeys.NewAuthenticator(e.cfg, e.store, e.store, box, e.limiter, e.clock)
	e.keys = apikeys.NewManage(e.cfg, e.store, e.tfa, box, callers{}, e.acts, e.clock, slog.New(slog.DiscardHandler))
	e.tfa.TurnOn(e.user, goodCode)
	return e
}

// as is a request of the user's own session.
func (e *env) as(userID uuid.UUID) context.Context {
	return context.WithValue(context.Background(), callerKey{}, &ports.Caller{UserID: userID, Role: ports.RoleMember})
}

func (e *env) create(scopes ...string) apikeys.Credentials {
	e.t.Helper()
	c, err := e.keys.Create(e.as(e.user), scopes, goodCode)
	require.NoError(e.t, err)
	return c
}

// nonce is the clock's instant plus skew, as a bot would send it.
func (e *env) nonce(skew time.Duration) string {
	return strconv.FormatInt(e.clock.Now().Add(skew).UnixMilli(), 10)
}

// call authenticates a request signed with secret.
func (e *env) call(c apikeys.Credentials, secret, nonce string) (uuid.UUID, ports.Program, error) {
	id := c.Key.ID.String()
	return e.auth.Authenticate(context.Background(), id, nonce, apikeys.Signature(secret, nonce, id))
}

func reason(t *testing.T, err error) string {
	t.Helper()
	var pe *ports.Error
	require.True(t, errors.As(err, &pe), "not an application error: %v", err)
	return pe.Reason
}
