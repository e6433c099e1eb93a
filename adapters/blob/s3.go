package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.BlobStore = (*S3)(nil)

// S3Config configures an S3 store.
type S3Config struct {
	// Endpoint is host[:port] of the S3 service, without a scheme
	// (e.g. "s3.eu-west-1.amazonaws.com" or "127.0.0.1:9000").
	Endpoint string
	// Region is the bucket's region; empty lets the client discover it.
	Region string
	// Bucket must already exist.
	Bucket string
	// AccessKey and SecretKey are static credentials. The secret key never
	// appears in an error returned by this package.
	AccessKey string
	SecretKey string
	// UseTLS selects https.
	UseTLS bool
	// PathStyle forces path-style requests (endpoint/bucket/key), needed by
	// most non-AWS services; otherwise the client chooses.
	PathStyle bool
}

// S3 implements ports.BlobStore on an S3-compatible object store using
// minio-go. Keys follow the same rules as the local store.
type S3 struct {
	client *minio.Client
	bucket string
	secret string
}

// NewS3 returns a store for cfg.Bucket. It does not contact the service.
func NewS3(cfg S3Config) (*S3, error) {
	if cfg.Endpoint == "" {
		return nil, errors.New("blob: s3 endpoint is empty")
	}
	if strings.Contains(cfg.Endpoint, "://") {
		return nil, errors.New("blob: s3 endpoint must be host[:port] without a scheme (use UseTLS for https)")
	}
	if cfg.Bucket == "" {
		return nil, errors.New("blob: s3 bucket is empty")
	}
	lookup := minio.BucketLookupAuto
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       cfg.UseTLS,
		Region:       cfg.Region,
		BucketLookup: lookup,
	})
	if err != nil {
		return nil, redact(fmt.Errorf("blob: s3 client: %w", err), cfg.SecretKey)
	}
	return &S3{client: client, bucket: cfg.Bucket, secret: cfg.SecretKey}, nil
}

// Put streams size bytes from r to the object under key (minio-go sends a
// body of known size in parts, never the whole file at once); a reader
// shorter or longer than size stores nothing.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	if err := validateKey(key); err != nil {
		return err
	}
	if size < 0 {
		return fmt.Errorf("%w: negative size %d", ErrSizeMismatch, size)
	}
	opts := minio.PutObjectOptions{ContentType: "application/octet-stream"}
	if size == 0 {
		// Over plain http minio-go signs uploads as an aws-chunked stream but
		// gives an empty one a zero Content-Length, so net/http falls back to
		// chunked transfer encoding and S3 answers MissingContentLength.
		// An empty body has nothing to protect: skip the streaming signature.
		opts.DisableContentSha256 = true
	}
	body := &exactReader{r: r, left: size}
	_, err := s.client.PutObject(ctx, s.bucket, key, body, size, opts)
	if err == nil {
		err = body.check()
		if err != nil {
			_ = s.client.RemoveObject(context.WithoutCancel(ctx), s.bucket, key, minio.RemoveObjectOptions{})
		}
	}
	if err != nil {
		return s.wrap("put", key, err)
	}
	return nil
}

// exactReader gives at most left bytes of r and remembers whether r held
// exactly that many.
type exactReader struct {
	r    io.Reader
	left int64
	err  error
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	if errors.Is(err, io.EOF) && e.left > 0 {
		e.err = fmt.Errorf("%w: %d bytes short", ErrSizeMismatch, e.left)
		return n, e.err
	}
	if err != nil && !errors.Is(err, io.EOF) {
		e.err = err
	}
	if e.left == 0 && err == nil {
		return n, nil
	}
	return n, err
}

// check reports a short reader, or one with bytes left after size.
func (e *exactReader) check() error {
	if e.err != nil {
		return e.err
	}
	if e.left > 0 {
		return fmt.Errorf("%w: %d bytes short", ErrSizeMismatch, e.left)
	}
	var one [1]byte
	if k, _ := io.ReadFull(e.r, one[:]); k > 0 {
		return fmt.Errorf("%w: more bytes than announced", ErrSizeMismatch)
	}
	return nil
}

// Get downloads the object under key; ports.ErrNotFound when S3 answers
// NoSuchKey.
func (s *S3) Get(ctx context.Context, key string) ([]byte, error) {
	if err := validateKey(key); err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, s.getErr(key, err)
	}
	defer obj.Close()
	// GetObject is lazy: the request (and a NoSuchKey) happens on first read.
	data, err := io.ReadAll(obj)
	if err != nil {
		return nil, s.getErr(key, err)
	}
	return data, nil
}

func (s *S3) getErr(key string, err error) error {
	if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
		return ports.ErrNotFound
	}
	return s.wrap("get", key, err)
}

// Delete removes the object under key; a missing object is not an error.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := validateKey(key); err != nil {
		return err
	}
	err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	if err != nil && minio.ToErrorResponse(err).Code != minio.NoSuchKey {
		return s.wrap("delete", key, err)
	}
	return nil
}

// wrap turns a client error into this package's error, scrubbed of the
// secret key.
func (s *S3) wrap(op, key string, err error) error {
	return redact(fmt.Errorf("blob: s3 %s %q: %w", op, key, err), s.secret)
}

// redactedError hides a secret from an error's message while keeping the
// chain for errors.Is / errors.As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redact returns err unchanged unless its message contains secret, in which
// case the message has every occurrence replaced.
func redact(err error, secret string) error {
	if err == nil || secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), secret, "[REDACTED]"), err: err}
}
