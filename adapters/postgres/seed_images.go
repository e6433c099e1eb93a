package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"sync"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/ports"
)

// SeedImage is one of the few made-up KYC images every seeded file is
// (its size, dimensions and sha256): a drawn identity card or a face.
type SeedImage struct {
	Key           string // a name, for tests and logs
	Purpose       string // DOCUMENT_FRONT or SELFIE
	Data          []byte // JPEG
	Width, Height int
	SHA256        [32]byte
}

// seedVariants is how many distinct images of each purpose there are.
const seedVariants = 3

var (
	seedImagesOnce sync.Once
	seedImages     []SeedImage
)

// SeedImages returns the seeded KYC images, the documents first; the same
// bytes on every run and machine (drawn, then encoded by image/jpeg).
func SeedImages() []SeedImage {
	seedImagesOnce.Do(func() {
		for v := range seedVariants {
			seedImages = append(seedImages, encodeSeedImage(fmt.Sprintf("seed/document-%d.jpg", v),
				"DOCUMENT_FRONT", drawCard(v)))
		}
		for v := range seedVariants {
			seedImages = append(seedImages, encodeSeedImage(fmt.Sprintf("seed/selfie-%d.jpg", v),
				"SELFIE", drawFace(v)))
		}
	})
	return seedImages
}

// seedImage returns variant v of purpose.
func seedImage(purpose string, v int) SeedImage {
	all := SeedImages()
	if purpose == "SELFIE" {
		return all[seedVariants+v%seedVariants]
	}
	return all[v%seedVariants]
}

// StoreSeedFiles stores the objects of the files of the first n
// submissions of the review queue (PENDING, oldest first) that have none
// yet, each the SeedImage its row describes, through blobs: the store
// uploads go through (the app's Sealed store, so encrypted as every KYC
// file is, under the row's own blob key, which the seal binds). Only n:
// a million users' files are made-up rows, not objects. It returns how
// many objects it stored.
func StoreSeedFiles(ctx context.Context, db *bun.DB, blobs ports.BlobStore, n int) (int, error) {
	if n <= 0 {
		return 0, nil
	}
	var files []struct {
		BlobKey string `bun:"blob_key"`
		SHA256  []byte `bun:"sha256"`
	}
	err := db.NewRaw(`SELECT f.blob_key, f.sha256
		FROM (SELECT id, document_id, selfie_id FROM kyc_submissions WHERE status = 'PENDING'
		      ORDER BY submitted_at, id LIMIT ?) s
		JOIN kyc_documents d ON d.id IN (s.document_id, s.selfie_id)
		JOIN kyc_files f ON f.id IN (d.front_file_id, d.back_file_id)
		WHERE f.blob_key LIKE 'seed/%'`, n).Scan(ctx, &files)
	if err != nil {
		return 0, fmt.Errorf("seed files: %w", err)
	}
	byHash := map[[32]byte]SeedImage{}
	for _, img := range SeedImages() {
		byHash[img.SHA256] = img
	}
	stored := 0
	for _, f := range files {
		if len(f.SHA256) != 32 {
			continue // not a sha256: converting it to [32]byte would panic
		}
		img, ok := byHash[[32]byte(f.SHA256)]
		if !ok {
			continue // a file of an older seed, which described no image
		}
		if _, err := blobs.Get(ctx, f.BlobKey); err == nil {
			continue // a blob store never replaces a key
		} else if !errors.Is(err, ports.ErrNotFound) {
			return stored, fmt.Errorf("seed files: %s: %w", f.BlobKey, err)
		}
		if err := blobs.Put(ctx, f.BlobKey, bytes.NewReader(img.Data), int64(len(img.Data))); err != nil {
			return stored, fmt.Errorf("seed files: %s: %w", f.BlobKey, err)
		}
		stored++
	}
	return stored, nil
}

func encodeSeedImage(key, purpose string, m *image.RGBA) SeedImage {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 80}); err != nil {
		panic(err) // an in-memory encode of a valid image cannot fail
	}
	b := m.Bounds()
	return SeedImage{Key: key, Purpose: purpose, Data: buf.Bytes(), Width: b.Dx(), Height: b.Dy(),
		SHA256: sha256.Sum256(buf.Bytes())}
}

func fill(m *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(m, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// ellipse fills the ellipse centred on (cx, cy) with radii rx, ry.
func ellipse(m *image.RGBA, cx, cy, rx, ry int, c color.RGBA) {
	for y := cy - ry; y <= cy+ry; y++ {
		for x := cx - rx; x <= cx+rx; x++ {
			dx, dy := float64(x-cx)/float64(rx), float64(y-cy)/float64(ry)
			if dx*dx+dy*dy <= 1 && image.Pt(x, y).In(m.Bounds()) {
				m.SetRGBA(x, y, c)
			}
		}
	}
}

var (
	cardTints = []color.RGBA{{0xd8, 0xe6, 0xf3, 0xff}, {0xe8, 0xf0, 0xd8, 0xff}, {0xf3, 0xe0, 0xd8, 0xff}}
	skins     = []color.RGBA{{0xf1, 0xc2, 0x9c, 0xff}, {0xc6, 0x8e, 0x63, 0xff}, {0x8d, 0x5a, 0x3b, 0xff}}
	hairs     = []color.RGBA{{0x3b, 0x2a, 0x1e, 0xff}, {0x1a, 0x1a, 0x1a, 0xff}, {0x9a, 0x6b, 0x3a, 0xff}}
	ink       = color.RGBA{0x33, 0x3d, 0x4a, 0xff}
)

// drawCard draws an identity card: a tinted card with a header band, a
// photo with a face, lines of "text" and a machine-readable zone.
func drawCard(v int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, 640, 400))
	fill(m, m.Bounds(), color.RGBA{0x60, 0x60, 0x60, 0xff})
	card := image.Rect(20, 20, 620, 380)
	fill(m, card, cardTints[v%len(cardTints)])
	fill(m, image.Rect(20, 20, 620, 70), color.RGBA{0x2b, 0x4c, 0x7e, 0xff})
	fill(m, image.Rect(40, 35, 300, 55), color.RGBA{0xf0, 0xf0, 0xf0, 0xff})
	photo := image.Rect(40, 90, 200, 290)
	fill(m, photo, color.RGBA{0xcf, 0xd8, 0xdc, 0xff})
	ellipse(m, 120, 165, 45, 58, skins[v%len(skins)])
	ellipse(m, 120, 118, 48, 22, hairs[v%len(hairs)])
	fill(m, image.Rect(60, 240, 180, 290), color.RGBA{0x45, 0x5a, 0x64, 0xff})
	for i := range 5 {
		w := 180 + (v*37+i*53)%180
		fill(m, image.Rect(230, 100+i*36, 230+w, 114+i*36), ink)
	}
	for i := range 2 {
		for x := 40; x < 600; x += 16 {
			fill(m, image.Rect(x, 310+i*30, x+11, 328+i*30), ink)
		}
	}
	return m
}

// drawFace draws a selfie: a face with eyes, a mouth and hair before a
// plain background.
func drawFace(v int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, 480, 640))
	fill(m, m.Bounds(), color.RGBA{0xe3, 0xe8, 0xee, 0xff})
	fill(m, image.Rect(60, 520, 420, 640), color.RGBA{0x37, 0x47, 0x4f, 0xff})
	skin := skins[(v+1)%len(skins)]
	fill(m, image.Rect(200, 430, 280, 540), skin)
	ellipse(m, 240, 300, 130, 170, skin)
	ellipse(m, 240, 160, 140, 70, hairs[(v+2)%len(hairs)])
	ellipse(m, 190, 290, 22, 12, color.RGBA{0xff, 0xff, 0xff, 0xff})
	ellipse(m, 290, 290, 22, 12, color.RGBA{0xff, 0xff, 0xff, 0xff})
	ellipse(m, 190, 290, 9, 9, ink)
	ellipse(m, 290, 290, 9, 9, ink)
	fill(m, image.Rect(234, 310, 246, 370), color.RGBA{skin.R - 30, skin.G - 30, skin.B - 20, 0xff})
	ellipse(m, 240, 405, 45, 12+4*v, color.RGBA{0xa0, 0x3a, 0x3a, 0xff})
	return m
}
