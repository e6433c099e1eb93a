package pinreset_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/kyc/kyctest"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/modules/otp/otptest"
	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/modules/pinreset/pinresettest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// The lock ordering kyc's transactions follow (the user's row lock before
// the first write of their rows) holds for the PIN reset's too: they write
// kyc's files and documents and the reset of the same user.

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

// spyUsers counts the user locks, for the reset and for kyc's uploads.
type spyUsers struct {
	*identitytest.UserStore
	c *lockChecker
}

func (s spyUsers) Lock(ctx context.Context, id uuid.UUID) error {
	s.c.lock(ctx, id)
	return s.UserStore.Lock(ctx, id)
}

// spyDocuments reports the writes of a user's files and documents.
type spyDocuments struct {
	*kyctest.Store
	c *lockChecker
}

func (s spyDocuments) CreateFile(ctx context.Context, f kyc.File) error {
	s.c.use(ctx, f.UserID, "CreateFile")
	return s.Store.CreateFile(ctx, f)
}

func (s spyDocuments) AddDocument(ctx context.Context, d kyc.Document) error {
	s.c.use(ctx, d.UserID, "AddDocument")
	return s.Store.AddDocument(ctx, d)
}

func (s spyDocuments) LatestSubmission(ctx context.Context, id uuid.UUID) (kyc.Submission, error) {
	s.c.use(ctx, id, "LatestSubmission")
	return s.Store.LatestSubmission(ctx, id)
}

// spyResets reports the reads and writes of a user's resets.
type spyResets struct {
	*pinresettest.Store
	c *lockChecker
}

func (s spyResets) Create(ctx context.Context, r pinreset.Reset) error {
	s.c.use(ctx, r.UserID, "Create")
	return s.Store.Create(ctx, r)
}

func (s spyResets) OpenOf(ctx context.Context, id uuid.UUID) ([]pinreset.Reset, error) {
	s.c.use(ctx, id, "OpenOf")
	return s.Store.OpenOf(ctx, id)
}

func (s spyResets) Transition(ctx context.Context, id uuid.UUID, from []pinreset.Status,
	ch pinreset.Change) (pinreset.Reset, error) {
	if r, err := s.Store.Get(ctx, id); err == nil {
		s.c.use(ctx, r.UserID, "Transition")
	}
	return s.Store.Transition(ctx, id, from, ch)
}

// Every transaction of the PIN reset by document takes the user's lock
// before its first write (and only the subject's when staff decide).
func TestPINResetChangesRunUnderTheUserLock(t *testing.T) {
	e := newPinResetEnv(t)
	c := &lockChecker{}
	tx := lockTx{inner: portsfake.NewTxRunner()}
	users := spyUsers{UserStore: e.users, c: c}
	otpCfg := otp.DefaultConfig()
	otpCfg.HMACKey = []byte("0123456789abcdef0123456789abcdef")
	codes := otp.NewService(otpCfg, otptest.NewStore(), tx, portsfake.NewOutbox(e.sms, portsfake.NewEmailSender()), e.clock,
		e.activities, slog.New(slog.NewTextHandler(io.Discard, nil)))
	e.parts.tx, e.parts.users, e.parts.kycUsers = tx, users, users
	e.parts.codes, e.parts.kycCodes = &pinResetOTP{Codes: codes}, codes
	spy := spyDocuments{Store: e.store, c: c}
	e.parts.kycStores = kyc.Stores{Profiles: spy, Documents: spy, Submissions: spy, Labels: spy, Phones: spy}
	e.parts.resets = spyResets{Store: e.resets, c: c}
	e.rebuild()
	ctx := context.Background()
	u := e.user(pinResetPhone)
	compliance, _ := e.as(ports.RoleCompliance)
	step := func(name string, fn func() error) {
		t.Helper()
		before := c.locks
		require.NoError(t, fn(), name)
		require.Empty(t, c.take(), "%s used the user's rows before locking them", name)
		require.Greater(t, c.locks, before, "%s locked nothing", name)
	}
	verify := func() pinreset.Ticket {
		t.Helper()
		ch, err := e.svc.Steps.Start(ctx, u.Phone, identity.DeviceProof{})
		require.NoError(t, err)
		code, ok := e.sms.LastCode(u.Phone)
		require.True(t, ok)
		var tk pinreset.Ticket
		step("verifyPinReset", func() error {
			tk, err = e.svc.Steps.Verify(ctx, ch.ID, code)
			return err
		})
		return tk
	}
	tk := verify()
	require.Equal(t, pinreset.DocumentRequired, tk.Status)
	step("uploadPinResetDocument", func() error {
		_, err := e.svc.Steps.UploadDocument(ctx, pinreset.DocumentInput{Ticket: tk.Ticket, Type: kyc.DocPassport,
			Number: "P1", Front: pinResetPNG(t)})
		return err
	})
	step("submitPinResetSelfie", func() error {
		_, err := e.svc.Steps.SubmitSelfie(ctx, tk.Ticket, pinResetPNG(t))
		return err
	})
	r := e.resetOf(tk.Ticket)
	step("approvePinReset", func() error {
		_, err := e.svc.Review.Approve(compliance, r.ID)
		return err
	})
	step("completePinReset", func() error {
		return e.parts.tx.InTx(ctx, func(ctx context.Context) error {
			_, err := pinreset.Redeem(e.svc.Steps, ctx, tk.Ticket)
			return err
		})
	})

	// A reset the verifier rejects at once: its decision too runs under
	// the lock. A second verification supersedes the open reset under it.
	e.verifier.verdict = pinreset.SelfieNoMatch
	first := verify()
	second := verify()
	require.Equal(t, pinreset.Rejected, e.resetOf(first.Ticket).Status, "superseded")
	step("uploadPinResetDocument", func() error {
		_, err := e.svc.Steps.UploadDocument(ctx, pinreset.DocumentInput{Ticket: second.Ticket, Type: kyc.DocPassport,
			Number: "P1", Front: pinResetPNG(t)})
		return err
	})
	step("submitPinResetSelfie (verifier decides)", func() error {
		p, err := e.svc.Steps.SubmitSelfie(ctx, second.Ticket, pinResetPNG(t))
		if err == nil {
			require.Equal(t, pinreset.Rejected, p.Status)
		}
		return err
	})
}
