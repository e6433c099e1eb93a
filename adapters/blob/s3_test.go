package blob

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/ports"
)

const testSecret = "s3cr3t-SECRET-key-do-not-leak"

// newFakeS3 serves an in-memory S3 with the given bucket created and
// returns its endpoint (host:port).
func newFakeS3(t *testing.T, bucket string) string {
	t.Helper()
	backend := s3mem.New()
	require.NoError(t, backend.CreateBucket(bucket))
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func s3Config(endpoint, bucket string) S3Config {
	return S3Config{
		Endpoint:  endpoint,
		Region:    "us-east-1",
		Bucket:    bucket,
		AccessKey: "AKIATEST",
		SecretKey: testSecret,
		PathStyle: true,
	}
}

func newTestS3(t *testing.T) *S3 {
	t.Helper()
	s, err := NewS3(s3Config(newFakeS3(t, "kyc"), "kyc"))
	require.NoError(t, err)
	return s
}

func TestS3(t *testing.T) {
	testBlobStore(t, func(t *testing.T) ports.BlobStore { return newTestS3(t) })
}

func TestS3ErrorsHideSecret(t *testing.T) {
	ctx := context.Background()

	// Bucket that does not exist: an error, but not "not found" for the key.
	s, err := NewS3(s3Config(newFakeS3(t, "kyc"), "missing-bucket"))
	require.NoError(t, err)
	_, err = s.Get(ctx, "k")
	require.Error(t, err)
	require.False(t, errors.Is(err, ports.ErrNotFound), "got %v", err)
	require.NotContains(t, err.Error(), testSecret)
	err = putBytes(ctx, s, "k", []byte("x"))
	require.Error(t, err)
	require.NotContains(t, err.Error(), testSecret)

	// Nothing listening. minio-go retries connection errors with backoff,
	// so bound the wait.
	srv := httptest.NewServer(nil)
	dead := strings.TrimPrefix(srv.URL, "http://")
	srv.Close()
	s, err = NewS3(s3Config(dead, "kyc"))
	require.NoError(t, err)
	tctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	_, err = s.Get(tctx, "k")
	require.Error(t, err)
	require.NotContains(t, err.Error(), testSecret)
}

func TestNewS3Validates(t *testing.T) {
	for name, cfg := range map[string]S3Config{
		"no endpoint":     s3Config("", "kyc"),
		"scheme":          s3Config("http://127.0.0.1:9000", "kyc"),
		"no bucket":       s3Config("127.0.0.1:9000", ""),
		"bad endpoint":    s3Config("127.0.0.1:9000/path", "kyc"),
		"bad endpoint #2": s3Config("host with space", "kyc"),
	} {
		_, err := NewS3(cfg)
		require.Error(t, err, name)
		require.NotContains(t, err.Error(), testSecret, name)
	}
}

func TestRedact(t *testing.T) {
	base := errors.New("signature for " + testSecret + " failed")
	err := redact(base, testSecret)
	require.NotContains(t, err.Error(), testSecret)
	require.ErrorIs(t, err, base)
	require.Equal(t, base, redact(base, "other"))
	require.Equal(t, base, redact(base, ""))
}
