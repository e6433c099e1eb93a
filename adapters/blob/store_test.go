package blob

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/ports"
)

// badKeys are refused by every store.
var badKeys = []string{
	"",
	"/abs",
	"../escape",
	"a/../b",
	"a/..",
	"..",
	"a//b",
	"a/",
	"./a",
	"a/./b",
	"sp ace",
	"back\\slash",
	"tilde~",
	"nul\x00",
	"ünïcode",
	strings.Repeat("k", MaxKeyLen+1),
}

// testBlobStore runs the ports.BlobStore contract against the store that
// newStore returns (a fresh, empty one per call).
func testBlobStore(t *testing.T, newStore func(t *testing.T) ports.BlobStore) {
	ctx := context.Background()

	t.Run("put get delete", func(t *testing.T) {
		s := newStore(t)
		data := []byte("passport scan \x00\xff binary")
		require.NoError(t, putBytes(ctx, s, "kyc/u1/passport.jpg", data))

		got, err := s.Get(ctx, "kyc/u1/passport.jpg")
		require.NoError(t, err)
		require.Equal(t, data, got)

		require.NoError(t, s.Delete(ctx, "kyc/u1/passport.jpg"))
		_, err = s.Get(ctx, "kyc/u1/passport.jpg")
		require.True(t, errors.Is(err, ports.ErrNotFound), "got %v", err)
	})

	t.Run("a reader of the wrong size stores nothing", func(t *testing.T) {
		s := newStore(t)
		data := bytes.Repeat([]byte("0123456789"), 20000)
		for name, size := range map[string]int64{"short": int64(len(data)) + 1, "long": int64(len(data)) - 1} {
			// A plain io.Reader (no Seek, no ReadAt): the store must stream it.
			err := s.Put(ctx, "sized", struct{ io.Reader }{bytes.NewReader(data)}, size)
			require.Error(t, err, name)
			_, err = s.Get(ctx, "sized")
			require.True(t, errors.Is(err, ports.ErrNotFound), "%s: got %v", name, err)
		}
		require.NoError(t, s.Put(ctx, "sized", struct{ io.Reader }{bytes.NewReader(data)}, int64(len(data))))
		got, err := s.Get(ctx, "sized")
		require.NoError(t, err)
		require.Equal(t, data, got)
	})

	t.Run("keys are independent", func(t *testing.T) {
		s := newStore(t)
		require.NoError(t, putBytes(ctx, s, "a", []byte("top")))
		require.NoError(t, putBytes(ctx, s, "dir/a", []byte("nested")))
		require.NoError(t, putBytes(ctx, s, "dir/deeper/x_y-z.1", []byte("deep")))

		for key, want := range map[string]string{"a": "top", "dir/a": "nested", "dir/deeper/x_y-z.1": "deep"} {
			got, err := s.Get(ctx, key)
			require.NoError(t, err, key)
			require.Equal(t, want, string(got), key)
		}
		require.NoError(t, s.Delete(ctx, "dir/a"))
		got, err := s.Get(ctx, "dir/deeper/x_y-z.1")
		require.NoError(t, err)
		require.Equal(t, "deep", string(got))
	})

	t.Run("empty and large objects", func(t *testing.T) {
		s := newStore(t)
		require.NoError(t, putBytes(ctx, s, "empty", nil))
		got, err := s.Get(ctx, "empty")
		require.NoError(t, err)
		require.Len(t, got, 0)

		big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
		require.NoError(t, putBytes(ctx, s, "big", big))
		got, err = s.Get(ctx, "big")
		require.NoError(t, err)
		require.Equal(t, big, got)
	})

	t.Run("missing is not found", func(t *testing.T) {
		s := newStore(t)
		for _, key := range []string{"nope", "no/such/dir/file"} {
			_, err := s.Get(ctx, key)
			require.True(t, errors.Is(err, ports.ErrNotFound), "%s: got %v", key, err)
		}
	})

	t.Run("delete missing is fine", func(t *testing.T) {
		s := newStore(t)
		require.NoError(t, s.Delete(ctx, "never-written"))
		require.NoError(t, s.Delete(ctx, "no/such/dir/file"))
		require.NoError(t, putBytes(ctx, s, "once", []byte("x")))
		require.NoError(t, s.Delete(ctx, "once"))
		require.NoError(t, s.Delete(ctx, "once"))
	})

	t.Run("longest key", func(t *testing.T) {
		s := newStore(t)
		key := strings.Repeat("k", MaxKeyLen)
		require.NoError(t, putBytes(ctx, s, key[:200]+"/"+key[201:], []byte("v")))
	})

	t.Run("bad keys refused", func(t *testing.T) {
		s := newStore(t)
		for _, key := range badKeys {
			require.ErrorIs(t, putBytes(ctx, s, key, []byte("x")), ErrInvalidKey, "put %q", key)
			_, err := s.Get(ctx, key)
			require.ErrorIs(t, err, ErrInvalidKey, "get %q", key)
			require.ErrorIs(t, s.Delete(ctx, key), ErrInvalidKey, "delete %q", key)
		}
	})

	t.Run("canceled context", func(t *testing.T) {
		s := newStore(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		require.Error(t, putBytes(cctx, s, "k", []byte("x")))
		_, err := s.Get(ctx, "k")
		require.True(t, errors.Is(err, ports.ErrNotFound), "got %v", err)
	})
}

// putBytes stores data whole (the tests' shorthand for Put of a reader).
func putBytes(ctx context.Context, s ports.BlobStore, key string, data []byte) error {
	return s.Put(ctx, key, bytes.NewReader(data), int64(len(data)))
}
