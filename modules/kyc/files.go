package kyc

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // registers JPEG for DecodeConfig
	_ "image/png"  // registers PNG for DecodeConfig
	"io"

	"github.com/gabriel-vasile/mimetype"

	"github.com/gatehouse/gatehouse/ports"
)

// FileLimits bound what an uploaded KYC file may be.
type FileLimits struct {
	// MaxBytes is the largest file accepted (10 MiB by default).
	MaxBytes int64
	// MaxSide is the largest width or height of an image, in pixels.
	MaxSide int
	// MaxPixels is the largest width × height of an image.
	MaxPixels int64
}

// DefaultFileLimits are 10 MiB, 10,000 pixels a side and 40 megapixels.
func DefaultFileLimits() FileLimits {
	return FileLimits{MaxBytes: 10 << 20, MaxSide: 10_000, MaxPixels: 40_000_000}
}

// FileInfo is what Gatehouse learned from a file's content.
type FileInfo struct {
	// ContentType is image/jpeg, image/png or application/pdf.
	ContentType string
	Width       int // 0 for a PDF
	Height      int
}

// accepted are the content types KYC files may have, by their content.
var accepted = []string{"image/jpeg", "image/png", "application/pdf"}

// InspectFile decides whether data may be stored as a KYC file; it is
// InspectReader of data held in memory.
func InspectFile(field string, data []byte, lim FileLimits) (FileInfo, error) {
	return InspectReader(field, bytes.NewReader(data), int64(len(data)), lim)
}

// InspectReader decides whether the size bytes of r may be stored as a KYC
// file, reading only what it needs from the start of r: its type is
// sniffed from the first bytes (never the name or the client's header)
// and must be JPEG, PNG or PDF; an image's dimensions come from its header
// alone (no pixel is decoded) and must be within the limits. Errors:
// VALIDATION_FAILED on field.
func InspectReader(field string, r io.ReadSeeker, size int64, lim FileLimits) (FileInfo, error) {
	if size == 0 {
		return FileInfo{}, ports.InvalidField(field, "is empty")
	}
	if size > lim.MaxBytes {
		return FileInfo{}, ports.InvalidField(field, fmt.Sprintf("is larger than %s", humanBytes(lim.MaxBytes)))
	}
	unreadable := ports.InvalidField(field, "could not be read")
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return FileInfo{}, unreadable
	}
	mt, err := mimetype.DetectReader(io.LimitReader(r, size))
	if err != nil {
		return FileInfo{}, unreadable
	}
	typ := ""
	for _, a := range accepted {
		if mt.Is(a) {
			typ = a
		}
	}
	if typ == "" {
		return FileInfo{}, ports.InvalidField(field, "must be a JPEG, PNG or PDF file")
	}
	info := FileInfo{ContentType: typ}
	if typ == "application/pdf" {
		return info, nil
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return FileInfo{}, unreadable
	}
	cfg, format, err := image.DecodeConfig(bufio.NewReader(io.LimitReader(r, size)))
	if err != nil || "image/"+format != typ {
		return FileInfo{}, ports.InvalidField(field, "is not a readable image")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > lim.MaxSide || cfg.Height > lim.MaxSide ||
		int64(cfg.Width)*int64(cfg.Height) > lim.MaxPixels {
		return FileInfo{}, ports.InvalidField(field, fmt.Sprintf(
			"is %d × %d pixels; at most %d a side and %d megapixels are accepted",
			cfg.Width, cfg.Height, lim.MaxSide, lim.MaxPixels/1_000_000))
	}
	info.Width, info.Height = cfg.Width, cfg.Height
	return info, nil
}

// humanBytes writes n as MiB or KiB for error messages.
func humanBytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	if n >= 1<<10 && n%(1<<10) == 0 {
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
