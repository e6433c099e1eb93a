package delivery_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/adapters/secrets"
	"github.com/gatehouse/gatehouse/modules/delivery"
	"github.com/gatehouse/gatehouse/modules/messages"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var t0 = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

const phone = "+447911160001"

// tally is a Recorder keeping every count.
type tally struct {
	mu   sync.Mutex
	seen []string
}

func (r *tally) Delivery(channel, provider, result, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, strings.Join([]string{channel, provider, result, reason}, "/"))
}

// callers is a CallerSource answering one fixed caller.
type callers struct{ c *ports.Caller }

func (c callers) Caller(context.Context) (*ports.Caller, error) { return c.c, nil }

type env struct {
	db     *bun.DB
	svc    *delivery.Service
	queue  *postgres.DeliveryQueue
	tx     *postgres.TxRunner
	sms    *portsfake.SMSSender
	emails *portsfake.EmailSender
	rec    *tally
	clock  *clock.Manual
	caller *ports.Caller
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, nil)
}

// newEnvWith is newEnv whose service sends SMS through sms (nil: e.sms).
func newEnvWith(t *testing.T, sms ports.SMSSender) *env {
	t.Helper()
	db := pgtest.DB(t)
	q, err := postgres.NewDeliveryQueue(db)
	require.NoError(t, err)
	box, err := secrets.NewBox(secrets.DeriveKey([]byte(strings.Repeat("k", 32)), "gatehouse/delivery"), "k1")
	require.NoError(t, err)
	cat, err := messages.Load(messages.Config{ProductName: "Acme Wallet"})
	require.NoError(t, err)
	e := &env{db: db, queue: q, tx: postgres.NewTxRunner(db), sms: portsfake.NewSMSSender(),
		emails: portsfake.NewEmailSender(), rec: &tally{}, clock: clock.NewManual(t0),
		caller: &ports.Caller{UserID: uuid.New(), Role: ports.RoleSupport}}
	cfg := delivery.Config{MaxAttempts: 3, ClaimFor: time.Minute, SMSProvider: "twilio", EmailProvider: "smtp"}
	if sms == nil {
		sms = e.sms
	}
	e.svc = delivery.NewService(cfg, q, e.tx, box, cat, sms, e.emails, e.rec, portsfake.DefaultRules(),
		callers{e.caller}, e.clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return e
}

func otpMessage(code string) ports.Message {
	return ports.Message{Channel: ports.ChannelSMS, To: phone, Template: messages.OTPCode, Locale: "es",
		Data: map[string]string{"minutes": "2"}, Code: code, Ref: "otp:test", NotAfter: t0.Add(2 * time.Minute)}
}

// only is the one delivery queued.
func (e *env) only(t *testing.T) delivery.Delivery {
	t.Helper()
	var ids []uuid.UUID
	require.NoError(t, e.db.NewSelect().Table("deliveries").Column("id").Scan(context.Background(), &ids))
	require.Len(t, ids, 1)
	d, err := e.queue.Get(context.Background(), ids[0])
	require.NoError(t, err)
	return d
}

// jobs is how many River jobs are waiting or running for deliveries.
func (e *env) jobs(t *testing.T) int {
	t.Helper()
	n, err := e.db.NewSelect().Table("river_job").Where("kind = 'gatehouse_delivery'").
		Where("state IN ('available', 'scheduled', 'retryable', 'running')").Count(context.Background())
	require.NoError(t, err)
	return int(n)
}

func TestAMessageExistsOnlyIfItsTransactionCommits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	boom := errors.New("the business change failed")
	err := e.tx.InTx(ctx, func(ctx context.Context) error {
		require.NoError(t, e.svc.Enqueue(ctx, otpMessage("123456")))
		return boom
	})
	require.ErrorIs(t, err, boom)
	n, err := e.db.NewSelect().Table("deliveries").Count(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "a rolled-back change queued a message")
	assert.Zero(t, e.jobs(t), "a rolled-back change left a job")

	require.NoError(t, e.tx.InTx(ctx, func(ctx context.Context) error { return e.svc.Enqueue(ctx, otpMessage("123456")) }))
	d := e.only(t)
	assert.Equal(t, delivery.StatusQueued, d.Status)
	assert.Equal(t, 1, e.jobs(t))
	// The code is sealed at rest.
	assert.NotContains(t, string(d.SealedCode), "123456")
	var raw string
	require.NoError(t, e.db.NewSelect().Table("deliveries").ColumnExpr("row_to_json(deliveries)::text").Scan(ctx, &raw))
	assert.NotContains(t, raw, "123456", "the code is readable in the table")
}

func TestEnqueueRefusesWhatCannotBeSent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, m := range []ports.Message{
		{Channel: "pigeon", To: phone, Template: messages.OTPCode},
		{Channel: ports.ChannelSMS, Template: messages.OTPCode},
		{Channel: ports.ChannelSMS, To: phone},
	} {
		assert.Error(t, e.svc.Enqueue(context.Background(), m), "%+v", m)
	}
}

func TestDeliverSendsInTheUsersLanguageOnceAndForgetsTheCode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	require.NoError(t, e.svc.Enqueue(ctx, otpMessage("482913")))
	d := e.only(t)
	retry, err := e.svc.Deliver(ctx, d.ID, 1, false)
	require.NoError(t, err)
	assert.False(t, retry)
	msgs := e.sms.MessagesTo(phone)
	require.Len(t, msgs, 1)
	assert.Contains(t, msgs[0].Text, "482913")
	assert.Contains(t, msgs[0].Text, "Acme Wallet")
	assert.NotContains(t, msgs[0].Text, "Gatehouse")
	assert.NotContains(t, strings.ToLower(msgs[0].Text), "your code", "Spanish was asked for")
	got := e.only(t)
	assert.Equal(t, delivery.StatusSent, got.Status)
	assert.Nil(t, got.SealedCode, "the code outlived the send")
	assert.Equal(t, "twilio", got.Provider)
	// A second run of the same job (a retried job, another instance)
	// sends nothing.
	_, err = e.svc.Deliver(ctx, d.ID, 2, false)
	require.NoError(t, err)
	assert.Len(t, e.sms.MessagesTo(phone), 1, "sent twice")
	assert.Equal(t, []string{"sms/twilio/sent/"}, e.rec.seen)
}

// refusal is a provider error that classifies itself.
type refusal struct {
	reason    string
	permanent bool
}

func (r refusal) Error() string      { return "provider: no (" + r.reason + ") for 482913" }
func (r refusal) SendReason() string { return r.reason }
func (r refusal) Permanent() bool    { return r.permanent }

func TestPermanentRefusalFailsAtOnceAndTransientUntilTheLastTry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	require.NoError(t, e.svc.Enqueue(ctx, otpMessage("482913")))
	d := e.only(t)

	e.sms.FailWith(refusal{ports.SendThrottled, false})
	for attempt := 1; attempt <= 2; attempt++ {
		retry, err := e.svc.Deliver(ctx, d.ID, attempt, false)
		require.Error(t, err)
		assert.True(t, retry, "attempt %d", attempt)
		got := e.only(t)
		assert.Equal(t, delivery.StatusQueued, got.Status)
		assert.Equal(t, attempt, got.Attempts)
		assert.Equal(t, ports.SendThrottled, got.Reason)
		assert.NotContains(t, got.Detail, "482913", "the code reached the failure's detail")
	}
	retry, err := e.svc.Deliver(ctx, d.ID, 3, false)
	require.Error(t, err)
	assert.False(t, retry, "the last try gives up")
	got := e.only(t)
	assert.Equal(t, delivery.StatusFailed, got.Status)
	assert.NotNil(t, got.SealedCode, "a dead letter keeps its code until it expires, for staff to send again")

	// A permanent refusal on a fresh message fails at its first try.
	e2 := newEnv(t)
	require.NoError(t, e2.svc.Enqueue(ctx, otpMessage("111222")))
	e2.sms.FailWith(refusal{ports.SendInvalidDestination, true})
	retry, err = e2.svc.Deliver(ctx, e2.only(t).ID, 1, false)
	require.Error(t, err)
	assert.False(t, retry)
	got = e2.only(t)
	assert.Equal(t, delivery.StatusFailed, got.Status)
	assert.Equal(t, ports.SendInvalidDestination, got.Reason)
	assert.Equal(t, 1, got.Attempts)
	assert.Equal(t, []string{"sms/twilio/failed/INVALID_DESTINATION"}, e2.rec.seen)
}

func TestAStaleCodeIsNotSent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	require.NoError(t, e.svc.Enqueue(ctx, otpMessage("482913")))
	e.clock.Advance(3 * time.Minute)
	_, err := e.svc.Deliver(ctx, e.only(t).ID, 1, false)
	require.NoError(t, err)
	assert.Empty(t, e.sms.Messages())
	got := e.only(t)
	assert.Equal(t, delivery.StatusFailed, got.Status)
	assert.Equal(t, delivery.ReasonExpired, got.Reason)
}

func TestAWithheldMessageReachesNoProviderAndLooksSent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	m := otpMessage("000000")
	m.Withhold = true
	require.NoError(t, e.svc.Enqueue(ctx, m))
	_, err := e.svc.Deliver(ctx, e.only(t).ID, 1, false)
	require.NoError(t, err)
	assert.Empty(t, e.sms.Messages())
	latest, err := e.svc.Latest(ctx, "otp:test")
	require.NoError(t, err)
	assert.Equal(t, delivery.StatusSent, latest.Status)
}

func TestStaffRetryIsForFailedLiveMessagesAndTheirRows(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	require.NoError(t, e.svc.Enqueue(ctx, otpMessage("482913")))
	d := e.only(t)
	_, err := e.svc.Retry(ctx, d.ID)
	errtest.Code(t, err, ports.CodeConflict) // still queued

	e.sms.FailWith(refusal{ports.SendUnsubscribed, true})
	_, _ = e.svc.Deliver(ctx, d.ID, 1, false)
	page, err := e.svc.Failed(ctx, 10, "")
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Nil(t, page.Items[0].SealedCode, "the list carries no sealed code")
	_, err = e.svc.Failed(ctx, 0, "")
	errtest.Code(t, err, ports.CodeValidationFailed)
	_, err = e.svc.Failed(ctx, 10, "not-a-cursor")
	errtest.Code(t, err, ports.CodeValidationFailed)

	jobs := e.jobs(t)
	e.sms.FailWith(nil)
	r, err := e.svc.Retry(ctx, d.ID)
	require.NoError(t, err)
	assert.Equal(t, delivery.StatusQueued, r.Status)
	assert.Equal(t, jobs+1, e.jobs(t), "the retry scheduled no try")
	_, err = e.svc.Deliver(ctx, d.ID, 1, false)
	require.NoError(t, err)
	assert.Len(t, e.sms.MessagesTo(phone), 1)

	// Roles without the row are refused; a stale code is not resent.
	e.caller.Role = ports.RoleMember
	_, err = e.svc.Failed(ctx, 10, "")
	errtest.Code(t, err, ports.CodeForbidden)
	_, err = e.svc.Retry(ctx, d.ID)
	errtest.Code(t, err, ports.CodeForbidden)

	e2 := newEnv(t)
	require.NoError(t, e2.svc.Enqueue(ctx, otpMessage("111222")))
	e2.sms.FailWith(refusal{ports.SendRejected, true})
	id := e2.only(t).ID
	_, _ = e2.svc.Deliver(ctx, id, 1, false)
	e2.clock.Advance(5 * time.Minute)
	_, err = e2.svc.Retry(ctx, id)
	errtest.Code(t, err, ports.CodeConflict)
	_, err = e2.svc.Retry(ctx, uuid.New())
	errtest.Code(t, err, ports.CodeNotFound)
}

func TestRetryDelayBacksOffToAMinute(t *testing.T) {
	t.Parallel()
	assert.Equal(t, time.Second, delivery.RetryDelay(0))
	assert.Equal(t, time.Second, delivery.RetryDelay(1))
	assert.Equal(t, 2*time.Second, delivery.RetryDelay(2))
	assert.Equal(t, 32*time.Second, delivery.RetryDelay(6))
	assert.Equal(t, time.Minute, delivery.RetryDelay(7))
	assert.Equal(t, time.Minute, delivery.RetryDelay(1000))
}

func TestANewerMessageSupersedesTheUnsentOnes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.sms.FailWith(refusal{ports.SendInvalidDestination, true})
	require.NoError(t, e.svc.Enqueue(ctx, otpMessage("111111")))
	dead := e.only(t).ID
	_, _ = e.svc.Deliver(ctx, dead, 1, false)
	e.sms.FailWith(nil)
	m := otpMessage("222222")
	require.NoError(t, e.svc.Enqueue(ctx, m))
	queued, err := e.svc.Latest(ctx, m.Ref)
	require.NoError(t, err)
	m.Code = "333333"
	require.NoError(t, e.svc.Enqueue(ctx, m)) // resent before the second went
	latest, err := e.svc.Latest(ctx, m.Ref)
	require.NoError(t, err)

	for _, id := range []uuid.UUID{dead, queued.ID} {
		d, err := e.queue.Get(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, delivery.StatusFailed, d.Status)
		assert.Equal(t, delivery.ReasonSuperseded, d.Reason)
		assert.Nil(t, d.SealedCode)
		_, err = e.svc.Retry(ctx, id)
		errtest.Code(t, err, ports.CodeConflict)
	}
	page, err := e.svc.Failed(ctx, 10, "")
	require.NoError(t, err)
	assert.Empty(t, page.Items, "a superseded message is no dead letter")
	_, err = e.svc.Deliver(ctx, queued.ID, 1, false)
	require.NoError(t, err)
	_, err = e.svc.Deliver(ctx, latest.ID, 1, false)
	require.NoError(t, err)
	msgs := e.sms.MessagesTo(phone)
	require.Len(t, msgs, 1, "only the newest code goes out")
	assert.Contains(t, msgs[0].Text, "333333")
}

func TestTheQueuesLastTryIsFinal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	require.NoError(t, e.svc.Enqueue(ctx, otpMessage("482913")))
	e.sms.FailWith(refusal{ports.SendUnavailable, false})
	retry, err := e.svc.Deliver(ctx, e.only(t).ID, 1, true)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "482913", "the provider's words went back unscrubbed")
	assert.False(t, retry)
	assert.Equal(t, delivery.StatusFailed, e.only(t).Status)
}

func TestTheJanitorEndsAQueuedMessageWhoseJobIsGone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	require.NoError(t, e.svc.Enqueue(ctx, otpMessage("482913")))
	m := otpMessage("")
	m.Ref, m.NotAfter = "kyc:live", time.Time{}
	require.NoError(t, e.svc.Enqueue(ctx, m))
	// The first one's job ends without an outcome; the second's lives on.
	_, err := e.db.NewDelete().Table("river_job").
		Where("args->>'delivery_id' = (SELECT id::text FROM deliveries WHERE ref = 'otp:test')").Exec(ctx)
	require.NoError(t, err)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	_, err = postgres.NewJanitor(e.db, clock.NewManual(t0.Add(30*time.Minute)), log).Sweep(ctx)
	require.NoError(t, err)
	lost, err := e.svc.Latest(ctx, "otp:test")
	require.NoError(t, err)
	assert.Equal(t, delivery.StatusQueued, lost.Status, "ended before its job had time")
	_, err = postgres.NewJanitor(e.db, clock.NewManual(t0.Add(2*time.Hour)), log).Sweep(ctx)
	require.NoError(t, err)
	lost, err = e.svc.Latest(ctx, "otp:test")
	require.NoError(t, err)
	assert.Equal(t, delivery.StatusFailed, lost.Status)
	assert.Equal(t, delivery.ReasonLost, lost.Reason)
	assert.Nil(t, lost.SealedCode, "the janitor kept an expired code")
	live, err := e.svc.Latest(ctx, "kyc:live")
	require.NoError(t, err)
	assert.Equal(t, delivery.StatusQueued, live.Status, "a message whose job lives was ended")
}

// gate is an SMS sender that holds every send until it is opened.
type gate struct {
	portsfake.SMSSender
	in   chan struct{}
	open chan struct{}
}

func (g *gate) SendSMS(ctx context.Context, to, text string) error {
	g.in <- struct{}{}
	<-g.open
	return g.SMSSender.SendSMS(ctx, to, text)
}

// Two tries of one message at once (a rescued job beside a slow one, a
// staff retry's job beside the last try's): one sends, the other waits its
// turn and then finds it sent.
func TestOneTryAtATimeHoldsAMessage(t *testing.T) {
	t.Parallel()
	g := &gate{in: make(chan struct{}, 2), open: make(chan struct{})}
	e := newEnvWith(t, g)
	svc := e.svc
	ctx := context.Background()
	require.NoError(t, svc.Enqueue(ctx, otpMessage("482913")))
	id := e.only(t).ID
	first := make(chan error, 1)
	go func() { _, err := svc.Deliver(ctx, id, 1, false); first <- err }()
	<-g.in // the first try is with the provider
	retry, err := svc.Deliver(ctx, id, 1, false)
	require.Error(t, err, "a second try ran while the first held the message")
	assert.True(t, retry, "the second try must come back later")
	close(g.open)
	require.NoError(t, <-first)
	retry, err = svc.Deliver(ctx, id, 2, false)
	require.NoError(t, err)
	assert.False(t, retry)
	assert.Len(t, g.MessagesTo(phone), 1, "sent twice")
	assert.Empty(t, g.in, "the provider was called again")
}
