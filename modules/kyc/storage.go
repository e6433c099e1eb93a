package kyc

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Upload is one file of a multipart request as the resolvers hand it over.
type Upload struct {
	Filename string
	// Size is what the transport counted; the content is read again with a
	// bound, so a wrong Size cannot make Gatehouse read more.
	Size    int64
	Content io.Reader
}

// pipeline is the upload pipeline every stored KYC file goes through
// (Uploads' documents and selfie, ResetFiles' document and selfie): check
// each file before any is stored, write the objects (encrypted by the
// Sealed blob store) each after its intent, then record their rows in a
// short transaction under the user's lock, and delete the objects again
// when that fails.
type pipeline struct {
	limits    FileLimits
	documents Documents
	users     Users
	tx        ports.TxRunner
	clock     ports.Clock
	blobs     ports.BlobStore
	// intents, when set, records each object before it is written, so
	// that none outlives a failed transaction (sweep).
	intents ports.BlobIntents
	log     *slog.Logger
}

// checkUpload reads and inspects an upload without storing it, so that
// every file of a request is checked before any is stored. The content is
// streamed (hashed and counted, then its head inspected), never held
// whole: the transport hands over a seekable file. A reader that cannot
// seek is read into memory within the limit.
func (s pipeline) checkUpload(field string, u *Upload) (checkedFile, error) {
	if u == nil || u.Content == nil {
		return checkedFile{}, ports.InvalidField(field, "is required")
	}
	tooLarge := ports.InvalidField(field, fmt.Sprintf("is larger than %s", humanBytes(s.limits.MaxBytes)))
	if u.Size > s.limits.MaxBytes {
		return checkedFile{}, tooLarge
	}
	content, ok := u.Content.(io.ReadSeeker)
	if !ok {
		data, err := io.ReadAll(io.LimitReader(u.Content, s.limits.MaxBytes+1))
		if err != nil {
			return checkedFile{}, ports.InvalidField(field, "could not be read")
		}
		content = bytes.NewReader(data)
	}
	if _, err := content.Seek(0, io.SeekStart); err != nil {
		return checkedFile{}, ports.InvalidField(field, "could not be read")
	}
	h := sha256.New()
	size, err := io.Copy(h, io.LimitReader(content, s.limits.MaxBytes+1))
	if err != nil {
		return checkedFile{}, ports.InvalidField(field, "could not be read")
	}
	if size > s.limits.MaxBytes {
		return checkedFile{}, tooLarge
	}
	info, err := InspectReader(field, content, size, s.limits)
	if err != nil {
		return checkedFile{}, err
	}
	return checkedFile{content: content, size: size, sum: h.Sum(nil), info: info}, nil
}

// checkPhoto checks an upload that must be a JPEG or PNG image.
func (s pipeline) checkPhoto(field string, u *Upload) (checkedFile, error) {
	f, err := s.checkUpload(field, u)
	if err != nil {
		return checkedFile{}, err
	}
	if f.info.ContentType != "image/jpeg" && f.info.ContentType != "image/png" {
		return checkedFile{}, ports.InvalidField(field, "must be a JPEG or PNG photo")
	}
	return f, nil
}

// checkedFile is an upload that passed InspectReader: its content (read
// again from the start to store it), size and SHA-256.
type checkedFile struct {
	content io.ReadSeeker
	size    int64
	sum     []byte
	info    FileInfo
}

// putFile streams a checked file to the blob store (encrypted there by
// the Sealed decorator) under a new key, which it adds to *stored, and
// returns the row to record for it. It runs before the transaction that
// records the row: the write holds no database connection and no lock.
// The blob key holds no user data beyond ids.
func (s pipeline) putFile(ctx context.Context, userID uuid.UUID, purpose string, f checkedFile, stored *[]string) (File, error) {
	id := uuid.New()
	rec := File{ID: id, UserID: userID, Purpose: purpose, ContentType: f.info.ContentType,
		Size: f.size, Width: f.info.Width, Height: f.info.Height, SHA256: f.sum,
		BlobKey: "kyc/" + userID.String() + "/" + id.String(), CreatedAt: s.clock.Now()}
	if _, err := f.content.Seek(0, io.SeekStart); err != nil {
		return File{}, fmt.Errorf("rewind the upload: %w", err)
	}
	// The intent is committed before the object is written and removed
	// with the row's transaction: an object whose row does not commit is
	// deleted at once (withFiles) or, if that fails or the process dies,
	// by the sweep (Uploads.SweepOrphanBlobs).
	if s.intents != nil {
		if err := s.intents.Record(ctx, rec.BlobKey, s.clock.Now()); err != nil {
			return File{}, err
		}
	}
	// A failed Put may have left part of an object: it is deleted too.
	*stored = append(*stored, rec.BlobKey)
	// The content is hashed again on its way to the store: what is stored
	// is what was checked.
	h := sha256.New()
	if err := s.blobs.Put(ctx, rec.BlobKey, io.TeeReader(f.content, h), f.size); err != nil {
		return File{}, err
	}
	if !bytes.Equal(h.Sum(nil), f.sum) {
		return File{}, errors.New("the upload changed between its check and its storage")
	}
	return rec, nil
}

// recordFile inserts the row of a written object and removes its intent,
// in the transaction ctx carries.
func (s pipeline) recordFile(ctx context.Context, rec File) error {
	if err := s.documents.CreateFile(ctx, rec); err != nil {
		return err
	}
	if s.intents != nil {
		return s.intents.Done(ctx, rec.BlobKey)
	}
	return nil
}

// deleteBlobs removes objects whose records did not commit (the blob store
// is not part of the transaction); a failure is logged, never returned.
func (s pipeline) deleteBlobs(ctx context.Context, keys []string) {
	ctx = context.WithoutCancel(ctx)
	for _, k := range keys {
		if err := s.blobs.Delete(ctx, k); err != nil {
			// Its intent stays: the sweep tries again.
			s.log.WarnContext(ctx, "KYC object of a failed upload not deleted yet", "key", k, "err", err)
			continue
		}
		if s.intents != nil {
			if err := s.intents.Forget(ctx, k); err != nil {
				s.log.WarnContext(ctx, "intent of a deleted KYC object not removed", "key", k, "err", err)
			}
		}
	}
}

// OrphanBlobAge is how old an intent must be before SweepOrphanBlobs
// takes its object for an orphan: far longer than any upload's writes
// and transaction take.
const OrphanBlobAge = time.Hour

// sweep deletes the objects whose intents are older than OrphanBlobAge
// (see Uploads.SweepOrphanBlobs).
func (s pipeline) sweep(ctx context.Context) (int, error) {
	if s.intents == nil {
		return 0, nil
	}
	swept := 0
	for {
		keys, err := s.intents.Expired(ctx, s.clock.Now().Add(-OrphanBlobAge), 100)
		if err != nil {
			return swept, err
		}
		progress := false
		for _, k := range keys {
			if err := s.blobs.Delete(ctx, k); err != nil {
				s.log.WarnContext(ctx, "orphan KYC object not deleted", "key", k, "err", err)
				continue
			}
			if err := s.intents.Forget(ctx, k); err != nil {
				return swept, err
			}
			swept++
			progress = true
		}
		if len(keys) < 100 || !progress {
			return swept, nil
		}
	}
}

// fileUpload is one checked file a request stores, and its purpose.
type fileUpload struct {
	purpose string
	file    checkedFile
}

// withFiles writes files to the blob store, then runs a short transaction
// that locks the user (every KYC transaction locks the user before its
// first write), records the files' rows (in the order of files) and runs
// fn with them. The objects are written first, each after its intent
// (see putFile), so the write (up to 3 × 10 MiB to S3) holds neither a
// pool connection nor the user's lock, and an upload never waits for a
// second connection while it holds one. The caller checks its rules
// before (nothing is written for a request they refuse) and fn checks
// again under the lock what another request may have changed meanwhile.
// The blob store is not part of the transaction: when a write or the
// transaction fails, the objects written are deleted again.
func (s pipeline) withFiles(ctx context.Context, userID uuid.UUID, files []fileUpload,
	fn func(ctx context.Context, stored []File) error) error {
	var keys []string
	err := s.putFiles(ctx, userID, files, &keys, fn)
	if err != nil {
		s.deleteBlobs(ctx, keys)
	}
	return err
}

// putFiles is withFiles but for the cleanup: *keys collects the objects
// to delete when it fails.
func (s pipeline) putFiles(ctx context.Context, userID uuid.UUID, files []fileUpload, keys *[]string,
	fn func(ctx context.Context, stored []File) error) error {
	recs := make([]File, 0, len(files))
	for _, f := range files {
		rec, err := s.putFile(ctx, userID, f.purpose, f.file, keys)
		if err != nil {
			return err
		}
		recs = append(recs, rec)
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.users.Lock(ctx, userID); err != nil {
			return err
		}
		for _, rec := range recs {
			if err := s.recordFile(ctx, rec); err != nil {
				return err
			}
		}
		return fn(ctx, recs)
	})
}
