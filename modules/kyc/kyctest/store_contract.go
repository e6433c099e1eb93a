package kyctest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
)

// RunStore runs the contract suite of kyc's stores (kyc.Stores) against
// implementations from newStores.
func RunStore(t *testing.T, newStores func(t *testing.T) Stores) {
	t.Run("Profiles", func(t *testing.T) { t.Parallel(); kycProfiles(t, newStores(t)) })
	t.Run("Files", func(t *testing.T) { t.Parallel(); kycFiles(t, newStores(t)) })
	t.Run("Documents", func(t *testing.T) { t.Parallel(); kycDocuments(t, newStores(t)) })
	t.Run("Submissions", func(t *testing.T) { t.Parallel(); kycSubmissions(t, newStores(t)) })
	t.Run("SubmissionQueue", func(t *testing.T) { t.Parallel(); kycSubmissionQueue(t, newStores(t)) })
	t.Run("ConcurrentDecisions", func(t *testing.T) { t.Parallel(); kycConcurrentDecisions(t, newStores(t)) })
	t.Run("Labels", func(t *testing.T) { t.Parallel(); kycLabels(t, newStores(t)) })
	t.Run("Phones", func(t *testing.T) { t.Parallel(); kycPhones(t, newStores(t)) })
	t.Run("DataRecords", func(t *testing.T) { t.Parallel(); kycDataRecords(t, newStores(t)) })
}

// sameJSON reports whether a and b hold the same JSON value (PostgreSQL's
// jsonb does not keep spacing or key order).
func sameJSON(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// kycUser stores a user with a phone made from n.
func kycUser(t *testing.T, users identity.Users, n int) identity.User {
	t.Helper()
	return identitytest.NewUser(t, users, fmt.Sprintf("+4479110%05d", n))
}

// newFile stores a file of u for purpose and returns it.
func newFile(t *testing.T, s kyc.Documents, userID uuid.UUID, purpose string) kyc.File {
	t.Helper()
	id := uuid.New()
	f := kyc.File{ID: id, UserID: userID, Purpose: purpose, ContentType: "image/jpeg", Size: 1234,
		Width: 640, Height: 480, SHA256: bytes.Repeat([]byte{7}, 32), BlobKey: "kyc/" + id.String(), CreatedAt: T0}
	noErr(t, s.CreateFile(context.Background(), f))
	return f
}

// newDocument stores a live document of type typ (with a new front file)
// created at at and returns it.
func newDocument(t *testing.T, s kyc.Documents, userID uuid.UUID, typ string, at time.Time) kyc.Document {
	t.Helper()
	purpose := kyc.FileDocumentFront
	if typ == "SELFIE" {
		purpose = kyc.FileSelfie
	}
	d := kyc.Document{ID: uuid.New(), UserID: userID, Type: typ, FrontFileID: newFile(t, s, userID, purpose).ID,
		CreatedAt: at}
	noErr(t, s.ReplaceDocument(context.Background(), d))
	return d
}

// newSubmission stores a PENDING submission of u (with a new passport and
// selfie) in country at submittedAt.
func newSubmission(t *testing.T, s kyc.Stores, userID uuid.UUID, country string, submittedAt time.Time) kyc.Submission {
	t.Helper()
	x := kyc.Submission{ID: uuid.New(), UserID: userID, Status: kyc.StatusPending, Country: country,
		DocumentID: newDocument(t, s.Documents, userID, "PASSPORT", submittedAt).ID,
		SelfieID:   newDocument(t, s.Documents, userID, "SELFIE", submittedAt).ID, SubmittedAt: submittedAt}
	noErr(t, s.Submissions.CreateSubmission(context.Background(), x))
	return x
}

func kycProfiles(t *testing.T, s Stores) {
	ctx := context.Background()
	u := kycUser(t, s.Users, 1)
	_, err := s.KYC.Profiles.GetProfile(ctx, u.ID)
	check(t, isCode(err, ports.CodeNotFound), "no profile yet: %v", err)

	p := kyc.Profile{UserID: u.ID, FirstName: "Ada", LastName: "Lovelace", DateOfBirth: "1990-04-01",
		Address: "1 Main St", Postcode: "N1 9GU", City: "London", Country: "GB",
		Metadata: json.RawMessage(`{"source":"app","n":2,"tags":["a","b"]}`), CreatedAt: T0, UpdatedAt: T0}
	got, err := s.KYC.Profiles.UpsertProfile(ctx, p, true)
	noErr(t, err)
	check(t, got.FirstName == "Ada" && got.DateOfBirth == "1990-04-01" && got.Country == "GB" &&
		got.ConfirmedAt == nil && got.CreatedAt.Equal(T0), "created: %+v", got)
	check(t, sameJSON(got.Metadata, p.Metadata), "metadata returned: %s", got.Metadata)
	got, err = s.KYC.Profiles.GetProfile(ctx, u.ID)
	noErr(t, err)
	check(t, got.LastName == "Lovelace" && got.City == "London" && got.Postcode == "N1 9GU" &&
		got.Address == "1 Main St" && got.DateOfBirth == "1990-04-01", "read back: %+v", got)
	check(t, sameJSON(got.Metadata, p.Metadata), "metadata read back: %s", got.Metadata)

	// Replacing an unconfirmed profile: fields replaced, CreatedAt kept,
	// empty date and metadata read back as "" and {}.
	t1 := T0.Add(time.Hour)
	p2 := kyc.Profile{UserID: u.ID, FirstName: "Ada", LastName: "King", Country: "FR", CreatedAt: t1, UpdatedAt: t1}
	got, err = s.KYC.Profiles.UpsertProfile(ctx, p2, true)
	noErr(t, err)
	check(t, got.LastName == "King" && got.DateOfBirth == "" && got.Address == "" && got.Country == "FR" &&
		got.CreatedAt.Equal(T0) && got.UpdatedAt.Equal(t1), "replaced: %+v", got)
	check(t, string(got.Metadata) == "{}", "empty metadata: %q", got.Metadata)

	// The owner confirms: allowed, the stored one is not confirmed yet.
	t2 := T0.Add(2 * time.Hour)
	p2.ConfirmedAt, p2.UpdatedAt = &t2, t2
	got, err = s.KYC.Profiles.UpsertProfile(ctx, p2, true)
	noErr(t, err)
	check(t, got.ConfirmedAt != nil && got.ConfirmedAt.Equal(t2), "confirm: %+v", got)

	// From now on unlessConfirmed is refused and changes nothing.
	p3 := p2
	p3.LastName, p3.ConfirmedAt, p3.UpdatedAt = "Byron", nil, T0.Add(3*time.Hour)
	_, err = s.KYC.Profiles.UpsertProfile(ctx, p3, true)
	check(t, isCode(err, ports.CodeConflict), "upsert over a confirmed profile: %v", err)
	got, err = s.KYC.Profiles.GetProfile(ctx, u.ID)
	noErr(t, err)
	check(t, got.LastName == "King" && got.ConfirmedAt != nil && got.UpdatedAt.Equal(t2), "after refusal: %+v", got)

	// Staff (unlessConfirmed false) may change it.
	p3.ConfirmedAt = &t2
	got, err = s.KYC.Profiles.UpsertProfile(ctx, p3, false)
	noErr(t, err)
	check(t, got.LastName == "Byron" && got.ConfirmedAt != nil && got.CreatedAt.Equal(T0), "staff change: %+v", got)

	// Another user's profile is separate.
	v := kycUser(t, s.Users, 2)
	_, err = s.KYC.Profiles.GetProfile(ctx, v.ID)
	check(t, isCode(err, ports.CodeNotFound), "other user's profile: %v", err)
}

func kycFiles(t *testing.T, s Stores) {
	ctx := context.Background()
	u := kycUser(t, s.Users, 1)
	f := kyc.File{ID: uuid.New(), UserID: u.ID, Purpose: kyc.FileDocumentBack, ContentType: "application/pdf",
		Size: 99, SHA256: []byte{1, 2, 3, 0, 255}, BlobKey: "kyc/a", CreatedAt: T0}
	noErr(t, s.KYC.Documents.CreateFile(ctx, f))
	got, err := s.KYC.Documents.GetFile(ctx, f.ID)
	noErr(t, err)
	check(t, got.UserID == u.ID && got.Purpose == kyc.FileDocumentBack && got.ContentType == "application/pdf" &&
		got.Size == 99 && got.Width == 0 && got.Height == 0 && bytes.Equal(got.SHA256, f.SHA256) &&
		got.BlobKey == "kyc/a" && got.CreatedAt.Equal(T0), "file: %+v", got)
	_, err = s.KYC.Documents.GetFile(ctx, uuid.New())
	check(t, isCode(err, ports.CodeNotFound), "unknown file: %v", err)
	dup := f
	dup.ID = uuid.New()
	check(t, isCode(s.KYC.Documents.CreateFile(ctx, dup), ports.CodeConflict), "duplicate blob key accepted")
	img := newFile(t, s.KYC.Documents, u.ID, kyc.FileSelfie)
	got, err = s.KYC.Documents.GetFile(ctx, img.ID)
	noErr(t, err)
	check(t, got.Width == 640 && got.Height == 480, "image size: %+v", got)
}

func kycDocuments(t *testing.T, s Stores) {
	ctx := context.Background()
	u, v := kycUser(t, s.Users, 1), kycUser(t, s.Users, 2)
	front, back := newFile(t, s.KYC.Documents, u.ID, kyc.FileDocumentFront), newFile(t, s.KYC.Documents, u.ID, kyc.FileDocumentBack)
	passport := kyc.Document{ID: uuid.New(), UserID: u.ID, Type: "PASSPORT", Number: "X123", ExpiresOn: "2031-12-31",
		Metadata: json.RawMessage(`{"issuer":"GB","mrz":{"ok":true}}`), FrontFileID: front.ID, BackFileID: &back.ID,
		CreatedAt: T0}
	noErr(t, s.KYC.Documents.ReplaceDocument(ctx, passport))
	got, err := s.KYC.Documents.GetDocument(ctx, passport.ID)
	noErr(t, err)
	check(t, got.UserID == u.ID && got.Type == "PASSPORT" && got.Number == "X123" && got.ExpiresOn == "2031-12-31" &&
		got.FrontFileID == front.ID && got.BackFileID != nil && *got.BackFileID == back.ID &&
		got.CreatedAt.Equal(T0) && got.ReplacedAt == nil, "document: %+v", got)
	check(t, sameJSON(got.Metadata, passport.Metadata), "metadata: %s", got.Metadata)
	_, err = s.KYC.Documents.GetDocument(ctx, uuid.New())
	check(t, isCode(err, ports.CodeNotFound), "unknown document: %v", err)

	selfie := newDocument(t, s.KYC.Documents, u.ID, "SELFIE", T0)
	nid := newDocument(t, s.KYC.Documents, u.ID, "NATIONAL_ID", T0)
	newDocument(t, s.KYC.Documents, v.ID, "PASSPORT", T0)
	live, err := s.KYC.Documents.LiveDocuments(ctx, u.ID)
	noErr(t, err)
	check(t, len(live) == 3 && live[0].ID == nid.ID && live[1].ID == passport.ID && live[2].ID == selfie.ID,
		"live documents by type: %+v", live)
	check(t, live[2].ExpiresOn == "" && live[2].BackFileID == nil && string(live[2].Metadata) == "{}",
		"empty fields: %+v", live[2])

	// A newer passport replaces the old one, which stays for the record.
	t1 := T0.Add(time.Hour)
	passport2 := newDocument(t, s.KYC.Documents, u.ID, "PASSPORT", t1)
	old, err := s.KYC.Documents.GetDocument(ctx, passport.ID)
	noErr(t, err)
	check(t, old.ReplacedAt != nil && old.ReplacedAt.Equal(t1), "old passport: %+v", old)
	live, err = s.KYC.Documents.LiveDocuments(ctx, u.ID)
	noErr(t, err)
	check(t, len(live) == 3 && live[1].ID == passport2.ID && live[1].ReplacedAt == nil, "after replace: %+v", live)
	passport3 := newDocument(t, s.KYC.Documents, u.ID, "PASSPORT", t1.Add(time.Hour))
	live, err = s.KYC.Documents.LiveDocuments(ctx, u.ID)
	noErr(t, err)
	n := 0
	for _, d := range live {
		if d.Type == "PASSPORT" {
			n++
			check(t, d.ID == passport3.ID, "live passport: %+v", d)
		}
	}
	check(t, n == 1, "live passports: %d", n)
	old, err = s.KYC.Documents.GetDocument(ctx, passport.ID)
	noErr(t, err)
	check(t, old.ReplacedAt.Equal(t1), "a replaced document stays as it was: %+v", old)

	// The other user's passport was not touched.
	live, err = s.KYC.Documents.LiveDocuments(ctx, v.ID)
	noErr(t, err)
	check(t, len(live) == 1 && live[0].Type == "PASSPORT", "other user's documents: %+v", live)
	live, err = s.KYC.Documents.LiveDocuments(ctx, uuid.New())
	noErr(t, err)
	check(t, len(live) == 0, "unknown user's documents: %+v", live)

	// AddDocument stores a document as given: one added replaced (a PIN
	// reset's) is never live and leaves the live one of its type alone.
	front2 := newFile(t, s.KYC.Documents, u.ID, kyc.FileDocumentFront)
	t3 := T0.Add(3 * time.Hour)
	added := kyc.Document{ID: uuid.New(), UserID: u.ID, Type: "PASSPORT", Number: "R987", ExpiresOn: "2030-01-31",
		Metadata: json.RawMessage(`{"for":"pin-reset"}`), FrontFileID: front2.ID, CreatedAt: t3, ReplacedAt: &t3}
	noErr(t, s.KYC.Documents.AddDocument(ctx, added))
	got, err = s.KYC.Documents.GetDocument(ctx, added.ID)
	noErr(t, err)
	check(t, got.UserID == u.ID && got.Type == "PASSPORT" && got.Number == "R987" && got.ExpiresOn == "2030-01-31" &&
		got.FrontFileID == front2.ID && got.BackFileID == nil && got.CreatedAt.Equal(t3) &&
		got.ReplacedAt != nil && got.ReplacedAt.Equal(t3), "added document: %+v", got)
	check(t, sameJSON(got.Metadata, added.Metadata), "added metadata: %s", got.Metadata)
	live, err = s.KYC.Documents.LiveDocuments(ctx, u.ID)
	noErr(t, err)
	check(t, len(live) == 3, "live documents after AddDocument: %+v", live)
	for _, d := range live {
		check(t, d.ID != added.ID, "a document added replaced is live: %+v", d)
		if d.Type == "PASSPORT" {
			check(t, d.ID == passport3.ID && d.ReplacedAt == nil, "AddDocument replaced the live passport: %+v", d)
		}
	}
	// Its user may have no live document of the type at all: still not live.
	added2 := kyc.Document{ID: uuid.New(), UserID: v.ID, Type: "DRIVER_LICENSE",
		FrontFileID: newFile(t, s.KYC.Documents, v.ID, kyc.FileDocumentFront).ID, CreatedAt: t3, ReplacedAt: &t3}
	noErr(t, s.KYC.Documents.AddDocument(ctx, added2))
	live, err = s.KYC.Documents.LiveDocuments(ctx, v.ID)
	noErr(t, err)
	check(t, len(live) == 1 && live[0].Type == "PASSPORT", "other user's documents after AddDocument: %+v", live)
	check(t, isCode(s.KYC.Documents.AddDocument(ctx, added), ports.CodeConflict), "AddDocument with a taken ID accepted")
}

func kycSubmissions(t *testing.T, s Stores) {
	ctx := context.Background()
	u, v, staff := kycUser(t, s.Users, 1), kycUser(t, s.Users, 2), kycUser(t, s.Users, 3)
	_, err := s.KYC.Submissions.LatestSubmission(ctx, u.ID)
	check(t, isCode(err, ports.CodeNotFound), "no submission yet: %v", err)

	x := newSubmission(t, s.KYC, u.ID, "GB", T0)
	got, err := s.KYC.Submissions.GetSubmission(ctx, x.ID)
	noErr(t, err)
	check(t, got.UserID == u.ID && got.Status == kyc.StatusPending && got.Country == "GB" &&
		got.DocumentID == x.DocumentID && got.SelfieID == x.SelfieID && got.SubmittedAt.Equal(T0) &&
		got.DecidedAt == nil && got.DecidedBy == nil && got.Reason == "", "submission: %+v", got)
	_, err = s.KYC.Submissions.GetSubmission(ctx, uuid.New())
	check(t, isCode(err, ports.CodeNotFound), "unknown submission: %v", err)

	// A second PENDING submission of the same user is a CONFLICT.
	dup := x
	dup.ID, dup.SubmittedAt = uuid.New(), T0.Add(time.Minute)
	check(t, isCode(s.KYC.Submissions.CreateSubmission(ctx, dup), ports.CodeConflict), "second PENDING submission accepted")
	_, err = s.KYC.Submissions.GetSubmission(ctx, dup.ID)
	check(t, isCode(err, ports.CodeNotFound), "refused submission stored: %v", err)
	// Another user's is fine.
	y := newSubmission(t, s.KYC, v.ID, "FR", T0)

	// Decide.
	t1 := T0.Add(time.Hour)
	d, err := s.KYC.Submissions.DecideSubmission(ctx, x.ID, kyc.StatusRejected, "blurry photo", staff.ID, t1)
	noErr(t, err)
	check(t, d.ID == x.ID && d.Status == kyc.StatusRejected && d.Reason == "blurry photo" && d.DecidedAt != nil &&
		d.DecidedAt.Equal(t1) && d.DecidedBy != nil && *d.DecidedBy == staff.ID && d.SubmittedAt.Equal(T0) &&
		d.Country == "GB", "decided: %+v", d)
	got, err = s.KYC.Submissions.GetSubmission(ctx, x.ID)
	noErr(t, err)
	check(t, got.Status == kyc.StatusRejected && got.DecidedAt.Equal(t1), "decided, read back: %+v", got)

	// Only from PENDING.
	_, err = s.KYC.Submissions.DecideSubmission(ctx, x.ID, kyc.StatusApproved, "", staff.ID, t1.Add(time.Minute))
	check(t, isCode(err, ports.CodeConflict), "second decision: %v", err)
	got, err = s.KYC.Submissions.GetSubmission(ctx, x.ID)
	noErr(t, err)
	check(t, got.Status == kyc.StatusRejected && got.Reason == "blurry photo" && got.DecidedAt.Equal(t1),
		"after a refused decision: %+v", got)
	_, err = s.KYC.Submissions.DecideSubmission(ctx, uuid.New(), kyc.StatusApproved, "", staff.ID, t1)
	check(t, isCode(err, ports.CodeNotFound), "deciding an unknown submission: %v", err)

	// Once decided, the user may submit again; the newest is the latest.
	t2 := T0.Add(2 * time.Hour)
	x2 := newSubmission(t, s.KYC, u.ID, "GB", t2)
	latest, err := s.KYC.Submissions.LatestSubmission(ctx, u.ID)
	noErr(t, err)
	check(t, latest.ID == x2.ID && latest.Status == kyc.StatusPending, "latest: %+v", latest)
	a, err := s.KYC.Submissions.DecideSubmission(ctx, x2.ID, kyc.StatusApproved, "", staff.ID, t2.Add(time.Minute))
	noErr(t, err)
	check(t, a.Status == kyc.StatusApproved && a.Reason == "", "approved: %+v", a)
	latest, err = s.KYC.Submissions.LatestSubmission(ctx, u.ID)
	noErr(t, err)
	check(t, latest.ID == x2.ID && latest.Status == kyc.StatusApproved, "latest after approval: %+v", latest)
	latest, err = s.KYC.Submissions.LatestSubmission(ctx, v.ID)
	noErr(t, err)
	check(t, latest.ID == y.ID, "other user's latest: %+v", latest)
}

func kycSubmissionQueue(t *testing.T, s Stores) {
	ctx := context.Background()
	staff := kycUser(t, s.Users, 99)
	// Nine submissions of nine users; three share a time so the ID breaks
	// the tie. Countries alternate GB, FR, DE.
	var all []kyc.Submission
	countries := []string{"GB", "FR", "DE"}
	for i := range 9 {
		u := kycUser(t, s.Users, i+1)
		at := T0.Add(time.Duration(i) * time.Minute)
		if i >= 3 && i <= 5 {
			at = T0.Add(3 * time.Minute)
		}
		all = append(all, newSubmission(t, s.KYC, u.ID, countries[i%3], at))
	}
	// Two get decided.
	for _, i := range []int{1, 6} {
		d, err := s.KYC.Submissions.DecideSubmission(ctx, all[i].ID, kyc.StatusApproved, "", staff.ID, T0.Add(time.Hour))
		noErr(t, err)
		all[i] = d
	}
	slices.SortFunc(all, func(a, b kyc.Submission) int {
		if c := a.SubmittedAt.Compare(b.SubmittedAt); c != 0 {
			return c
		}
		return bytes.Compare(a.ID[:], b.ID[:])
	})
	ids := func(xs []kyc.Submission) []uuid.UUID {
		out := make([]uuid.UUID, len(xs))
		for i, x := range xs {
			out[i] = x.ID
		}
		return out
	}
	want := func(keep func(kyc.Submission) bool) []uuid.UUID {
		var out []uuid.UUID
		for _, x := range all {
			if keep(x) {
				out = append(out, x.ID)
			}
		}
		return out
	}

	got, err := s.KYC.Submissions.ListSubmissions(ctx, kyc.SubmissionQuery{Limit: 50})
	noErr(t, err)
	check(t, slices.Equal(ids(got), ids(all)), "everything oldest first:\n got %v\nwant %v", ids(got), ids(all))

	// Keyset pages of 2 visit every submission once, in order.
	var paged []uuid.UUID
	q := kyc.SubmissionQuery{Limit: 2}
	for pages := 0; ; pages++ {
		check(t, pages <= 10, "pagination does not end")
		page, err := s.KYC.Submissions.ListSubmissions(ctx, q)
		noErr(t, err)
		check(t, len(page) <= 2, "page of %d", len(page))
		if len(page) == 0 {
			break
		}
		paged = append(paged, ids(page)...)
		last := page[len(page)-1]
		q.After = &kyc.SubmissionCursor{SubmittedAt: last.SubmittedAt, ID: last.ID}
	}
	check(t, slices.Equal(paged, ids(all)), "paged:\n got %v\nwant %v", paged, ids(all))

	got, err = s.KYC.Submissions.ListSubmissions(ctx, kyc.SubmissionQuery{Status: kyc.StatusPending, Limit: 50})
	noErr(t, err)
	check(t, slices.Equal(ids(got), want(func(x kyc.Submission) bool { return x.Status == kyc.StatusPending })) &&
		len(got) == 7, "PENDING: %v", ids(got))
	got, err = s.KYC.Submissions.ListSubmissions(ctx, kyc.SubmissionQuery{Country: "FR", Limit: 50})
	noErr(t, err)
	check(t, slices.Equal(ids(got), want(func(x kyc.Submission) bool { return x.Country == "FR" })) &&
		len(got) == 3, "FR: %v", ids(got))
	from, to := T0.Add(3*time.Minute), T0.Add(7*time.Minute)
	got, err = s.KYC.Submissions.ListSubmissions(ctx, kyc.SubmissionQuery{From: &from, To: &to, Status: kyc.StatusPending, Limit: 50})
	noErr(t, err)
	check(t, slices.Equal(ids(got), want(func(x kyc.Submission) bool {
		return !x.SubmittedAt.Before(from) && x.SubmittedAt.Before(to) && x.Status == kyc.StatusPending
	})) && len(got) == 3, "from/to (inclusive/exclusive) and PENDING: %v", ids(got))
	got, err = s.KYC.Submissions.ListSubmissions(ctx, kyc.SubmissionQuery{Country: "DE", Status: kyc.StatusApproved, Limit: 50})
	noErr(t, err)
	check(t, len(got) == 0, "DE and APPROVED: %v", ids(got))

	// A cursor in the middle of the tie skips exactly what precedes it.
	mid := all[4]
	got, err = s.KYC.Submissions.ListSubmissions(ctx, kyc.SubmissionQuery{After: &kyc.SubmissionCursor{SubmittedAt: mid.SubmittedAt, ID: mid.ID}, Limit: 50})
	noErr(t, err)
	check(t, slices.Equal(ids(got), ids(all[5:])), "after the tie's middle: %v", ids(got))
	got, err = s.KYC.Submissions.ListSubmissions(ctx, kyc.SubmissionQuery{Limit: 4})
	noErr(t, err)
	check(t, slices.Equal(ids(got), ids(all[:4])), "limit 4: %v", ids(got))
}

// kycConcurrentDecisions: of 8 concurrent decisions of one submission
// exactly one succeeds; the others get a CONFLICT.
func kycConcurrentDecisions(t *testing.T, s Stores) {
	ctx := context.Background()
	u := kycUser(t, s.Users, 1)
	var staff []identity.User
	for i := range 8 {
		staff = append(staff, kycUser(t, s.Users, 10+i))
	}
	x := newSubmission(t, s.KYC, u.ID, "GB", T0)
	var (
		wg      sync.WaitGroup
		start   = make(chan struct{})
		results = make([]kyc.Submission, 8)
		errs    = make([]error, 8)
	)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			status := kyc.StatusApproved
			if i%2 == 1 {
				status = kyc.StatusRejected
			}
			results[i], errs[i] = s.KYC.Submissions.DecideSubmission(ctx, x.ID, status, fmt.Sprintf("decision %d", i), staff[i].ID,
				T0.Add(time.Duration(i+1)*time.Minute))
		}()
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil:
			check(t, winner == -1, "decisions %d and %d both succeeded", winner, i)
			winner = i
		case isCode(err, ports.CodeConflict):
		default:
			t.Fatalf("decision %d: want CONFLICT, got %v", i, err)
		}
	}
	check(t, winner >= 0, "no decision succeeded")
	got, err := s.KYC.Submissions.GetSubmission(ctx, x.ID)
	noErr(t, err)
	w := results[winner]
	check(t, got.Status == w.Status && got.Reason == fmt.Sprintf("decision %d", winner) && got.DecidedBy != nil &&
		*got.DecidedBy == staff[winner].ID && got.DecidedAt.Equal(*w.DecidedAt), "stored decision %+v, winner %+v", got, w)
}

func kycLabels(t *testing.T, s Stores) {
	ctx := context.Background()
	u, v := kycUser(t, s.Users, 1), kycUser(t, s.Users, 2)
	_, err := s.KYC.Labels.GetLabel(ctx, u.ID, "phone")
	check(t, isCode(err, ports.CodeNotFound), "no label yet: %v", err)
	l, err := s.KYC.Labels.SetLabel(ctx, kyc.Label{UserID: u.ID, Key: "phone", Value: "verified", Scope: kyc.ScopePrivate,
		Description: "by code", CreatedAt: T0, UpdatedAt: T0})
	noErr(t, err)
	check(t, l.Key == "phone" && l.Value == "verified" && l.Scope == kyc.ScopePrivate && l.Description == "by code" &&
		l.CreatedAt.Equal(T0), "set: %+v", l)
	t1 := T0.Add(time.Hour)
	l, err = s.KYC.Labels.SetLabel(ctx, kyc.Label{UserID: u.ID, Key: "phone", Value: "rejected", Scope: kyc.ScopePublic,
		CreatedAt: t1, UpdatedAt: t1})
	noErr(t, err)
	check(t, l.Value == "rejected" && l.Scope == kyc.ScopePublic && l.Description == "" && l.CreatedAt.Equal(T0) &&
		l.UpdatedAt.Equal(t1), "replace keeps CreatedAt: %+v", l)
	got, err := s.KYC.Labels.GetLabel(ctx, u.ID, "phone")
	noErr(t, err)
	check(t, got.Value == "rejected" && got.CreatedAt.Equal(T0) && got.UpdatedAt.Equal(t1), "get: %+v", got)
	for _, k := range []string{"tier", "ab", "a.b", "email"} {
		_, err := s.KYC.Labels.SetLabel(ctx, kyc.Label{UserID: u.ID, Key: k, Value: "x", Scope: kyc.ScopePublic, CreatedAt: T0, UpdatedAt: T0})
		noErr(t, err)
	}
	_, err = s.KYC.Labels.SetLabel(ctx, kyc.Label{UserID: v.ID, Key: "phone", Value: "verified", Scope: kyc.ScopePrivate, CreatedAt: T0, UpdatedAt: T0})
	noErr(t, err)
	list, err := s.KYC.Labels.ListLabels(ctx, u.ID)
	noErr(t, err)
	var keys []string
	for _, l := range list {
		keys = append(keys, l.Key)
	}
	check(t, slices.Equal(keys, []string{"a.b", "ab", "email", "phone", "tier"}), "labels by key: %v", keys)

	ok, err := s.KYC.Labels.DeleteLabel(ctx, u.ID, "tier")
	noErr(t, err)
	check(t, ok, "delete reported no label")
	ok, err = s.KYC.Labels.DeleteLabel(ctx, u.ID, "tier")
	noErr(t, err)
	check(t, !ok, "second delete reported a label")
	_, err = s.KYC.Labels.GetLabel(ctx, u.ID, "tier")
	check(t, isCode(err, ports.CodeNotFound), "deleted label: %v", err)
	got, err = s.KYC.Labels.GetLabel(ctx, v.ID, "phone")
	noErr(t, err)
	check(t, got.Value == "verified", "other user's label: %+v", got)

	rules, err := s.KYC.Labels.LevelRules(ctx)
	noErr(t, err)
	type rule struct {
		level      int
		key, value string
	}
	var gotRules []rule
	for _, r := range rules {
		check(t, r.Description != "", "rule without description: %+v", r)
		gotRules = append(gotRules, rule{r.Level, r.Key, r.Value})
	}
	wantRules := []rule{{1, "phone", "verified"}, {2, "email", "verified"}, {2, "profile", "verified"},
		{3, "document", "verified"}, {3, "selfie", "verified"}}
	check(t, slices.Equal(gotRules, wantRules), "level rules: %v", gotRules)
}

func kycPhones(t *testing.T, s Stores) {
	ctx := context.Background()
	u, v := kycUser(t, s.Users, 1), kycUser(t, s.Users, 2)
	const num = "+447700900001"
	p, err := s.KYC.Phones.AddPhone(ctx, kyc.Phone{ID: uuid.New(), UserID: u.ID, Number: num, CreatedAt: T0})
	noErr(t, err)
	check(t, p.Number == num && p.UserID == u.ID && p.VerifiedAt == nil && p.CreatedAt.Equal(T0), "added: %+v", p)
	again, err := s.KYC.Phones.AddPhone(ctx, kyc.Phone{ID: uuid.New(), UserID: u.ID, Number: num, CreatedAt: T0.Add(time.Minute)})
	noErr(t, err)
	check(t, again.ID == p.ID && again.CreatedAt.Equal(T0), "re-adding returns the record: %+v", again)
	// Two users may hold the same unverified number.
	pv, err := s.KYC.Phones.AddPhone(ctx, kyc.Phone{ID: uuid.New(), UserID: v.ID, Number: num, CreatedAt: T0})
	noErr(t, err)
	check(t, pv.UserID == v.ID && pv.ID != p.ID, "other user's record: %+v", pv)

	t1 := T0.Add(time.Hour)
	ver, err := s.KYC.Phones.VerifyPhone(ctx, u.ID, num, t1)
	noErr(t, err)
	check(t, ver.ID == p.ID && ver.VerifiedAt != nil && ver.VerifiedAt.Equal(t1), "verified: %+v", ver)
	again, err = s.KYC.Phones.AddPhone(ctx, kyc.Phone{ID: uuid.New(), UserID: u.ID, Number: num, CreatedAt: t1})
	noErr(t, err)
	check(t, again.ID == p.ID && again.VerifiedAt != nil, "re-adding a verified number: %+v", again)
	again, err = s.KYC.Phones.VerifyPhone(ctx, u.ID, num, t1.Add(time.Hour))
	noErr(t, err)
	check(t, again.ID == p.ID && again.VerifiedAt != nil, "verifying again: %+v", again)

	// Another user cannot verify it.
	_, err = s.KYC.Phones.VerifyPhone(ctx, v.ID, num, t1)
	check(t, conflictOn(err, "phone"), "verified by two users: %v", err)
	list, err := s.KYC.Phones.ListPhones(ctx, v.ID)
	noErr(t, err)
	check(t, len(list) == 1 && list[0].VerifiedAt == nil, "refused verification changed nothing: %+v", list)
	_, err = s.KYC.Phones.VerifyPhone(ctx, kycUser(t, s.Users, 3).ID, num, t1)
	check(t, conflictOn(err, "phone"), "verified by a user without a record: %v", err)

	// Verifying a number not added yet adds it.
	const num2 = "+447700900002"
	t2 := T0.Add(2 * time.Hour)
	p2, err := s.KYC.Phones.VerifyPhone(ctx, u.ID, num2, t2)
	noErr(t, err)
	check(t, p2.Number == num2 && p2.VerifiedAt != nil && p2.VerifiedAt.Equal(t2) && p2.CreatedAt.Equal(t2), "verify adds: %+v", p2)
	list, err = s.KYC.Phones.ListPhones(ctx, u.ID)
	noErr(t, err)
	check(t, len(list) == 2 && list[0].ID == p.ID && list[1].ID == p2.ID, "phones oldest first: %+v", list)
	list, err = s.KYC.Phones.ListPhones(ctx, uuid.New())
	noErr(t, err)
	check(t, len(list) == 0, "unknown user's phones: %+v", list)
}

func kycDataRecords(t *testing.T, s Stores) {
	ctx := context.Background()
	u, v := kycUser(t, s.Users, 1), kycUser(t, s.Users, 2)
	data := json.RawMessage(`{"employer":"Acme","income":{"amount":1200.5,"currency":"EUR"},"list":[1,2,3],"none":null}`)
	r, err := s.KYC.Profiles.PutDataRecord(ctx, kyc.DataRecord{UserID: u.ID, Title: "employment", Data: data, CreatedAt: T0, UpdatedAt: T0})
	noErr(t, err)
	check(t, r.Title == "employment" && r.CreatedAt.Equal(T0) && sameJSON(r.Data, data), "put: %+v %s", r, r.Data)
	t1 := T0.Add(time.Hour)
	r, err = s.KYC.Profiles.PutDataRecord(ctx, kyc.DataRecord{UserID: u.ID, Title: "employment", Data: json.RawMessage(`{"employer":"Other"}`),
		CreatedAt: t1, UpdatedAt: t1})
	noErr(t, err)
	check(t, r.CreatedAt.Equal(T0) && r.UpdatedAt.Equal(t1) && sameJSON(r.Data, []byte(`{"employer":"Other"}`)),
		"replace keeps CreatedAt: %+v %s", r, r.Data)
	for _, title := range []string{"tax", "Address", "address"} {
		_, err := s.KYC.Profiles.PutDataRecord(ctx, kyc.DataRecord{UserID: u.ID, Title: title, Data: json.RawMessage(`{}`), CreatedAt: T0, UpdatedAt: T0})
		noErr(t, err)
	}
	_, err = s.KYC.Profiles.PutDataRecord(ctx, kyc.DataRecord{UserID: v.ID, Title: "tax", Data: data, CreatedAt: T0, UpdatedAt: T0})
	noErr(t, err)
	_, err = s.KYC.Profiles.PutDataRecord(ctx, kyc.DataRecord{UserID: u.ID, Title: "bad", Data: json.RawMessage(`[1,2]`), CreatedAt: T0, UpdatedAt: T0})
	check(t, err != nil, "a JSON array was accepted as a record")

	list, err := s.KYC.Profiles.ListDataRecords(ctx, u.ID)
	noErr(t, err)
	var titles []string
	for _, r := range list {
		titles = append(titles, r.Title)
	}
	check(t, slices.Equal(titles, []string{"Address", "address", "employment", "tax"}), "records by title: %v", titles)
	check(t, sameJSON(list[2].Data, []byte(`{"employer":"Other"}`)) && string(list[0].Data) == "{}", "listed data: %s, %s", list[2].Data, list[0].Data)

	ok, err := s.KYC.Profiles.DeleteDataRecord(ctx, u.ID, "tax")
	noErr(t, err)
	check(t, ok, "delete reported no record")
	ok, err = s.KYC.Profiles.DeleteDataRecord(ctx, u.ID, "tax")
	noErr(t, err)
	check(t, !ok, "second delete reported a record")
	list, err = s.KYC.Profiles.ListDataRecords(ctx, v.ID)
	noErr(t, err)
	check(t, len(list) == 1 && list[0].Title == "tax" && sameJSON(list[0].Data, data), "other user's records: %+v", list)
}

func conflictOn(err error, field string) bool {
	var e *ports.Error
	return errors.As(err, &e) && e.Code == ports.CodeConflict && e.Fields[field] != ""
}
