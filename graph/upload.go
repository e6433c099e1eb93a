package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/gatehouse/gatehouse/ports"
)

// Defaults of Multipart.
const (
	DefaultMaxFiles     = 3
	DefaultMaxFileBytes = 10 << 20
	DefaultMaxMemory    = 1 << 20
)

// Bounds of the JSON parts. Together with the headers and boundaries of
// every part they fit in the 1 MiB the body bound allows beside the files.
const (
	uploadJSONBytes       = 1 << 20
	maxOperationsBytes    = 512 << 10
	maxMapBytes           = 64 << 10
	uploadReasonTooMany   = "TOO_MANY_FILES"
	uploadReasonTooLarge  = "REQUEST_TOO_LARGE"
	uploadReasonMalformed = "BAD_REQUEST"
	uploadReasonTooSlow   = "UPLOAD_TOO_SLOW"
)

// Multipart is the GraphQL multipart request transport
// (https://github.com/jaydenseric/graphql-multipart-request-spec): a
// multipart/form-data POST with the parts "operations" (one operation as
// JSON), "map" (file part name → variable paths) and then the files.
//
// Unlike gqlgen's transport.MultipartForm it bounds the number of files and
// each file's size, refuses a batch, checks that every map path names a
// null variable before it reads a file, and answers every refusal as a
// GraphQL error with extensions.code VALIDATION_FAILED:
//   - too many files: reason TOO_MANY_FILES;
//   - a file over MaxFileBytes: fields {"front": "is larger than 10 MiB"}
//     (the input field, as every other field error names it);
//   - a body over the bound: reason REQUEST_TOO_LARGE;
//   - a malformed request (operations, map, parts): reason BAD_REQUEST.
//
// Limit refusals are answered with HTTP 200, as gqlgen's POST transport
// answers a body it cannot read (too large) and as every field error is
// answered; a request that cannot be decoded is answered with HTTP 400, as
// the POST transport answers an undecodable JSON body. Errors of the
// GraphQL document itself go through the executor (and the error
// presenter) with the status gqlgen gives them. Nothing executes when a
// request is refused.
//
// Files are kept in memory while the request's files together stay within
// MaxMemory (1 MiB); the rest are streamed to temporary files (mode 0600),
// encrypted with AES-256-CTR under a random key per file that never leaves
// memory, which are closed and removed when the request has been answered,
// so a resolver must not keep an Upload beyond its call. Each Upload's
// File reads its file back in the clear and can seek, so the KYC checks
// and the blob store stream it instead of holding it whole.
type Multipart struct {
	// MaxFiles bounds the files (map entries and paths) of one request;
	// 0 means DefaultMaxFiles.
	MaxFiles int
	// MaxFileBytes bounds each file; 0 means DefaultMaxFileBytes.
	MaxFileBytes int64
	// MaxMemory is how many bytes of a request's files are kept in memory;
	// 0 means DefaultMaxMemory, below 0 writes every file to disk.
	MaxMemory int64
	// TempDir holds the temporary files; "" means os.TempDir().
	TempDir string
	// Slots bounds how many multipart requests are read at once: signed-in
	// callers (the bearer token is checked before a slot is taken) share
	// one pool with a bound per user, anonymous callers another, smaller
	// one with a bound per client address, so strangers cannot hold the
	// slots signed-in users need. A request that finds no free slot is
	// refused with RATE_LIMITED at once. Nil: no bound.
	Slots *UploadSlots
	// fence refuses the clients the restrictions refuse (nil: none; the
	// handler sets it from Options.Perimeter). It runs before a slot is
	// taken or a byte of the body read: a network staff shut out must not
	// hold the slots and disk that the users' uploads need.
	fence func(ctx context.Context) *gqlerror.Error
	// Identify names the signed-in caller of a request ("" when
	// anonymous, or when the token does not hold); it runs before a slot
	// is taken. Nil: every request is anonymous.
	Identify func(ctx context.Context) string
	// MinRate is the slowest a body may arrive once RateGrace has passed,
	// in bytes per second averaged from the start of the request; a
	// slower body is cut with HTTP 408, VALIDATION_FAILED, reason
	// UPLOAD_TOO_SLOW, and its slot is freed. So is a body that sends
	// nothing for MaxSilence (a burst banks no credit for silence), and
	// one still arriving after MaxBodyTime. 0: none of these rules.
	MinRate int64
	// RateGrace is how long a body may take before MinRate applies.
	RateGrace time.Duration
	// MaxSilence is how long one read of the body may wait for a byte,
	// within the grace as after it; 0 means DefaultUploadMaxSilence.
	MaxSilence time.Duration
	// MaxBodyTime caps the time of the whole body, however it arrives;
	// 0 means RateGrace plus the body's bound (its Content-Length, or
	// MaxBodyBytes) at MinRate: what a body that keeps the rate needs at
	// most (31 MiB at 16 KiB/s: 10 s + 33 min).
	MaxBodyTime time.Duration
}

func (m Multipart) maxSilence() time.Duration {
	if m.MaxSilence <= 0 {
		return DefaultUploadMaxSilence
	}
	return m.MaxSilence
}

// maxBodyTime is the cap of a body of at most size bytes.
func (m Multipart) maxBodyTime(size int64) time.Duration {
	if m.MaxBodyTime > 0 {
		return m.MaxBodyTime
	}
	return m.RateGrace + time.Duration(float64(size)/float64(m.MinRate)*float64(time.Second))
}

// UploadSlots counts the multipart requests being read, in two pools:
// signed-in users and anonymous clients.
type UploadSlots struct {
	mu    sync.Mutex
	users slotPool
	anon  slotPool
}

// slotPool is one pool of slots, bounded in all and per holder.
type slotPool struct {
	total, per, used int
	by               map[string]int
}

// NewUploadSlots allows userTotal requests of signed-in users at once, at
// most perUser of them from one user, and anonTotal anonymous requests,
// at most anonPerClient from one client (an IPv4 address or an IPv6 /64).
func NewUploadSlots(userTotal, perUser, anonTotal, anonPerClient int) *UploadSlots {
	return &UploadSlots{
		users: slotPool{total: userTotal, per: perUser, by: map[string]int{}},
		anon:  slotPool{total: anonTotal, per: anonPerClient, by: map[string]int{}},
	}
}

func (s *UploadSlots) pool(signedIn bool) *slotPool {
	if signedIn {
		return &s.users
	}
	return &s.anon
}

func (s *UploadSlots) acquire(holder string, signedIn bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pool(signedIn)
	if p.used >= p.total || p.by[holder] >= p.per {
		return false
	}
	p.used++
	p.by[holder]++
	return true
}

func (s *UploadSlots) release(holder string, signedIn bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pool(signedIn)
	p.used--
	if p.by[holder]--; p.by[holder] <= 0 {
		delete(p.by, holder)
	}
}

var _ graphql.Transport = Multipart{}

func (m Multipart) maxFiles() int {
	if m.MaxFiles <= 0 {
		return DefaultMaxFiles
	}
	return m.MaxFiles
}

func (m Multipart) maxFileBytes() int64 {
	if m.MaxFileBytes <= 0 {
		return DefaultMaxFileBytes
	}
	return m.MaxFileBytes
}

func (m Multipart) maxMemory() int64 {
	switch {
	case m.MaxMemory == 0:
		return DefaultMaxMemory
	case m.MaxMemory < 0:
		return 0
	}
	return m.MaxMemory
}

// MaxBodyBytes is the bound of a whole request body: every file at its
// largest plus 1 MiB for the JSON parts, headers and boundaries.
func (m Multipart) MaxBodyBytes() int64 {
	return int64(m.maxFiles())*m.maxFileBytes() + uploadJSONBytes
}

// Supports takes POST requests with Content-Type multipart/form-data.
func (m Multipart) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" || r.Method != http.MethodPost {
		return false
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mediaType == "multipart/form-data"
}

// Do reads the request, refusing it before anything executes if it breaks
// a rule, and executes its one operation.
func (m Multipart) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	w.Header().Set("Content-Type", "application/json")
	start := graphql.Now()

	limit := m.MaxBodyBytes()
	if r.ContentLength > limit {
		writeUploadRefusal(w, tooLarge(limit))
		return
	}
	if m.fence != nil {
		if err := m.fence(r.Context()); err != nil {
			// Closing the connection, or net/http would read (discard)
			// the body before it answers.
			w.Header().Set("Connection", "close")
			writeUploadRefusal(w, &uploadRefusal{status: http.StatusOK, err: err})
			return
		}
	}
	if m.Slots != nil {
		// Who is asking is settled before a slot is taken: a signed-in
		// user draws from the users' pool, everyone else from the
		// anonymous one.
		holder, signedIn := "", false
		if m.Identify != nil {
			if user := m.Identify(r.Context()); user != "" {
				holder, signedIn = user, true
			}
		}
		if !signedIn {
			holder = ports.ClientKey(ports.RequestMetaFrom(r.Context()).IP)
		}
		if !m.Slots.acquire(holder, signedIn) {
			writeUploadRefusal(w, &uploadRefusal{status: http.StatusOK, err: &gqlerror.Error{
				Message:    "too many uploads at once, try again in a moment",
				Extensions: map[string]any{"code": string(ports.CodeRateLimited), "retryAfterSeconds": 1},
			}})
			return
		}
		defer m.Slots.release(holder, signedIn)
	}
	var rate *rateReader
	if m.MinRate > 0 {
		size := limit
		if r.ContentLength >= 0 {
			size = r.ContentLength // a body never runs past its declared length
		}
		rate = newRateReader(w, r.Body, m.MinRate, m.RateGrace, m.maxSilence(), m.maxBodyTime(size))
		r.Body = rate
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	defer r.Body.Close()

	files := &uploadFiles{dir: m.TempDir, memLeft: m.maxMemory()}
	defer files.cleanup()
	params, refused := m.read(r, files)
	if rate != nil {
		if rate.slow {
			refused = tooSlow(m.MinRate, m.maxSilence())
		}
		rate.done(refused == nil)
	}
	if refused != nil {
		writeUploadRefusal(w, refused)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	ctx := r.Context()
	rc, gerrs := exec.CreateOperationContext(ctx, params)
	if gerrs != nil {
		// The status first: the error presenter rewrites the codes it reads.
		status := http.StatusOK
		if errcode.GetErrorKind(gerrs) == errcode.KindProtocol {
			status = http.StatusUnprocessableEntity // as gqlgen's POST transport
		}
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, rc), gerrs)
		writeUploadJSON(w, status, resp)
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	writeUploadJSON(w, http.StatusOK, responses(ctx))
}

// read parses operations and map, checks the map against the variables and
// the limits, then streams the files into params.
func (m Multipart) read(r *http.Request, files *uploadFiles) (*graphql.RawParams, *uploadRefusal) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, malformed("the body is not a multipart/form-data request")
	}

	part, err := mr.NextPart()
	if err != nil {
		return nil, readFailure(err, "the first part must be operations")
	}
	if part.FormName() != "operations" {
		return nil, malformed("the first part must be operations")
	}
	raw, refused := readJSONPart(part, "operations", maxOperationsBytes)
	if refused != nil {
		return nil, refused
	}
	if trimmed := bytes.TrimLeft(raw, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '[' {
		return nil, malformed("operations holds a batch; send one operation per request")
	}
	params := &graphql.RawParams{}
	if err := decodeJSON(raw, params); err != nil {
		return nil, malformed("operations is not a JSON object of query, operationName and variables")
	}

	part, err = mr.NextPart()
	if err != nil {
		return nil, readFailure(err, "the second part must be map")
	}
	if part.FormName() != "map" {
		return nil, malformed("the second part must be map")
	}
	raw, refused = readJSONPart(part, "map", maxMapBytes)
	if refused != nil {
		return nil, refused
	}
	var fileMap map[string][]string
	if err := decodeJSON(raw, &fileMap); err != nil {
		return nil, malformed("map is not a JSON object of file part names to lists of variable paths")
	}

	targets, refused := m.checkMap(params, fileMap)
	if refused != nil {
		return nil, refused
	}

	maxBytes := m.maxFileBytes()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, readFailure(err, "a file part could not be read")
		}
		key := part.FormName()
		paths, ok := targets[key]
		if !ok {
			return nil, malformed(fmt.Sprintf("the part %q is not named in map (or comes twice)", clip(key)))
		}
		delete(targets, key)

		f, tooBig, err := files.take(part, maxBytes)
		if err != nil {
			return nil, readFailure(err, fmt.Sprintf("the file %q could not be read", clip(key)))
		}
		if tooBig {
			fields := make(map[string]string, len(paths))
			for _, p := range paths {
				fields[p.field] = "is larger than " + humanSize(maxBytes)
			}
			return nil, &uploadRefusal{status: http.StatusOK, err: &gqlerror.Error{
				Message:    "some fields are invalid",
				Extensions: map[string]any{"code": string(ports.CodeValidationFailed), "fields": fields},
			}}
		}
		for _, p := range paths {
			content, err := files.open(f)
			if err != nil {
				return nil, readFailure(err, fmt.Sprintf("the file %q could not be read", clip(key)))
			}
			p.set(graphql.Upload{File: content, Filename: part.FileName(), Size: f.size,
				ContentType: part.Header.Get("Content-Type")})
		}
	}
	if len(targets) > 0 {
		missing := make([]string, 0, len(targets))
		for key := range targets {
			missing = append(missing, key)
		}
		sort.Strings(missing)
		return nil, malformed(fmt.Sprintf("map names the file %q but the request carries no such part", clip(missing[0])))
	}
	return params, nil
}

// uploadTarget is one variable a file goes to.
type uploadTarget struct {
	// field is the path without "variables.", as the client names it in
	// extensions.fields ("front").
	field string
	set   func(graphql.Upload)
}

// checkMap bounds the files and resolves every map path to a variable
// that exists and is null, before any file is read.
func (m Multipart) checkMap(params *graphql.RawParams, fileMap map[string][]string) (map[string][]uploadTarget, *uploadRefusal) {
	paths := 0
	for _, ps := range fileMap {
		paths += len(ps)
	}
	n := max(len(fileMap), paths)
	if n == 0 {
		// Multipart is for files only: without any it would be a way
		// around the body limit of ordinary requests.
		return nil, malformed("a multipart request must carry at least one file; send other operations as JSON")
	}
	if limit := m.maxFiles(); n > limit {
		return nil, &uploadRefusal{status: http.StatusOK, err: &gqlerror.Error{
			Message:    fmt.Sprintf("a request may carry at most %d files, this one carries %d", limit, n),
			Extensions: map[string]any{"code": string(ports.CodeValidationFailed), "reason": uploadReasonTooMany},
		}}
	}
	keys := make([]string, 0, len(fileMap))
	for key := range fileMap {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	seen := map[string]bool{}
	targets := make(map[string][]uploadTarget, len(fileMap))
	for _, key := range keys {
		if len(fileMap[key]) == 0 {
			return nil, malformed(fmt.Sprintf("map entry %q lists no variable path", clip(key)))
		}
		for _, path := range fileMap[key] {
			if seen[path] {
				return nil, malformed(fmt.Sprintf("map names the path %q twice", clip(path)))
			}
			seen[path] = true
			set, err := locateVariable(params.Variables, path)
			if err != nil {
				return nil, malformed(fmt.Sprintf("map entry %q: %s", clip(key), err))
			}
			targets[key] = append(targets[key], uploadTarget{field: inputField(path), set: set})
		}
	}
	return targets, nil
}

// locateVariable resolves "variables.a.b.0" to a setter of a value that
// exists and is null (the spec's placeholder). gqlgen's AddUpload panics
// on a path through a scalar or past a list's end; this refuses it.
func locateVariable(vars map[string]any, path string) (func(graphql.Upload), error) {
	parts := strings.Split(path, ".")
	if len(parts) < 2 || parts[0] != "variables" {
		return nil, fmt.Errorf("the path %q does not start with \"variables.\"", clip(path))
	}
	var cur any = vars
	for i, p := range parts[1:] {
		last := i == len(parts)-2
		var val any
		var set func(graphql.Upload)
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[p]
			if !ok {
				return nil, fmt.Errorf("the path %q names no variable", clip(path))
			}
			val, set = v, func(u graphql.Upload) { c[p] = u }
		case []any:
			idx, err := strconv.Atoi(p)
			if err != nil || idx < 0 || idx >= len(c) {
				return nil, fmt.Errorf("the path %q names no variable", clip(path))
			}
			val, set = c[idx], func(u graphql.Upload) { c[idx] = u }
		default:
			return nil, fmt.Errorf("the path %q names no variable", clip(path))
		}
		if last {
			if val != nil {
				return nil, fmt.Errorf("the variable %q must be null, to be replaced by the file", clip(path))
			}
			return set, nil
		}
		cur = val
	}
	return nil, fmt.Errorf("the path %q names no variable", clip(path))
}

// uploadFiles holds a request's files: in memory within the budget, on
// disk beyond it; cleanup closes and removes everything.
type uploadFiles struct {
	dir     string
	memLeft int64
	temps   []string
	opened  []*os.File
}

// uploadFile is one received file.
type uploadFile struct {
	data []byte    // in memory, or
	temp string    // on disk, encrypted under key
	key  *spoolKey //
	size int64
}

// take reads one file, at most max bytes (and one more, to tell a file
// over the limit from one at it).
func (u *uploadFiles) take(part io.Reader, maxBytes int64) (uploadFile, bool, error) {
	src := io.LimitReader(part, maxBytes+1)
	head, err := io.ReadAll(io.LimitReader(src, u.memLeft+1))
	if err != nil {
		return uploadFile{}, false, err
	}
	if int64(len(head)) > maxBytes {
		return uploadFile{}, true, nil
	}
	if int64(len(head)) <= u.memLeft {
		u.memLeft -= int64(len(head))
		return uploadFile{data: head, size: int64(len(head))}, false, nil
	}
	key, err := newSpoolKey()
	if err != nil {
		return uploadFile{}, false, err
	}
	tmp, err := os.CreateTemp(u.dir, "gatehouse-upload-*")
	if err != nil {
		return uploadFile{}, false, err
	}
	u.temps = append(u.temps, tmp.Name())
	enc := key.writer(tmp)
	n, err := enc.Write(head)
	clear(head)
	if err == nil {
		var rest int64
		rest, err = io.Copy(enc, src)
		n += int(rest)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return uploadFile{}, false, err
	}
	if int64(n) > maxBytes {
		return uploadFile{}, true, nil
	}
	return uploadFile{temp: tmp.Name(), key: key, size: int64(n)}, false, nil
}

// open gives each variable its own reader, so two paths of one file do not
// share a read position.
func (u *uploadFiles) open(f uploadFile) (io.ReadSeeker, error) {
	if f.temp == "" {
		return bytes.NewReader(f.data), nil
	}
	h, err := os.Open(f.temp)
	if err != nil {
		return nil, err
	}
	u.opened = append(u.opened, h)
	return &spoolReader{f: h, key: f.key, size: f.size}, nil
}

func (u *uploadFiles) cleanup() {
	for _, h := range u.opened {
		_ = h.Close()
	}
	for _, name := range u.temps {
		_ = os.Remove(name)
	}
	u.opened, u.temps = nil, nil
}

// uploadRefusal is a request refused before execution.
type uploadRefusal struct {
	status int
	err    *gqlerror.Error
}

func malformed(msg string) *uploadRefusal {
	return &uploadRefusal{status: http.StatusBadRequest, err: &gqlerror.Error{
		Message:    msg,
		Extensions: map[string]any{"code": string(ports.CodeValidationFailed), "reason": uploadReasonMalformed},
	}}
}

func tooSlow(minRate int64, silence time.Duration) *uploadRefusal {
	return &uploadRefusal{status: http.StatusRequestTimeout, err: &gqlerror.Error{
		Message: fmt.Sprintf("the upload arrived slower than %s a second, or stopped for %s; send it again over a better connection",
			humanSize(minRate), silence),
		Extensions: map[string]any{"code": string(ports.CodeValidationFailed), "reason": uploadReasonTooSlow},
	}}
}

func tooLarge(limit int64) *uploadRefusal {
	return &uploadRefusal{status: http.StatusOK, err: &gqlerror.Error{
		Message:    "the request is larger than " + humanSize(limit),
		Extensions: map[string]any{"code": string(ports.CodeValidationFailed), "reason": uploadReasonTooLarge},
	}}
}

// readFailure tells a body over a bound (ours or an outer one) from a
// broken one.
func readFailure(err error, msg string) *uploadRefusal {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return tooLarge(tooBig.Limit)
	}
	return malformed(msg)
}

// readJSONPart reads a JSON part within its bound.
func readJSONPart(part io.Reader, name string, limit int64) ([]byte, *uploadRefusal) {
	raw, err := io.ReadAll(io.LimitReader(part, limit+1))
	if err != nil {
		return nil, readFailure(err, name+" could not be read")
	}
	if int64(len(raw)) > limit {
		return nil, &uploadRefusal{status: http.StatusOK, err: &gqlerror.Error{
			Message:    fmt.Sprintf("%s is larger than %s", name, humanSize(limit)),
			Extensions: map[string]any{"code": string(ports.CodeValidationFailed), "reason": uploadReasonTooLarge},
		}}
	}
	return raw, nil
}

// decodeJSON decodes one JSON value, numbers kept as json.Number as
// gqlgen's transports do, and nothing after it.
func decodeJSON(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("data after the JSON value")
	}
	return nil
}

func writeUploadRefusal(w http.ResponseWriter, r *uploadRefusal) {
	writeUploadJSON(w, r.status, &graphql.Response{Errors: gqlerror.List{r.err}})
}

func writeUploadJSON(w http.ResponseWriter, status int, resp *graphql.Response) {
	b, err := json.Marshal(resp)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// humanSize writes a size as the KYC service does ("10 MiB").
func humanSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	if n >= 1<<10 && n%(1<<10) == 0 {
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// clip shortens a client-chosen name for a message.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// inputField names a file's variable path the way every other field error
// of the API does, by the input field: "variables.input.front" → "front",
// "variables.image" → "image", "variables.input.files.1" → "files.1".
func inputField(path string) string {
	path = strings.TrimPrefix(path, "variables.")
	if rest, ok := strings.CutPrefix(path, "input."); ok {
		return rest
	}
	return path
}
