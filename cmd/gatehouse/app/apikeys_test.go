package app_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/fx"
)

const (
	mCreateAPIKey = `mutation($scopes: [String!]!, $code: String!) {
		createApiKey(input: {scopes: $scopes, totpCode: $code}) { keyId secret apiKey { keyId scopes state } } }`
	mUpdateAPIKey = `mutation($id: ID!, $state: ApiKeyState, $code: String!) {
		updateApiKey(input: {keyId: $id, state: $state, totpCode: $code}) { keyId state scopes } }`
	qMyAPIKeys = `{ myApiKeys { keyId scopes state } }`
	qMeID      = `{ me { id } }`
)

// apiKey is a key as its bot keeps it.
type apiKey struct {
	KeyID  string
	Secret string
	APIKey struct {
		KeyID  string
		Scopes []string
		State  string
	}
}

// sign is what a bot does: hex HMAC-SHA256 of nonce + key id, keyed with
// the secret (written here by hand, as a client would, not with the
// module's helper).
func sign(secret, nonce, keyID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(nonce + keyID))
	return hex.EncodeToString(m.Sum(nil))
}

// postSigned sends a request signed with k over nonce; bearer, when set,
// is sent too.
func (h *harness) postSigned(k apiKey, secret, nonce, bearer, query string, v map[string]any) gqlResponse {
	h.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": v})
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Api-Key", k.KeyID)
	req.Header.Set("X-Api-Nonce", nonce)
	req.Header.Set("X-Api-Signature", sign(secret, nonce, k.KeyID))
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("post: %v", err)
	}
	defer res.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		h.t.Fatalf("decode response (status %d): %v", res.StatusCode, err)
	}
	return out
}

// nonce is the harness clock's milliseconds plus skew.
func (h *harness) nonce(skew time.Duration) string {
	return strconv.FormatInt(h.clock.Now().Add(skew).UnixMilli(), 10)
}

func (r gqlResponse) reason() string {
	if len(r.Errors) == 0 {
		return ""
	}
	s, _ := r.Errors[0].Extensions["reason"].(string)
	return s
}

// refused asserts the first error's code and reason.
func refusedWith(t *testing.T, r gqlResponse, code, reason string) {
	t.Helper()
	must(t, r.code() == code && r.reason() == reason, "want %s/%s, got %+v (data %s)", code, reason, r.Errors, r.Data)
}

// totpUser is an e-mail user with the authenticator app on, and a way to
// read its next code (each code is accepted once: the clock moves on).
type totpUser struct {
	emailAuth
	h      *harness
	secret string
}

func (h *harness) totpUser(email string) *totpUser {
	h.t.Helper()
	a := h.emailUser(email, strongPassword, "", "Bot Owner", "laptop-1")
	var st struct{ StartTotpEnrollment struct{ Secret string } }
	h.ok(a.AccessToken, mStartTotp, nil, &st)
	u := &totpUser{emailAuth: a, h: h, secret: st.StartTotpEnrollment.Secret}
	var conf struct {
		ConfirmTotpEnrollment struct{ RecoveryCodes []string }
	}
	h.ok(a.AccessToken, mConfirmTotp, vars("code", u.code()), &conf)
	return u
}

func (u *totpUser) code() string {
	u.h.clock.Advance(30 * time.Second)
	return totpCode(u.h.t, u.secret, u.h.clock.Now())
}

func (u *totpUser) createKey(scopes ...string) apiKey {
	u.h.t.Helper()
	var d struct{ CreateApiKey apiKey }
	u.h.ok(u.AccessToken, mCreateAPIKey, vars("scopes", scopes, "code", u.code()), &d)
	return d.CreateApiKey
}

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	h := newHarness(t)

	t.Run("creating a key needs the authenticator app", func(t *testing.T) {
		plain := h.emailUser("plain@example.com", strongPassword, "", "Plain", "laptop-1")
		r := h.post(plain.AccessToken, mCreateAPIKey, vars("scopes", []string{"read"}, "code", "123456"))
		refusedWith(t, r, "FORBIDDEN", "TOTP_REQUIRED")
		u := h.totpUser("wrongcode@example.com")
		code := u.code()
		wrong := "000000"
		if wrong == code {
			wrong = "111111"
		}
		h.fails(u.AccessToken, mCreateAPIKey, vars("scopes", []string{"read"}, "code", wrong), "INVALID_CODE")
		r = h.post(u.AccessToken, mCreateAPIKey, vars("scopes", []string{"read", "admin"}, "code", u.code()))
		must(t, r.code() == "VALIDATION_FAILED" && r.Errors[0].Extensions["fields"] != nil, "bad scope: %+v", r.Errors)
		var mine struct{ MyApiKeys []apiKey }
		h.ok(u.AccessToken, qMyAPIKeys, nil, &mine)
		must(t, len(mine.MyApiKeys) == 0, "a refused creation left keys: %+v", mine)
	})

	u := h.totpUser("bot@example.com")
	reader := u.createKey("read")
	writer := u.createKey("read", "write")
	must(t, len(reader.Secret) == 64 && reader.KeyID == reader.APIKey.KeyID && reader.APIKey.State == "ACTIVE",
		"credentials: %+v", reader)

	t.Run("a signed request runs as the owner with the key's scopes", func(t *testing.T) {
		var d struct{ Me struct{ ID string } }
		r := h.postSigned(reader, reader.Secret, h.nonce(0), "", qMeID, nil)
		must(t, len(r.Errors) == 0, "errors: %+v", r.Errors)
		must(t, json.Unmarshal(r.Data, &d) == nil && d.Me.ID == u.User.ID, "me: %s", r.Data)

		r = h.postSigned(reader, reader.Secret, h.nonce(time.Millisecond), "", mUpdateMe, vars("name", "Bot"))
		refusedWith(t, r, "FORBIDDEN", "SCOPE_MISSING")
		r = h.postSigned(writer, writer.Secret, h.nonce(2*time.Millisecond), "", mUpdateMe, vars("name", "Bot"))
		must(t, len(r.Errors) == 0, "a write key could not write: %+v", r.Errors)

		r = h.postSigned(writer, writer.Secret, h.nonce(3*time.Millisecond), "", mCreateAPIKey,
			vars("scopes", []string{"write"}, "code", "123456"))
		refusedWith(t, r, "FORBIDDEN", "PROGRAM_NOT_ALLOWED")
	})

	t.Run("each bad request is refused with its own reason", func(t *testing.T) {
		n := h.nonce(10 * time.Millisecond)
		refusedWith(t, h.postSigned(reader, "not-the-secret", n, "", qMeID, nil), "UNAUTHENTICATED", "SIGNATURE_INVALID")
		must(t, len(h.postSigned(reader, reader.Secret, n, "", qMeID, nil).Errors) == 0, "a right signature failed")
		refusedWith(t, h.postSigned(reader, reader.Secret, n, "", qMeID, nil), "UNAUTHENTICATED", "NONCE_REPLAYED")
		refusedWith(t, h.postSigned(reader, reader.Secret, h.nonce(-31*time.Second), "", qMeID, nil),
			"UNAUTHENTICATED", "NONCE_STALE")
		refusedWith(t, h.postSigned(reader, reader.Secret, h.nonce(11*time.Millisecond), u.AccessToken, qMeID, nil),
			"UNAUTHENTICATED", "CREDENTIALS_AMBIGUOUS")
	})

	t.Run("parallel requests with one nonce: exactly one passes", func(t *testing.T) {
		n := h.nonce(20 * time.Millisecond)
		var ok, replayed atomic.Int32
		var wg sync.WaitGroup
		for range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := h.postSigned(reader, reader.Secret, n, "", qMeID, nil)
				switch {
				case len(r.Errors) == 0:
					ok.Add(1)
				case r.reason() == "NONCE_REPLAYED":
					replayed.Add(1)
				}
			}()
		}
		wg.Wait()
		must(t, ok.Load() == 1 && replayed.Load() == 11, "%d passed, %d replayed", ok.Load(), replayed.Load())
	})

	t.Run("a disabled key is refused", func(t *testing.T) {
		var d struct{ UpdateApiKey struct{ State string } }
		h.ok(u.AccessToken, mUpdateAPIKey, vars("id", writer.KeyID, "state", "DISABLED", "code", u.code()), &d)
		must(t, d.UpdateApiKey.State == "DISABLED", "state: %+v", d)
		refusedWith(t, h.postSigned(writer, writer.Secret, h.nonce(0), "", qMeID, nil), "UNAUTHENTICATED", "KEY_DISABLED")
	})

	t.Run("the secret is never logged", func(t *testing.T) {
		must(t, !strings.Contains(h.logs.String(), reader.Secret), "the secret reached the logs")
	})

	t.Run("support reads a user's keys under audit, never their secrets", func(t *testing.T) {
		support := h.staff("SUPPORT", "+447911124801")
		var d struct{ UserApiKeys []map[string]any }
		row := h.audited("userApiKeys", func() {
			h.ok(support.token, `query($id: ID!) { userApiKeys(userId: $id) { keyId scopes state } }`,
				vars("id", u.User.ID), &d)
		})
		must(t, row.AdminID == support.id && row.TargetID == u.User.ID, "audit row %+v", row)
		must(t, len(d.UserApiKeys) == 2 && d.UserApiKeys[0]["keyId"] == reader.KeyID, "keys: %+v", d.UserApiKeys)
		h.fails(u.AccessToken, `query($id: ID!) { userApiKeys(userId: $id) { keyId } }`, vars("id", u.User.ID), "FORBIDDEN")
	})

	t.Run("a banned owner's keys stop at once", func(t *testing.T) {
		_, err := h.db.NewRaw(`UPDATE users SET state = 'BANNED' WHERE id = ?`, u.User.ID).Exec(context.Background())
		must(t, err == nil, "ban: %v", err)
		refusedWith(t, h.postSigned(reader, reader.Secret, h.nonce(0), "", qMeID, nil), "ACCESS_RESTRICTED", "OWNER_BANNED")
	})
}

// TestASignedReadCostsThreeStatements: the key, its nonce (forgetting the
// expired ones in the same statement) and its owner, read fresh so that a
// ban stops the key at once; nothing more for a signed me.
func TestASignedReadCostsThreeStatements(t *testing.T) {
	t.Parallel()
	log := &statementLog{}
	h := newHarnessWith(t, []fx.Option{logStatements(log)})
	u := h.totpUser("counted@example.com")
	k := u.createKey("read")
	for i := range 3 {
		stmts := log.during(func() {
			r := h.postSigned(k, k.Secret, h.nonce(time.Duration(i)*time.Millisecond), "", qMeID, nil)
			must(t, len(r.Errors) == 0, "errors: %+v", r.Errors)
		})
		must(t, len(stmts) == 3 && touching(stmts, "api_keys") == 1 && touching(stmts, "api_key_nonces") == 1,
			"a signed me ran %d statements: %q", len(stmts), stmts)
	}
}

// BenchmarkSignedMe is BenchmarkMe signed with an API key instead of a
// bearer token: signature check, nonce spent, owner read.
func BenchmarkSignedMe(b *testing.B) {
	h := benchHarness(b)
	u := h.totpUser("bench-bot@example.com")
	k := u.createKey("read")
	start := h.clock.Now().Add(-29 * time.Second).UnixMilli()
	var n atomic.Int64
	b.ReportMetric(float64(runtime.NumCPU()), "cores")
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			if i > 58000 {
				b.Error("out of nonces within the window: run with a shorter -benchtime")
				return
			}
			r := h.postSigned(k, k.Secret, strconv.FormatInt(start+i, 10), "", `{ me { id phone hasPin } }`, nil)
			if len(r.Errors) > 0 {
				b.Errorf("signed me failed: %+v", r.Errors)
				return
			}
		}
	})
}
