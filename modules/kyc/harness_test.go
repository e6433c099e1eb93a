package kyc_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
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
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// callerKey carries the test's signed-in caller.
type callerKey struct{}

// callers is a CallerSource reading the caller from the context.
type callers struct{}

func (callers) Caller(ctx context.Context) (*ports.Caller, error) {
	c, _ := ctx.Value(callerKey{}).(*ports.Caller)
	return c, nil
}

// memBlobs is an in-memory BlobStore.
type memBlobs struct {
	mu      sync.Mutex
	objects map[string][]byte
}

func (b *memBlobs) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if int64(len(data)) != size {
		return errors.New("size mismatch")
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.objects[key] = bytes.Clone(data)
	return nil
}

func (b *memBlobs) Get(ctx context.Context, key string) ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	d, ok := b.objects[key]
	if !ok {
		return nil, ports.ErrNotFound
	}
	return bytes.Clone(d), nil
}

func (b *memBlobs) Delete(ctx context.Context, key string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.objects, key)
	return nil
}

func (b *memBlobs) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.objects)
}

type env struct {
	t          *testing.T
	cfg        kyc.Config
	clock      *clock.Manual
	store      *kyctest.Store
	users      *identitytest.UserStore
	creds      *identitytest.CredentialStore
	sms        *portsfake.SMSSender
	activities *portsfake.ActivityLog
	blobs      *memBlobs
	audit      *kycAudit
	parts      parts
	svc        kyc.Services
	hook       *kyc.Hook
}

// parts are what the tests build the services from (their constructors'
// arguments): a test swaps one for a failing, counting or spying fake and
// builds again.
type parts struct {
	stores     kyc.Stores
	users      kyc.Users
	callers    ports.CallerSource
	tx         ports.TxRunner
	clock      ports.Clock
	codes      kyc.Codes
	blobs      ports.BlobStore
	sms        ports.SMSSender
	limiter    ports.RateLimiter
	activities ports.ActivityLog
	audit      ports.AuditTrail
	reads      kyc.UserReads
	rules      kyc.Rules
	log        *slog.Logger
}

// build builds every KYC service through its constructor, as kyc.Module
// does (without blob intents: no orphan sweep here).
func (p parts) build(cfg kyc.Config) kyc.Services {
	st := p.stores
	return kyc.Services{
		PersonalData: kyc.NewPersonalData(st.Profiles, st.Documents, st.Submissions, st.Labels, p.users, p.callers,
			p.rules, p.tx, p.clock, p.activities, p.audit, p.log),
		Phones: kyc.NewPhoneNumbers(st.Phones, st.Labels, p.users, p.codes, p.callers, p.rules, p.tx, p.clock,
			p.activities, p.log),
		Labels: kyc.NewLabelling(st.Labels, p.users, p.callers, p.rules, p.tx, p.clock, p.activities, p.audit, p.log),
		Uploads: kyc.NewUploads(cfg, st.Documents, st.Profiles, st.Submissions, p.users, p.callers, p.tx, p.clock,
			p.blobs, nil, p.limiter, p.activities, p.log),
		Files: kyc.NewFiles(cfg, st.Documents, p.users, p.callers, p.rules, p.clock, p.blobs, p.activities, p.log),
		Review: kyc.NewReview(cfg, st.Profiles, st.Documents, st.Submissions, st.Labels, p.users, p.callers, p.rules,
			p.tx, p.clock, portsfake.NewOutbox(p.sms, nil), p.activities, p.audit, p.log),
		ResetFiles: kyc.NewResetFiles(cfg, st.Documents, st.Submissions, p.users, p.tx, p.clock, p.blobs, nil, p.log),
		Loaders:    kyc.NewLoaders(p.reads, p.callers, p.rules),
	}
}

// rebuild builds e's service again from e.cfg and e.parts, after a test
// changed them.
func (e *env) rebuild() { e.svc = e.parts.build(e.cfg) }

func newEnv(t *testing.T) *env {
	t.Helper()
	cfg := kyc.DefaultConfig()
	cfg.LinkKey = []byte("0123456789abcdef0123456789abcdef")
	creds := identitytest.NewCredentialStore()
	e := &env{t: t, cfg: cfg, clock: clock.NewManual(t0), store: kyctest.NewStore(),
		users: identitytest.NewUserStore(creds), creds: creds, sms: portsfake.NewSMSSender(),
		activities: portsfake.NewActivityLog(), blobs: &memBlobs{objects: map[string][]byte{}},
		audit: &kycAudit{}}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tx := portsfake.NewTxRunner()
	otpCfg := otp.DefaultConfig()
	otpCfg.HMACKey = []byte("0123456789abcdef0123456789abcdef")
	// Every test client here is one client with no address: the per-client
	// total of codes is the OTP module's to test, not this one's.
	otpCfg.ClientSendsPerHour = 0
	otpSvc := otp.NewService(otpCfg, otptest.NewStore(), tx, portsfake.NewOutbox(e.sms, portsfake.NewEmailSender()), e.clock,
		e.activities, log)
	e.parts = parts{stores: kyctest.StoresOf(e.store), users: e.users, callers: callers{}, rules: portsfake.DefaultRules(),
		tx: tx, clock: e.clock, codes: otpSvc, blobs: e.blobs, sms: e.sms, limiter: portsfake.NewRateLimiter(e.clock),
		activities: e.activities, audit: e.audit, reads: e.store, log: log}
	e.rebuild()
	e.hook = kyc.NewHook(e.store, e.store, e.users, e.clock)
	return e
}

// user stores a user with role and phone (empty for none).
func (e *env) user(role, phone string) identity.User {
	e.t.Helper()
	u := identity.User{ID: uuid.New(), Phone: phone, State: "ACTIVE", Role: role,
		ReferralCode: uuid.NewString()[:12], CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now()}
	require.NoError(e.t, e.users.Create(context.Background(), u))
	return u
}

func (e *env) as(u identity.User) context.Context {
	return context.WithValue(context.Background(), callerKey{}, &ports.Caller{UserID: u.ID, Role: u.Role})
}

func (e *env) level(u identity.User) int {
	e.t.Helper()
	got, err := e.users.GetByID(context.Background(), u.ID)
	require.NoError(e.t, err)
	return got.Level
}

func goodProfile() kyc.ProfileInput {
	return kyc.ProfileInput{FirstName: "Ada", LastName: "Lovelace", DateOfBirth: "1990-12-10",
		Address: "12 St James's Square", Postcode: "SW1Y 4JH", City: "London", Country: "gb"}
}

func jpegOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h)), nil))
	return b.Bytes()
}

func up(data []byte) *kyc.Upload {
	return &kyc.Upload{Filename: "f", Size: int64(len(data)), Content: bytes.NewReader(data)}
}

func (e *env) uploadPassport(u identity.User) kyc.DocumentView {
	e.t.Helper()
	v, err := e.svc.Uploads.UploadDocument(e.as(u), kyc.DocumentInput{Type: kyc.DocPassport, Number: "P1234567",
		Front: up(jpegOf(e.t, 64, 48))})
	require.NoError(e.t, err)
	return v
}

func (e *env) uploadSelfie(u identity.User) kyc.SelfieView {
	e.t.Helper()
	v, err := e.svc.Uploads.UploadSelfie(e.as(u), up(pngOf(e.t, 40, 40)))
	require.NoError(e.t, err)
	return v
}

func (e *env) confirmProfile(u identity.User) {
	e.t.Helper()
	_, err := e.svc.PersonalData.UpsertMyProfile(e.as(u), goodProfile(), true)
	require.NoError(e.t, err)
}

// submitted completes u's set and returns the PENDING submission.
func (e *env) submitted(u identity.User) kyc.Submission {
	e.t.Helper()
	e.confirmProfile(u)
	e.uploadPassport(u)
	e.uploadSelfie(u)
	sub, err := e.store.LatestSubmission(context.Background(), u.ID)
	require.NoError(e.t, err)
	require.Equal(e.t, kyc.StatusPending, sub.Status)
	return sub
}

// promotedUsers is the user store with roles changed since the users were
// made (the fake has no role change).
type promotedUsers struct {
	*identitytest.UserStore
	roles map[uuid.UUID]string
}

func (p *promotedUsers) GetByID(ctx context.Context, id uuid.UUID) (identity.User, error) {
	u, err := p.UserStore.GetByID(ctx, id)
	if role, ok := p.roles[id]; ok && err == nil {
		u.Role = role
	}
	return u, err
}
