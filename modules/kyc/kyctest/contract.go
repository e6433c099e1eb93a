// Package kyctest holds the in-memory fake of the kyc module's stores
// (Store, every one of them at once) and two contract suites that the
// fake and the PostgreSQL adapter both pass: RunStore for the stores, and
// RunUserReads for the batched reads behind the per-request loaders (each
// batched read answers, user by user, what the single-user read answers).
package kyctest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// Stores are kyc's stores (one value usually fills every field of
// kyc.Stores, as adapters/postgres's KYCStore and the fake Store do),
// their batched reads (usually the same value; RunStore leaves them alone)
// and identity's Users of the same database (the KYC tables refer to
// users), fresh and empty for each call of the factory.
type Stores struct {
	Users identity.Users
	KYC   kyc.Stores
	Reads kyc.UserReads
}

// T0 is the suite's reference instant.
var T0 = portstest.T0

// RunUserReads runs the UserReads contract suite against implementations
// from newStores.
func RunUserReads(t *testing.T, newStores func(t *testing.T) Stores) {
	t.Run("EachUserAsAlone", func(t *testing.T) { t.Parallel(); eachUserAsAlone(t, newStores(t)) })
	t.Run("NoUsersNoRows", func(t *testing.T) { t.Parallel(); noUsersNoRows(t, newStores(t)) })
}

// seed gives u a full KYC picture: a profile, a replaced and a live
// passport (with a back), a selfie, a utility bill, two submissions (the
// newer pending), labels, phones and data records; n varies the values.
func seed(t *testing.T, s Stores, u identity.User, n int) {
	t.Helper()
	ctx := context.Background()
	at := func(m int) time.Time { return T0.Add(time.Duration(m) * time.Minute) }
	_, err := s.KYC.Profiles.UpsertProfile(ctx, kyc.Profile{UserID: u.ID, FirstName: fmt.Sprintf("Ada%d", n), LastName: "Lovelace",
		DateOfBirth: "1990-04-01", Country: "GB", CreatedAt: T0, UpdatedAt: T0}, false)
	noErr(t, err)
	doc := func(typ, purpose string, back bool, m int) kyc.Document {
		d := kyc.Document{ID: uuid.New(), UserID: u.ID, Type: typ, Number: fmt.Sprintf("N%d", n),
			FrontFileID: file(t, s.KYC.Documents, u.ID, purpose), CreatedAt: at(m)}
		if back {
			id := file(t, s.KYC.Documents, u.ID, kyc.FileDocumentBack)
			d.BackFileID = &id
		}
		noErr(t, s.KYC.Documents.ReplaceDocument(ctx, d))
		return d
	}
	doc("PASSPORT", kyc.FileDocumentFront, false, 1)
	passport := doc("PASSPORT", kyc.FileDocumentFront, true, 2)
	selfie := doc("SELFIE", kyc.FileSelfie, false, 2)
	doc("UTILITY_BILL", kyc.FileDocumentFront, false, 3)
	sub := func(m int) kyc.Submission {
		x := kyc.Submission{ID: uuid.New(), UserID: u.ID, Status: kyc.StatusPending, Country: "GB",
			DocumentID: passport.ID, SelfieID: selfie.ID, SubmittedAt: at(m)}
		noErr(t, s.KYC.Submissions.CreateSubmission(ctx, x))
		return x
	}
	old := sub(4)
	_, err = s.KYC.Submissions.DecideSubmission(ctx, old.ID, kyc.StatusRejected, "blurred", u.ID, at(5))
	noErr(t, err)
	sub(6 + n)
	for _, k := range []string{"zeta", "phone", "ab", "a_b", "a.c", "profile"} {
		_, err := s.KYC.Labels.SetLabel(ctx, kyc.Label{UserID: u.ID, Key: k, Value: fmt.Sprint(n), Scope: kyc.ScopePublic,
			CreatedAt: T0, UpdatedAt: T0})
		noErr(t, err)
	}
	for i, num := range []string{"+4479112%05d", "+4479113%05d"} {
		_, err := s.KYC.Phones.AddPhone(ctx, kyc.Phone{ID: uuid.New(), UserID: u.ID, Number: fmt.Sprintf(num, n),
			CreatedAt: at(2 - i)})
		noErr(t, err)
	}
	for _, title := range []string{"tax", "employment"} {
		_, err := s.KYC.Profiles.PutDataRecord(ctx, kyc.DataRecord{UserID: u.ID, Title: title,
			Data: json.RawMessage(fmt.Sprintf(`{"n":%d}`, n)), CreatedAt: T0, UpdatedAt: T0})
		noErr(t, err)
	}
}

func file(t *testing.T, s kyc.Documents, userID uuid.UUID, purpose string) uuid.UUID {
	t.Helper()
	id := uuid.New()
	noErr(t, s.CreateFile(context.Background(), kyc.File{ID: id, UserID: userID, Purpose: purpose,
		ContentType: "image/jpeg", Size: 1234, Width: 640, Height: 480, SHA256: bytes.Repeat([]byte{7}, 32),
		BlobKey: "kyc/" + id.String(), CreatedAt: T0}))
	return id
}

func eachUserAsAlone(t *testing.T, s Stores) {
	ctx := context.Background()
	var us []identity.User
	for i := range 3 {
		us = append(us, identitytest.NewUser(t, s.Users, fmt.Sprintf("+4479114%05d", i)))
	}
	seed(t, s, us[0], 1)
	seed(t, s, us[2], 2)
	// us[1] has nothing; an unknown id and a repeat change nothing.
	ids := []uuid.UUID{us[2].ID, us[1].ID, uuid.New(), us[0].ID, us[2].ID}

	profiles, err := s.Reads.ProfilesByUsers(ctx, ids)
	noErr(t, err)
	subs, err := s.Reads.LatestSubmissionsByUsers(ctx, ids)
	noErr(t, err)
	labels, err := s.Reads.LabelsByUsers(ctx, ids)
	noErr(t, err)
	docs, err := s.Reads.LiveDocumentsByUsers(ctx, ids)
	noErr(t, err)
	phones, err := s.Reads.PhonesByUsers(ctx, ids)
	noErr(t, err)
	records, err := s.Reads.DataRecordsByUsers(ctx, ids)
	noErr(t, err)
	check(t, len(profiles) == 2 && len(subs) == 2, "%d profiles and %d submissions for two users with them",
		len(profiles), len(subs))

	var fileIDs []uuid.UUID
	for _, u := range us {
		alone := func(what string, got any, want any, err error) {
			t.Helper()
			noErr(t, err)
			check(t, reflect.DeepEqual(got, want), "%s of user %s:\n got %+v\nwant %+v", what, u.Phone, got, want)
		}
		p, err := s.KYC.Profiles.GetProfile(ctx, u.ID)
		if isCode(err, ports.CodeNotFound) {
			alone("profile", of(profiles, u.ID, func(p kyc.Profile) uuid.UUID { return p.UserID }), []kyc.Profile{}, nil)
		} else {
			alone("profile", of(profiles, u.ID, func(p kyc.Profile) uuid.UUID { return p.UserID }), []kyc.Profile{p}, err)
		}
		x, err := s.KYC.Submissions.LatestSubmission(ctx, u.ID)
		if isCode(err, ports.CodeNotFound) {
			alone("latest submission", of(subs, u.ID, func(x kyc.Submission) uuid.UUID { return x.UserID }), []kyc.Submission{}, nil)
		} else {
			alone("latest submission", of(subs, u.ID, func(x kyc.Submission) uuid.UUID { return x.UserID }), []kyc.Submission{x}, err)
		}
		l, err := s.KYC.Labels.ListLabels(ctx, u.ID)
		alone("labels", of(labels, u.ID, func(l kyc.Label) uuid.UUID { return l.UserID }), nonNil(l), err)
		d, err := s.KYC.Documents.LiveDocuments(ctx, u.ID)
		alone("live documents", of(docs, u.ID, func(d kyc.Document) uuid.UUID { return d.UserID }), nonNil(d), err)
		ph, err := s.KYC.Phones.ListPhones(ctx, u.ID)
		alone("phones", of(phones, u.ID, func(p kyc.Phone) uuid.UUID { return p.UserID }), nonNil(ph), err)
		r, err := s.KYC.Profiles.ListDataRecords(ctx, u.ID)
		alone("data records", of(records, u.ID, func(r kyc.DataRecord) uuid.UUID { return r.UserID }), nonNil(r), err)
		for _, doc := range d {
			fileIDs = append(fileIDs, doc.FrontFileID)
			if doc.BackFileID != nil {
				fileIDs = append(fileIDs, *doc.BackFileID)
			}
		}
	}
	check(t, len(fileIDs) == 2*4, "files of the live documents: %d", len(fileIDs))

	files, err := s.Reads.FilesByIDs(ctx, append([]uuid.UUID{uuid.New(), fileIDs[0]}, fileIDs...))
	noErr(t, err)
	check(t, len(files) == len(fileIDs), "%d files for %d ids", len(files), len(fileIDs))
	for _, id := range fileIDs {
		want, err := s.KYC.Documents.GetFile(ctx, id)
		noErr(t, err)
		got := of(files, id, func(f kyc.File) uuid.UUID { return f.ID })
		check(t, reflect.DeepEqual(got, []kyc.File{want}), "file %s:\n got %+v\nwant %+v", id, got, want)
	}

	// The documents a page of submissions names, and the live ones.
	var docIDs []uuid.UUID
	for _, x := range subs {
		docIDs = append(docIDs, x.DocumentID, x.SelfieID)
	}
	for _, d := range docs {
		docIDs = append(docIDs, d.ID)
	}
	docIDs = append(docIDs, uuid.New())
	byID, err := s.Reads.DocumentsByIDs(ctx, docIDs)
	noErr(t, err)
	seen := map[uuid.UUID]bool{}
	for _, id := range docIDs {
		want, err := s.KYC.Documents.GetDocument(ctx, id)
		got := of(byID, id, func(d kyc.Document) uuid.UUID { return d.ID })
		if isCode(err, ports.CodeNotFound) {
			check(t, len(got) == 0, "document %s read though there is none: %+v", id, got)
			continue
		}
		noErr(t, err)
		check(t, reflect.DeepEqual(got, []kyc.Document{want}), "document %s:\n got %+v\nwant %+v", id, got, want)
		seen[id] = true
	}
	check(t, len(byID) == len(seen), "%d documents for %d ids", len(byID), len(seen))
}

func noUsersNoRows(t *testing.T, s Stores) {
	ctx := context.Background()
	u := identitytest.NewUser(t, s.Users, "+447911500001")
	seed(t, s, u, 1)
	for _, ids := range [][]uuid.UUID{nil, {}, {uuid.New()}} {
		profiles, err := s.Reads.ProfilesByUsers(ctx, ids)
		noErr(t, err)
		subs, err := s.Reads.LatestSubmissionsByUsers(ctx, ids)
		noErr(t, err)
		labels, err := s.Reads.LabelsByUsers(ctx, ids)
		noErr(t, err)
		docs, err := s.Reads.LiveDocumentsByUsers(ctx, ids)
		noErr(t, err)
		files, err := s.Reads.FilesByIDs(ctx, ids)
		noErr(t, err)
		documents, err := s.Reads.DocumentsByIDs(ctx, ids)
		noErr(t, err)
		phones, err := s.Reads.PhonesByUsers(ctx, ids)
		noErr(t, err)
		records, err := s.Reads.DataRecordsByUsers(ctx, ids)
		noErr(t, err)
		check(t, len(profiles)+len(subs)+len(labels)+len(docs)+len(files)+len(documents)+len(phones)+len(records) == 0,
			"rows for ids %v", ids)
	}
}

// of is the rows of rows whose key is id, in the order read.
func of[T any](rows []T, id uuid.UUID, key func(T) uuid.UUID) []T {
	out := []T{}
	for _, r := range rows {
		if key(r) == id {
			out = append(out, r)
		}
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func isCode(err error, code ports.ErrorCode) bool { return ports.ErrorCodeOf(err) == code }

func check(t *testing.T, cond bool, format string, args ...any) {
	t.Helper()
	if !cond {
		t.Fatalf(format, args...)
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
