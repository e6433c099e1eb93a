package partners_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/partners"
	"github.com/gatehouse/gatehouse/modules/partners/partnerstest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

var t0 = time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)

type callerKey struct{}

// callers is a CallerSource reading the caller from the context.
type callers struct{}

func (callers) Caller(ctx context.Context) (*ports.Caller, error) {
	c, _ := ctx.Value(callerKey{}).(*ports.Caller)
	return c, nil
}

type env struct {
	t          *testing.T
	cfg        partners.Config
	clock      *clock.Manual
	apps       *partnerstest.Store
	rules      *portsfake.Rules
	activities *portsfake.ActivityLog
	tokens     ports.TokenSigner
	manage     *partners.Manage
	issuer     *partners.Tokens
}

func newEnv(t *testing.T, tweak ...func(*partners.Config)) *env {
	cfg := partners.DefaultConfig()
	for _, f := range tweak {
		f(&cfg)
	}
	e := &env{t: t, cfg: cfg, clock: clock.NewManual(t0), apps: partnerstest.NewStore(), rules: portsfake.DefaultRules(),
		activities: portsfake.NewActivityLog(), tokens: portsfake.NewTokenSigner()}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.manage = partners.NewManage(cfg, e.apps, callers{}, e.rules, e.clock, e.activities, log)
	e.issuer = partners.NewTokens(cfg, e.apps, e.tokens, portsfake.NewRateLimiter(e.clock), e.clock, e.activities, log)
	return e
}

// as is a request of a user with role from ip.
func as(role string) context.Context {
	ctx := ports.WithRequestMeta(context.Background(), ports.RequestMeta{IP: "203.0.113.9", UserAgent: "test"})
	if role == ports.RoleAnonymous {
		return ctx
	}
	return context.WithValue(ctx, callerKey{}, &ports.Caller{UserID: uuid.New(), Role: role})
}

func from(ip string) context.Context {
	return ports.WithRequestMeta(context.Background(), ports.RequestMeta{IP: ip})
}

func (e *env) create(name string, scopes ...string) partners.Credentials {
	e.t.Helper()
	c, err := e.manage.Create(as(ports.RoleAdmin), partners.CreateInput{Name: name, Scopes: scopes})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}
