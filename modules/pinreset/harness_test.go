package pinreset_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/adapters/clock"
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

const pinResetPhone = "+447911123456"

var pinResetT0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// pinResetCallerKey carries the caller a test request is made as.
type pinResetCallerKey struct{}

// pinResetCallers is a CallerSource that reads the caller from the
// context (nil: anonymous).
type pinResetCallers struct{}

func (pinResetCallers) Caller(ctx context.Context) (*ports.Caller, error) {
	c, _ := ctx.Value(pinResetCallerKey{}).(*ports.Caller)
	return c, nil
}

// pinResetVerifier answers a fixed verdict and remembers what it was asked.
type pinResetVerifier struct {
	mu      sync.Mutex
	verdict string
	err     error
	checks  []pinreset.SelfieCheck
}

func (v *pinResetVerifier) Verify(ctx context.Context, c pinreset.SelfieCheck) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.checks = append(v.checks, c)
	return v.verdict, v.err
}

func (v *pinResetVerifier) Checks() []pinreset.SelfieCheck {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]pinreset.SelfieCheck(nil), v.checks...)
}

// pinResetBlobs is an in-memory BlobStore.
type pinResetBlobs struct {
	mu      sync.Mutex
	objects map[string][]byte
}

func (b *pinResetBlobs) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if int64(len(data)) != size {
		return errors.New("size mismatch")
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.objects[key]; ok {
		return errors.New("key reused")
	}
	b.objects[key] = bytes.Clone(data)
	return nil
}

func (b *pinResetBlobs) Get(ctx context.Context, key string) ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	d, ok := b.objects[key]
	if !ok {
		return nil, ports.ErrNotFound
	}
	return bytes.Clone(d), nil
}

func (b *pinResetBlobs) Delete(ctx context.Context, key string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.objects, key)
	return nil
}

func (b *pinResetBlobs) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.objects)
}

// pinResetOTP is the real OTP service that delivers in the foreground,
// so a test reads the code as soon as Start returns; it remembers the
// requests as the PIN reset made them.
type pinResetOTP struct {
	pinreset.Codes
	mu   sync.Mutex
	reqs []otp.StartRequest
}

func (o *pinResetOTP) Start(ctx context.Context, r otp.StartRequest) (otp.ChallengeView, error) {
	o.mu.Lock()
	o.reqs = append(o.reqs, r)
	o.mu.Unlock()
	return o.Codes.Start(ctx, r)
}

func (o *pinResetOTP) last() otp.StartRequest {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.reqs[len(o.reqs)-1]
}

// budgets is identity's budget rule over the fake's devices, as the app
// binds it.
type budgets struct{ devices identity.DeviceLookup }

func (b budgets) BudgetFor(ctx context.Context, userID uuid.UUID, p identity.DeviceProof) (otp.SendBudget, error) {
	return identity.BudgetFor(ctx, b.devices, userID, p)
}

// pinResetFailingDocs makes AddDocument fail, to see a failed transaction
// leave no object behind.
type pinResetFailingDocs struct {
	*kyctest.Store
}

func (pinResetFailingDocs) AddDocument(ctx context.Context, d kyc.Document) error {
	return errors.New("database went away")
}

// pinResetCountingFinds counts ticket lookups, to see a wrong kind of
// token refused before any.
type pinResetCountingFinds struct {
	*pinresettest.Store
	finds int
}

func (s *pinResetCountingFinds) FindByTicket(ctx context.Context, hash []byte) (pinreset.Reset, error) {
	s.finds++
	return s.Store.FindByTicket(ctx, hash)
}

// parts are what the tests build the service from: pinreset.NewService's
// arguments, and the kyc service (its documents and files) built from the
// kyc stores and users. A test swaps one for a failing, counting or spying
// fake and builds again.
type parts struct {
	resets     pinreset.Resets
	users      pinreset.Users
	kycStores  kyc.Stores
	kycUsers   kyc.Users
	budgets    pinreset.Budgets
	pins       pinreset.PINs
	callers    ports.CallerSource
	tx         ports.TxRunner
	clock      ports.Clock
	codes      pinreset.Codes
	kycCodes   kyc.Codes
	blobs      ports.BlobStore
	sms        ports.SMSSender
	selfies    pinreset.SelfieVerifier
	limiter    ports.RateLimiter
	activities ports.ActivityLog
	audit      ports.AuditTrail
	rules      pinreset.Rules
	log        *slog.Logger
}

// kyc builds, through their constructors, the KYC services the tests use:
// ResetFiles (the reset stores its files through it) and the profile,
// uploads and review a test's KYC submission goes through.
func (p parts) kyc() kyc.Services {
	cfg := kyc.DefaultConfig()
	cfg.LinkKey = []byte("0123456789abcdef0123456789abcdef")
	st := p.kycStores
	return kyc.Services{
		PersonalData: kyc.NewPersonalData(st.Profiles, st.Documents, st.Submissions, st.Labels, p.kycUsers, p.callers,
			p.rules, p.tx, p.clock, p.activities, p.audit, p.log),
		Uploads: kyc.NewUploads(cfg, st.Documents, st.Profiles, st.Submissions, p.kycUsers, p.callers, p.tx, p.clock,
			p.blobs, nil, p.limiter, p.activities, p.log),
		Review: kyc.NewReview(cfg, st.Profiles, st.Documents, st.Submissions, st.Labels, p.kycUsers, p.callers,
			p.rules, p.tx, p.clock, portsfake.NewOutbox(p.sms, nil), p.activities, p.audit, p.log),
		ResetFiles: kyc.NewResetFiles(cfg, st.Documents, st.Submissions, p.kycUsers, p.tx, p.clock, p.blobs, nil,
			p.log),
	}
}

// build builds both services through their constructors, as
// pinreset.Module does.
func (p parts) build(cfg pinreset.Config) pinreset.Services {
	return pinreset.Services{
		Steps: pinreset.NewSteps(cfg, p.resets, p.users, p.kyc().ResetFiles, p.pins, p.codes, p.budgets, p.selfies,
			p.tx, p.clock, p.limiter, p.activities, p.log),
		Review: pinreset.NewReview(p.resets, p.users, p.callers, p.rules, p.tx, p.clock, portsfake.NewOutbox(p.sms, nil), p.activities, p.audit,
			p.log),
	}
}

type pinResetEnv struct {
	t          *testing.T
	clock      *clock.Manual
	store      *kyctest.Store
	resets     *pinresettest.Store
	users      *identitytest.UserStore
	creds      *identitytest.CredentialStore
	sms        *portsfake.SMSSender
	blobs      *pinResetBlobs
	verifier   *pinResetVerifier
	otp        *pinResetOTP
	activities *portsfake.ActivityLog
	logs       *bytes.Buffer
	parts      parts
	cfg        pinreset.Config
	svc        pinreset.Services
	kyc        kyc.Services
}

func newPinResetEnv(t *testing.T) *pinResetEnv {
	t.Helper()
	e := &pinResetEnv{t: t, clock: clock.NewManual(pinResetT0), store: kyctest.NewStore(),
		resets: pinresettest.NewStore(), creds: identitytest.NewCredentialStore(), sms: portsfake.NewSMSSender(),
		blobs:    &pinResetBlobs{objects: map[string][]byte{}},
		verifier: &pinResetVerifier{verdict: pinreset.SelfiePendingReview}, activities: portsfake.NewActivityLog(),
		logs: &bytes.Buffer{}, cfg: pinreset.DefaultConfig()}
	e.users = identitytest.NewUserStore(e.creds)
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tx := portsfake.NewTxRunner()
	otpCfg := otp.DefaultConfig()
	otpCfg.HMACKey = []byte("0123456789abcdef0123456789abcdef")
	otpSvc := otp.NewService(otpCfg, otptest.NewStore(), tx, portsfake.NewOutbox(e.sms, portsfake.NewEmailSender()), e.clock, e.activities, log)
	e.otp = &pinResetOTP{Codes: otpSvc}
	e.parts = parts{resets: e.resets, users: e.users, kycStores: kyctest.StoresOf(e.store), kycUsers: e.users,
		budgets: budgets{e.users}, callers: pinResetCallers{}, rules: portsfake.DefaultRules(), tx: tx, clock: e.clock,
		codes: e.otp, kycCodes: otpSvc, blobs: e.blobs, sms: e.sms, selfies: e.verifier,
		limiter: portsfake.NewRateLimiter(e.clock), activities: e.activities,
		audit: portsfake.NewAuditTrail(e.activities), log: log}
	e.rebuild()
	return e
}

// rebuild builds e's services again from e.cfg and e.parts.
func (e *pinResetEnv) rebuild() {
	e.svc = e.parts.build(e.cfg)
	e.kyc = e.parts.kyc()
}

// ctx is an anonymous request from one client.
func (e *pinResetEnv) ctx() context.Context {
	return ports.WithRequestMeta(context.Background(), ports.RequestMeta{IP: "203.0.113.7", UserAgent: "test-agent"})
}

// as is a request made by a signed-in user with role.
func (e *pinResetEnv) as(role string) (context.Context, uuid.UUID) {
	id := uuid.New()
	return context.WithValue(e.ctx(), pinResetCallerKey{}, &ports.Caller{UserID: id, Role: role}), id
}

// user creates an ACTIVE MEMBER with a PIN on phone.
func (e *pinResetEnv) user(phone string) identity.User {
	e.t.Helper()
	return e.userWithRole(phone, ports.RoleMember)
}

// userWithRole creates an ACTIVE user with role and a PIN on phone.
func (e *pinResetEnv) userWithRole(phone, role string) identity.User {
	e.t.Helper()
	u := identity.User{ID: uuid.New(), Phone: phone, State: "ACTIVE", Role: role, Level: 1,
		ReferralCode: uuid.NewString()[:8], CreatedAt: pinResetT0, UpdatedAt: pinResetT0}
	require.NoError(e.t, e.users.Create(context.Background(), u))
	require.NoError(e.t, e.creds.CreatePIN(context.Background(), u.ID, "hash", pinResetT0))
	return u
}

// document puts a live identity document on file for the user.
func (e *pinResetEnv) document(userID uuid.UUID, typ string) kyc.Document {
	e.t.Helper()
	d := kyc.Document{ID: uuid.New(), UserID: userID, Type: typ, Number: "AB123456",
		Metadata: json.RawMessage("{}"), FrontFileID: uuid.New(), CreatedAt: pinResetT0.Add(-time.Hour)}
	require.NoError(e.t, e.store.ReplaceDocument(context.Background(), d))
	return d
}

// submission records a KYC submission of the user on docID in status,
// submitted at at.
func (e *pinResetEnv) submission(userID, docID uuid.UUID, status kyc.Status, at time.Time) kyc.Submission {
	e.t.Helper()
	sub := kyc.Submission{ID: uuid.New(), UserID: userID, Status: status, Country: "GB", DocumentID: docID,
		SelfieID: uuid.New(), SubmittedAt: at}
	if status != kyc.StatusPending {
		sub.DecidedAt = &at
	}
	require.NoError(e.t, e.store.CreateSubmission(context.Background(), sub))
	return sub
}

// approvedKYC puts a live identity document on file for the user and
// approves a KYC submission of it: the document a reset may rely on.
func (e *pinResetEnv) approvedKYC(userID uuid.UUID, typ string) kyc.Document {
	e.t.Helper()
	d := e.document(userID, typ)
	e.submission(userID, d.ID, kyc.StatusApproved, pinResetT0.Add(-time.Hour))
	return d
}

// resetOf returns the stored reset of a ticket.
func (e *pinResetEnv) resetOf(ticket string) pinreset.Reset {
	e.t.Helper()
	sum := sha256.Sum256([]byte(ticket))
	r, err := e.resets.FindByTicket(context.Background(), sum[:])
	require.NoError(e.t, err)
	return r
}

// ticket runs start and verify for phone and returns the ticket.
func (e *pinResetEnv) ticket(phone string) pinreset.Ticket {
	e.t.Helper()
	ch, err := e.svc.Steps.Start(e.ctx(), phone, identity.DeviceProof{})
	require.NoError(e.t, err)
	code, ok := e.sms.LastCode(phone)
	require.True(e.t, ok, "a code was texted")
	tk, err := e.svc.Steps.Verify(e.ctx(), ch.ID, code)
	require.NoError(e.t, err)
	return tk
}

// pending runs a reset to PENDING_REVIEW and returns its ticket and id.
func (e *pinResetEnv) pending(phone string) (string, uuid.UUID) {
	e.t.Helper()
	return e.pendingOf(e.user(phone))
}

// pendingOf runs a reset of u to PENDING_REVIEW and returns its ticket and
// id.
func (e *pinResetEnv) pendingOf(u identity.User) (string, uuid.UUID) {
	e.t.Helper()
	phone := u.Phone
	e.approvedKYC(u.ID, "PASSPORT")
	tk := e.ticket(phone)
	p, err := e.svc.Steps.SubmitSelfie(e.ctx(), tk.Ticket, pinResetPNG(e.t))
	require.NoError(e.t, err)
	require.Equal(e.t, pinreset.PendingReview, p.Status)
	sum := sha256.Sum256([]byte(tk.Ticket))
	r, err := e.resets.FindByTicket(context.Background(), sum[:])
	require.NoError(e.t, err)
	return tk.Ticket, r.ID
}

// pinResetPNG is a tiny real PNG upload.
func pinResetPNG(t *testing.T) *kyc.Upload {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{G: 200, A: 255})
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return &kyc.Upload{Filename: "me.png", Size: int64(b.Len()), Content: bytes.NewReader(b.Bytes())}
}

func pinResetUpload(name string, data []byte) *kyc.Upload {
	return &kyc.Upload{Filename: name, Size: int64(len(data)), Content: bytes.NewReader(data)}
}
