package kyc

import (
	"context"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/batchload"
	"github.com/gatehouse/gatehouse/ports"
)

// maxLoaderBatch bounds the users (or files) of one batched read.
const maxLoaderBatch = 500

// loaders batch the KYC fields of the users of one request: each field is
// read for every user of a page in one statement (documents' files in one
// more), however many users the page holds. They are made for queries
// only: a query writes no KYC data, so nothing they cache goes stale, and
// reads inside a mutation (some in its transaction) stay direct.
type loaders struct {
	profiles    *batchload.Loader[uuid.UUID, *Profile]
	submissions *batchload.Loader[uuid.UUID, *Submission]
	labels      *batchload.Loader[uuid.UUID, []Label]
	documents   *batchload.Loader[uuid.UUID, []Document]
	byID        *batchload.Loader[uuid.UUID, *Document]
	files       *batchload.Loader[uuid.UUID, *File]
	phones      *batchload.Loader[uuid.UUID, []Phone]
	records     *batchload.Loader[uuid.UUID, []DataRecord]
}

// Loaders gives each query its loaders of the users' KYC fields, and
// announces a page's users to them for the callers who read others' data.
type Loaders struct {
	gate
	reads UserReads
}

// NewLoaders returns the loaders' maker. reads may be nil: every read then
// goes to the store alone, one user at a time.
func NewLoaders(reads UserReads, callers ports.CallerSource, rules Rules) *Loaders {
	return &Loaders{gate: gate{callers: callers, rules: rules}, reads: reads}
}

// WithLoaders returns ctx with fresh loaders for the KYC fields of users;
// call it once per query operation (their cache lives as long as ctx).
// Without them (or without reads) every read goes to the store alone.
func (s *Loaders) WithLoaders(ctx context.Context) context.Context {
	if s.reads == nil {
		return ctx
	}
	return batchload.With(ctx, s.newLoaders)
}

// newLoaders builds one request's loaders, when it first reads through
// them.
func (s *Loaders) newLoaders() *loaders {
	r := s.reads
	l := &loaders{
		profiles: batchload.New(maxLoaderBatch, batchload.One(r.ProfilesByUsers,
			func(p Profile) uuid.UUID { return p.UserID })),
		submissions: batchload.New(maxLoaderBatch, batchload.One(r.LatestSubmissionsByUsers,
			func(s Submission) uuid.UUID { return s.UserID })),
		labels: batchload.New(maxLoaderBatch, batchload.Many(r.LabelsByUsers,
			func(l Label) uuid.UUID { return l.UserID })),
		files: batchload.New(maxLoaderBatch, batchload.One(r.FilesByIDs,
			func(f File) uuid.UUID { return f.ID })),
		phones: batchload.New(maxLoaderBatch, batchload.Many(r.PhonesByUsers,
			func(p Phone) uuid.UUID { return p.UserID })),
		records: batchload.New(maxLoaderBatch, batchload.Many(r.DataRecordsByUsers,
			func(d DataRecord) uuid.UUID { return d.UserID })),
	}
	docs := batchload.Many(r.LiveDocumentsByUsers, func(d Document) uuid.UUID { return d.UserID })
	l.documents = batchload.New(maxLoaderBatch, func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID][]Document, error) {
		out, err := docs(ctx, ids)
		// Whoever reads these documents reads their files next: announce
		// them, so that the files of the whole page come in one statement.
		for _, ds := range out {
			l.expectFilesOf(ds...)
		}
		return out, err
	})
	byID := batchload.One(r.DocumentsByIDs, func(d Document) uuid.UUID { return d.ID })
	l.byID = batchload.New(maxLoaderBatch, func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]*Document, error) {
		out, err := byID(ctx, ids)
		for _, d := range out {
			l.expectFilesOf(*d)
		}
		return out, err
	})
	return l
}

// expectFilesOf announces the files of documents.
func (l *loaders) expectFilesOf(docs ...Document) {
	for _, d := range docs {
		l.files.Expect(d.FrontFileID)
		if d.BackFileID != nil {
			l.files.Expect(*d.BackFileID)
		}
	}
}

// expectSubmissionDocuments announces the documents and selfies a page of
// the review queue names (the queue is for those who decide: no access to
// check here).
func expectSubmissionDocuments(ctx context.Context, subs []Submission) {
	if l := loadersFrom(ctx); l != nil {
		for _, sub := range subs {
			l.byID.Expect(sub.DocumentID, sub.SelfieID)
		}
	}
}

func loadersFrom(ctx context.Context) *loaders { return batchload.From[loaders](ctx) }

// ExpectUsers tells the request's loaders which users a list holds (the
// users of a page), so that the first read of a field reads it for all of
// them. Only for callers who read other users' KYC data: a member reads
// their own alone, and no one else's rows are fetched on their behalf.
func (s *Loaders) ExpectUsers(ctx context.Context, userIDs []uuid.UUID) {
	l := loadersFrom(ctx)
	if l == nil || len(userIDs) == 0 {
		return
	}
	c, err := s.callers.Caller(ctx)
	if err != nil || c == nil {
		return
	}
	may := func(op string) bool { return s.rules.Allowed(c.Role, op) }
	if may(opReadProfile) {
		l.profiles.Expect(userIDs...)
	}
	if may(opReadStatus) {
		l.submissions.Expect(userIDs...)
	}
	if may(opReadLabels) {
		l.labels.Expect(userIDs...)
	}
	if may(opReadDocuments) || may(opReadSelfie) {
		l.documents.Expect(userIDs...)
	}
	if may(opReadPhones) {
		l.phones.Expect(userIDs...)
	}
	if may(opReadRecords) {
		l.records.Expect(userIDs...)
	}
}

// ExpectDocuments tells the request's loaders which documents and files a
// list names by id (the documents and selfies of a page of PIN resets),
// so that the first DocumentByID or FileByID reads them all. Only for
// roles that read other users' documents (files: selfies): no one else's
// rows are fetched on a member's behalf.
func (s *Loaders) ExpectDocuments(ctx context.Context, documentIDs, fileIDs []uuid.UUID) {
	l := loadersFrom(ctx)
	if l == nil {
		return
	}
	c, err := s.callers.Caller(ctx)
	if err != nil || c == nil {
		return
	}
	if len(documentIDs) > 0 && s.rules.Allowed(c.Role, opReadDocuments) {
		l.byID.Expect(documentIDs...)
	}
	if len(fileIDs) > 0 && s.rules.Allowed(c.Role, opReadSelfie) {
		l.files.Expect(fileIDs...)
	}
}

// The reads below go through the request's loaders when it has them, to
// the store alone otherwise; none checks access.

// readProfile returns the user's profile, nil when none.
func readProfile(ctx context.Context, profiles Profiles, userID uuid.UUID) (*Profile, error) {
	if l := loadersFrom(ctx); l != nil {
		return l.profiles.Load(ctx, userID)
	}
	return storedProfile(ctx, profiles, userID)
}

// readLatestSubmission returns the user's newest submission, nil when none.
func readLatestSubmission(ctx context.Context, submissions Submissions, userID uuid.UUID) (*Submission, error) {
	if l := loadersFrom(ctx); l != nil {
		return l.submissions.Load(ctx, userID)
	}
	sub, err := submissions.LatestSubmission(ctx, userID)
	if isCode(err, ports.CodeNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &sub, nil
}

func readLabels(ctx context.Context, labels Labels, userID uuid.UUID) ([]Label, error) {
	if l := loadersFrom(ctx); l != nil {
		return l.labels.Load(ctx, userID)
	}
	return labels.ListLabels(ctx, userID)
}

func readLiveDocuments(ctx context.Context, documents Documents, userID uuid.UUID) ([]Document, error) {
	if l := loadersFrom(ctx); l != nil {
		return l.documents.Load(ctx, userID)
	}
	return documents.LiveDocuments(ctx, userID)
}

// readDocument returns a document, live or replaced; ErrNotFound when
// none.
func readDocument(ctx context.Context, documents Documents, id uuid.UUID) (Document, error) {
	if l := loadersFrom(ctx); l != nil {
		d, err := l.byID.Load(ctx, id)
		if err != nil {
			return Document{}, err
		}
		if d == nil {
			return Document{}, ports.ErrNotFound
		}
		return *d, nil
	}
	return documents.GetDocument(ctx, id)
}

// readFile returns a file's record; ErrNotFound when none.
func readFile(ctx context.Context, documents Documents, id uuid.UUID) (File, error) {
	if l := loadersFrom(ctx); l != nil {
		f, err := l.files.Load(ctx, id)
		if err != nil {
			return File{}, err
		}
		if f == nil {
			return File{}, ports.ErrNotFound
		}
		return *f, nil
	}
	return documents.GetFile(ctx, id)
}

func readPhones(ctx context.Context, phones Phones, userID uuid.UUID) ([]Phone, error) {
	if l := loadersFrom(ctx); l != nil {
		return l.phones.Load(ctx, userID)
	}
	return phones.ListPhones(ctx, userID)
}

func readDataRecords(ctx context.Context, profiles Profiles, userID uuid.UUID) ([]DataRecord, error) {
	if l := loadersFrom(ctx); l != nil {
		return l.records.Load(ctx, userID)
	}
	return profiles.ListDataRecords(ctx, userID)
}
