package kyc

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
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

// checkUpload reads and inspects an upload without storing it, so that
// every file of a request is checked before any is stored. The content is
// streamed (hashed and counted, then its head inspected), never held
// whole: the transport hands over a seekable file. A reader that cannot
// seek is read into memory within the limit.
func (s *Service) checkUpload(field string, u *Upload) (checkedFile, error) {
	if u == nil || u.Content == nil {
		return checkedFile{}, ports.InvalidField(field, "is required")
	}
	tooLarge := ports.InvalidField(field, fmt.Sprintf("is larger than %s", humanBytes(s.cfg.Files.MaxBytes)))
	if u.Size > s.cfg.Files.MaxBytes {
		return checkedFile{}, tooLarge
	}
	content, ok := u.Content.(io.ReadSeeker)
	if !ok {
		data, err := io.ReadAll(io.LimitReader(u.Content, s.cfg.Files.MaxBytes+1))
		if err != nil {
			return checkedFile{}, ports.InvalidField(field, "could not be read")
		}
		content = bytes.NewReader(data)
	}
	if _, err := content.Seek(0, io.SeekStart); err != nil {
		return checkedFile{}, ports.InvalidField(field, "could not be read")
	}
	h := sha256.New()
	size, err := io.Copy(h, io.LimitReader(content, s.cfg.Files.MaxBytes+1))
	if err != nil {
		return checkedFile{}, ports.InvalidField(field, "could not be read")
	}
	if size > s.cfg.Files.MaxBytes {
		return checkedFile{}, tooLarge
	}
	info, err := InspectReader(field, content, size, s.cfg.Files)
	if err != nil {
		return checkedFile{}, err
	}
	return checkedFile{content: content, size: size, sum: h.Sum(nil), info: info}, nil
}

// checkedFile is an upload that passed InspectReader: its content (read
// again from the start to store it), size and SHA-256.
type checkedFile struct {
	content io.ReadSeeker
	size    int64
	sum     []byte
	info    FileInfo
}

// storeFile streams a checked file to the blob store (encrypted there by
// the Sealed decorator), adds its key to *stored, and records it; withFiles
// deletes the stored objects when the transaction fails. The blob key
// holds no user data beyond ids.
func (s *Service) storeFile(ctx context.Context, userID uuid.UUID, purpose string, f checkedFile, stored *[]string) (ports.KYCFile, error) {
	id := uuid.New()
	rec := ports.KYCFile{ID: id, UserID: userID, Purpose: purpose, ContentType: f.info.ContentType,
		Size: f.size, Width: f.info.Width, Height: f.info.Height, SHA256: f.sum,
		BlobKey: "kyc/" + userID.String() + "/" + id.String(), CreatedAt: s.Clock.Now()}
	if _, err := f.content.Seek(0, io.SeekStart); err != nil {
		return ports.KYCFile{}, fmt.Errorf("rewind the upload: %w", err)
	}
	// The intent is committed before the object is written and removed
	// with the row's transaction: an object whose row does not commit is
	// deleted at once (withFiles) or, if that fails or the process dies,
	// by SweepOrphanBlobs.
	if s.Intents != nil {
		if err := s.Intents.Record(ctx, rec.BlobKey, s.Clock.Now()); err != nil {
			return ports.KYCFile{}, err
		}
	}
	// A failed Put may have left part of an object: it is deleted too.
	*stored = append(*stored, rec.BlobKey)
	// The content is hashed again on its way to the store: what is stored
	// is what was checked.
	h := sha256.New()
	if err := s.Blobs.Put(ctx, rec.BlobKey, io.TeeReader(f.content, h), f.size); err != nil {
		return ports.KYCFile{}, err
	}
	if !bytes.Equal(h.Sum(nil), f.sum) {
		return ports.KYCFile{}, errors.New("the upload changed between its check and its storage")
	}
	if err := s.Store.CreateFile(ctx, rec); err != nil {
		return ports.KYCFile{}, err
	}
	if s.Intents != nil {
		if err := s.Intents.Done(ctx, rec.BlobKey); err != nil {
			return ports.KYCFile{}, err
		}
	}
	return rec, nil
}

// deleteBlobs removes objects whose records did not commit (the blob store
// is not part of the transaction); a failure is logged, never returned.
func (s *Service) deleteBlobs(ctx context.Context, keys []string) {
	ctx = context.WithoutCancel(ctx)
	for _, k := range keys {
		if err := s.Blobs.Delete(ctx, k); err != nil {
			// Its intent stays: SweepOrphanBlobs tries again.
			s.Log.WarnContext(ctx, "KYC object of a failed upload not deleted yet", "key", k, "err", err)
			continue
		}
		if s.Intents != nil {
			if err := s.Intents.Forget(ctx, k); err != nil {
				s.Log.WarnContext(ctx, "intent of a deleted KYC object not removed", "key", k, "err", err)
			}
		}
	}
}

// OrphanBlobAge is how old an intent must be before SweepOrphanBlobs
// takes its object for an orphan: far longer than any upload's
// transaction takes.
const OrphanBlobAge = time.Hour

// SweepOrphanBlobs deletes the objects whose intents are older than
// OrphanBlobAge (their rows never committed), then the intents, and
// returns how many went. An object that cannot be deleted keeps its
// intent for the next sweep.
func (s *Service) SweepOrphanBlobs(ctx context.Context) (int, error) {
	if s.Intents == nil {
		return 0, nil
	}
	swept := 0
	for {
		keys, err := s.Intents.Expired(ctx, s.Clock.Now().Add(-OrphanBlobAge), 100)
		if err != nil {
			return swept, err
		}
		progress := false
		for _, k := range keys {
			if err := s.Blobs.Delete(ctx, k); err != nil {
				s.Log.WarnContext(ctx, "orphan KYC object not deleted", "key", k, "err", err)
				continue
			}
			if err := s.Intents.Forget(ctx, k); err != nil {
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

// storeFunc stores one checked file inside a withFiles transaction.
type storeFunc func(purpose string, f checkedFile) (ports.KYCFile, error)

// withFiles runs fn in a transaction that first locks the user (every
// KYC transaction locks the user before its first write) and gives fn a
// way to store files. The blob store is not part of the transaction: when
// it fails, the objects stored so far are deleted again.
func (s *Service) withFiles(ctx context.Context, userID uuid.UUID, fn func(ctx context.Context, store storeFunc) error) error {
	var keys []string
	err := s.Tx.InTx(ctx, func(ctx context.Context) error {
		keys = keys[:0]
		if err := s.Users.Lock(ctx, userID); err != nil {
			return err
		}
		return fn(ctx, func(purpose string, f checkedFile) (ports.KYCFile, error) {
			return s.storeFile(ctx, userID, purpose, f, &keys)
		})
	})
	if err != nil {
		s.deleteBlobs(ctx, keys)
	}
	return err
}
