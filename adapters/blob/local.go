package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.BlobStore = (*Local)(nil)

// tempPattern names in-flight uploads. It contains '~', which object keys
// may not, so a temporary file can never be mistaken for an object.
const tempPattern = ".put~*"

// Local implements ports.BlobStore on the local filesystem: each object is
// one file (mode 0600) under the store's root directory (mode 0700), with
// the '/' in keys mapping to subdirectories. Writes go to a temporary file
// in the target directory that is synced and then renamed into place, so a
// crash never leaves a partial object under a key.
type Local struct {
	root string
}

// NewLocal returns a store rooted at dir, creating it (mode 0700) if needed.
func NewLocal(dir string) (*Local, error) {
	if dir == "" {
		return nil, errors.New("blob: local store directory is empty")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: local store directory: %w", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("blob: create local store directory: %w", err)
	}
	return &Local{root: abs}, nil
}

// path maps a validated key to its file.
func (l *Local) path(key string) (string, error) {
	if err := validateKey(key); err != nil {
		return "", err
	}
	return filepath.Join(l.root, filepath.FromSlash(key)), nil
}

// Put streams size bytes from r under key atomically (temporary file,
// fsync, rename); a reader shorter or longer than size stores nothing.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := l.path(key)
	if err != nil {
		return err
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	// CreateTemp opens with mode 0600.
	f, err := os.CreateTemp(dir, tempPattern)
	if err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err = copyExactly(f, r, size); err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	if err = os.Rename(tmp, p); err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	// Make the rename itself durable. Best effort: not every platform can
	// sync a directory.
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// Get returns the object under key, or ports.ErrNotFound.
func (l *Local) Get(ctx context.Context, key string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := l.path(key)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p)
	if err != nil {
		if missing(err) {
			return nil, ports.ErrNotFound
		}
		return nil, fmt.Errorf("blob: get %q: %w", key, err)
	}
	return data, nil
}

// Delete removes the object under key; a missing object is not an error.
func (l *Local) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := l.path(key)
	if err != nil {
		return err
	}
	fi, err := os.Lstat(p)
	if err != nil {
		if missing(err) {
			return nil
		}
		return fmt.Errorf("blob: delete %q: %w", key, err)
	}
	if fi.IsDir() {
		// A "directory" key holds no object of its own.
		return nil
	}
	if err := os.Remove(p); err != nil && !missing(err) {
		return fmt.Errorf("blob: delete %q: %w", key, err)
	}
	return nil
}

// missing reports whether err means "no object here": the file does not
// exist, a parent path element is a file, or the key names a directory.
func missing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) ||
		errors.Is(err, syscall.ENOTDIR) ||
		errors.Is(err, syscall.EISDIR)
}

// ErrSizeMismatch is returned (wrapped) by Put when the reader holds fewer
// or more bytes than the size given.
var ErrSizeMismatch = errors.New("blob: the content is not of the size given")

// copyExactly copies exactly size bytes of r to w: a shorter reader, or one
// with bytes left over, is ErrSizeMismatch.
func copyExactly(w io.Writer, r io.Reader, size int64) error {
	if size < 0 {
		return fmt.Errorf("%w: negative size %d", ErrSizeMismatch, size)
	}
	n, err := io.Copy(w, io.LimitReader(r, size))
	if err != nil {
		return err
	}
	if n != size {
		return fmt.Errorf("%w: %d bytes, %d announced", ErrSizeMismatch, n, size)
	}
	var one [1]byte
	if k, _ := io.ReadFull(r, one[:]); k > 0 {
		return fmt.Errorf("%w: more than the %d bytes announced", ErrSizeMismatch, size)
	}
	return nil
}
