package platform_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/platform"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// callers is a fake ports.CallerSource: the caller is carried in ctx.
type callers struct{}

type callerKey struct{}

func (callers) Caller(ctx context.Context) (*ports.Caller, error) {
	c, _ := ctx.Value(callerKey{}).(*ports.Caller)
	return c, nil
}

type opEnv struct {
	*env
	op    *platform.Operator
	audit *portsfake.AuditTrail
	staff *ports.Caller
}

func newOpEnv(t *testing.T) *opEnv {
	e := &opEnv{env: newEnv(t), audit: portsfake.NewAuditTrail(nil),
		staff: &ports.Caller{UserID: uuid.New(), Role: ports.RoleAdmin}}
	e.op = platform.NewOperator(e.svc, e.store, e.store, e.store, portsfake.NewTxRunner(), e.audit,
		portsfake.NewActivityLog(), callers{}, e.clock)
	return e
}

func (e *opEnv) ctx() context.Context {
	return context.WithValue(context.Background(), callerKey{}, e.staff)
}

// TestOperatorChangesAreAuditedAndDropTheCache: a change commits one
// admin activity naming the staff member, the reason and what it
// replaced, and the cached appConfig shows it at once (not after
// CacheTTL).
func TestOperatorChangesAreAuditedAndDropTheCache(t *testing.T) {
	e := newOpEnv(t)
	ctx, slot := ports.WithAuditSlot(e.ctx())
	c, err := e.svc.AppConfig(ctx, "WEB", "")
	require.NoError(t, err)
	require.False(t, c.Maintenance)

	_, err = e.op.SetMaintenance(ctx, platform.MaintenanceInput{Enabled: true, Message: "  back soon ", Reason: "upgrade"})
	require.NoError(t, err)
	assert.True(t, slot.Written(), "the operation says it wrote its own admin activity")
	c, err = e.svc.AppConfig(ctx, "WEB", "")
	require.NoError(t, err)
	assert.True(t, c.Maintenance, "the cache was dropped")
	assert.Equal(t, "back soon", c.MaintenanceMessage)
	rows := e.audit.AdminActivities()
	require.Len(t, rows, 1)
	assert.Equal(t, e.staff.UserID, rows[0].AdminID)
	assert.Equal(t, "setMaintenance", rows[0].Action)
	assert.Equal(t, "upgrade", rows[0].Reason)
	assert.Equal(t, map[string]any{"enabled": false, "message": ""}, rows[0].Input["before"])

	_, err = e.op.SetFeatureFlag(e.ctx(), platform.FeatureFlagInput{Key: "pin_sign_in", Enabled: false, Reason: "incident"})
	require.NoError(t, err)
	c, err = e.svc.AppConfig(ctx, "WEB", "")
	require.NoError(t, err)
	for _, f := range c.Features {
		assert.NotEqual(t, "pin_sign_in", f.Key)
	}
	rows = e.audit.AdminActivities()
	assert.Equal(t, map[string]any{"enabled": true, "description": "Sign-in with a PIN on a trusted device"},
		rows[len(rows)-1].Input["before"])

	n := 60
	_, err = e.op.SetClientRules(e.ctx(), platform.ClientRulesInput{IdleTimeSeconds: 120, OTPLifetimeSeconds: &n, Reason: "r"})
	require.NoError(t, err)
	c, err = e.svc.AppConfig(ctx, "WEB", "")
	require.NoError(t, err)
	assert.Equal(t, 120, c.IdleTimeSeconds)
	assert.Equal(t, 60.0, c.OTPLifetime.Seconds())

	_, err = e.op.SetAppContents(e.ctx(), map[string]any{"home": map[string]any{"banner": "show"}}, "layout")
	require.NoError(t, err)
	_, err = e.op.SetPushChannels(e.ctx(), []string{"all"}, "topics")
	require.NoError(t, err)
	c, err = e.svc.AppConfig(ctx, "WEB", "")
	require.NoError(t, err)
	assert.JSONEq(t, `{"home":{"banner":"show"}}`, string(c.Contents))
	assert.Equal(t, []string{"all"}, c.PushChannels)
	assert.Equal(t, 5, len(e.audit.AdminActivities()))
}

// TestOperatorChangeFailsWholeWhenTheAuditCannotBeWritten: the change and
// its admin activity commit together or not at all.
func TestOperatorChangeFailsWholeWhenTheAuditCannotBeWritten(t *testing.T) {
	e := newOpEnv(t)
	e.audit.FailRecordsWith(errors.New("audit down"))
	ctx, slot := ports.WithAuditSlot(e.ctx())
	_, err := e.op.SetPushChannels(ctx, []string{"all"}, "topics")
	require.Error(t, err)
	assert.False(t, slot.Written())
	// The fake transaction does not roll back; the real one does (the
	// adapter's contract), so only the error and the slot are asserted.
}

func TestOperatorNeedsACaller(t *testing.T) {
	e := newOpEnv(t)
	_, err := e.op.SetMaintenance(context.Background(), platform.MaintenanceInput{Enabled: true, Reason: "r"})
	errtest.Code(t, err, ports.CodeUnauthenticated)
	_, err = e.op.Settings(context.Background())
	errtest.Code(t, err, ports.CodeUnauthenticated)
	_, err = e.op.AcceptTerms(context.Background(), "GENERAL", "1")
	errtest.Code(t, err, ports.CodeUnauthenticated)
}

// TestOperatorValidation: one case per rule, each naming its field.
func TestOperatorValidation(t *testing.T) {
	e := newOpEnv(t)
	ctx := e.ctx()
	deep := map[string]any{}
	cur := deep
	for range platform.MaxContentsDepth {
		next := map[string]any{}
		cur["n"] = next
		cur = next
	}
	many := make([]string, platform.MaxPushChannels+1)
	for i := range many {
		many[i] = "c" + strings.Repeat("x", i%5) + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	bad := -1
	cases := []struct {
		name  string
		call  func() error
		field string
	}{
		{"reason", func() error {
			_, err := e.op.SetMaintenance(ctx, platform.MaintenanceInput{Reason: " "})
			return err
		}, "reason"},
		{"bidi message", func() error {
			_, err := e.op.SetMaintenance(ctx, platform.MaintenanceInput{Message: "a\u202eb", Reason: "r"})
			return err
		}, "message"},
		{"platform", func() error {
			_, err := e.op.SetAppVersion(ctx, platform.AppVersionInput{Platform: "TV", MinimumVersion: "1.0.0",
				CurrentVersion: "1.0.0", Reason: "r"})
			return err
		}, "platform"},
		{"version part too long", func() error {
			_, err := e.op.SetAppVersion(ctx, platform.AppVersionInput{Platform: "IOS", MinimumVersion: "1.0.0",
				CurrentVersion: "1234567890.0.0", Reason: "r"})
			return err
		}, "currentVersion"},
		{"minimum above current by number, not text", func() error {
			_, err := e.op.SetAppVersion(ctx, platform.AppVersionInput{Platform: "IOS", MinimumVersion: "1.10.0",
				CurrentVersion: "1.9.0", Reason: "r"})
			return err
		}, "minimumVersion"},
		{"store url with credentials", func() error {
			_, err := e.op.SetAppVersion(ctx, platform.AppVersionInput{Platform: "IOS", MinimumVersion: "1.0.0",
				CurrentVersion: "1.0.0", StoreURL: "https://u:p@apps.example/x", Reason: "r"})
			return err
		}, "storeUrl"},
		{"negative otp", func() error {
			_, err := e.op.SetClientRules(ctx, platform.ClientRulesInput{IdleTimeSeconds: 300, OTPLifetimeSeconds: &bad, Reason: "r"})
			return err
		}, "otpLifetimeSeconds"},
		{"too deep", func() error { _, err := e.op.SetAppContents(ctx, deep, "r"); return err }, "contents"},
		{"NaN", func() error {
			_, err := e.op.SetAppContents(ctx, map[string]any{"n": nan()}, "r")
			return err
		}, "contents"},
		{"empty key", func() error { _, err := e.op.SetAppContents(ctx, map[string]any{"": 1}, "r"); return err }, "contents"},
		{"too many channels", func() error { _, err := e.op.SetPushChannels(ctx, many, "r"); return err }, "channels"},
		{"empty channel", func() error { _, err := e.op.SetPushChannels(ctx, []string{""}, "r"); return err }, "channels.0"},
		{"kind", func() error {
			_, err := e.op.PublishTerms(ctx, platform.PublishTermsInput{Kind: "_X", Version: "1", Title: "t", Body: "b", Reason: "r"})
			return err
		}, "kind"},
		{"body control", func() error {
			_, err := e.op.PublishTerms(ctx, platform.PublishTermsInput{Kind: "X", Version: "1", Title: "t", Body: "a\x07", Reason: "r"})
			return err
		}, "body"},
		{"publish too far", func() error {
			at := t0.AddDate(2, 0, 0)
			_, err := e.op.PublishTerms(ctx, platform.PublishTermsInput{Kind: "X", Version: "1", Title: "t", Body: "b",
				PublishAt: &at, Reason: "r"})
			return err
		}, "publishAt"},
		{"versions first", func() error { _, err := e.op.TermsVersions(ctx, "GENERAL", 101); return err }, "first"},
		{"accept version", func() error { _, err := e.op.AcceptTerms(ctx, "GENERAL", "a b"); return err }, "version"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			errtest.Code(t, err, ports.CodeValidationFailed)
			assert.Contains(t, errtest.Fields(t, err), tc.field)
		})
	}
	assert.Empty(t, e.audit.AdminActivities(), "a refused input writes nothing")
}

func nan() float64 {
	zero := 0.0
	return zero / zero
}

// TestOperatorBoundsFlagsAndKinds: a new flag past MaxFeatureFlags, or a
// new terms kind past MaxTermsKinds, is refused; existing ones still
// change.
func TestOperatorBoundsFlagsAndKinds(t *testing.T) {
	e := newOpEnv(t)
	ctx := e.ctx()
	flags, err := e.store.FeatureFlags(ctx)
	require.NoError(t, err)
	for i := len(flags); i < platform.MaxFeatureFlags; i++ {
		_, err := e.op.SetFeatureFlag(ctx, platform.FeatureFlagInput{Key: fmt.Sprintf("f%d", i), Enabled: true, Reason: "r"})
		require.NoError(t, err)
	}
	_, err = e.op.SetFeatureFlag(ctx, platform.FeatureFlagInput{Key: "one_more", Enabled: true, Reason: "r"})
	errtest.Code(t, err, ports.CodeConflict)
	var pe *ports.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, platform.ReasonFlagLimit, pe.Reason)
	_, err = e.op.SetFeatureFlag(ctx, platform.FeatureFlagInput{Key: "pin_sign_in", Enabled: false, Reason: "r"})
	require.NoError(t, err, "an existing flag still changes")

	for i := range platform.MaxTermsKinds {
		_, err := e.op.PublishTerms(ctx, platform.PublishTermsInput{Kind: fmt.Sprintf("K%d", i), Version: "1", Title: "t",
			Body: "b", Reason: "r"})
		require.NoError(t, err)
	}
	_, err = e.op.PublishTerms(ctx, platform.PublishTermsInput{Kind: "ONE_MORE", Version: "1", Title: "t", Body: "b", Reason: "r"})
	errtest.Code(t, err, ports.CodeConflict)
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, platform.ReasonKindLimit, pe.Reason)
	_, err = e.op.PublishTerms(ctx, platform.PublishTermsInput{Kind: "K0", Version: "2", Title: "t", Body: "b", Reason: "r"})
	require.NoError(t, err, "an existing kind still takes versions")
}
