package app_test

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg" // decodes the seeded files
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gatehouse/gatehouse/adapters/postgres"
)

// TestSeededSubmissionsOpen: after `gatehouse dev seed` (postgres.Seed,
// then StoreSeedFiles through the app's blob store), the first pending
// submissions of the review queue show a document and a selfie through
// their signed links, as the console loads them, and the objects are
// encrypted at rest as every upload is.
func TestSeededSubmissionsOpen(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	if err := postgres.Seed(ctx, h.db, 300, nil); err != nil {
		t.Fatalf("seed: %v", err)
	}
	const first = 3
	stored, err := postgres.StoreSeedFiles(ctx, h.db, h.blobs, first)
	must(t, err == nil && stored == 2*first, "stored %d objects, want %d: %v", stored, 2*first, err)
	// A second run stores nothing more (a blob store never replaces a key).
	again, err := postgres.StoreSeedFiles(ctx, h.db, h.blobs, first)
	must(t, err == nil && again == 0, "second run stored %d: %v", again, err)

	super := h.staff("SUPERADMIN", "+447911129801")
	var q struct {
		KycSubmissions struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	h.ok(super.token, qKycSubmissions, vars("filter", map[string]any{"status": "PENDING"}, "first", first+1), &q)
	must(t, len(q.KycSubmissions.Edges) == first+1, "pending submissions: %d", len(q.KycSubmissions.Edges))
	var images [][]byte
	for _, img := range postgres.SeedImages() {
		images = append(images, img.Data)
	}
	for i, e := range q.KycSubmissions.Edges {
		var d struct {
			KycSubmission struct {
				Document struct {
					Front struct {
						URL           *string
						ContentType   string
						Size          int
						Width, Height int
					}
				}
				Selfie struct {
					Image struct {
						URL           *string
						Width, Height int
					}
				}
			}
		}
		h.ok(super.token, qKycSubmission, vars("id", e.Node.ID), &d)
		front, selfie := d.KycSubmission.Document.Front, d.KycSubmission.Selfie.Image
		must(t, front.URL != nil && selfie.URL != nil, "submission %d: no links", i)
		for what, link := range map[string]string{"document": *front.URL, "selfie": *selfie.URL} {
			status, body := h.fetch(link)
			if i == first {
				// Past the first n the rows stay made up: no object.
				must(t, status != 200, "submission %d %s: %d past the stored ones", i, what, status)
				continue
			}
			must(t, status == 200, "submission %d %s: status %d", i, what, status)
			must(t, slices.ContainsFunc(images, func(b []byte) bool { return bytes.Equal(b, body) }),
				"submission %d %s: not a seeded image (%d bytes)", i, what, len(body))
			m, format, err := image.Decode(bytes.NewReader(body))
			must(t, err == nil && format == "jpeg", "submission %d %s: %s, %v", i, what, format, err)
			w, ht := front.Width, front.Height
			if what == "selfie" {
				w, ht = selfie.Width, selfie.Height
			}
			must(t, m.Bounds().Dx() == w && m.Bounds().Dy() == ht, "submission %d %s: %v, row says %dx%d",
				i, what, m.Bounds(), w, ht)
		}
		must(t, front.ContentType == "image/jpeg", "content type %s", front.ContentType)
	}
	// At rest every object is sealed, as uploads are: none holds an image.
	n := 0
	err = filepath.WalkDir(h.cfg.BlobDir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		must(t, bytes.HasPrefix(b, []byte("GHB")), "%s is not sealed", path)
		must(t, !slices.ContainsFunc(images, func(img []byte) bool { return bytes.Contains(b, img[:64]) }),
			"%s holds an image in the clear", path)
		return nil
	})
	must(t, err == nil && n >= 2*first, "objects at rest: %d, %v", n, err)
}
