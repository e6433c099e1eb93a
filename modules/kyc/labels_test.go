package kyc_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/kyc/kyctest"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/modules/otp/otptest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

func keys(ls []kyc.Label) []string {
	out := []string{}
	for _, l := range ls {
		out = append(out, l.Key+"="+l.Value+"/"+l.Scope)
	}
	return out
}

func TestLabelScopes(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "+447911123456")
	other := e.user(ports.RoleMember, "")
	support := e.user(ports.RoleSupport, "")
	require.NoError(t, e.hook.OnUserEvent(context.Background(), identity.UserEvent{Kind: identity.UserActivated, User: u}))

	l, err := e.svc.Labels.SetMyLabel(e.as(u), kyc.LabelInput{Key: "nickname", Value: "ada", Description: "what friends say"})
	require.NoError(t, err)
	require.Equal(t, kyc.ScopePublic, l.Scope)

	_, err = e.svc.Labels.SetMyLabel(e.as(u), kyc.LabelInput{Key: kyc.LabelPhone, Value: "unverified"})
	errtest.Code(t, err, ports.CodeConflict, "a PRIVATE key is not the owner's")
	_, err = e.svc.Labels.RemoveMyLabel(e.as(u), kyc.LabelPhone)
	errtest.Code(t, err, ports.CodeConflict)
	require.Equal(t, 1, e.level(u), "the private label is untouched")

	for name, c := range map[string]struct {
		in   kyc.LabelInput
		want map[string]string
	}{
		"upper case key": {kyc.LabelInput{Key: "Nick", Value: "x"}, map[string]string{"key": "must be 1 to 64 of a-z 0-9 _ . - starting with a lower-case letter"}},
		"digit first":    {kyc.LabelInput{Key: "1a", Value: "x"}, map[string]string{"key": "must be 1 to 64 of a-z 0-9 _ . - starting with a lower-case letter"}},
		"65 chars":       {kyc.LabelInput{Key: "a" + strings.Repeat("b", 64), Value: "x"}, map[string]string{"key": "must be 1 to 64 of a-z 0-9 _ . - starting with a lower-case letter"}},
		"newline":        {kyc.LabelInput{Key: "a\n", Value: "x"}, map[string]string{}},
		"no value":       {kyc.LabelInput{Key: "a", Value: ""}, map[string]string{"value": "is required"}},
		"long value and description": {kyc.LabelInput{Key: "a", Value: strings.Repeat("v", 256), Description: strings.Repeat("d", 256)},
			map[string]string{"value": "must be 1 to 255 characters", "description": "must be at most 255 characters"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := e.svc.Labels.SetMyLabel(e.as(u), c.in)
			if len(c.want) == 0 {
				// Trimmed "a\n" is a fine key.
				require.NoError(t, err)
				_, err = e.svc.Labels.RemoveMyLabel(e.as(u), "a")
				require.NoError(t, err)
				return
			}
			require.Equal(t, c.want, errtest.Fields(t, err))
		})
	}

	mine, err := e.svc.Labels.LabelsOf(e.as(u), u.ID)
	require.NoError(t, err)
	require.Equal(t, []string{"nickname=ada/PUBLIC"}, keys(mine), "the owner sees only PUBLIC labels")
	all, err := e.svc.Labels.LabelsOf(e.as(support), u.ID)
	require.NoError(t, err)
	require.Equal(t, []string{"nickname=ada/PUBLIC", "phone=verified/PRIVATE"}, keys(all))
	_, err = e.svc.Labels.LabelsOf(e.as(other), u.ID)
	errtest.Code(t, err, ports.CodeForbidden)

	removed, err := e.svc.Labels.RemoveMyLabel(e.as(u), "nickname")
	require.NoError(t, err)
	require.True(t, removed)
	removed, err = e.svc.Labels.RemoveMyLabel(e.as(u), "nickname")
	require.NoError(t, err)
	require.False(t, removed)
}

func TestLabelLimit(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	for i := range kyc.MaxLabels {
		_, err := e.svc.Labels.SetMyLabel(e.as(u), kyc.LabelInput{Key: fmt.Sprintf("k%d", i), Value: "v"})
		require.NoError(t, err)
	}
	_, err := e.svc.Labels.SetMyLabel(e.as(u), kyc.LabelInput{Key: "one.more", Value: "v"})
	require.Equal(t, map[string]string{"key": "you have 50 labels already; remove one first"}, errtest.Fields(t, err))
	_, err = e.svc.Labels.SetMyLabel(e.as(u), kyc.LabelInput{Key: "k7", Value: "changed"})
	require.NoError(t, err, "replacing a label at the limit is fine")
}

func TestComputeLevel(t *testing.T) {
	rules := kyctest.DefaultLevelRules()
	priv := func(kv ...string) []kyc.Label {
		var out []kyc.Label
		for _, k := range kv {
			out = append(out, kyc.Label{Key: k, Value: kyc.LabelVerified, Scope: kyc.ScopePrivate})
		}
		return out
	}
	require.Equal(t, 0, kyc.ComputeLevel(rules, nil))
	require.Equal(t, 1, kyc.ComputeLevel(rules, priv("phone")))
	require.Equal(t, 1, kyc.ComputeLevel(rules, priv("phone", "email")), "level 2 needs every one of its rules")
	require.Equal(t, 2, kyc.ComputeLevel(rules, priv("phone", "email", "profile")))
	require.Equal(t, 0, kyc.ComputeLevel(rules, priv("email", "profile", "document", "selfie")), "levels build on each other")
	require.Equal(t, 3, kyc.ComputeLevel(rules, priv("phone", "email", "profile", "document", "selfie")))
	public := append(priv("email", "profile"), kyc.Label{Key: "phone", Value: kyc.LabelVerified, Scope: kyc.ScopePublic})
	require.Equal(t, 0, kyc.ComputeLevel(rules, public), "PUBLIC labels do not count")
	wrong := append(priv("email", "profile"), kyc.Label{Key: "phone", Value: "pending", Scope: kyc.ScopePrivate})
	require.Equal(t, 0, kyc.ComputeLevel(rules, wrong))
}

func TestLevelsRiseAndFall(t *testing.T) {
	e := newEnv(t)
	compliance := e.user(ports.RoleCompliance, "")
	u := e.user(ports.RoleMember, "+447911123456")
	ctx := context.Background()
	require.Equal(t, 0, e.level(u))

	require.NoError(t, e.hook.OnUserEvent(ctx, identity.UserEvent{Kind: identity.UserActivated, User: u}))
	require.Equal(t, 1, e.level(u))
	phones, err := e.svc.Phones.PhonesOf(e.as(u), u.ID)
	require.NoError(t, err)
	require.Len(t, phones, 1)
	require.NotNil(t, phones[0].VerifiedAt)

	u.Email = "ada@example.com"
	require.NoError(t, e.hook.OnUserEvent(ctx, identity.UserEvent{Kind: identity.UserEmailVerified, User: u}))
	require.Equal(t, 1, e.level(u))
	e.confirmProfile(u)
	require.Equal(t, 2, e.level(u))

	_, err = e.svc.PersonalData.UpdateUserProfile(e.as(compliance), u.ID, goodProfile(), false)
	require.NoError(t, err)
	require.Equal(t, 1, e.level(u), "unconfirming the profile lowers the level")

	levels, err := e.svc.Labels.Levels(ctx)
	require.NoError(t, err)
	require.Len(t, levels, 3)
	require.Equal(t, 2, levels[1].Level)
	require.Len(t, levels[1].Rules, 2)
}

func TestHookEmailActivation(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	u.Email = "bob@example.com"
	require.NoError(t, e.hook.OnUserEvent(context.Background(), identity.UserEvent{Kind: identity.UserActivated, User: u}))
	_, err := e.store.GetLabel(context.Background(), u.ID, kyc.LabelEmail)
	require.NoError(t, err)
	_, err = e.store.GetLabel(context.Background(), u.ID, kyc.LabelPhone)
	errtest.Code(t, err, ports.CodeNotFound, "no phone, no phone label")
	require.Equal(t, 0, e.level(u))
}

// lockTx is a TxRunner that gives each transaction a state in its
// context, so the spies below know whether the user's row is locked.
type lockTx struct{ inner ports.TxRunner }

type txState struct {
	mu     sync.Mutex
	locked map[uuid.UUID]bool
}

type txStateKey struct{}

func (r lockTx) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txStateKey{}).(*txState); ok {
		return r.inner.InTx(ctx, fn) // nested: the same transaction
	}
	return r.inner.InTx(context.WithValue(ctx, txStateKey{}, &txState{locked: map[uuid.UUID]bool{}}), fn)
}

// lockChecker collects reads and writes of a user's KYC rows made inside
// a transaction before that user's row was locked.
type lockChecker struct {
	mu         sync.Mutex
	violations []string
	locks      int
}

func (c *lockChecker) lock(ctx context.Context, id uuid.UUID) {
	c.mu.Lock()
	c.locks++
	c.mu.Unlock()
	if st, ok := ctx.Value(txStateKey{}).(*txState); ok {
		st.mu.Lock()
		st.locked[id] = true
		st.mu.Unlock()
	}
}

func (c *lockChecker) use(ctx context.Context, id uuid.UUID, what string) {
	st, ok := ctx.Value(txStateKey{}).(*txState)
	if !ok {
		return // outside a transaction: a plain read
	}
	st.mu.Lock()
	locked := st.locked[id]
	st.mu.Unlock()
	if !locked {
		c.mu.Lock()
		c.violations = append(c.violations, what)
		c.mu.Unlock()
	}
}

func (c *lockChecker) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	v := c.violations
	c.violations = nil
	return v
}

type spyUsers struct {
	*identitytest.UserStore
	c *lockChecker
}

func (s spyUsers) Lock(ctx context.Context, id uuid.UUID) error {
	s.c.lock(ctx, id)
	return s.UserStore.Lock(ctx, id)
}

func (s spyUsers) SetLevel(ctx context.Context, id uuid.UUID, level int, at time.Time) error {
	s.c.use(ctx, id, "SetLevel")
	return s.UserStore.SetLevel(ctx, id, level, at)
}

type spyStore struct {
	*kyctest.Store
	c *lockChecker
}

func (s spyStore) ListLabels(ctx context.Context, id uuid.UUID) ([]kyc.Label, error) {
	s.c.use(ctx, id, "ListLabels")
	return s.Store.ListLabels(ctx, id)
}

func (s spyStore) GetLabel(ctx context.Context, id uuid.UUID, key string) (kyc.Label, error) {
	s.c.use(ctx, id, "GetLabel")
	return s.Store.GetLabel(ctx, id, key)
}

func (s spyStore) SetLabel(ctx context.Context, l kyc.Label) (kyc.Label, error) {
	s.c.use(ctx, l.UserID, "SetLabel")
	return s.Store.SetLabel(ctx, l)
}

func (s spyStore) DeleteLabel(ctx context.Context, id uuid.UUID, key string) (bool, error) {
	s.c.use(ctx, id, "DeleteLabel")
	return s.Store.DeleteLabel(ctx, id, key)
}

func (s spyStore) ListDataRecords(ctx context.Context, id uuid.UUID) ([]kyc.DataRecord, error) {
	s.c.use(ctx, id, "ListDataRecords")
	return s.Store.ListDataRecords(ctx, id)
}

func (s spyStore) ListPhones(ctx context.Context, id uuid.UUID) ([]kyc.Phone, error) {
	s.c.use(ctx, id, "ListPhones")
	return s.Store.ListPhones(ctx, id)
}

func (s spyStore) LiveDocuments(ctx context.Context, id uuid.UUID) ([]kyc.Document, error) {
	s.c.use(ctx, id, "LiveDocuments")
	return s.Store.LiveDocuments(ctx, id)
}

func (s spyStore) LatestSubmission(ctx context.Context, id uuid.UUID) (kyc.Submission, error) {
	s.c.use(ctx, id, "LatestSubmission")
	return s.Store.LatestSubmission(ctx, id)
}

// The writes of a user's KYC rows: each must come after the user's lock.

func (s spyStore) UpsertProfile(ctx context.Context, p kyc.Profile, unlessConfirmed bool) (kyc.Profile, error) {
	s.c.use(ctx, p.UserID, "UpsertProfile")
	return s.Store.UpsertProfile(ctx, p, unlessConfirmed)
}

func (s spyStore) CreateFile(ctx context.Context, f kyc.File) error {
	s.c.use(ctx, f.UserID, "CreateFile")
	return s.Store.CreateFile(ctx, f)
}

func (s spyStore) ReplaceDocument(ctx context.Context, d kyc.Document) error {
	s.c.use(ctx, d.UserID, "ReplaceDocument")
	return s.Store.ReplaceDocument(ctx, d)
}

func (s spyStore) AddDocument(ctx context.Context, d kyc.Document) error {
	s.c.use(ctx, d.UserID, "AddDocument")
	return s.Store.AddDocument(ctx, d)
}

func (s spyStore) CreateSubmission(ctx context.Context, sub kyc.Submission) error {
	s.c.use(ctx, sub.UserID, "CreateSubmission")
	return s.Store.CreateSubmission(ctx, sub)
}

func (s spyStore) DecideSubmission(ctx context.Context, id uuid.UUID, status kyc.Status, reason string, by uuid.UUID,
	at time.Time) (kyc.Submission, error) {
	if sub, err := s.Store.GetSubmission(ctx, id); err == nil {
		s.c.use(ctx, sub.UserID, "DecideSubmission")
	}
	return s.Store.DecideSubmission(ctx, id, status, reason, by, at)
}

// lockedEnv is newEnv with spies that report every use of a user's KYC
// rows inside a transaction before the user's row was locked.
func lockedEnv(t *testing.T) (*env, *lockChecker) {
	e := newEnv(t)
	c := &lockChecker{}
	tx := lockTx{inner: portsfake.NewTxRunner()}
	users := spyUsers{UserStore: e.users, c: c}
	store := spyStore{Store: e.store, c: c}
	otpCfg := otp.DefaultConfig()
	otpCfg.HMACKey = []byte("0123456789abcdef0123456789abcdef")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.parts.codes = otp.NewService(otpCfg, otptest.NewStore(), tx, portsfake.NewOutbox(e.sms, portsfake.NewEmailSender()), e.clock,
		e.activities, log)
	e.parts.tx, e.parts.users = tx, users
	e.parts.stores = kyc.Stores{Profiles: store, Documents: store, Submissions: store, Labels: store, Phones: store}
	e.rebuild()
	e.hook = kyc.NewHook(store, store, users, e.clock)
	return e, c
}

func TestKYCChangesRunUnderTheUserLock(t *testing.T) {
	e, c := lockedEnv(t)
	ctx := context.Background()
	u := e.user(ports.RoleMember, "+447911123456")
	u.Email = "ada@example.com"
	compliance := e.user(ports.RoleCompliance, "")
	step := func(name string, fn func() error) {
		t.Helper()
		before := c.locks
		require.NoError(t, fn(), name)
		require.Empty(t, c.take(), "%s used the user's rows before locking them", name)
		require.Greater(t, c.locks, before, "%s locked nothing", name)
	}
	step("hook", func() error {
		return e.parts.tx.InTx(ctx, func(ctx context.Context) error {
			return e.hook.OnUserEvent(ctx, identity.UserEvent{Kind: identity.UserActivated, User: u})
		})
	})
	step("setMyLabel", func() error {
		_, err := e.svc.Labels.SetMyLabel(e.as(u), kyc.LabelInput{Key: "nick", Value: "ada"})
		return err
	})
	step("removeMyLabel", func() error {
		_, err := e.svc.Labels.RemoveMyLabel(e.as(u), "nick")
		return err
	})
	step("putMyDataRecord", func() error {
		_, err := e.svc.PersonalData.PutMyDataRecord(e.as(u), "tax", map[string]any{"tin": "1"})
		return err
	})
	var ch otp.ChallengeView
	step("addPhone", func() error {
		var err error
		ch, err = e.svc.Phones.AddPhone(e.as(u), "+447911123499")
		return err
	})
	step("verifyPhone", func() error {
		code, _ := e.sms.LastCode("+447911123499")
		_, err := e.svc.Phones.VerifyPhone(e.as(u), ch.ID, code)
		return err
	})
	step("confirmProfile", func() error {
		_, err := e.svc.PersonalData.UpsertMyProfile(e.as(u), goodProfile(), true)
		return err
	})
	step("uploadDocument", func() error {
		_, err := e.svc.Uploads.UploadDocument(e.as(u), kyc.DocumentInput{Type: kyc.DocPassport, Number: "P1", Front: up(jpegOf(t, 8, 8))})
		return err
	})
	step("uploadSelfie", func() error {
		_, err := e.svc.Uploads.UploadSelfie(e.as(u), up(pngOf(t, 8, 8)))
		return err
	})
	sub, err := e.store.LatestSubmission(ctx, u.ID)
	require.NoError(t, err)
	step("approve", func() error {
		_, err := e.svc.Review.ApproveSubmission(e.as(compliance), sub.ID)
		return err
	})
	step("updateUserProfile", func() error {
		_, err := e.svc.PersonalData.UpdateUserProfile(e.as(compliance), u.ID, goodProfile(), false)
		return err
	})
	require.Equal(t, 1, e.level(u), "the profile label is gone: level 2 needs it")
}
