package levelrules_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/levelrules"
	"github.com/gatehouse/gatehouse/modules/levelrules/levelrulestest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

var t0 = time.Date(2026, 12, 9, 9, 0, 0, 0, time.UTC)

type callers struct{}

type callerKey struct{}

func (callers) Caller(ctx context.Context) (*ports.Caller, error) {
	c, _ := ctx.Value(callerKey{}).(*ports.Caller)
	return c, nil
}

type env struct {
	store  *levelrulestest.Store
	audit  *portsfake.AuditTrail
	svc    *levelrules.Service
	runner *levelrules.Runner
	staff  *ports.Caller
}

func newEnv(t *testing.T, batch int) *env {
	e := &env{store: levelrulestest.NewStore(), audit: portsfake.NewAuditTrail(nil),
		staff: &ports.Caller{UserID: uuid.New(), Role: ports.RoleAdmin}}
	cfg := levelrules.DefaultConfig()
	cfg.Batch = batch
	e.svc = levelrules.NewService(cfg, e.store, e.store, e.store, portsfake.NewTxRunner(), e.audit, callers{},
		clock.NewManual(t0))
	e.runner = levelrules.NewRunner(e.svc, nil)
	return e
}

func (e *env) ctx() context.Context {
	return context.WithValue(context.Background(), callerKey{}, e.staff)
}

// user adds a user holding the PRIVATE labels keys (=verified) at the
// level they give under the seeded rules.
func (e *env) user(keys ...string) uuid.UUID {
	var labels []kyc.Label
	for _, k := range keys {
		labels = append(labels, kyc.Label{Key: k, Value: "verified", Scope: kyc.ScopePrivate})
	}
	rules, _ := e.store.LevelRules(context.Background())
	id := e.store.PutUser(kyc.ComputeLevel(rules, labels))
	for _, k := range keys {
		e.store.PutLabel(id, k, "verified", kyc.ScopePrivate)
	}
	return id
}

func (e *env) drain(t *testing.T) int {
	t.Helper()
	steps := 0
	for {
		more, err := e.runner.Step(context.Background())
		require.NoError(t, err)
		if !more {
			return steps
		}
		steps++
		require.Less(t, steps, 1000, "the job never ends")
	}
}

// TestAddingARuleRecomputesTheUsersItMoves: a level-3 rule demotes the
// level-3 users who lack its label, in batches (keyset on id), with the
// progress saved each batch; users below level 2 are not even read.
func TestAddingARuleRecomputesTheUsersItMoves(t *testing.T) {
	e := newEnv(t, 2)
	low := e.user("phone")                                            // level 1
	mid := e.user("phone", "email", "profile")                        // level 2
	full := e.user("phone", "email", "profile", "document", "selfie") // level 3
	fullAddr := e.user("phone", "email", "profile", "document", "selfie", "address")
	full2 := e.user("phone", "email", "profile", "document", "selfie")
	require.Equal(t, 3, e.store.Level(full))

	ctx, slot := ports.WithAuditSlot(e.ctx())
	r, j, err := e.svc.AddRule(ctx, levelrules.RuleInput{Level: 3, Key: "address", Value: "verified",
		Description: "Proof of address", Reason: "regulator asks"})
	require.NoError(t, err)
	assert.True(t, slot.Written())
	assert.Equal(t, "address", r.Key)
	assert.Equal(t, levelrules.JobRunning, j.State)
	assert.Equal(t, 2, j.MinLevel, "users below level 2 cannot move")
	assert.Equal(t, 4, j.Total)
	rows := e.audit.AdminActivities()
	require.Len(t, rows, 1)
	assert.Equal(t, "addLevelRule", rows[0].Action)
	assert.Equal(t, "regulator asks", rows[0].Reason)
	assert.Equal(t, j.ID.String(), rows[0].Input["job"])

	more, err := e.runner.Step(context.Background())
	require.NoError(t, err)
	require.True(t, more)
	got, err := e.svc.Job(e.ctx(), j.ID)
	require.NoError(t, err)
	assert.Equal(t, levelrules.JobRunning, got.State, "after one batch of two")
	assert.Equal(t, 2, got.Done)
	require.NotNil(t, got.AfterID)

	e.drain(t)
	got, err = e.svc.Job(e.ctx(), j.ID)
	require.NoError(t, err)
	assert.Equal(t, levelrules.JobDone, got.State)
	assert.Equal(t, 4, got.Done)
	assert.Equal(t, 4, got.Total)
	assert.Equal(t, 2, got.Changed)
	assert.NotNil(t, got.FinishedAt)
	assert.Equal(t, 1, e.store.Level(low))
	assert.Equal(t, 2, e.store.Level(mid))
	assert.Equal(t, 2, e.store.Level(full), "lacks the address")
	assert.Equal(t, 2, e.store.Level(full2), "lacks the address")
	assert.Equal(t, 3, e.store.Level(fullAddr))

	// Removing it promotes them back.
	removed, j2, err := e.svc.RemoveRule(e.ctx(), 3, "address", "withdrawn")
	require.NoError(t, err)
	require.True(t, removed)
	assert.Equal(t, 2, j2.MinLevel)
	e.drain(t)
	assert.Equal(t, 3, e.store.Level(full))
	assert.Equal(t, 3, e.store.Level(full2))
	removed, j3, err := e.svc.RemoveRule(e.ctx(), 3, "address", "again")
	require.NoError(t, err)
	assert.False(t, removed)
	assert.Nil(t, j3, "nothing changed: no job")
}

// TestANewTopLevelLiftsTheUsersHeldByTheOldTop: a rule of a new level 5
// lifts the level-3 users (held there by the old top) who hold its label
// to 5, and the others to 4 (a level without rules holds by itself, as
// kyc.ComputeLevel has it); the job starts at the old top.
func TestANewTopLevelLiftsTheUsersHeldByTheOldTop(t *testing.T) {
	e := newEnv(t, 10)
	top := e.user("phone", "email", "profile", "document", "selfie", "wealth")
	other := e.user("phone", "email", "profile", "document", "selfie")
	_, j, err := e.svc.AddRule(e.ctx(), levelrules.RuleInput{Level: 5, Key: "wealth", Value: "verified", Reason: "r"})
	require.NoError(t, err)
	assert.Equal(t, 3, j.MinLevel)
	e.drain(t)
	assert.Equal(t, 5, e.store.Level(top))
	assert.Equal(t, 4, e.store.Level(other))
}

// TestAJobResumesAfterARestart: a new runner (another process) over the
// same store takes the job up after its last committed batch.
func TestAJobResumesAfterARestart(t *testing.T) {
	e := newEnv(t, 1)
	var ids []uuid.UUID
	for range 3 {
		ids = append(ids, e.user("phone", "email", "profile", "document", "selfie"))
	}
	_, j, err := e.svc.AddRule(e.ctx(), levelrules.RuleInput{Level: 3, Key: "address", Value: "verified", Reason: "r"})
	require.NoError(t, err)
	_, err = e.runner.Step(context.Background())
	require.NoError(t, err)
	// The process dies here; another starts.
	r2 := levelrules.NewRunner(e.svc, nil)
	r2.Poll = 10 * time.Millisecond
	require.NoError(t, r2.Start(context.Background()))
	t.Cleanup(func() { _ = r2.Stop(context.Background()) })
	require.Eventually(t, func() bool {
		got, err := e.svc.Job(e.ctx(), j.ID)
		return err == nil && got.State == levelrules.JobDone
	}, 5*time.Second, 5*time.Millisecond)
	got, _ := e.svc.Job(e.ctx(), j.ID)
	assert.Equal(t, 3, got.Done, "each user once")
	for _, id := range ids {
		assert.Equal(t, 2, e.store.Level(id))
	}
}

func TestLevelRuleRefusals(t *testing.T) {
	e := newEnv(t, 10)
	ctx := e.ctx()
	cases := []struct {
		name  string
		in    levelrules.RuleInput
		field string
	}{
		{"level 0", levelrules.RuleInput{Level: 0, Key: "k", Value: "v", Reason: "r"}, "level"},
		{"level too high", levelrules.RuleInput{Level: 21, Key: "k", Value: "v", Reason: "r"}, "level"},
		{"key", levelrules.RuleInput{Level: 1, Key: "Key", Value: "v", Reason: "r"}, "key"},
		{"key spaces", levelrules.RuleInput{Level: 1, Key: " k", Value: "v", Reason: "r"}, "key"},
		{"value empty", levelrules.RuleInput{Level: 1, Key: "k", Value: "", Reason: "r"}, "value"},
		{"value long", levelrules.RuleInput{Level: 1, Key: "k", Value: strings.Repeat("v", 256), Reason: "r"}, "value"},
		{"description", levelrules.RuleInput{Level: 1, Key: "k", Value: "v", Description: strings.Repeat("d", 201), Reason: "r"}, "description"},
		{"reason", levelrules.RuleInput{Level: 1, Key: "k", Value: "v"}, "reason"},
	}
	for _, tc := range cases {
		_, _, err := e.svc.AddRule(ctx, tc.in)
		errtest.Code(t, err, ports.CodeValidationFailed)
		assert.Contains(t, errtest.Fields(t, err), tc.field, tc.name)
	}
	_, _, err := e.svc.AddRule(ctx, levelrules.RuleInput{Level: 3, Key: "document", Value: "v", Reason: "r"})
	errtest.Code(t, err, ports.CodeConflict)
	_, _, err = e.svc.RemoveRule(ctx, 0, "k", "r")
	errtest.Code(t, err, ports.CodeValidationFailed)
	_, err = e.svc.Jobs(ctx, 101)
	errtest.Code(t, err, ports.CodeValidationFailed)
	_, err = e.svc.Job(ctx, uuid.New())
	errtest.Code(t, err, ports.CodeNotFound)
	_, _, err = e.svc.AddRule(context.Background(), levelrules.RuleInput{Level: 1, Key: "k", Value: "v", Reason: "r"})
	errtest.Code(t, err, ports.CodeUnauthenticated)
	assert.Empty(t, e.audit.AdminActivities())
	_, _, err = e.svc.AddRule(ctx, levelrules.RuleInput{Level: 1, Key: "k", Value: "v", Reason: "r"})
	require.NoError(t, err)
	for i := 0; ; i++ {
		_, _, err = e.svc.AddRule(ctx, levelrules.RuleInput{Level: 4, Key: "k" + string(rune('a'+i%26)) + string(rune('a'+i/26)),
			Value: "v", Reason: "r"})
		if err != nil {
			break
		}
		require.Less(t, i, 200)
	}
	errtest.Code(t, err, ports.CodeConflict)
	var pe *ports.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, levelrules.ReasonRuleLimit, pe.Reason)
}
