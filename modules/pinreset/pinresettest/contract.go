package pinresettest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// Stores are the store under test and what its rows refer to: the users
// and kyc's files and documents of the same database, fresh and empty for
// each call of the factory.
type Stores struct {
	Users     identity.Users
	Documents kyc.Documents
	Resets    pinreset.Resets
}

// T0 is the suite's reference instant.
var T0 = portstest.T0

// RunStore runs the contract suite of pinreset.Resets against
// implementations from newStores.
func RunStore(t *testing.T, newStores func(t *testing.T) Stores) {
	t.Run("Resets", func(t *testing.T) { t.Parallel(); resets(t, newStores(t)) })
}

// newUser stores a user with a phone made from n.
func newUser(t *testing.T, users identity.Users, n int) identity.User {
	t.Helper()
	return identitytest.NewUser(t, users, fmt.Sprintf("+4479110%05d", n))
}

// newFile stores a file of the user for purpose and returns it.
func newFile(t *testing.T, s kyc.Documents, userID uuid.UUID, purpose string) kyc.File {
	t.Helper()
	id := uuid.New()
	f := kyc.File{ID: id, UserID: userID, Purpose: purpose, ContentType: "image/jpeg", Size: 1234,
		Width: 640, Height: 480, SHA256: bytes.Repeat([]byte{7}, 32), BlobKey: "kyc/" + id.String(), CreatedAt: T0}
	noErr(t, s.CreateFile(context.Background(), f))
	return f
}

// newDocument stores a live passport of the user and returns it.
func newDocument(t *testing.T, s kyc.Documents, userID uuid.UUID) kyc.Document {
	t.Helper()
	d := kyc.Document{ID: uuid.New(), UserID: userID, Type: "PASSPORT",
		FrontFileID: newFile(t, s, userID, kyc.FileDocumentFront).ID, CreatedAt: T0}
	noErr(t, s.ReplaceDocument(context.Background(), d))
	return d
}

func resets(t *testing.T, s Stores) {
	ctx := context.Background()
	u, staff := newUser(t, s.Users, 1), newUser(t, s.Users, 2)
	doc := newDocument(t, s.Documents, u.ID)
	selfie := newFile(t, s.Documents, u.ID, kyc.FileSelfie)
	r := pinreset.Reset{ID: uuid.New(), UserID: u.ID, TicketHash: []byte("hash-1"), Status: pinreset.DocumentRequired,
		ExpiresAt: T0.Add(24 * time.Hour), CreatedAt: T0}
	noErr(t, s.Resets.Create(ctx, r))
	got, err := s.Resets.Get(ctx, r.ID)
	noErr(t, err)
	check(t, got.UserID == u.ID && bytes.Equal(got.TicketHash, []byte("hash-1")) && got.Status == pinreset.DocumentRequired &&
		got.DocumentID == nil && !got.DocumentUploaded && got.SelfieFileID == nil && got.Reason == "" && got.ExpiresAt.Equal(r.ExpiresAt) &&
		got.CreatedAt.Equal(T0) && got.DecidedAt == nil && got.DecidedBy == nil && got.CompletedAt == nil, "reset: %+v", got)
	_, err = s.Resets.Get(ctx, uuid.New())
	check(t, isCode(err, ports.CodeNotFound), "unknown reset: %v", err)
	found, err := s.Resets.FindByTicket(ctx, []byte("hash-1"))
	noErr(t, err)
	check(t, found.ID == r.ID, "find: %+v", found)
	_, err = s.Resets.FindByTicket(ctx, []byte("hash-2"))
	check(t, isCode(err, ports.CodeNotFound), "unknown ticket: %v", err)
	dup := r
	dup.ID = uuid.New()
	check(t, isCode(s.Resets.Create(ctx, dup), ports.CodeConflict), "duplicate ticket hash accepted")

	// DOCUMENT_REQUIRED → SELFIE_REQUIRED with the document.
	got, err = s.Resets.Transition(ctx, r.ID, []pinreset.Status{pinreset.DocumentRequired},
		pinreset.Change{Status: pinreset.SelfieRequired, DocumentID: &doc.ID})
	noErr(t, err)
	check(t, got.Status == pinreset.SelfieRequired && got.DocumentID != nil && *got.DocumentID == doc.ID &&
		!got.DocumentUploaded && got.SelfieFileID == nil, "to SELFIE_REQUIRED: %+v", got)
	// Not from a status outside from; nothing changes.
	_, err = s.Resets.Transition(ctx, r.ID, []pinreset.Status{pinreset.DocumentRequired, pinreset.PendingReview},
		pinreset.Change{Status: pinreset.Approved})
	check(t, isCode(err, ports.CodeConflict), "transition from a wrong status: %v", err)
	_, err = s.Resets.Transition(ctx, r.ID, nil, pinreset.Change{Status: pinreset.Approved})
	check(t, isCode(err, ports.CodeConflict), "transition from no status: %v", err)
	_, err = s.Resets.Transition(ctx, uuid.New(), []pinreset.Status{pinreset.DocumentRequired},
		pinreset.Change{Status: pinreset.SelfieRequired})
	check(t, isCode(err, ports.CodeNotFound), "transition of an unknown reset: %v", err)
	got, err = s.Resets.Get(ctx, r.ID)
	noErr(t, err)
	check(t, got.Status == pinreset.SelfieRequired, "after refused transitions: %+v", got)

	// SELFIE_REQUIRED → PENDING_REVIEW with the selfie; the document stays.
	// DocumentUploaded is set by a change that says so.
	got, err = s.Resets.Transition(ctx, r.ID, []pinreset.Status{pinreset.SelfieRequired},
		pinreset.Change{Status: pinreset.PendingReview, SelfieFileID: &selfie.ID, DocumentUploaded: true})
	noErr(t, err)
	check(t, got.Status == pinreset.PendingReview && got.SelfieFileID != nil && *got.SelfieFileID == selfie.ID &&
		got.DocumentID != nil && *got.DocumentID == doc.ID && got.DocumentUploaded, "to PENDING_REVIEW: %+v", got)
	got, err = s.Resets.Get(ctx, r.ID)
	noErr(t, err)
	check(t, got.DocumentUploaded, "DocumentUploaded not stored: %+v", got)
	t1 := T0.Add(time.Hour)
	got, err = s.Resets.Transition(ctx, r.ID, []pinreset.Status{pinreset.PendingReview},
		pinreset.Change{Status: pinreset.Rejected, Reason: "face does not match", DecidedAt: &t1, DecidedBy: &staff.ID})
	noErr(t, err)
	check(t, got.Status == pinreset.Rejected && got.Reason == "face does not match" && got.DecidedAt.Equal(t1) &&
		*got.DecidedBy == staff.ID && got.SelfieFileID != nil && got.CompletedAt == nil && got.DocumentUploaded,
		"rejected (a change without DocumentUploaded keeps it): %+v", got)
	// An empty reason keeps the stored one.
	t2 := T0.Add(2 * time.Hour)
	got, err = s.Resets.Transition(ctx, r.ID, []pinreset.Status{pinreset.Rejected},
		pinreset.Change{Status: pinreset.Completed, CompletedAt: &t2})
	noErr(t, err)
	check(t, got.Status == pinreset.Completed && got.Reason == "face does not match" && got.CompletedAt.Equal(t2) &&
		got.DecidedAt.Equal(t1) && got.DocumentUploaded, "completed: %+v", got)
	found, err = s.Resets.FindByTicket(ctx, []byte("hash-1"))
	noErr(t, err)
	check(t, found.DocumentUploaded, "DocumentUploaded through FindByTicket: %+v", found)

	// One open reset per user: a second is a CONFLICT until the first
	// closes; OpenOf finds it.
	open, err := s.Resets.OpenOf(ctx, u.ID)
	noErr(t, err)
	check(t, len(open) == 0, "a completed reset is not open: %+v", open)
	first := pinreset.Reset{ID: uuid.New(), UserID: u.ID, TicketHash: []byte("hash-open-1"), Status: pinreset.SelfieRequired,
		ExpiresAt: T0.Add(24 * time.Hour), CreatedAt: T0}
	noErr(t, s.Resets.Create(ctx, first))
	second := pinreset.Reset{ID: uuid.New(), UserID: u.ID, TicketHash: []byte("hash-open-2"), Status: pinreset.DocumentRequired,
		ExpiresAt: T0.Add(24 * time.Hour), CreatedAt: T0}
	check(t, ports.ErrorCodeOf(s.Resets.Create(ctx, second)) == ports.CodeConflict, "a second open reset for one user")
	open, err = s.Resets.OpenOf(ctx, u.ID)
	noErr(t, err)
	check(t, len(open) == 1 && open[0].ID == first.ID, "open resets: %+v", open)
	_, err = s.Resets.Transition(ctx, first.ID, []pinreset.Status{pinreset.SelfieRequired},
		pinreset.Change{Status: pinreset.Rejected, Reason: "superseded", DecidedAt: &t2})
	noErr(t, err)
	noErr(t, s.Resets.Create(ctx, second))
	_, err = s.Resets.Transition(ctx, second.ID, []pinreset.Status{pinreset.DocumentRequired},
		pinreset.Change{Status: pinreset.Rejected, Reason: "superseded", DecidedAt: &t2})
	noErr(t, err)

	// Created with DocumentUploaded: kept on create and shown by the list
	// (each open reset below belongs to a user of its own).
	up := pinreset.Reset{ID: uuid.New(), UserID: newUser(t, s.Users, 3).ID, TicketHash: []byte("hash-up"), Status: pinreset.Approved,
		DocumentID: &doc.ID, DocumentUploaded: true, ExpiresAt: T0.Add(24 * time.Hour), CreatedAt: T0}
	noErr(t, s.Resets.Create(ctx, up))
	got, err = s.Resets.Get(ctx, up.ID)
	noErr(t, err)
	check(t, got.DocumentUploaded, "DocumentUploaded on create: %+v", got)
	approved, err := s.Resets.List(ctx, pinreset.Approved, nil, 10)
	noErr(t, err)
	check(t, len(approved) == 1 && approved[0].ID == up.ID && approved[0].DocumentUploaded,
		"APPROVED queue: %+v", approved)

	// The review queue: keyset pages over (CreatedAt, ID) within a status.
	var want []uuid.UUID
	uploadedIDs := map[uuid.UUID]bool{}
	for i := range 5 {
		at := T0.Add(time.Duration(i) * time.Minute)
		uploaded := i%2 == 0
		if i == 2 {
			at = T0.Add(time.Minute) // a tie with i = 1
		}
		x := pinreset.Reset{ID: uuid.New(), UserID: newUser(t, s.Users, 10+i).ID, TicketHash: fmt.Appendf(nil, "q-%d", i), Status: pinreset.PendingReview,
			DocumentUploaded: uploaded, ExpiresAt: T0.Add(24 * time.Hour), CreatedAt: at}
		noErr(t, s.Resets.Create(ctx, x))
		want = append(want, x.ID)
		uploadedIDs[x.ID] = uploaded
	}
	other := pinreset.Reset{ID: uuid.New(), UserID: newUser(t, s.Users, 20).ID, TicketHash: []byte("q-other"), Status: pinreset.SelfieRequired,
		ExpiresAt: T0.Add(24 * time.Hour), CreatedAt: T0}
	noErr(t, s.Resets.Create(ctx, other))
	if bytes.Compare(want[1][:], want[2][:]) > 0 {
		want[1], want[2] = want[2], want[1]
	}
	var paged []uuid.UUID
	var after *pinreset.Cursor
	for pages := 0; ; pages++ {
		check(t, pages <= 6, "pagination does not end")
		page, err := s.Resets.List(ctx, pinreset.PendingReview, after, 2)
		noErr(t, err)
		check(t, len(page) <= 2, "page of %d", len(page))
		if len(page) == 0 {
			break
		}
		for _, x := range page {
			check(t, x.Status == pinreset.PendingReview, "wrong status in queue: %+v", x)
			check(t, x.DocumentUploaded == uploadedIDs[x.ID], "DocumentUploaded in the list: %+v", x)
			paged = append(paged, x.ID)
		}
		last := page[len(page)-1]
		after = &pinreset.Cursor{CreatedAt: last.CreatedAt, ID: last.ID}
	}
	check(t, slices.Equal(paged, want), "paged resets:\n got %v\nwant %v", paged, want)
	list, err := s.Resets.List(ctx, pinreset.SelfieRequired, nil, 10)
	noErr(t, err)
	check(t, len(list) == 1 && list[0].ID == other.ID, "SELFIE_REQUIRED queue: %+v", list)
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
