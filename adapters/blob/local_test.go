package blob

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/ports"
)

func newTestLocal(t *testing.T) *Local {
	t.Helper()
	l, err := NewLocal(filepath.Join(t.TempDir(), "blobs"))
	require.NoError(t, err)
	return l
}

func TestLocal(t *testing.T) {
	testBlobStore(t, func(t *testing.T) ports.BlobStore { return newTestLocal(t) })
}

func TestLocalPermissionsAndNoTempFiles(t *testing.T) {
	ctx := context.Background()
	root := filepath.Join(t.TempDir(), "a", "b")
	l, err := NewLocal(root)
	require.NoError(t, err)

	keys := []string{"one", "kyc/u1/front.png", "kyc/u1/back.png", "kyc/u2/selfie.jpg"}
	for _, k := range keys {
		require.NoError(t, putBytes(ctx, l, k, []byte("data of "+k)))
	}
	// An overwrite and a failed put (parent is a file) must not leave
	// temporary files either.
	require.NoError(t, putBytes(ctx, l, "one", []byte("again")))
	require.Error(t, putBytes(ctx, l, "one/child", []byte("x")))

	fi, err := os.Stat(root)
	require.NoError(t, err)
	require.Equal(t, fs.FileMode(0o700), fi.Mode().Perm())

	var files []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		require.NoError(t, err)
		info, err := d.Info()
		require.NoError(t, err)
		if d.IsDir() {
			require.Equal(t, fs.FileMode(0o700), info.Mode().Perm(), p)
			return nil
		}
		require.Equal(t, fs.FileMode(0o600), info.Mode().Perm(), p)
		rel, err := filepath.Rel(root, p)
		require.NoError(t, err)
		require.False(t, strings.Contains(rel, "~"), "temporary file left: %s", rel)
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	require.NoError(t, err)
	require.ElementsMatch(t, keys, files)
}

func TestLocalDirectoryKeyIsNotAnObject(t *testing.T) {
	ctx := context.Background()
	l := newTestLocal(t)
	require.NoError(t, putBytes(ctx, l, "dir/file", []byte("x")))

	_, err := l.Get(ctx, "dir")
	require.True(t, errors.Is(err, ports.ErrNotFound), "got %v", err)
	_, err = l.Get(ctx, "dir/file/below")
	require.True(t, errors.Is(err, ports.ErrNotFound), "got %v", err)
	require.NoError(t, l.Delete(ctx, "dir"))

	got, err := l.Get(ctx, "dir/file")
	require.NoError(t, err)
	require.Equal(t, "x", string(got))
}

func TestNewLocalRejectsEmptyDir(t *testing.T) {
	_, err := NewLocal("")
	require.Error(t, err)
}
