package kyc_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"strings"
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
	"github.com/gatehouse/gatehouse/ports/errtest"
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
	checks  []kyc.SelfieCheck
}

func (v *pinResetVerifier) Verify(ctx context.Context, c kyc.SelfieCheck) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.checks = append(v.checks, c)
	return v.verdict, v.err
}

func (v *pinResetVerifier) Checks() []kyc.SelfieCheck {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]kyc.SelfieCheck(nil), v.checks...)
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
// requests as the KYC service made them.
type pinResetOTP struct {
	kyc.Codes
	mu   sync.Mutex
	reqs []otp.StartRequest
}

func (o *pinResetOTP) Start(ctx context.Context, r otp.StartRequest) (otp.ChallengeView, error) {
	o.mu.Lock()
	o.reqs = append(o.reqs, r)
	o.mu.Unlock()
	r.Background = false
	return o.Codes.Start(ctx, r)
}

func (o *pinResetOTP) last() otp.StartRequest {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.reqs[len(o.reqs)-1]
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
	*kyctest.Store
	finds int
}

func (s *pinResetCountingFinds) FindPINReset(ctx context.Context, hash []byte) (kyc.PINReset, error) {
	s.finds++
	return s.Store.FindPINReset(ctx, hash)
}

type pinResetEnv struct {
	t          *testing.T
	clock      *clock.Manual
	store      *kyctest.Store
	users      *identitytest.UserStore
	creds      *identitytest.CredentialStore
	sms        *portsfake.SMSSender
	blobs      *pinResetBlobs
	verifier   *pinResetVerifier
	otp        *pinResetOTP
	activities *portsfake.ActivityLog
	logs       *bytes.Buffer
	parts      parts
	cfg        kyc.Config
	svc        *kyc.Service
}

func newPinResetEnv(t *testing.T) *pinResetEnv {
	t.Helper()
	e := &pinResetEnv{t: t, clock: clock.NewManual(pinResetT0), store: kyctest.NewStore(),
		creds: identitytest.NewCredentialStore(), sms: portsfake.NewSMSSender(),
		blobs:    &pinResetBlobs{objects: map[string][]byte{}},
		verifier: &pinResetVerifier{verdict: kyc.SelfiePendingReview}, activities: portsfake.NewActivityLog(),
		logs: &bytes.Buffer{}, cfg: kyc.DefaultConfig()}
	e.users = identitytest.NewUserStore(e.creds)
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tx := portsfake.NewTxRunner()
	otpCfg := otp.DefaultConfig()
	otpCfg.HMACKey = []byte("0123456789abcdef0123456789abcdef")
	e.otp = &pinResetOTP{Codes: otp.NewService(otpCfg, otptest.NewStore(), tx, e.sms,
		portsfake.NewEmailSender(), e.clock, e.activities, log)}
	e.parts = parts{stores: kyctest.StoresOf(e.store), users: e.users, callers: pinResetCallers{},
		rules: portsfake.DefaultRules(), tx: tx, clock: e.clock, codes: e.otp, blobs: e.blobs, sms: e.sms,
		selfies: e.verifier, limiter: portsfake.NewRateLimiter(e.clock), activities: e.activities,
		audit: portsfake.NewAuditTrail(e.activities), log: log}
	e.rebuild()
	return e
}

// rebuild builds e's service again from e.cfg and e.parts.
func (e *pinResetEnv) rebuild() { e.svc = e.parts.build(e.cfg) }

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
func (e *pinResetEnv) resetOf(ticket string) kyc.PINReset {
	e.t.Helper()
	sum := sha256.Sum256([]byte(ticket))
	r, err := e.store.FindPINReset(context.Background(), sum[:])
	require.NoError(e.t, err)
	return r
}

// ticket runs start and verify for phone and returns the ticket.
func (e *pinResetEnv) ticket(phone string) kyc.PINResetTicket {
	e.t.Helper()
	ch, err := e.svc.StartPINReset(e.ctx(), phone, identity.DeviceProof{})
	require.NoError(e.t, err)
	code, ok := e.sms.LastCode(phone)
	require.True(e.t, ok, "a code was texted")
	tk, err := e.svc.VerifyPINReset(e.ctx(), ch.ID, code)
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
	p, err := e.svc.SubmitPINResetSelfie(e.ctx(), tk.Ticket, pinResetPNG(e.t))
	require.NoError(e.t, err)
	require.Equal(e.t, kyc.PINResetPendingReview, p.Status)
	sum := sha256.Sum256([]byte(tk.Ticket))
	r, err := e.store.FindPINReset(context.Background(), sum[:])
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

func TestPINResetStartGivesDecoysThatLookReal(t *testing.T) {
	e := newPinResetEnv(t)
	e.user(pinResetPhone)
	noPIN := identity.User{ID: uuid.New(), Phone: "+447911123457", State: "ACTIVE", Role: ports.RoleMember,
		ReferralCode: "nopin001"}
	require.NoError(t, e.users.Create(context.Background(), noPIN))
	locked := e.user("+447911123458")
	require.NoError(t, e.users.SetState(context.Background(), locked.ID, "LOCKED", pinResetT0))

	real, err := e.svc.StartPINReset(e.ctx(), pinResetPhone, identity.DeviceProof{})
	require.NoError(t, err)
	require.False(t, e.otp.last().Decoy)
	require.True(t, e.otp.last().Background, "delivery happens after the answer")
	require.Equal(t, map[string]string{"userId": e.otp.last().Metadata["userId"]}, e.otp.last().Metadata)

	for _, phone := range []string{"+447911123459", noPIN.Phone, locked.Phone} {
		decoy, err := e.svc.StartPINReset(e.ctx(), phone, identity.DeviceProof{})
		require.NoError(t, err, phone)
		req := e.otp.last()
		require.True(t, req.Decoy, phone)
		require.True(t, req.Background, phone)
		require.Empty(t, req.Metadata, "a decoy names no user")
		require.Empty(t, e.sms.MessagesTo(phone), "a decoy sends nothing")
		// Same shape as the real challenge.
		require.Equal(t, real.Purpose, decoy.Purpose)
		require.Equal(t, real.Channel, decoy.Channel)
		require.Equal(t, real.ExpiresAt, decoy.ExpiresAt)
		require.Equal(t, real.ResendAfter, decoy.ResendAfter)
		require.Len(t, decoy.Destination, len(real.Destination))
		require.NotEqual(t, uuid.Nil, decoy.ID)
		// No code opens a reset.
		_, err = e.svc.VerifyPINReset(e.ctx(), decoy.ID, "123456")
		errtest.Code(t, err, ports.CodeInvalidCode)
	}
	require.Len(t, e.sms.MessagesTo(pinResetPhone), 1)

	_, err = e.svc.StartPINReset(e.ctx(), "07911 123456", identity.DeviceProof{})
	errtest.Code(t, err, ports.CodeValidationFailed)
}

func TestPINResetStartIsRateLimitedPerClient(t *testing.T) {
	e := newPinResetEnv(t)
	for i := range e.cfg.PINResetStartsPerHour {
		_, err := e.svc.StartPINReset(e.ctx(), fmt.Sprintf("+4479111234%02d", i), identity.DeviceProof{})
		require.NoError(t, err)
	}
	_, err := e.svc.StartPINReset(e.ctx(), "+447911123499", identity.DeviceProof{})
	errtest.Code(t, err, ports.CodeRateLimited)
	other := ports.WithRequestMeta(context.Background(), ports.RequestMeta{IP: "198.51.100.1"})
	_, err = e.svc.StartPINReset(other, "+447911123499", identity.DeviceProof{})
	require.NoError(t, err, "another client has its own budget")
}

func TestPINResetWithDocumentOnFileThroughStaffApproval(t *testing.T) {
	e := newPinResetEnv(t)
	u := e.user(pinResetPhone)
	e.document(u.ID, "UTILITY_BILL") // not an identity document
	doc := e.approvedKYC(u.ID, "NATIONAL_ID")

	tk := e.ticket(pinResetPhone)
	require.Equal(t, kyc.PINResetSelfieRequired, tk.Status)
	require.True(t, tk.DocumentOnFile)
	require.True(t, strings.HasPrefix(tk.Ticket, "ghpr_"))
	require.Len(t, tk.Ticket, 48)
	require.Equal(t, pinResetT0.Add(e.cfg.PINResetTTL), tk.ExpiresAt)
	sum := sha256.Sum256([]byte(tk.Ticket))
	r, err := e.store.FindPINReset(context.Background(), sum[:])
	require.NoError(t, err, "the ticket's SHA-256 is stored")
	require.NotContains(t, string(r.TicketHash), tk.Ticket)
	require.Equal(t, &doc.ID, r.DocumentID)
	require.False(t, r.DocumentUploaded)
	require.Equal(t, u.ID, r.UserID)

	// The document step is not for this reset.
	_, err = e.svc.UploadPINResetDocument(e.ctx(), kyc.PINResetDocumentInput{Ticket: tk.Ticket, Type: "PASSPORT",
		Number: "X1", Front: pinResetPNG(t)})
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "SELFIE_REQUIRED")
	// Redeeming before approval is refused.
	_, err = e.svc.RedeemPINReset(e.ctx(), tk.Ticket)
	errtest.Code(t, err, ports.CodeConflict)

	p, err := e.svc.SubmitPINResetSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
	require.NoError(t, err)
	require.Equal(t, kyc.PINResetProgress{Status: kyc.PINResetPendingReview, ExpiresAt: tk.ExpiresAt}, p)
	checks := e.verifier.Checks()
	require.Len(t, checks, 1)
	require.Equal(t, doc.ID, checks[0].DocumentID)
	require.Equal(t, u.ID, checks[0].UserID)
	require.Equal(t, r.ID, checks[0].PINResetID)
	f, err := e.store.GetFile(context.Background(), checks[0].SelfieFileID)
	require.NoError(t, err)
	require.Equal(t, kyc.FileSelfie, f.Purpose)
	require.Equal(t, "image/png", f.ContentType)
	require.Equal(t, 1, e.blobs.Len())
	// A second selfie is refused.
	_, err = e.svc.SubmitPINResetSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "PENDING_REVIEW")
	_, err = e.svc.RedeemPINReset(e.ctx(), tk.Ticket)
	errtest.Code(t, err, ports.CodeConflict)

	// Staff see it waiting and approve it.
	staff, staffID := e.as(ports.RoleCompliance)
	page, err := e.svc.ListPINResets(staff, "", 10, "")
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	require.Equal(t, r.ID, page.Items[0].ID)
	approved, err := e.svc.ApprovePINReset(staff, r.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.PINResetApproved, approved.Status)
	require.Equal(t, &staffID, approved.DecidedBy)
	require.NotNil(t, approved.DecidedAt)
	msgs := e.sms.MessagesTo(pinResetPhone)
	require.Contains(t, msgs[len(msgs)-1].Text, "approved")
	require.NotEmpty(t, e.activities.WithAction("pin_reset.approved"))

	p, err = e.svc.PINResetStatus(e.ctx(), tk.Ticket)
	require.NoError(t, err)
	require.Equal(t, kyc.PINResetApproved, p.Status)

	// Redeemed once, by identity, when the new PIN is set.
	got, err := e.svc.RedeemPINReset(e.ctx(), tk.Ticket)
	require.NoError(t, err)
	require.Equal(t, u.ID, got)
	_, err = e.svc.RedeemPINReset(e.ctx(), tk.Ticket)
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "COMPLETED")
	r, err = e.store.GetPINReset(context.Background(), r.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.PINResetCompleted, r.Status)
	require.NotNil(t, r.CompletedAt)

	require.NotContains(t, e.logs.String(), tk.Ticket, "the ticket is never logged")
	for _, a := range e.activities.Activities() {
		for _, v := range a.Details {
			require.NotContains(t, v, tk.Ticket)
		}
	}
}

func TestPINResetWithoutDocumentUploadsOne(t *testing.T) {
	e := newPinResetEnv(t)
	u := e.user(pinResetPhone)
	tk := e.ticket(pinResetPhone)
	require.Equal(t, kyc.PINResetDocumentRequired, tk.Status)
	require.False(t, tk.DocumentOnFile)

	// No selfie before the document.
	_, err := e.svc.SubmitPINResetSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "DOCUMENT_REQUIRED")

	// Bad input, each refused with nothing stored.
	for _, bad := range []struct {
		in    kyc.PINResetDocumentInput
		field string
	}{
		{kyc.PINResetDocumentInput{Type: "UTILITY_BILL", Number: "X1", Front: pinResetPNG(t)}, "type"},
		{kyc.PINResetDocumentInput{Type: "NATIONAL_ID", Number: " ", Front: pinResetPNG(t)}, "number"},
		{kyc.PINResetDocumentInput{Type: "NATIONAL_ID", Number: strings.Repeat("9", 65), Front: pinResetPNG(t)}, "number"},
		{kyc.PINResetDocumentInput{Type: "NATIONAL_ID", Number: "X1"}, "front"},
		{kyc.PINResetDocumentInput{Type: "NATIONAL_ID", Number: "X1", Front: pinResetPNG(t),
			Back: pinResetUpload("b.jpg", []byte("#!/bin/sh\nrm -rf /\n"))}, "back"},
	} {
		bad.in.Ticket = tk.Ticket
		_, err := e.svc.UploadPINResetDocument(e.ctx(), bad.in)
		perr := errtest.Code(t, err, ports.CodeValidationFailed)
		require.Contains(t, perr.Fields, bad.field)
	}
	require.Zero(t, e.blobs.Len())

	p, err := e.svc.UploadPINResetDocument(e.ctx(), kyc.PINResetDocumentInput{Ticket: tk.Ticket, Type: "NATIONAL_ID",
		Number: " 1990-123 456 ", Front: pinResetPNG(t), Back: pinResetPNG(t)})
	require.NoError(t, err)
	require.Equal(t, kyc.PINResetSelfieRequired, p.Status)
	require.Equal(t, 2, e.blobs.Len())
	live, err := e.store.LiveDocuments(context.Background(), u.ID)
	require.NoError(t, err)
	require.Empty(t, live, "the upload never becomes the user's live document")
	r := e.resetOf(tk.Ticket)
	require.True(t, r.DocumentUploaded)
	require.NotNil(t, r.DocumentID)
	doc, err := e.store.GetDocument(context.Background(), *r.DocumentID)
	require.NoError(t, err)
	require.Equal(t, u.ID, doc.UserID)
	require.Equal(t, "NATIONAL_ID", doc.Type)
	require.Equal(t, "1990-123 456", doc.Number)
	require.NotNil(t, doc.BackFileID)
	require.NotNil(t, doc.ReplacedAt, "stored already replaced")
	require.Equal(t, doc.CreatedAt, *doc.ReplacedAt)

	// Only once.
	_, err = e.svc.UploadPINResetDocument(e.ctx(), kyc.PINResetDocumentInput{Ticket: tk.Ticket, Type: "PASSPORT",
		Number: "X1", Front: pinResetPNG(t)})
	errtest.Code(t, err, ports.CodeConflict)

	p, err = e.svc.SubmitPINResetSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
	require.NoError(t, err)
	require.Equal(t, kyc.PINResetPendingReview, p.Status)
	require.Equal(t, doc.ID, e.verifier.Checks()[0].DocumentID)
}

func TestPINResetDocumentUploadLeavesNothingWhenItFails(t *testing.T) {
	e := newPinResetEnv(t)
	e.user(pinResetPhone)
	tk := e.ticket(pinResetPhone)
	failing := e.parts
	failing.stores.Documents = pinResetFailingDocs{e.store}
	svc := failing.build(e.cfg)
	_, err := svc.UploadPINResetDocument(e.ctx(), kyc.PINResetDocumentInput{Ticket: tk.Ticket, Type: "PASSPORT",
		Number: "X1", Front: pinResetPNG(t), Back: pinResetPNG(t)})
	require.Error(t, err)
	require.Zero(t, e.blobs.Len(), "stored objects are deleted again")
	p, err := e.svc.PINResetStatus(e.ctx(), tk.Ticket)
	require.NoError(t, err)
	require.Equal(t, kyc.PINResetDocumentRequired, p.Status)
}

func TestPINResetSelfieMustBeAPhoto(t *testing.T) {
	e := newPinResetEnv(t)
	u := e.user(pinResetPhone)
	e.approvedKYC(u.ID, "PASSPORT")
	tk := e.ticket(pinResetPhone)
	for _, up := range []*kyc.Upload{
		nil,
		pinResetUpload("me.jpg", []byte("#!/bin/sh\necho pwned\n")),
		pinResetUpload("me.pdf", []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")),
		pinResetUpload("me.png", nil),
	} {
		_, err := e.svc.SubmitPINResetSelfie(e.ctx(), tk.Ticket, up)
		require.Contains(t, errtest.Code(t, err, ports.CodeValidationFailed).Fields, "selfie")
	}
	require.Zero(t, e.blobs.Len(), "nothing stored")
	require.Empty(t, e.verifier.Checks())
	p, err := e.svc.PINResetStatus(e.ctx(), tk.Ticket)
	require.NoError(t, err)
	require.Equal(t, kyc.PINResetSelfieRequired, p.Status)
}

func TestPINResetVerifierMayDecideAtOnce(t *testing.T) {
	t.Run("match", func(t *testing.T) {
		e := newPinResetEnv(t)
		e.verifier.verdict = kyc.SelfieMatch
		u := e.user(pinResetPhone)
		e.approvedKYC(u.ID, "DRIVER_LICENSE")
		tk := e.ticket(pinResetPhone)
		p, err := e.svc.SubmitPINResetSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
		require.NoError(t, err)
		require.Equal(t, kyc.PINResetApproved, p.Status)
		got, err := e.svc.RedeemPINReset(e.ctx(), tk.Ticket)
		require.NoError(t, err)
		require.Equal(t, u.ID, got)
	})
	t.Run("no match", func(t *testing.T) {
		e := newPinResetEnv(t)
		e.verifier.verdict = kyc.SelfieNoMatch
		u := e.user(pinResetPhone)
		e.approvedKYC(u.ID, "RESIDENCE_PERMIT")
		tk := e.ticket(pinResetPhone)
		p, err := e.svc.SubmitPINResetSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
		require.NoError(t, err)
		require.Equal(t, kyc.PINResetRejected, p.Status)
		require.NotEmpty(t, p.Reason)
		_, err = e.svc.RedeemPINReset(e.ctx(), tk.Ticket)
		require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "REJECTED")
	})
	t.Run("verifier down", func(t *testing.T) {
		e := newPinResetEnv(t)
		e.verifier.err = errors.New("face service unreachable")
		u := e.user(pinResetPhone)
		e.approvedKYC(u.ID, "PASSPORT")
		tk := e.ticket(pinResetPhone)
		p, err := e.svc.SubmitPINResetSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
		require.NoError(t, err)
		require.Equal(t, kyc.PINResetPendingReview, p.Status, "left to staff")
	})
}

func TestPINResetTicketsThatDoNotWork(t *testing.T) {
	e := newPinResetEnv(t)
	ticket, id := e.pending(pinResetPhone)
	staff, _ := e.as(ports.RoleCompliance)
	_, err := e.svc.ApprovePINReset(staff, id)
	require.NoError(t, err)

	unknown := []string{"ghpr_" + strings.Repeat("A", 43), "nope", "ghpr_" + strings.Repeat("A", 5000),
		"ghr_" + strings.Repeat("A", 43)}
	var msgs []string
	for _, tk := range unknown {
		_, err := e.svc.PINResetStatus(e.ctx(), tk)
		msgs = append(msgs, errtest.Code(t, err, ports.CodeNotFound).Message)
		_, err = e.svc.RedeemPINReset(e.ctx(), tk)
		errtest.Code(t, err, ports.CodeNotFound)
	}
	_, err = e.svc.PINResetStatus(e.ctx(), "")
	errtest.Code(t, err, ports.CodeValidationFailed)

	// Expired: the same answer as unknown, even though it was approved.
	e.clock.Advance(e.cfg.PINResetTTL)
	_, err = e.svc.PINResetStatus(e.ctx(), ticket)
	require.Equal(t, msgs[0], errtest.Code(t, err, ports.CodeNotFound).Message)
	_, err = e.svc.RedeemPINReset(e.ctx(), ticket)
	require.Equal(t, msgs[0], errtest.Code(t, err, ports.CodeNotFound).Message)
	require.Equal(t, "this reset ticket is not valid", msgs[0])
	for _, m := range msgs {
		require.Equal(t, msgs[0], m)
	}
}

func TestPINResetDecisionsAreForComplianceStaff(t *testing.T) {
	e := newPinResetEnv(t)
	_, id := e.pending(pinResetPhone)

	_, err := e.svc.ApprovePINReset(e.ctx(), id)
	errtest.Code(t, err, ports.CodeUnauthenticated)
	for _, role := range []string{ports.RoleMember, ports.RoleSupport, ports.RoleAccountant, ports.RolePartner} {
		ctx, _ := e.as(role)
		_, err := e.svc.ApprovePINReset(ctx, id)
		errtest.Code(t, err, ports.CodeForbidden)
		_, err = e.svc.RejectPINReset(ctx, id, "no")
		errtest.Code(t, err, ports.CodeForbidden)
		_, err = e.svc.ListPINResets(ctx, "", 10, "")
		errtest.Code(t, err, ports.CodeForbidden)
	}
	r, err := e.store.GetPINReset(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, kyc.PINResetPendingReview, r.Status, "nothing changed")

	// A staff member never decides their own reset.
	own := context.WithValue(e.ctx(), pinResetCallerKey{}, &ports.Caller{UserID: r.UserID, Role: ports.RoleAdmin})
	_, err = e.svc.ApprovePINReset(own, id)
	errtest.Code(t, err, ports.CodeForbidden)

	admin, _ := e.as(ports.RoleAdmin)
	_, err = e.svc.RejectPINReset(admin, id, "")
	require.Contains(t, errtest.Code(t, err, ports.CodeValidationFailed).Fields, "reason")
	_, err = e.svc.ApprovePINReset(admin, uuid.New())
	errtest.Code(t, err, ports.CodeNotFound)

	rejected, err := e.svc.RejectPINReset(admin, id, "The selfie is too dark.")
	require.NoError(t, err)
	require.Equal(t, kyc.PINResetRejected, rejected.Status)
	msgs := e.sms.MessagesTo(pinResetPhone)
	require.Contains(t, msgs[len(msgs)-1].Text, "not approved")
	super, _ := e.as(ports.RoleSuperadmin)
	_, err = e.svc.ApprovePINReset(super, id)
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "REJECTED")
}

func TestPINResetConcurrentDecisionsOneWins(t *testing.T) {
	e := newPinResetEnv(t)
	_, id := e.pending(pinResetPhone)
	e.sms.FailWith(errors.New("provider down")) // a failed text does not undo the decision
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, _ := e.as(ports.RoleCompliance)
			if i%2 == 0 {
				_, errs[i] = e.svc.ApprovePINReset(ctx, id)
			} else {
				_, errs[i] = e.svc.RejectPINReset(ctx, id, "unclear")
			}
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
			continue
		}
		errtest.Code(t, err, ports.CodeConflict)
	}
	require.Equal(t, 1, wins)
	// One decision: recorded once under the staff member (with their
	// address) and once under the user (without it).
	decided := append(e.activities.WithAction("pin_reset.approved"), e.activities.WithAction("pin_reset.rejected")...)
	require.Len(t, decided, 2)
	require.Equal(t, decided[0].Action, decided[1].Action)
	for _, a := range decided {
		if a.UserID != nil && a.Details["by"] != "" {
			require.Empty(t, a.IP, "the user's row has no staff address")
		}
	}
}

func TestPINResetStaffCannotDecideAnExpiredReset(t *testing.T) {
	e := newPinResetEnv(t)
	_, id := e.pending(pinResetPhone)
	e.clock.Advance(e.cfg.PINResetTTL)
	staff, _ := e.as(ports.RoleCompliance)
	_, err := e.svc.ApprovePINReset(staff, id)
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "expired")
}

func TestPINResetListPages(t *testing.T) {
	e := newPinResetEnv(t)
	var ids []uuid.UUID
	for _, phone := range []string{"+447911123451", "+447911123452", "+447911123453"} {
		_, id := e.pending(phone)
		ids = append(ids, id)
		e.clock.Advance(time.Second)
	}
	staff, _ := e.as(ports.RoleCompliance)
	page, err := e.svc.ListPINResets(staff, kyc.PINResetPendingReview, 2, "")
	require.NoError(t, err)
	require.True(t, page.HasNext)
	require.Equal(t, []uuid.UUID{ids[0], ids[1]}, []uuid.UUID{page.Items[0].ID, page.Items[1].ID})
	next, err := e.svc.ListPINResets(staff, kyc.PINResetPendingReview, 2, page.Cursors[1])
	require.NoError(t, err)
	require.False(t, next.HasNext)
	require.Len(t, next.Items, 1)
	require.Equal(t, ids[2], next.Items[0].ID)

	approved, err := e.svc.ListPINResets(staff, kyc.PINResetApproved, 10, "")
	require.NoError(t, err)
	require.Empty(t, approved.Items)

	for _, bad := range []struct {
		status, after string
		first         int
		field         string
	}{
		{"SOMETHING", "", 10, "status"},
		{"", "", 0, "first"},
		{"", "", 101, "first"},
		{"", "not-a-cursor", 10, "after"},
	} {
		_, err := e.svc.ListPINResets(staff, kyc.PINResetStatus(bad.status), bad.first, bad.after)
		require.Contains(t, errtest.Code(t, err, ports.CodeValidationFailed).Fields, bad.field)
	}
}

// Only the document of an APPROVED latest KYC submission is on file: a
// live document staff never approved proves nothing.
func TestPINResetDocumentOnFileNeedsApprovedKYC(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(e *pinResetEnv, u identity.User) *uuid.UUID // the document on file, if any
	}{
		{"live document, no submission", func(e *pinResetEnv, u identity.User) *uuid.UUID {
			e.document(u.ID, "PASSPORT")
			return nil
		}},
		{"pending submission", func(e *pinResetEnv, u identity.User) *uuid.UUID {
			d := e.document(u.ID, "PASSPORT")
			e.submission(u.ID, d.ID, kyc.StatusPending, pinResetT0.Add(-time.Hour))
			return nil
		}},
		{"rejected submission", func(e *pinResetEnv, u identity.User) *uuid.UUID {
			d := e.document(u.ID, "PASSPORT")
			e.submission(u.ID, d.ID, kyc.StatusRejected, pinResetT0.Add(-time.Hour))
			return nil
		}},
		{"approved, then a newer submission pending", func(e *pinResetEnv, u identity.User) *uuid.UUID {
			d := e.approvedKYC(u.ID, "PASSPORT")
			e.submission(u.ID, d.ID, kyc.StatusPending, pinResetT0.Add(-time.Minute))
			return nil
		}},
		{"approved, live document replaced since", func(e *pinResetEnv, u identity.User) *uuid.UUID {
			d := e.approvedKYC(u.ID, "PASSPORT")
			newer := kyc.Document{ID: uuid.New(), UserID: u.ID, Type: "PASSPORT", Number: "ZZ999",
				Metadata: json.RawMessage("{}"), FrontFileID: uuid.New(), CreatedAt: pinResetT0.Add(-time.Minute)}
			require.NoError(t, e.store.ReplaceDocument(context.Background(), newer))
			return &d.ID
		}},
		{"approved", func(e *pinResetEnv, u identity.User) *uuid.UUID {
			d := e.approvedKYC(u.ID, "NATIONAL_ID")
			return &d.ID
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newPinResetEnv(t)
			u := e.user(pinResetPhone)
			want := tc.setup(e, u)
			tk := e.ticket(pinResetPhone)
			r := e.resetOf(tk.Ticket)
			if want == nil {
				require.Equal(t, kyc.PINResetDocumentRequired, tk.Status)
				require.False(t, tk.DocumentOnFile)
				require.Nil(t, r.DocumentID)
				return
			}
			require.Equal(t, kyc.PINResetSelfieRequired, tk.Status)
			require.True(t, tk.DocumentOnFile)
			require.Equal(t, want, r.DocumentID, "the approved submission's document")
		})
	}
}

// A SIM swapper who uploads their own document and a matching selfie is
// not approved by the verifier: staff compare with the profile.
func TestPINResetUploadedDocumentNeedsStaff(t *testing.T) {
	upload := func(e *pinResetEnv) kyc.PINResetTicket {
		e.user(pinResetPhone)
		tk := e.ticket(pinResetPhone)
		require.Equal(t, kyc.PINResetDocumentRequired, tk.Status)
		_, err := e.svc.UploadPINResetDocument(e.ctx(), kyc.PINResetDocumentInput{Ticket: tk.Ticket, Type: "PASSPORT",
			Number: "X1", Front: pinResetPNG(e.t)})
		require.NoError(e.t, err)
		return tk
	}
	t.Run("match waits for staff", func(t *testing.T) {
		e := newPinResetEnv(t)
		e.verifier.verdict = kyc.SelfieMatch
		tk := upload(e)
		p, err := e.svc.SubmitPINResetSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
		require.NoError(t, err)
		require.Equal(t, kyc.PINResetPendingReview, p.Status)
		require.Len(t, e.verifier.Checks(), 1, "the verifier was asked")
		_, err = e.svc.RedeemPINReset(e.ctx(), tk.Ticket)
		require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "PENDING_REVIEW")
		r := e.resetOf(tk.Ticket)
		require.True(t, r.DocumentUploaded)
		require.Nil(t, r.DecidedAt)
		require.Empty(t, e.activities.WithAction("pin_reset.approved"))
		staff, _ := e.as(ports.RoleCompliance)
		page, err := e.svc.ListPINResets(staff, "", 10, "")
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		require.True(t, page.Items[0].DocumentUploaded, "staff see the document was uploaded")
	})
	t.Run("no match still rejects", func(t *testing.T) {
		e := newPinResetEnv(t)
		e.verifier.verdict = kyc.SelfieNoMatch
		tk := upload(e)
		p, err := e.svc.SubmitPINResetSelfie(e.ctx(), tk.Ticket, pinResetPNG(t))
		require.NoError(t, err)
		require.Equal(t, kyc.PINResetRejected, p.Status)
	})
}

// A new reset rejects the user's open ones, whatever step they are at;
// other users' resets are left alone.
func TestPINResetNewResetSupersedesOpenOnes(t *testing.T) {
	e := newPinResetEnv(t)
	u := e.user(pinResetPhone)
	e.approvedKYC(u.ID, "PASSPORT")
	const otherPhone = "+447911123450"
	o := e.user(otherPhone)
	e.approvedKYC(o.ID, "PASSPORT")
	other := e.ticket(otherPhone)

	// One approved (as a SIM swapper's could be), one pending review, one
	// waiting for a selfie.
	approved, id := e.ticket(pinResetPhone).Ticket, uuid.Nil
	_, err := e.svc.SubmitPINResetSelfie(e.ctx(), approved, pinResetPNG(t))
	require.NoError(t, err)
	id = e.resetOf(approved).ID
	staff, _ := e.as(ports.RoleCompliance)
	_, err = e.svc.ApprovePINReset(staff, id)
	require.NoError(t, err)
	e.clock.Advance(time.Minute)
	pending := e.ticket(pinResetPhone).Ticket
	_, err = e.svc.SubmitPINResetSelfie(e.ctx(), pending, pinResetPNG(t))
	require.NoError(t, err)
	e.clock.Advance(time.Minute)
	selfie := e.ticket(pinResetPhone).Ticket // supersedes the two before

	for _, tk := range []string{approved, pending} {
		p, err := e.svc.PINResetStatus(e.ctx(), tk)
		require.NoError(t, err)
		require.Equal(t, kyc.PINResetProgress{Status: kyc.PINResetRejected, Reason: "superseded by a newer reset",
			ExpiresAt: e.resetOf(tk).ExpiresAt}, p)
	}
	_, err = e.svc.RedeemPINReset(e.ctx(), approved)
	require.Contains(t, errtest.Code(t, err, ports.CodeConflict).Message, "REJECTED")
	p, err := e.svc.PINResetStatus(e.ctx(), selfie)
	require.NoError(t, err)
	require.Equal(t, kyc.PINResetSelfieRequired, p.Status)
	p, err = e.svc.PINResetStatus(e.ctx(), other.Ticket)
	require.NoError(t, err)
	require.Equal(t, kyc.PINResetSelfieRequired, p.Status, "another user's reset stays")
	require.Len(t, e.activities.WithAction("pin_reset.superseded"), 2)
}

// Completing a reset rejects any other open one of the user (one that a
// race left open).
func TestPINResetOneOpenResetPerUser(t *testing.T) {
	e := newPinResetEnv(t)
	ticket, id := e.pending(pinResetPhone)
	staff, _ := e.as(ports.RoleCompliance)
	_, err := e.svc.ApprovePINReset(staff, id)
	require.NoError(t, err)
	r := e.resetOf(ticket)
	// No second open reset can exist beside it (the store's unique index).
	late := kyc.PINReset{ID: uuid.New(), UserID: r.UserID, TicketHash: []byte("another ticket hash"),
		Status: kyc.PINResetApproved, ExpiresAt: r.ExpiresAt.Add(time.Second), CreatedAt: r.CreatedAt.Add(time.Second)}
	errtest.Code(t, e.store.CreatePINReset(context.Background(), late), ports.CodeConflict)

	got, err := e.svc.RedeemPINReset(e.ctx(), ticket)
	require.NoError(t, err)
	require.Equal(t, r.UserID, got)
	done, err := e.store.GetPINReset(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, kyc.PINResetCompleted, done.Status)
	open, err := e.store.OpenPINResetsOf(context.Background(), r.UserID)
	require.NoError(t, err)
	require.Empty(t, open)
}

// The reset of a staff account is for a SUPERADMIN to decide.
func TestPINResetOfStaffNeedsSuperadmin(t *testing.T) {
	e := newPinResetEnv(t)
	_, id := e.pendingOf(e.userWithRole(pinResetPhone, ports.RoleAdmin))

	for _, role := range []string{ports.RoleCompliance, ports.RoleAdmin} {
		ctx, _ := e.as(role)
		_, err := e.svc.ApprovePINReset(ctx, id)
		errtest.Code(t, err, ports.CodeForbidden)
		_, err = e.svc.RejectPINReset(ctx, id, "no")
		errtest.Code(t, err, ports.CodeForbidden)
	}
	r, err := e.store.GetPINReset(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, kyc.PINResetPendingReview, r.Status, "nothing changed")

	super, superID := e.as(ports.RoleSuperadmin)
	approved, err := e.svc.ApprovePINReset(super, id)
	require.NoError(t, err)
	require.Equal(t, kyc.PINResetApproved, approved.Status)
	require.Equal(t, &superID, approved.DecidedBy)

	// A member's reset stays with compliance.
	_, memberReset := e.pending("+447911123450")
	compliance, _ := e.as(ports.RoleCompliance)
	_, err = e.svc.RejectPINReset(compliance, memberReset, "blurred")
	require.NoError(t, err)
}

// The decoy path does the same work as the real one before it answers: an
// activity row, which names no user.
func TestPINResetStartRecordsDecoysToo(t *testing.T) {
	e := newPinResetEnv(t)
	u := e.user(pinResetPhone)
	_, err := e.svc.StartPINReset(e.ctx(), pinResetPhone, identity.DeviceProof{})
	require.NoError(t, err)
	_, err = e.svc.StartPINReset(e.ctx(), "+447911123459", identity.DeviceProof{})
	require.NoError(t, err)
	rows := e.activities.WithAction("pin_reset.requested")
	require.Len(t, rows, 2)
	require.Equal(t, &u.ID, rows[0].UserID)
	require.Nil(t, rows[1].UserID, "a decoy names no user")
	require.Equal(t, rows[0].Result, rows[1].Result)
	require.Equal(t, rows[0].Details, rows[1].Details)
}

// Only tickets with the PIN reset prefix are looked up: a refresh token
// (or anything else) is refused before it is hashed.
func TestPINResetOtherTokensAreNotLookedUp(t *testing.T) {
	e := newPinResetEnv(t)
	e.user(pinResetPhone)
	tk := e.ticket(pinResetPhone)
	parts := e.parts
	counting := &pinResetCountingFinds{Store: e.store}
	parts.stores.PINResets = counting
	svc := parts.build(e.cfg)
	for _, bad := range []string{"ghr_" + tk.Ticket[len("ghpr_"):], "ghr_" + strings.Repeat("A", 43), "Ghpr_x", "x"} {
		_, err := svc.PINResetStatus(e.ctx(), bad)
		errtest.Code(t, err, ports.CodeNotFound)
		_, err = svc.RedeemPINReset(e.ctx(), bad)
		errtest.Code(t, err, ports.CodeNotFound)
	}
	require.Zero(t, counting.finds)
	_, err := svc.PINResetStatus(e.ctx(), tk.Ticket)
	require.NoError(t, err)
	require.Equal(t, 1, counting.finds)
}
