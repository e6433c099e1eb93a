package app_test

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
)

// faults arms failures of the blob store and of transactions' commits.
type faults struct {
	failCommit atomic.Bool // the next transaction that stores a file fails at its commit
	failDelete atomic.Bool // deletes fail
	// putStoresThenFails: Put writes the object, then reports a failure
	// (an S3 answer lost on the way back).
	putStoresThenFails atomic.Bool
	stored             atomic.Bool // a file was stored in the current transaction
}

type faultyBlobs struct {
	ports.BlobStore
	f *faults
}

func (b faultyBlobs) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	if err := b.BlobStore.Put(ctx, key, r, size); err != nil {
		return err
	}
	b.f.stored.Store(true)
	if b.f.putStoresThenFails.Load() {
		return errors.New("blob store: connection reset before the answer")
	}
	return nil
}

func (b faultyBlobs) Delete(ctx context.Context, key string) error {
	if b.f.failDelete.Load() {
		return errors.New("blob store: unavailable")
	}
	return b.BlobStore.Delete(ctx, key)
}

type faultyTx struct {
	ports.TxRunner
	f *faults
}

// InTx fails a transaction that stored a file, after all its work, as a
// failed COMMIT would: everything it did rolls back.
func (t faultyTx) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return t.TxRunner.InTx(ctx, func(ctx context.Context) error {
		if err := fn(ctx); err != nil {
			return err
		}
		if t.f.stored.Load() && t.f.failCommit.Load() {
			return errors.New("commit: could not serialize access")
		}
		return nil
	})
}

func newFaultyHarness(t *testing.T) (*harness, *faults, *kyc.Uploads) {
	f := &faults{}
	var svc *kyc.Uploads
	h := newHarnessWith(t, []fx.Option{
		fx.Decorate(func(b ports.BlobStore) ports.BlobStore { return faultyBlobs{BlobStore: b, f: f} }),
		fx.Decorate(func(tx ports.TxRunner) ports.TxRunner { return faultyTx{TxRunner: tx, f: f} }),
		fx.Populate(&svc),
	})
	return h, f, svc
}

func (h *harness) intents() int {
	h.t.Helper()
	var n int
	if err := h.db.NewRaw("SELECT count(*) FROM kyc_blob_intents").Scan(context.Background(), &n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

// A transaction that fails at its commit after the file was written
// leaves no object behind: deleted at once, or — when the store cannot
// delete it then (or the process dies) — by the sweep an hour later.
func TestFailedCommitLeavesNoOrphanBlob(t *testing.T) {
	t.Parallel()
	h, f, svc := newFaultyHarness(t)
	a := h.signUp("+447911124305", "4831", "device-4305")
	files := newKYCFiles(t, 4305)
	selfie := func() gqlResponse {
		return h.upload(a.AccessToken, mUploadSelfie, vars("input", map[string]any{}), file("variables.input.image", "me.jpg", files.selfie))
	}
	before := h.stored()

	// The commit fails; the object goes at once.
	f.stored.Store(false)
	f.failCommit.Store(true)
	r := selfie()
	must(t, r.code() == "INTERNAL" && rootIsNull(r.Data), "upload whose commit failed: %+v %s", r.Errors, r.Data)
	must(t, h.stored() == before, "after a failed commit: %+v, before %+v", h.stored(), before)
	must(t, h.intents() == 0, "%d intents left after the object was deleted", h.intents())

	// The commit fails and the object cannot be deleted then: it stays
	// until the sweep, which leaves it alone for an hour.
	f.stored.Store(false)
	f.failDelete.Store(true)
	r = selfie()
	must(t, r.code() == "INTERNAL", "upload whose commit failed: %+v", r.Errors)
	orphaned := h.stored()
	must(t, orphaned.blobs == before.blobs+1 && orphaned.files == before.files, "the undeletable object: %+v, before %+v", orphaned, before)
	must(t, h.intents() == 1, "%d intents, want the orphan's", h.intents())
	f.failDelete.Store(false)
	f.failCommit.Store(false)

	// A good upload meanwhile: its intent goes with its commit.
	r = selfie()
	must(t, len(r.Errors) == 0, "good upload: %+v", r.Errors)
	must(t, h.intents() == 1, "%d intents after a committed upload, want only the orphan's", h.intents())

	n, err := svc.SweepOrphanBlobs(context.Background())
	must(t, err == nil && n == 0, "a sweep within the hour: %d, %v", n, err)
	h.clock.Advance(kyc.OrphanBlobAge + time.Minute)
	n, err = svc.SweepOrphanBlobs(context.Background())
	must(t, err == nil && n == 1, "the sweep after an hour: %d, %v", n, err)
	after := h.stored()
	must(t, after.blobs == before.blobs+1 && after.files == before.files+1,
		"after the sweep: %+v; want only the good upload's object and its row, before %+v", after, before)
	must(t, h.intents() == 0, "%d intents after the sweep", h.intents())
	n, err = svc.SweepOrphanBlobs(context.Background())
	must(t, err == nil && n == 0 && h.stored() == after, "a second sweep: %d, %v, %+v", n, err, h.stored())
}

// A blob write that fails leaves no row, and no object even when the store
// kept what it was sent.
func TestFailedBlobWriteLeavesNoRow(t *testing.T) {
	t.Parallel()
	h, f, _ := newFaultyHarness(t)
	a := h.signUp("+447911124306", "4831", "device-4306")
	files := newKYCFiles(t, 4306)
	before := h.stored()

	f.putStoresThenFails.Store(true)
	r := h.upload(a.AccessToken, mUploadDocument, vars("input", map[string]any{"type": "PASSPORT", "number": "P-4306"}),
		file("variables.input.front", "front.jpg", files.front), file("variables.input.back", "back.png", files.back))
	must(t, r.code() == "INTERNAL" && rootIsNull(r.Data), "upload whose blob write failed: %+v %s", r.Errors, r.Data)
	must(t, h.stored() == before, "after a failed blob write: %+v, before %+v", h.stored(), before)
	must(t, h.intents() == 0, "%d intents left", h.intents())
	me := h.kycMe(a.AccessToken)
	must(t, len(me.Documents) == 0, "the failed upload shows: %+v", me.Documents)

	f.putStoresThenFails.Store(false)
	h.uploadDocument(a.AccessToken, "PASSPORT", files)
	after := h.stored()
	must(t, after.blobs == before.blobs+2 && after.files == before.files+2 && after.documents == before.documents+1,
		"a good upload after: %+v, before %+v", after, before)
}

// An upload holds at most one pool connection at a time: with the
// smallest pool allowed, uploads are answered at once, not after the
// transaction's bound.
func TestUploadsWorkWithTheSmallestPool(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *app.Config) { c.DBMaxConns = 3 })
	a := h.signUp("+447911124307", "4831", "device-4307")
	files := newKYCFiles(t, 4307)
	before := h.stored()

	start := time.Now()
	r := h.upload(a.AccessToken, mUploadSelfie, vars("input", map[string]any{}), file("variables.input.image", "me.jpg", files.selfie))
	took := time.Since(start)
	t.Logf("selfie upload with a pool of 3: %v", took.Round(time.Millisecond))
	must(t, len(r.Errors) == 0, "selfie upload with a pool of 3 connections: %+v", r.Errors)

	start = time.Now()
	d := h.uploadDocument(a.AccessToken, "PASSPORT", files)
	t.Logf("document upload (front and back) with a pool of 3: %v", time.Since(start).Round(time.Millisecond))
	must(t, d.Back != nil, "the document's back is missing: %+v", d)
	must(t, took < 5*time.Second, "the selfie upload took %v, want well within the 9 s transaction bound", took)

	// Four at once (the user's four slots): none holds a connection while
	// it waits for another, so none waits for the transaction's bound.
	var wg sync.WaitGroup
	answers := make([]gqlResponse, 4)
	start = time.Now()
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = h.upload(a.AccessToken, mUploadSelfie, vars("input", map[string]any{}), file("variables.input.image", "me.jpg", files.selfie))
		}()
	}
	wg.Wait()
	all := time.Since(start)
	t.Logf("4 selfie uploads at once with a pool of 3: %v", all.Round(time.Millisecond))
	for i, r := range answers {
		must(t, len(r.Errors) == 0, "upload %d of 4 at once with a pool of 3: %+v", i, r.Errors)
	}
	must(t, all < 5*time.Second, "4 uploads at once took %v, want well within the 9 s transaction bound", all)

	after := h.stored()
	must(t, after.blobs == before.blobs+7 && after.files == before.files+7 && after.documents == before.documents+6,
		"after six uploads: %+v, before %+v", after, before)
	must(t, h.intents() == 0, "%d intents left after committed uploads", h.intents())
}
