package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// uploadSchema is the smallest schema with the shapes the real one uses:
// one input object with a required and an optional file, and a list.
const uploadSchema = `
scalar Upload
type Query { ping: String }
input DocInput { kind: String!  front: Upload!  back: Upload }
type Mutation {
  upload(input: DocInput!): String
  uploadMany(files: [Upload]!): String
}`

const uploadMutation = `mutation($input: DocInput!) { upload(input: $input) }`

// seenFile is what the resolver saw of one file.
type seenFile struct {
	Filename, ContentType, Content string
	Size                           int64
}

// uploadProbe stands in for the resolvers: it records every run, the
// files it was handed (read in full) and the temp files present meanwhile.
type uploadProbe struct {
	runs      int
	files     map[string]seenFile // by variable path
	tempsSeen int
}

// newUploadServer serves the schema with the transport and the real error
// presenter, as NewHandler does.
func newUploadServer(t *testing.T, m Multipart) (http.Handler, *uploadProbe) {
	t.Helper()
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: uploadSchema})
	probe := &uploadProbe{}
	exec := &graphql.ExecutableSchemaMock{
		SchemaFunc: func() *ast.Schema { return schema },
		ComplexityFunc: func(context.Context, string, string, int, map[string]any) (int, bool) {
			return 1, true
		},
		ExecFunc: func(ctx context.Context) graphql.ResponseHandler {
			probe.runs++
			probe.files = map[string]seenFile{}
			collectUploads(t, "", graphql.GetOperationContext(ctx).Variables, probe.files)
			if m.TempDir != "" {
				probe.tempsSeen = len(dirEntries(t, m.TempDir))
			}
			return graphql.OneShot(&graphql.Response{Data: []byte(`{"upload":"ok"}`)})
		},
	}
	srv := handler.New(exec)
	srv.AddTransport(m)
	srv.SetErrorPresenter(presentError(slog.New(slog.NewTextHandler(io.Discard, nil))))
	return srv, probe
}

func collectUploads(t *testing.T, path string, v any, into map[string]seenFile) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			collectUploads(t, strings.TrimPrefix(path+"."+k, "."), e, into)
		}
	case []any:
		for i, e := range v {
			collectUploads(t, fmt.Sprintf("%s.%d", path, i), e, into)
		}
	case graphql.Upload:
		data, err := io.ReadAll(v.File)
		if err != nil {
			t.Errorf("reading %s: %v", path, err)
		}
		into[path] = seenFile{Filename: v.Filename, ContentType: v.ContentType, Content: string(data), Size: v.Size}
	}
}

func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// part is one form part; a file when filename is set.
type part struct {
	name, filename, contentType string
	content                     []byte
}

func filePart(name string, content []byte) part {
	return part{name: name, filename: name + ".jpg", contentType: "image/jpeg", content: content}
}

func multipartRequest(t *testing.T, operations, fileMap string, files ...part) *http.Request {
	t.Helper()
	parts := append([]part{{name: "operations", content: []byte(operations)}, {name: "map", content: []byte(fileMap)}}, files...)
	return rawMultipartRequest(t, parts...)
}

func rawMultipartRequest(t *testing.T, parts ...part) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range parts {
		var w io.Writer
		var err error
		if p.filename == "" {
			w, err = mw.CreateFormField(p.name)
		} else {
			h := make(map[string][]string)
			h["Content-Disposition"] = []string{fmt.Sprintf(`form-data; name=%q; filename=%q`, p.name, p.filename)}
			h["Content-Type"] = []string{p.contentType}
			w, err = mw.CreatePart(h)
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(p.content); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

// gqlAnswer is the response as a client reads it.
type gqlAnswer struct {
	Status int
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func serve(t *testing.T, h http.Handler, req *http.Request) gqlAnswer {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var ans gqlAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil {
		t.Fatalf("status %d, body %q is not JSON: %v", rec.Code, rec.Body.String(), err)
	}
	ans.Status = rec.Code
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/") || !strings.Contains(ct, "json") {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}
	return ans
}

// refusal checks a single VALIDATION_FAILED error and returns it.
func refusal(t *testing.T, ans gqlAnswer, status int) (string, map[string]any) {
	t.Helper()
	if ans.Status != status {
		t.Errorf("status = %d, want %d", ans.Status, status)
	}
	if ans.Data != nil {
		t.Errorf("data = %v, want none", ans.Data)
	}
	if len(ans.Errors) != 1 {
		t.Fatalf("errors = %+v, want exactly one", ans.Errors)
	}
	e := ans.Errors[0]
	if e.Extensions["code"] != "VALIDATION_FAILED" {
		t.Errorf("extensions = %v, want code VALIDATION_FAILED", e.Extensions)
	}
	return e.Message, e.Extensions
}

func docOperations(front, back string) string {
	return fmt.Sprintf(`{"query":%q,"variables":{"input":{"kind":"PASSPORT","front":%s,"back":%s}}}`, uploadMutation, front, back)
}

func TestUploadHandsFilesToTheResolver(t *testing.T) {
	tmp := t.TempDir()
	// 8 bytes stay in memory: the small front does, the back goes to disk.
	srv, probe := newUploadServer(t, Multipart{MaxMemory: 8, TempDir: tmp})
	back := bytes.Repeat([]byte("B"), 300)

	ans := serve(t, srv, multipartRequest(t, docOperations("null", "null"),
		`{"f":["variables.input.front"],"b":["variables.input.back"]}`,
		filePart("f", []byte("front")), filePart("b", back)))

	if ans.Status != http.StatusOK || len(ans.Errors) != 0 || ans.Data["upload"] != "ok" {
		t.Fatalf("answer = %+v, want data.upload ok", ans)
	}
	if probe.runs != 1 {
		t.Fatalf("resolver ran %d times, want 1", probe.runs)
	}
	want := map[string]seenFile{
		"input.front": {Filename: "f.jpg", ContentType: "image/jpeg", Content: "front", Size: 5},
		"input.back":  {Filename: "b.jpg", ContentType: "image/jpeg", Content: string(back), Size: 300},
	}
	if len(probe.files) != len(want) {
		t.Errorf("resolver saw files %v, want %v", keys(probe.files), keys(want))
	}
	for path, w := range want {
		if got := probe.files[path]; got != w {
			t.Errorf("%s: resolver saw %q (%s, %s, %d bytes), want %q (%s, %s, %d bytes)", path,
				clip(got.Content), got.Filename, got.ContentType, got.Size, clip(w.Content), w.Filename, w.ContentType, w.Size)
		}
	}
	if probe.tempsSeen != 1 {
		t.Errorf("%d temp files while the resolver ran, want 1 (the back)", probe.tempsSeen)
	}
	if left := dirEntries(t, tmp); len(left) != 0 {
		t.Errorf("temp files left after the request: %v", left)
	}
}

func TestUploadOneFileForTwoVariablesAndLists(t *testing.T) {
	for _, mem := range []int64{0, -1} { // in memory, on disk
		t.Run(fmt.Sprintf("MaxMemory %d", mem), func(t *testing.T) {
			tmp := t.TempDir()
			srv, probe := newUploadServer(t, Multipart{MaxMemory: mem, TempDir: tmp})
			ops := `{"query":"mutation($f: [Upload]!) { uploadMany(files: $f) }","variables":{"f":[null,null]}}`

			ans := serve(t, srv, multipartRequest(t, ops, `{"0":["variables.f.0","variables.f.1"]}`, filePart("0", []byte("same"))))

			if ans.Status != http.StatusOK || len(ans.Errors) != 0 || probe.runs != 1 {
				t.Fatalf("answer = %+v, runs = %d", ans, probe.runs)
			}
			for _, p := range []string{"f.0", "f.1"} {
				if got := probe.files[p]; got.Content != "same" || got.Size != 4 {
					t.Errorf("%s: resolver saw %+v, want the 4 bytes \"same\" (each path reads from the start)", p, got)
				}
			}
			if left := dirEntries(t, tmp); len(left) != 0 {
				t.Errorf("temp files left after the request: %v", left)
			}
		})
	}
}

func TestUploadPassesEmptyFiles(t *testing.T) {
	srv, probe := newUploadServer(t, Multipart{TempDir: t.TempDir()})

	ans := serve(t, srv, multipartRequest(t, docOperations("null", "null"), `{"0":["variables.input.front"]}`, filePart("0", nil)))

	if ans.Status != http.StatusOK || len(ans.Errors) != 0 || probe.runs != 1 {
		t.Fatalf("answer = %+v, runs = %d", ans, probe.runs)
	}
	if got, ok := probe.files["input.front"]; !ok || got.Size != 0 || got.Content != "" {
		t.Errorf("resolver saw %+v (present %v), want an empty file (the service names the field)", got, ok)
	}
}

func TestUploadRefusesTooManyFiles(t *testing.T) {
	srv, probe := newUploadServer(t, Multipart{TempDir: t.TempDir()}) // default: 3 files
	ops := `{"query":"mutation($f: [Upload]!) { uploadMany(files: $f) }","variables":{"f":[null,null,null,null]}}`
	var files []part
	for i := range 4 {
		files = append(files, filePart(fmt.Sprint(i), []byte("x")))
	}

	ans := serve(t, srv, multipartRequest(t, ops,
		`{"0":["variables.f.0"],"1":["variables.f.1"],"2":["variables.f.2"],"3":["variables.f.3"]}`, files...))

	msg, ext := refusal(t, ans, http.StatusOK)
	if ext["reason"] != "TOO_MANY_FILES" || !strings.Contains(msg, "at most 3 files") {
		t.Errorf("error = %q %v, want reason TOO_MANY_FILES and the limit", msg, ext)
	}
	if probe.runs != 0 {
		t.Errorf("resolver ran %d times, want never", probe.runs)
	}

	// Three paths for one file count as three files too.
	ans = serve(t, srv, multipartRequest(t, ops, `{"0":["variables.f.0","variables.f.1","variables.f.2","variables.f.3"]}`, files[0]))
	if _, ext := refusal(t, ans, http.StatusOK); ext["reason"] != "TOO_MANY_FILES" {
		t.Errorf("extensions = %v, want reason TOO_MANY_FILES", ext)
	}
	if probe.runs != 0 {
		t.Errorf("resolver ran %d times, want never", probe.runs)
	}
}

func TestUploadRefusesAFileOverTheLimit(t *testing.T) {
	tmp := t.TempDir()
	srv, probe := newUploadServer(t, Multipart{TempDir: tmp}) // default: 10 MiB
	atLimit := bytes.Repeat([]byte{0xAB}, DefaultMaxFileBytes)
	over := append(bytes.Clone(atLimit), 0xAB)

	ans := serve(t, srv, multipartRequest(t, docOperations("null", "null"),
		`{"f":["variables.input.front"],"b":["variables.input.back"]}`,
		filePart("f", []byte("front")), filePart("b", over)))

	_, ext := refusal(t, ans, http.StatusOK)
	fields, _ := ext["fields"].(map[string]any)
	if len(fields) != 1 || fields["back"] != "is larger than 10 MiB" {
		t.Errorf("extensions = %v, want fields {input.back: is larger than 10 MiB}", ext)
	}
	if probe.runs != 0 {
		t.Errorf("resolver ran %d times, want never", probe.runs)
	}
	if left := dirEntries(t, tmp); len(left) != 0 {
		t.Errorf("temp files left after the refusal: %v", left)
	}

	// Exactly at the limit passes.
	ans = serve(t, srv, multipartRequest(t, docOperations("null", "null"), `{"f":["variables.input.front"]}`, filePart("f", atLimit)))
	if ans.Status != http.StatusOK || len(ans.Errors) != 0 || probe.runs != 1 {
		t.Fatalf("answer = %+v, runs = %d, want the file at the limit accepted", ans.Errors, probe.runs)
	}
	if got := probe.files["input.front"]; got.Size != DefaultMaxFileBytes || got.Content != string(atLimit) {
		t.Errorf("resolver saw %d bytes, want %d", got.Size, DefaultMaxFileBytes)
	}
	if left := dirEntries(t, tmp); len(left) != 0 {
		t.Errorf("temp files left after the request: %v", left)
	}
}

func TestUploadRefusesMalformedRequests(t *testing.T) {
	ops := docOperations("null", "null")
	front := filePart("f", []byte("front"))
	tests := []struct {
		name  string
		req   func(t *testing.T) *http.Request
		reply string // part of the message
	}{
		{"map is not JSON", func(t *testing.T) *http.Request {
			return multipartRequest(t, ops, `{"f":`, front)
		}, "map is not a JSON object"},
		{"map is a list", func(t *testing.T) *http.Request {
			return multipartRequest(t, ops, `["variables.input.front"]`, front)
		}, "map is not a JSON object"},
		{"map path names no variable", func(t *testing.T) *http.Request {
			return multipartRequest(t, ops, `{"f":["variables.input.side"]}`, front)
		}, `"variables.input.side" names no variable`},
		{"map path at a non-null variable", func(t *testing.T) *http.Request {
			return multipartRequest(t, ops, `{"f":["variables.input.kind"]}`, front)
		}, `"variables.input.kind" must be null`},
		{"map path through a scalar", func(t *testing.T) *http.Request {
			return multipartRequest(t, ops, `{"f":["variables.input.kind.x"]}`, front)
		}, "names no variable"},
		{"map path past a list", func(t *testing.T) *http.Request {
			return multipartRequest(t, `{"query":"mutation($f: [Upload]!) { uploadMany(files: $f) }","variables":{"f":[null]}}`,
				`{"f":["variables.f.1"]}`, front)
		}, `"variables.f.1" names no variable`},
		{"map path outside variables", func(t *testing.T) *http.Request {
			return multipartRequest(t, ops, `{"f":["input.front"]}`, front)
		}, `does not start with "variables."`},
		{"no file at all", func(t *testing.T) *http.Request {
			return multipartRequest(t, `{"query":"query { ping }"}`, `{}`)
		}, "at least one file"},
		{"map entry without a path", func(t *testing.T) *http.Request {
			return multipartRequest(t, ops, `{"f":[]}`, front)
		}, "lists no variable path"},
		{"same path twice", func(t *testing.T) *http.Request {
			return multipartRequest(t, ops, `{"f":["variables.input.front"],"g":["variables.input.front"]}`, front, filePart("g", []byte("g")))
		}, "twice"},
		{"file part not in map", func(t *testing.T) *http.Request {
			return multipartRequest(t, ops, `{"f":["variables.input.front"]}`, front, filePart("extra", []byte("x")))
		}, `"extra" is not named in map`},
		{"file named in map missing", func(t *testing.T) *http.Request {
			return multipartRequest(t, ops, `{"f":["variables.input.front"],"b":["variables.input.back"]}`, front)
		}, `"b" but the request carries no such part`},
		{"batched operations", func(t *testing.T) *http.Request {
			return multipartRequest(t, "["+ops+","+ops+"]", `{"f":["0.variables.input.front"]}`, front)
		}, "batch"},
		{"operations not JSON", func(t *testing.T) *http.Request {
			return multipartRequest(t, `{"query":`, `{}`)
		}, "operations is not a JSON object"},
		{"operations with trailing data", func(t *testing.T) *http.Request {
			return multipartRequest(t, ops+`{}`, `{}`)
		}, "operations is not a JSON object"},
		{"map before operations", func(t *testing.T) *http.Request {
			return rawMultipartRequest(t, part{name: "map", content: []byte(`{}`)}, part{name: "operations", content: []byte(ops)})
		}, "first part must be operations"},
		{"no map", func(t *testing.T) *http.Request {
			return rawMultipartRequest(t, part{name: "operations", content: []byte(ops)})
		}, "second part must be map"},
		{"no multipart body", func(t *testing.T) *http.Request {
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader("hello"))
			req.Header.Set("Content-Type", "multipart/form-data")
			return req
		}, "not a multipart/form-data request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir()
			srv, probe := newUploadServer(t, Multipart{TempDir: tmp, MaxMemory: -1})
			msg, ext := refusal(t, serve(t, srv, tt.req(t)), http.StatusBadRequest)
			if ext["reason"] != "BAD_REQUEST" || !strings.Contains(msg, tt.reply) {
				t.Errorf("error = %q %v, want reason BAD_REQUEST and a message with %q", msg, ext, tt.reply)
			}
			if probe.runs != 0 {
				t.Errorf("resolver ran %d times, want never", probe.runs)
			}
			if left := dirEntries(t, tmp); len(left) != 0 {
				t.Errorf("temp files left after the refusal: %v", left)
			}
		})
	}
}

// A body announced larger than the bound is refused before it is read.
func TestUploadRefusesAnnouncedLargeBodyUnread(t *testing.T) {
	srv, probe := newUploadServer(t, Multipart{MaxFiles: 1, MaxFileBytes: 1 << 10, TempDir: t.TempDir()})
	req := multipartRequest(t, docOperations("null", "null"), `{"f":["variables.input.front"]}`, filePart("f", []byte("x")))
	req.ContentLength = (1 << 20) + (1 << 10) + 1
	body := &countingReader{r: req.Body}
	req.Body = io.NopCloser(body)

	msg, ext := refusal(t, serve(t, srv, req), http.StatusOK)
	if ext["reason"] != "REQUEST_TOO_LARGE" || !strings.Contains(msg, "1025 KiB") {
		t.Errorf("error = %q %v, want reason REQUEST_TOO_LARGE with the bound", msg, ext)
	}
	if body.n != 0 || probe.runs != 0 {
		t.Errorf("read %d bytes, resolver ran %d times; want neither", body.n, probe.runs)
	}
}

// A body cut short by a MaxBytesReader (the transport's own while it
// streams, or an outer one) is refused as too large, not as malformed.
func TestUploadRefusesBodyOverABoundWhileStreaming(t *testing.T) {
	srv, probe := newUploadServer(t, Multipart{TempDir: t.TempDir()})
	outer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
		srv.ServeHTTP(w, r)
	})
	req := multipartRequest(t, docOperations("null", "null"), `{"f":["variables.input.front"]}`,
		filePart("f", bytes.Repeat([]byte("x"), 8<<10)))
	req.ContentLength = -1 // streamed, length unknown

	msg, ext := refusal(t, serve(t, outer, req), http.StatusOK)
	if ext["reason"] != "REQUEST_TOO_LARGE" || !strings.Contains(msg, "4 KiB") {
		t.Errorf("error = %q %v, want reason REQUEST_TOO_LARGE", msg, ext)
	}
	if probe.runs != 0 {
		t.Errorf("resolver ran %d times, want never", probe.runs)
	}
}

// Errors of the GraphQL document itself go through the executor and the
// error presenter, as they do on the JSON transport.
func TestUploadInvalidQueryIsPresentedLikeOtherTransports(t *testing.T) {
	srv, probe := newUploadServer(t, Multipart{TempDir: t.TempDir()})
	ops := `{"query":"mutation($input: DocInput!) { nope(input: $input) }","variables":{"input":{"kind":"X","front":null}}}`

	msg, ext := refusal(t, serve(t, srv, multipartRequest(t, ops, `{"f":["variables.input.front"]}`, filePart("f", []byte("x")))),
		http.StatusUnprocessableEntity)
	if ext["reason"] != "GRAPHQL_VALIDATION_FAILED" || msg == "" {
		t.Errorf("error = %q %v, want reason GRAPHQL_VALIDATION_FAILED from the presenter", msg, ext)
	}
	if probe.runs != 0 {
		t.Errorf("resolver ran %d times, want never", probe.runs)
	}
}

func TestUploadSupportsOnlyMultipartPOST(t *testing.T) {
	m := Multipart{}
	for _, tt := range []struct {
		method, contentType, upgrade string
		want                         bool
	}{
		{http.MethodPost, "multipart/form-data; boundary=x", "", true},
		{http.MethodPost, "application/json", "", false},
		{http.MethodGet, "multipart/form-data; boundary=x", "", false},
		{http.MethodPost, "multipart/form-data; boundary=x", "websocket", false},
	} {
		req := httptest.NewRequest(tt.method, "/graphql", nil)
		req.Header.Set("Content-Type", tt.contentType)
		if tt.upgrade != "" {
			req.Header.Set("Upgrade", tt.upgrade)
		}
		if got := m.Supports(req); got != tt.want {
			t.Errorf("Supports(%s %s upgrade=%q) = %v, want %v", tt.method, tt.contentType, tt.upgrade, got, tt.want)
		}
	}
	if got, want := m.MaxBodyBytes(), int64(3*(10<<20)+(1<<20)); got != want {
		t.Errorf("MaxBodyBytes() = %d, want %d", got, want)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestUploadRefusesWhenEverySlotIsTaken(t *testing.T) {
	slots := NewUploadSlots(8, 4, 2, 1)
	srv, probe := newUploadServer(t, Multipart{TempDir: t.TempDir(), Slots: slots})
	sendFrom := func(ip string) gqlAnswer {
		req := multipartRequest(t, docOperations("null", "null"), `{"f":["variables.input.front"]}`,
			filePart("f", []byte("front")))
		return serve(t, srv, req.WithContext(ports.WithRequestMeta(req.Context(), ports.RequestMeta{IP: ip})))
	}
	busy := func(ans gqlAnswer) {
		t.Helper()
		if ans.Status != http.StatusOK || ans.Data != nil || len(ans.Errors) != 1 {
			t.Fatalf("busy: %+v, want one error and no data", ans)
		}
		if e := ans.Errors[0]; e.Extensions["code"] != "RATE_LIMITED" || e.Extensions["retryAfterSeconds"] == nil ||
			!strings.Contains(e.Message, "too many uploads") {
			t.Errorf("busy: %q %v, want RATE_LIMITED with retryAfterSeconds", e.Message, e.Extensions)
		}
	}

	// A slow upload from 203.0.113.7 is being read: that client has no
	// second slot, another client has one.
	if !slots.acquire("203.0.113.7", false) {
		t.Fatal("first slot refused")
	}
	busy(sendFrom("203.0.113.7"))
	if probe.runs != 0 {
		t.Errorf("resolver ran %d times while refused", probe.runs)
	}
	if ans := sendFrom("198.51.100.9"); len(ans.Errors) != 0 || probe.runs != 1 {
		t.Fatalf("another client: %+v (runs %d)", ans, probe.runs)
	}
	// Every slot taken: everyone waits.
	if !slots.acquire("198.51.100.9", false) {
		t.Fatal("second slot refused")
	}
	busy(sendFrom("192.0.2.1"))
	slots.release("198.51.100.9", false)
	slots.release("203.0.113.7", false)
	if ans := sendFrom("203.0.113.7"); len(ans.Errors) != 0 || probe.runs != 2 {
		t.Fatalf("free slot: %+v (runs %d)", ans, probe.runs)
	}
	if slots.anon.used != 0 || len(slots.anon.by) != 0 || slots.users.used != 0 {
		t.Errorf("slots kept after answering: %d used, %v", slots.anon.used, slots.anon.by)
	}
}
