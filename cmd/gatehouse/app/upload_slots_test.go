package app_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// slowUpload is a multipart request sent by hand over its own connection,
// its body trickling in (or not at all).
type slowUpload struct {
	conn    net.Conn
	answers chan slowAnswer
}

type slowAnswer struct {
	status int
	body   gqlResponse
	err    error
}

const slowBoundary = "slowboundary"

// startSlowUpload sends the headers of a multipart upload that claims a
// 1 MiB body, from the address forwardedFor (the harness trusts loopback
// as a proxy), then the operations and map parts and the start of a file.
// Its answer, if any, is read as soon as it comes.
func startSlowUpload(t *testing.T, h *harness, token, forwardedFor string) *slowUpload {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(h.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	auth := ""
	if token != "" {
		auth = "Authorization: Bearer " + token + "\r\n"
	}
	ops := `{"query":"mutation($input: UploadSelfieInput!) { uploadSelfie(input: $input) { id } }","variables":{"input":{"image":null}}}`
	head := fmt.Sprintf("POST /graphql HTTP/1.1\r\nHost: gatehouse\r\nContent-Type: multipart/form-data; boundary=%s\r\n"+
		"Content-Length: %d\r\nX-Forwarded-For: %s\r\n%s\r\n", slowBoundary, 1<<20, forwardedFor, auth)
	body := fmt.Sprintf("--%[1]s\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n%[2]s\r\n"+
		"--%[1]s\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{\"0\":[\"variables.input.image\"]}\r\n"+
		"--%[1]s\r\nContent-Disposition: form-data; name=\"0\"; filename=\"me.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8",
		slowBoundary, ops)
	if _, err := io.WriteString(conn, head+body); err != nil {
		t.Fatal(err)
	}
	u := &slowUpload{conn: conn, answers: make(chan slowAnswer, 1)}
	go func() {
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			u.answers <- slowAnswer{err: err}
			return
		}
		defer res.Body.Close()
		var out gqlResponse
		raw, _ := io.ReadAll(res.Body)
		err = json.Unmarshal(raw, &out)
		u.answers <- slowAnswer{status: res.StatusCode, body: out, err: err}
	}()
	return u
}

// trickle sends one byte of the file every 500 ms until the test ends, so
// the upload is slow but never silent for the 5 s that would cut it.
func (u *slowUpload) trickle(t *testing.T) {
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(500 * time.Millisecond):
			}
			if _, err := u.conn.Write([]byte("x")); err != nil {
				return
			}
		}
	}()
}

// answered waits up to d for the server's answer.
func (u *slowUpload) answered(d time.Duration) (slowAnswer, bool) {
	select {
	case a := <-u.answers:
		return a, true
	case <-time.After(d):
		return slowAnswer{}, false
	}
}

func trustLoopback(c *app.Config) {
	c.TrustedProxies = append(c.TrustedProxies, netip.MustParsePrefix("127.0.0.0/8"))
}

// Strangers who open many slow uploads hold only the anonymous pool: a
// signed-in user's upload still goes through while they hang.
func TestSlowAnonymousUploadsCannotStarveSignedInUsers(t *testing.T) {
	t.Parallel()
	h := newHarness(t, trustLoopback, func(c *app.Config) { c.KYCUploadRateGrace = time.Minute })
	a := h.signUp("+447911124301", "4831", "device-4301")
	f := newKYCFiles(t, 4301)

	refusedOK := func(i int, ans slowAnswer) {
		must(t, ans.err == nil && ans.body.code() == "RATE_LIMITED",
			"slow anonymous upload %d: HTTP %d %+v (%v), want RATE_LIMITED", i, ans.status, ans.body.Errors, ans.err)
	}
	held, refused := 0, 0
	waiting := map[int]*slowUpload{}
	for i := range 16 {
		u := startSlowUpload(t, h, "", fmt.Sprintf("203.0.113.%d", 10+i%4))
		u.trickle(t)
		// A refused upload is answered at once, before its body is read;
		// one that holds a slot waits for the rest of its body.
		if ans, ok := u.answered(300 * time.Millisecond); ok {
			refusedOK(i, ans)
			refused++
			continue
		}
		waiting[i] = u
	}
	// A loaded machine may answer a refusal later than 300 ms: what has
	// not answered 3 s after the last start holds a slot (a held upload
	// trickles, so neither the grace nor the silence bound ends it by then).
	deadline := time.Now().Add(3 * time.Second)
	for i, u := range waiting {
		if ans, ok := u.answered(max(time.Until(deadline), 10*time.Millisecond)); ok {
			refusedOK(i, ans)
			refused++
			continue
		}
		held++
	}
	t.Logf("16 slow anonymous uploads from 4 addresses: %d hold a slot, %d refused", held, refused)

	start := time.Now()
	r := h.upload(a.AccessToken, mUploadSelfie, vars("input", map[string]any{}), file("variables.input.image", "me.jpg", f.selfie))
	must(t, len(r.Errors) == 0, "the signed-in user's upload while strangers hang: %+v", r.Errors)
	t.Logf("signed-in upload took %v while %d slow uploads hung", time.Since(start).Round(time.Millisecond), held)
	must(t, held <= 4, "%d slow anonymous uploads hold a slot, want at most 4 (one per address)", held)
}

// A body that trickles in below the minimum rate is cut once the grace is
// over, with a clear answer, and its slot is free again.
func TestUploadBelowTheMinimumRateIsCut(t *testing.T) {
	t.Parallel()
	h := newHarness(t, trustLoopback, func(c *app.Config) {
		c.KYCUploadRateGrace, c.KYCUploadMinRate = time.Second, 16384
		c.KYCMaxUploadsPerUser = 1
	})
	a := h.signUp("+447911124302", "4831", "device-4302")
	f := newKYCFiles(t, 4302)

	u := startSlowUpload(t, h, a.AccessToken, "198.51.100.20")
	stop := make(chan struct{})
	defer close(stop)
	go func() { // 100 bytes every 100 ms (1 KB/s) for at most 8 s
		for range 80 {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			if _, err := u.conn.Write([]byte(strings.Repeat("x", 100))); err != nil {
				return
			}
		}
	}()
	start := time.Now()
	ans, ok := u.answered(20 * time.Second)
	must(t, ok, "a 1 KB/s upload was not cut within 20 s")
	t.Logf("cut after %v", time.Since(start).Round(time.Millisecond))
	must(t, ans.err == nil, "the answer to a slow upload: %v", ans.err)
	must(t, ans.status == http.StatusRequestTimeout, "HTTP %d, want 408", ans.status)
	must(t, ans.body.code() == "VALIDATION_FAILED" && len(ans.body.Errors) == 1 &&
		ans.body.Errors[0].Extensions["reason"] == "UPLOAD_TOO_SLOW", "answer: %+v", ans.body.Errors)

	// The user's one slot is free again.
	r := h.upload(a.AccessToken, mUploadSelfie, vars("input", map[string]any{}), file("variables.input.image", "me.jpg", f.selfie))
	must(t, len(r.Errors) == 0, "an upload after the slow one was cut: %+v", r.Errors)
}

// A client that sends a burst and then nothing cannot bank the burst as
// credit: silence is cut after the silence bound, not when the average
// rate would run out (512 KiB at 16 KiB/s: 32 s).
func TestUploadSilentAfterABurstIsCut(t *testing.T) {
	t.Parallel()
	h := newHarness(t, trustLoopback, func(c *app.Config) {
		c.KYCUploadRateGrace, c.KYCUploadMinRate = time.Second, 16384
		c.KYCMaxUploadsPerUser = 1
	})
	a := h.signUp("+447911124303", "4831", "device-4303")
	f := newKYCFiles(t, 4303)

	u := startSlowUpload(t, h, a.AccessToken, "198.51.100.21")
	if _, err := u.conn.Write([]byte(strings.Repeat("x", 512<<10))); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ans, ok := u.answered(20 * time.Second)
	must(t, ok, "an upload silent after a 512 KiB burst was not cut within 20 s")
	took := time.Since(start)
	t.Logf("512 KiB burst, then silence: cut after %v", took.Round(time.Millisecond))
	must(t, ans.err == nil, "the answer to a silent upload: %v", ans.err)
	must(t, ans.status == http.StatusRequestTimeout, "HTTP %d, want 408", ans.status)
	must(t, ans.body.code() == "VALIDATION_FAILED" && len(ans.body.Errors) == 1 &&
		ans.body.Errors[0].Extensions["reason"] == "UPLOAD_TOO_SLOW", "answer: %+v", ans.body.Errors)
	must(t, took < 15*time.Second, "cut after %v, want within the 5 s silence bound (and a margin)", took)

	// The user's one slot is free again.
	r := h.upload(a.AccessToken, mUploadSelfie, vars("input", map[string]any{}), file("variables.input.image", "me.jpg", f.selfie))
	must(t, len(r.Errors) == 0, "an upload after the silent one was cut: %+v", r.Errors)
}
