package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// client speaks GraphQL to the server over its own keep-alive connection
// (a load worker is one connection, as wrk's are).
type client struct {
	url  string
	http *http.Client
}

func newClient(baseURL string) *client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxConnsPerHost:     1,
		MaxIdleConnsPerHost: 1,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	return &client{url: baseURL + "/graphql", http: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

func (c *client) close() { c.http.CloseIdleConnections() }

// gqlError is the part of a GraphQL error the tool reads.
type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// opError is a failed operation: its error code (see errorCode) and what
// the server said, for seeding's messages.
type opError struct {
	code, detail string
}

func (e *opError) Error() string { return e.code + ": " + e.detail }

// codeOf is the code of err for the tables: an opError's code, else
// TRANSPORT (the request got no answer: refused, reset, timed out).
func codeOf(err error) string {
	var oe *opError
	if errors.As(err, &oe) {
		return oe.code
	}
	return "TRANSPORT"
}

// errorCode reads an answer: "" when it is a GraphQL answer without
// errors, else the first error's extensions.code (NO_CODE when it has
// none), HTTP_<status> for an answer that is not GraphQL JSON.
func errorCode(status int, body []byte) (gqlResponse, *opError) {
	var res gqlResponse
	if err := json.Unmarshal(body, &res); err != nil {
		return res, &opError{"HTTP_" + strconv.Itoa(status), snippet(body)}
	}
	if len(res.Errors) > 0 {
		code := res.Errors[0].Extensions.Code
		if code == "" {
			code = "NO_CODE"
		}
		return res, &opError{code, res.Errors[0].Message}
	}
	if status != http.StatusOK {
		return res, &opError{"HTTP_" + strconv.Itoa(status), snippet(body)}
	}
	return res, nil
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// do sends one operation and decodes its data into dst (when not nil).
func (c *client) do(ctx context.Context, token, query string, vars map[string]any, dst any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	return c.send(ctx, token, "application/json", bytes.NewReader(body), dst)
}

// sendRaw sends a body marshalled beforehand; check, when not nil, is
// given the answer's data.
func (c *client) sendRaw(ctx context.Context, token string, body []byte, check func(json.RawMessage) error) error {
	data, err := c.post(ctx, token, "application/json", bytes.NewReader(body))
	if err != nil || check == nil {
		return err
	}
	return check(data)
}

func (c *client) send(ctx context.Context, token, contentType string, body io.Reader, dst any) error {
	data, err := c.post(ctx, token, contentType, body)
	if err != nil || dst == nil {
		return err
	}
	if err := json.Unmarshal(data, dst); err != nil {
		return &opError{"BAD_DATA", err.Error()}
	}
	return nil
}

// post sends one request and returns the data of an answer without
// errors.
func (c *client) post(ctx context.Context, token, contentType string, body io.Reader) (json.RawMessage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("User-Agent", "gatehouse-load/1")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	out, oe := errorCode(res.StatusCode, raw)
	if oe != nil {
		return nil, oe
	}
	return out.Data, nil
}

// upload is a file of a GraphQL multipart request: the variable it fills
// ("variables.input.front") and its bytes.
type upload struct {
	path, name, contentType string
	data                    []byte
}

// upload sends a GraphQL multipart request (operations, map, files), as
// the apps send KYC files. Each upload's variable is set to null in vars,
// as the spec wants.
func (c *client) upload(ctx context.Context, token, query string, input map[string]any, files []upload, dst any) error {
	fileMap := map[string][]string{}
	for i, f := range files {
		input[strings.TrimPrefix(f.path, "variables.input.")] = nil
		fileMap[strconv.Itoa(i)] = []string{f.path}
	}
	ops, err := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"input": input}})
	if err != nil {
		return err
	}
	m, _ := json.Marshal(fileMap)
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("operations", string(ops))
	_ = w.WriteField("map", string(m))
	for i, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%d"; filename="%s"`, i, f.name))
		h.Set("Content-Type", f.contentType)
		part, err := w.CreatePart(h)
		if err != nil {
			return err
		}
		if _, err := part.Write(f.data); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.send(ctx, token, w.FormDataContentType(), &buf, dst)
}
