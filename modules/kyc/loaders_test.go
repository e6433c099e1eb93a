package kyc_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/kyc/kyctest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

var _ kyc.UserReads = (*kyctest.Store)(nil)

// countingReads counts the batched reads.
type countingReads struct {
	kyc.UserReads
	calls atomic.Int64
}

func (c *countingReads) count() int { return int(c.calls.Load()) }

func (c *countingReads) ProfilesByUsers(ctx context.Context, ids []uuid.UUID) ([]kyc.Profile, error) {
	c.calls.Add(1)
	return c.UserReads.ProfilesByUsers(ctx, ids)
}

func (c *countingReads) LatestSubmissionsByUsers(ctx context.Context, ids []uuid.UUID) ([]kyc.Submission, error) {
	c.calls.Add(1)
	return c.UserReads.LatestSubmissionsByUsers(ctx, ids)
}

func (c *countingReads) LabelsByUsers(ctx context.Context, ids []uuid.UUID) ([]kyc.Label, error) {
	c.calls.Add(1)
	return c.UserReads.LabelsByUsers(ctx, ids)
}

func (c *countingReads) LiveDocumentsByUsers(ctx context.Context, ids []uuid.UUID) ([]kyc.Document, error) {
	c.calls.Add(1)
	return c.UserReads.LiveDocumentsByUsers(ctx, ids)
}

func (c *countingReads) FilesByIDs(ctx context.Context, ids []uuid.UUID) ([]kyc.File, error) {
	c.calls.Add(1)
	return c.UserReads.FilesByIDs(ctx, ids)
}

func (c *countingReads) DocumentsByIDs(ctx context.Context, ids []uuid.UUID) ([]kyc.Document, error) {
	c.calls.Add(1)
	return c.UserReads.DocumentsByIDs(ctx, ids)
}

func (c *countingReads) PhonesByUsers(ctx context.Context, ids []uuid.UUID) ([]kyc.Phone, error) {
	c.calls.Add(1)
	return c.UserReads.PhonesByUsers(ctx, ids)
}

func (c *countingReads) DataRecordsByUsers(ctx context.Context, ids []uuid.UUID) ([]kyc.DataRecord, error) {
	c.calls.Add(1)
	return c.UserReads.DataRecordsByUsers(ctx, ids)
}

// userFields is every KYC field of a user as one caller reads it.
type userFields struct {
	Profile   *kyc.Profile
	Status    kyc.KYCStatus
	Labels    []kyc.Label
	Phones    []kyc.Phone
	Documents []kyc.DocumentView
	Selfie    *kyc.SelfieView
	Records   []kyc.DataRecord
}

func readFields(t *testing.T, s kyc.Services, ctx context.Context, id uuid.UUID) userFields {
	t.Helper()
	var (
		f    userFields
		errs [7]error
	)
	f.Profile, errs[0] = s.PersonalData.ProfileOf(ctx, id)
	f.Status, errs[1] = s.Review.KYCStatusOf(ctx, id)
	f.Labels, errs[2] = s.Labels.LabelsOf(ctx, id)
	f.Phones, errs[3] = s.Phones.PhonesOf(ctx, id)
	f.Documents, errs[4] = s.Files.DocumentsOf(ctx, id)
	f.Selfie, errs[5] = s.Files.SelfieOf(ctx, id)
	f.Records, errs[6] = s.PersonalData.DataRecordsOf(ctx, id)
	for _, err := range errs {
		require.NoError(t, err)
	}
	// An empty list may be nil or not, as each store answers.
	f.Labels, f.Phones, f.Records = nonNil(f.Labels), nonNil(f.Phones), nonNil(f.Records)
	// File links are signed for the moment they are made: compare the rest.
	for i := range f.Documents {
		f.Documents[i].Front.URL = ""
		if f.Documents[i].Back != nil {
			f.Documents[i].Back.URL = ""
		}
	}
	if f.Selfie != nil {
		f.Selfie.Image.URL = ""
	}
	return f
}

// The loaders read each field of a whole page at once and answer exactly
// what the reads one user at a time answer, file links included.
func TestLoadersReadAPageOnceAndAnswerAsTheDirectReads(t *testing.T) {
	e := newEnv(t)
	reads := &countingReads{UserReads: e.store}
	e.parts.reads = reads
	e.rebuild()
	compliance := e.user(ports.RoleCompliance, "")
	var page []uuid.UUID
	for i := range 6 {
		u := e.user(ports.RoleMember, "")
		require.NoError(t, e.hook.OnUserEvent(context.Background(), identity.UserEvent{Kind: identity.UserActivated, User: u}))
		if i%2 == 0 {
			e.submitted(u)
			_, err := e.svc.PersonalData.PutMyDataRecord(e.as(u), "employer", map[string]any{"name": "ACME"})
			require.NoError(t, err)
		}
		page = append(page, u.ID)
	}

	direct := map[uuid.UUID]userFields{}
	for _, id := range page {
		direct[id] = readFields(t, e.svc, e.as(compliance), id)
	}
	require.Zero(t, reads.count(), "reads without loaders go to the store one user at a time")

	ctx := e.svc.Loaders.WithLoaders(e.as(compliance))
	e.svc.Loaders.ExpectUsers(ctx, page)
	var wg sync.WaitGroup
	got := make([]userFields, len(page))
	for i, id := range page {
		wg.Add(1)
		go func() { defer wg.Done(); got[i] = readFields(t, e.svc, ctx, id) }()
	}
	wg.Wait()
	for i, id := range page {
		require.Equal(t, direct[id], got[i], "user %d", i)
	}
	require.NotNil(t, got[0].Selfie)
	require.Equal(t, 7, reads.count(), "one read per field for the page, one for the documents' files")
}

// The loaders change nothing of who reads what: a member reads their own
// fields (PUBLIC labels only) and is refused another's, and announcing a
// page as a member fetches no one else's rows.
func TestLoadersKeepTheReadRules(t *testing.T) {
	e := newEnv(t)
	reads := &countingReads{UserReads: e.store}
	e.parts.reads = reads
	e.rebuild()
	u := e.user(ports.RoleMember, "+447911123456")
	other := e.user(ports.RoleMember, "")
	require.NoError(t, e.hook.OnUserEvent(context.Background(), identity.UserEvent{Kind: identity.UserActivated, User: u}))
	_, err := e.svc.Labels.SetMyLabel(e.as(u), kyc.LabelInput{Key: "nickname", Value: "ada"})
	require.NoError(t, err)

	ctx := e.svc.Loaders.WithLoaders(e.as(u))
	e.svc.Loaders.ExpectUsers(ctx, []uuid.UUID{u.ID, other.ID})
	labels, err := e.svc.Labels.LabelsOf(ctx, u.ID)
	require.NoError(t, err)
	require.Equal(t, []string{"nickname=ada/PUBLIC"}, keys(labels), "the PRIVATE phone label is staff's")
	_, err = e.svc.Labels.LabelsOf(ctx, other.ID)
	errtest.Code(t, err, ports.CodeForbidden)
	_, err = e.svc.Review.KYCStatusOf(ctx, other.ID)
	errtest.Code(t, err, ports.CodeForbidden)
	require.Equal(t, 1, reads.count(), "only the member's own labels were read")

	support := e.user(ports.RoleSupport, "")
	ctx = e.svc.Loaders.WithLoaders(e.as(support))
	e.svc.Loaders.ExpectUsers(ctx, []uuid.UUID{u.ID, other.ID})
	labels, err = e.svc.Labels.LabelsOf(ctx, u.ID)
	require.NoError(t, err)
	require.Equal(t, []string{"nickname=ada/PUBLIC", "phone=verified/PRIVATE"}, keys(labels))
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// The documents and selfies a list names by id (a page of PIN resets) are
// read in one statement, their files in one more, for staff who announce
// them; a member announcing them fetches nothing, and still reads only
// their own.
func TestDocumentsByIDAreReadOnceForAPage(t *testing.T) {
	e := newEnv(t)
	reads := &countingReads{UserReads: e.store}
	e.parts.reads = reads
	e.rebuild()
	compliance := e.user(ports.RoleCompliance, "")
	var docs, files []uuid.UUID
	var owner identity.User
	for i := range 4 {
		u := e.user(ports.RoleMember, "")
		if i == 0 {
			owner = u
		}
		docs = append(docs, e.uploadPassport(u).Document.ID)
		files = append(files, e.uploadSelfie(u).Image.File.ID)
	}
	direct := map[uuid.UUID]any{}
	for i := range docs {
		d, err := e.svc.Files.DocumentByID(e.as(compliance), docs[i])
		require.NoError(t, err)
		f, err := e.svc.Files.FileByID(e.as(compliance), files[i])
		require.NoError(t, err)
		d.Front.URL, f.URL = "", "" // signed for the moment they are made
		direct[docs[i]], direct[files[i]] = d, f
	}
	require.Zero(t, reads.count())

	ctx := e.svc.Loaders.WithLoaders(e.as(compliance))
	e.svc.Loaders.ExpectDocuments(ctx, docs, files)
	for i := range docs {
		d, err := e.svc.Files.DocumentByID(ctx, docs[i])
		require.NoError(t, err)
		f, err := e.svc.Files.FileByID(ctx, files[i])
		require.NoError(t, err)
		d.Front.URL, f.URL = "", ""
		require.Equal(t, direct[docs[i]], d)
		require.Equal(t, direct[files[i]], f)
	}
	require.Equal(t, 2, reads.count(), "one read of the documents, one of every file")

	before := reads.count()
	ctx = e.svc.Loaders.WithLoaders(e.as(owner))
	e.svc.Loaders.ExpectDocuments(ctx, docs, files)
	_, err := e.svc.Files.DocumentByID(ctx, docs[0])
	require.NoError(t, err)
	_, err = e.svc.Files.DocumentByID(ctx, docs[1])
	errtest.Code(t, err, ports.CodeNotFound)
	_, err = e.svc.Files.FileByID(ctx, files[1])
	errtest.Code(t, err, ports.CodeNotFound)
	require.Equal(t, 4, reads.count()-before, "the member's reads fetch one id each, nothing announced")
}
