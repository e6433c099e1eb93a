package kyc_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestUploadDocumentValidation(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	good := jpegOf(t, 32, 32)
	for name, c := range map[string]struct {
		in   kyc.DocumentInput
		want map[string]string
	}{
		"selfie is no document": {kyc.DocumentInput{Type: kyc.DocSelfie, Number: "1", Front: up(good)},
			map[string]string{"type": "is not a document type"}},
		"no number, past expiry": {kyc.DocumentInput{Type: kyc.DocPassport, Number: " ", ExpiresOn: "2026-11-22", Front: up(good)},
			map[string]string{"number": "is required", "expiresOn": "is past: the document has expired"}},
		"long number, bad date": {kyc.DocumentInput{Type: kyc.DocPassport, Number: strings.Repeat("9", 65), ExpiresOn: "2030-13-01", Front: up(good)},
			map[string]string{"number": "must be 1 to 64 characters", "expiresOn": "must be a real date written YYYY-MM-DD"}},
		"no front": {kyc.DocumentInput{Type: kyc.DocPassport, Number: "1"}, map[string]string{"front": "is required"}},
		"good front, script back": {kyc.DocumentInput{Type: kyc.DocNationalID, Number: "1", Front: up(good),
			Back: up([]byte("#!/bin/sh\nrm -rf /\n"))}, map[string]string{"back": "must be a JPEG, PNG or PDF file"}},
		"zero-byte front, huge back": {kyc.DocumentInput{Type: kyc.DocNationalID, Number: "1", Front: up(nil),
			Back: up(pngClaiming(t, 100_000, 100_000))}, map[string]string{"front": "is empty",
			"back": "is 100000 × 100000 pixels; at most 10000 a side and 40 megapixels are accepted"}},
		"metadata too big": {kyc.DocumentInput{Type: kyc.DocPassport, Number: "1", Front: up(good),
			Metadata: map[string]any{"x": strings.Repeat("m", 5000)}}, map[string]string{"metadata": "must be at most 4 KiB as JSON"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := e.svc.Uploads.UploadDocument(e.as(u), c.in)
			require.Equal(t, c.want, errtest.Fields(t, err))
			require.Zero(t, e.blobs.count(), "nothing stored")
		})
	}
	docs, err := e.svc.Files.DocumentsOf(e.as(u), u.ID)
	require.NoError(t, err)
	require.Empty(t, docs)

	v, err := e.svc.Uploads.UploadDocument(e.as(u), kyc.DocumentInput{Type: kyc.DocDriverLicense, Number: "D-1", ExpiresOn: "2026-11-23",
		Front: up(good), Back: up(pngOf(t, 20, 10)), Metadata: map[string]any{"issuer": "DVLA"}})
	require.NoError(t, err, "expiring today is still valid")
	require.Equal(t, "image/jpeg", v.Front.File.ContentType)
	require.Equal(t, 10, v.Back.File.Height)
	require.Empty(t, v.Front.URL, "the owner gets no link")
	require.Equal(t, 2, e.blobs.count())
	stored, err := e.blobs.Get(context.Background(), v.Front.File.BlobKey)
	require.NoError(t, err)
	require.Equal(t, good, stored)
}

func TestUploadReplacesLiveDocument(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	first := e.uploadPassport(u)
	second := e.uploadPassport(u)
	docs, err := e.svc.Files.DocumentsOf(e.as(u), u.ID)
	require.NoError(t, err)
	require.Len(t, docs, 1)
	require.Equal(t, second.Document.ID, docs[0].Document.ID)
	old, err := e.store.GetDocument(context.Background(), first.Document.ID)
	require.NoError(t, err)
	require.NotNil(t, old.ReplacedAt, "the old one stays, replaced")
}

func TestUploadSelfie(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	_, err := e.svc.Uploads.UploadSelfie(e.as(u), up(pdf))
	require.Equal(t, map[string]string{"image": "must be a JPEG or PNG photo"}, errtest.Fields(t, err))
	require.Zero(t, e.blobs.count())
	s := e.uploadSelfie(u)
	got, err := e.svc.Files.SelfieOf(e.as(u), u.ID)
	require.NoError(t, err)
	require.Equal(t, s.Document.ID, got.Document.ID)
	require.Equal(t, "image/png", got.Image.File.ContentType)
	docs, err := e.svc.Files.DocumentsOf(e.as(u), u.ID)
	require.NoError(t, err)
	require.Empty(t, docs, "the selfie is not among the documents")
}

func TestUploadRateLimit(t *testing.T) {
	e := newEnv(t)
	e.cfg.UploadsPerHour = 2
	e.rebuild()
	u := e.user(ports.RoleMember, "")
	other := e.user(ports.RoleMember, "")
	e.uploadSelfie(u)
	e.uploadPassport(u)
	_, err := e.svc.Uploads.UploadSelfie(e.as(u), up(pngOf(t, 5, 5)))
	errtest.Code(t, err, ports.CodeRateLimited)
	var pe *ports.Error
	require.ErrorAs(t, err, &pe)
	require.Positive(t, pe.RetryAfter)
	e.uploadSelfie(other) // per user
}

// failingDocs makes ReplaceDocument fail after the files were stored.
type failingDocs struct{ kyc.Documents }

func (failingDocs) ReplaceDocument(ctx context.Context, d kyc.Document) error {
	return errors.New("disk full")
}

func TestUploadFailureDeletesObjects(t *testing.T) {
	e := newEnv(t)
	e.parts.stores.Documents = failingDocs{e.store}
	e.rebuild()
	u := e.user(ports.RoleMember, "")
	_, err := e.svc.Uploads.UploadDocument(e.as(u), kyc.DocumentInput{Type: kyc.DocPassport, Number: "1",
		Front: up(jpegOf(t, 8, 8)), Back: up(jpegOf(t, 8, 8))})
	errtest.Code(t, err, ports.CodeInternal)
	require.Zero(t, e.blobs.count(), "stored objects are deleted again")
	_, err = e.svc.Uploads.UploadSelfie(e.as(u), up(pngOf(t, 8, 8)))
	require.Error(t, err)
	require.Zero(t, e.blobs.count())
}

func TestMaybeSubmit(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	none := func(u identity.User) {
		t.Helper()
		_, err := e.store.LatestSubmission(ctx, u.ID)
		errtest.Code(t, err, ports.CodeNotFound)
		st, err := e.svc.Review.KYCStatusOf(e.as(u), u.ID)
		require.NoError(t, err)
		require.Equal(t, kyc.KYCStatus{Status: kyc.StatusNone}, st)
	}

	// Identity document and selfie, profile saved but not confirmed.
	a := e.user(ports.RoleMember, "")
	e.uploadPassport(a)
	e.uploadSelfie(a)
	_, err := e.svc.PersonalData.UpsertMyProfile(e.as(a), goodProfile(), false)
	require.NoError(t, err)
	none(a)

	// A utility bill is no identity document.
	b := e.user(ports.RoleMember, "")
	e.confirmProfile(b)
	e.uploadSelfie(b)
	_, err = e.svc.Uploads.UploadDocument(e.as(b), kyc.DocumentInput{Type: kyc.DocUtilityBill, Number: "INV-1", Front: up(jpegOf(t, 8, 8))})
	require.NoError(t, err)
	none(b)

	// No selfie.
	c := e.user(ports.RoleMember, "")
	e.confirmProfile(c)
	e.uploadPassport(c)
	none(c)

	// The confirm completes a's set: one PENDING submission with the
	// profile's country.
	_, err = e.svc.PersonalData.UpsertMyProfile(e.as(a), goodProfile(), true)
	require.NoError(t, err)
	sub, err := e.store.LatestSubmission(ctx, a.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.StatusPending, sub.Status)
	require.Equal(t, "GB", sub.Country)
	require.Len(t, e.activities.WithAction("submission.create"), 1)

	// A utility bill while PENDING changes nothing.
	_, err = e.svc.Uploads.UploadDocument(e.as(a), kyc.DocumentInput{Type: kyc.DocUtilityBill, Number: "INV-1", Front: up(jpegOf(t, 8, 8))})
	require.NoError(t, err)
	again, err := e.store.LatestSubmission(ctx, a.ID)
	require.NoError(t, err)
	require.Equal(t, sub.ID, again.ID)
	require.Equal(t, kyc.StatusPending, again.Status)

	// A new selfie while PENDING supersedes the submission: the old one is
	// rejected as replaced, the new one holds the new selfie.
	selfie := e.uploadSelfie(a)
	old, err := e.store.GetSubmission(ctx, sub.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.StatusRejected, old.Status)
	require.Equal(t, "replaced by a newer upload", old.Reason)
	again, err = e.store.LatestSubmission(ctx, a.ID)
	require.NoError(t, err)
	require.NotEqual(t, sub.ID, again.ID)
	require.Equal(t, kyc.StatusPending, again.Status)
	require.Equal(t, selfie.Document.ID, again.SelfieID)
	require.Equal(t, sub.DocumentID, again.DocumentID)
	require.Equal(t, "GB", again.Country)
	created := e.activities.WithAction("submission.create")
	require.Len(t, created, 2)
	require.Equal(t, sub.ID.String(), created[1].Details["replaces"])
	st, err := e.svc.Review.KYCStatusOf(e.as(a), a.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.KYCStatus{Status: kyc.StatusPending}, st, "the user sees PENDING, not the superseded rejection")

	// So does a new identity document of another type.
	_, err = e.svc.Uploads.UploadDocument(e.as(a), kyc.DocumentInput{Type: kyc.DocNationalID, Number: "ID-99", Front: up(jpegOf(t, 8, 8))})
	require.NoError(t, err)
	third, err := e.store.LatestSubmission(ctx, a.ID)
	require.NoError(t, err)
	require.NotEqual(t, again.ID, third.ID)
	require.Equal(t, kyc.StatusPending, third.Status)
	second, err := e.store.GetSubmission(ctx, again.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.StatusRejected, second.Status)
}
