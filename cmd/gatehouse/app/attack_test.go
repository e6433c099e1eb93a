package app_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// The attack pass of issue 18: what a hostile or broken client sends the
// program paths (signed requests, POST /oauth2/token), and what it gets
// back. Every answer is the documented refusal, never a 500 or internal
// text.

// rawAnswer is a response as a client reads it.
type rawAnswer struct {
	status int
	header http.Header
	body   string
}

// rawRequest sends one request with the given headers (repeated values
// are sent as repeated header lines).
func (h *harness) rawRequest(method, path, contentType, body string, header map[string][]string) rawAnswer {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for name, vs := range header {
		for _, v := range vs {
			req.Header.Add(name, v)
		}
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return rawAnswer{res.StatusCode, res.Header, string(b)}
}

// signedHeaders are a bot's three headers for key id over nonce.
func signedHeaders(keyID, nonce, signature string) map[string][]string {
	return map[string][]string{"X-Api-Key": {keyID}, "X-Api-Nonce": {nonce}, "X-Api-Signature": {signature}}
}

// gqlOf reads a GraphQL answer.
func gqlOf(t *testing.T, a rawAnswer) gqlResponse {
	t.Helper()
	var r gqlResponse
	must(t, json.Unmarshal([]byte(a.body), &r) == nil, "not GraphQL (%d): %s", a.status, a.body)
	return r
}

// oauthOf reads a token endpoint's error.
func oauthOf(t *testing.T, a rawAnswer) string {
	t.Helper()
	var e struct {
		Error string `json:"error"`
	}
	must(t, json.Unmarshal([]byte(a.body), &e) == nil, "not OAuth2 JSON (%d): %s", a.status, a.body)
	return e.Error
}

func TestHostileSignedRequestsGetTheirDocumentedRefusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u := h.totpUser("hostile@example.com")
	k := u.createKey("read")
	const me = `{"query":"{ me { id } }"}`
	post := func(hdr map[string][]string) gqlResponse {
		t.Helper()
		return gqlOf(t, h.rawRequest(http.MethodPost, "/graphql", "application/json", me, hdr))
	}
	signed := func(keyID, nonce string) map[string][]string {
		return signedHeaders(keyID, nonce, sign(k.Secret, nonce, keyID))
	}
	for _, tc := range []struct {
		name          string
		hdr           map[string][]string
		code, reason  string
		invalidHeader string
	}{
		{"a nonce beyond int64", signed(k.KeyID, "99999999999999999999"), "VALIDATION_FAILED", "", "X-Api-Nonce"},
		{"a negative nonce", signed(k.KeyID, "-1"), "VALIDATION_FAILED", "", "X-Api-Nonce"},
		{"a signed nonce", signed(k.KeyID, "+"+h.nonce(0)), "VALIDATION_FAILED", "", "X-Api-Nonce"},
		{"a far-future nonce", signed(k.KeyID, "9999999999999999"), "UNAUTHENTICATED", "NONCE_STALE", ""},
		{"a nonce of the epoch", signed(k.KeyID, "0"), "UNAUTHENTICATED", "NONCE_STALE", ""},
		{"full-width digits", signed(k.KeyID, "１２３４５６７８９０１２３"), "VALIDATION_FAILED", "", "X-Api-Nonce"},
		{"an odd-length signature", signedHeaders(k.KeyID, h.nonce(0), "abc"), "VALIDATION_FAILED", "", "X-Api-Signature"},
		{"a non-hex signature", signedHeaders(k.KeyID, h.nonce(0), strings.Repeat("zz", 32)), "VALIDATION_FAILED", "", "X-Api-Signature"},
		{"a signature too long", signedHeaders(k.KeyID, h.nonce(0), strings.Repeat("ab", 1000)), "VALIDATION_FAILED", "", "X-Api-Signature"},
		{"a key id that is no UUID", signed("key-1", h.nonce(0)), "VALIDATION_FAILED", "", "X-Api-Key"},
		// Cyrillic а for the first character: looks the same, is not hex.
		{"a look-alike key id", signed("\u0430"+k.KeyID[1:], h.nonce(0)), "VALIDATION_FAILED", "", "X-Api-Key"},
		{"a UUID in braces", signed("{"+k.KeyID+"}", h.nonce(0)), "VALIDATION_FAILED", "", "X-Api-Key"},
		{"two headers", map[string][]string{"X-Api-Key": {k.KeyID}, "X-Api-Nonce": {h.nonce(0)}}, "UNAUTHENTICATED",
			"API_KEY_HEADERS_INCOMPLETE", ""},
	} {
		r := post(tc.hdr)
		must(t, r.code() == tc.code && r.reason() == tc.reason, "%s: want %s/%s, got %+v", tc.name, tc.code, tc.reason, r.Errors)
		if tc.invalidHeader != "" {
			fields, _ := r.Errors[0].Extensions["fields"].(map[string]any)
			must(t, fields[tc.invalidHeader] != nil, "%s: fields %v", tc.name, fields)
		}
	}

	// A header far too large is the server's 431, before any of ours.
	a := h.rawRequest(http.MethodPost, "/graphql", "application/json", me,
		signedHeaders(strings.Repeat("a", 2<<20), h.nonce(0), "00"))
	must(t, a.status == http.StatusRequestHeaderFieldsTooLarge, "huge header: %d %s", a.status, a.body)

	// An upper-case key id is the same key, signed as sent.
	up := strings.ToUpper(k.KeyID)
	r := post(signed(up, h.nonce(time.Millisecond)))
	must(t, len(r.Errors) == 0, "an upper-case key id: %+v", r.Errors)
	must(t, !strings.Contains(h.logs.String(), k.Secret), "the secret reached the logs")
}

// TestRepeatedCredentialHeadersAreRefused: a request carrying a
// credential header twice (a client bug, or a proxy adding its own) does
// not get the first one picked for it: HTTP reads the lines as one
// comma-joined value, which is no key id, nonce, signature or token.
func TestRepeatedCredentialHeadersAreRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	u := h.totpUser("repeated@example.com")
	k := u.createKey("read")
	const me = `{"query":"{ me { id } }"}`
	for _, name := range []string{"X-Api-Key", "X-Api-Nonce", "X-Api-Signature"} {
		n := h.nonce(0)
		h.clock.Advance(time.Millisecond)
		hdr := signedHeaders(k.KeyID, n, sign(k.Secret, n, k.KeyID))
		hdr[name] = append(hdr[name], hdr[name][0])
		r := gqlOf(t, h.rawRequest(http.MethodPost, "/graphql", "application/json", me, hdr))
		must(t, r.code() == "VALIDATION_FAILED", "%s twice: %+v (data %s)", name, r.Errors, r.Data)
		fields, _ := r.Errors[0].Extensions["fields"].(map[string]any)
		must(t, fields[name] != nil, "%s twice: fields %v", name, fields)
	}
	r := gqlOf(t, h.rawRequest(http.MethodPost, "/graphql", "application/json", me,
		map[string][]string{"Authorization": {"Bearer " + u.AccessToken, "Bearer " + u.AccessToken}}))
	must(t, r.code() == "UNAUTHENTICATED", "two bearer tokens: %+v (data %s)", r.Errors, r.Data)

	admin := h.staff("ADMIN", "+447911129201")
	app := h.createPartnerApp(admin.token, "Twice", "users:read")
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(app.ClientID+":"+app.ClientSecret))
	for _, auth := range [][]string{{basic, "Bearer x"}, {basic, basic}} {
		a := h.rawRequest(http.MethodPost, "/oauth2/token", "application/x-www-form-urlencoded",
			"grant_type=client_credentials", map[string][]string{"Authorization": auth})
		must(t, a.status == http.StatusBadRequest && oauthOf(t, a) == "invalid_request",
			"Authorization twice: %d %s", a.status, a.body)
	}
}

func TestHostileTokenRequestsGetTheirDocumentedErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911129301")
	app := h.createPartnerApp(admin.token, "Hostile", "users:read")
	const form = "application/x-www-form-urlencoded"
	const cc = "grant_type=client_credentials"
	b64 := func(s string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(s)) }
	good := map[string][]string{"Authorization": {b64(app.ClientID + ":" + app.ClientSecret)}}
	for _, tc := range []struct {
		name, method, path, contentType, body string
		hdr                                   map[string][]string
		status                                int
		code                                  string
	}{
		{"GET", http.MethodGet, "/oauth2/token", "", "", good, 405, "invalid_request"},
		{"PUT", http.MethodPut, "/oauth2/token", form, cc, good, 405, "invalid_request"},
		{"no content type", http.MethodPost, "/oauth2/token", "", cc, good, 400, "invalid_request"},
		{"a charset parameter", http.MethodPost, "/oauth2/token", form + "; charset=UTF-8", cc, good, 200, ""},
		{"bad percent-encoding", http.MethodPost, "/oauth2/token", form, cc + "&x=%zz", good, 400, "invalid_request"},
		{"a NUL in the scope", http.MethodPost, "/oauth2/token", form, cc + "&scope=users:read%00", good, 400, "invalid_scope"},
		{"a scope with odd spacing", http.MethodPost, "/oauth2/token", form, cc + "&scope=%20%20users:read%20%20", good, 200, ""},
		{"an empty grant type", http.MethodPost, "/oauth2/token", form, "grant_type=", good, 400, "invalid_request"},
		{"an unknown grant type", http.MethodPost, "/oauth2/token", form, "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer", good, 400, "unsupported_grant_type"},
		{"a refresh grant", http.MethodPost, "/oauth2/token", form, "grant_type=refresh_token&refresh_token=x", good, 400, "unsupported_grant_type"},
		// §2.3.1: the Basic id and secret are form-encoded; an encoded
		// character is the character.
		{"a form-encoded Basic id", http.MethodPost, "/oauth2/token", form, cc,
			map[string][]string{"Authorization": {b64(strings.Replace(app.ClientID, "-", "%2D", 1) + ":" + app.ClientSecret)}}, 200, ""},
		{"an encoded ':' in the secret", http.MethodPost, "/oauth2/token", form, cc,
			map[string][]string{"Authorization": {b64(app.ClientID + ":" + app.ClientSecret + "%3A")}}, 401, "invalid_client"},
		{"a raw ':' in the secret", http.MethodPost, "/oauth2/token", form, cc,
			map[string][]string{"Authorization": {b64(app.ClientID + ":" + app.ClientSecret + ":")}}, 401, "invalid_client"},
		{"Basic that is not form-encoded", http.MethodPost, "/oauth2/token", form, cc,
			map[string][]string{"Authorization": {b64(app.ClientID + ":%zz")}}, 401, "invalid_client"},
		{"Basic that is not base64", http.MethodPost, "/oauth2/token", form, cc,
			map[string][]string{"Authorization": {"Basic !!!"}}, 401, "invalid_client"},
		{"a look-alike client id", http.MethodPost, "/oauth2/token", form, cc,
			map[string][]string{"Authorization": {b64("\u0430" + app.ClientID[1:] + ":" + app.ClientSecret)}}, 401, "invalid_client"},
		{"a NUL in the client id", http.MethodPost, "/oauth2/token", form,
			cc + "&client_id=" + app.ClientID + "%00&client_secret=" + app.ClientSecret, nil, 400, "invalid_client"},
		{"credentials in the query string", http.MethodPost,
			"/oauth2/token?client_id=" + app.ClientID + "&client_secret=" + app.ClientSecret, form, cc, nil, 401, "invalid_client"},
		{"a body of many parameters", http.MethodPost, "/oauth2/token", form,
			cc + strings.Repeat("&a=b", 3000), good, 413, "invalid_request"},
	} {
		a := h.rawRequest(tc.method, tc.path, tc.contentType, tc.body, tc.hdr)
		must(t, a.status == tc.status, "%s: status %d, want %d (%s)", tc.name, a.status, tc.status, a.body)
		must(t, a.header.Get("Cache-Control") == "no-store", "%s: Cache-Control %q", tc.name, a.header.Get("Cache-Control"))
		if tc.code != "" {
			must(t, oauthOf(t, a) == tc.code, "%s: %s", tc.name, a.body)
		} else {
			must(t, strings.Contains(a.body, `"access_token"`), "%s: %s", tc.name, a.body)
		}
		must(t, !strings.Contains(a.body, "postgres") && !strings.Contains(a.body, "SQLSTATE"), "%s: %s", tc.name, a.body)
	}
	a := h.rawRequest(http.MethodGet, "/oauth2/token", "", "", nil)
	must(t, a.header.Get("Allow") == http.MethodPost, "GET: Allow %q", a.header.Get("Allow"))
	must(t, !strings.Contains(h.logs.String(), app.ClientSecret), "the client secret reached the logs")
}

// TestCredentialsAreNotTakenForOneAnother: each credential works only as
// what it is.
func TestCredentialsAreNotTakenForOneAnother(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911129401")
	app := h.createPartnerApp(admin.token, "Confused", "users:read", "accounts:write")
	cfg, ctx := h.partnerClient(app, oauth2.AuthStyleInHeader)
	tok, err := cfg.Token(ctx)
	must(t, err == nil, "token: %v", err)
	client := tok.AccessToken
	u := h.totpUser("confused@example.com")
	k := u.createKey("read", "write")

	t.Run("a client token where a user's session is needed", func(t *testing.T) {
		var d struct{ Me *struct{ ID string } }
		r := h.post(client, qMeID, nil)
		must(t, len(r.Errors) == 0 && json.Unmarshal(r.Data, &d) == nil && d.Me == nil, "me: %+v %s", r.Errors, r.Data)
		for _, q := range []string{mSignOut, `mutation { signOutEverywhere }`, qMySessionsIDs, qMyAPIKeys,
			`mutation { updateMe(input: {name: "Partner"}) { id } }`} {
			r := h.post(client, q, nil)
			must(t, r.code() == "FORBIDDEN", "%s: %+v", q, r.Errors)
		}
		// As a refresh token it is no refresh token.
		h.fails("", mRefresh, vars("token", client), "UNAUTHENTICATED")
		h.fails(client, mRefresh, vars("token", client), "UNAUTHENTICATED")
	})

	t.Run("a user's tokens where a client's are needed", func(t *testing.T) {
		a := h.rawRequest(http.MethodPost, "/oauth2/token", "application/x-www-form-urlencoded",
			"grant_type=client_credentials", map[string][]string{"Authorization": {"Bearer " + u.AccessToken}})
		must(t, a.status == http.StatusUnauthorized && oauthOf(t, a) == "invalid_client", "bearer: %d %s", a.status, a.body)
		// A user's id and refresh token as client credentials.
		a = h.rawRequest(http.MethodPost, "/oauth2/token", "application/x-www-form-urlencoded",
			"grant_type=client_credentials&client_id="+u.User.ID+"&client_secret="+url.QueryEscape(u.RefreshToken), nil)
		must(t, a.status == http.StatusBadRequest && oauthOf(t, a) == "invalid_client", "user as client: %d %s", a.status, a.body)
		// The refresh token as a bearer.
		r := h.post(u.RefreshToken, qMeID, nil)
		must(t, r.code() == "UNAUTHENTICATED", "refresh token as bearer: %+v", r.Errors)
		// A key's secret as a bearer.
		r = h.post(k.Secret, qMeID, nil)
		must(t, r.code() == "UNAUTHENTICATED", "key secret as bearer: %+v", r.Errors)
	})

	t.Run("a signed request with a client token too", func(t *testing.T) {
		r := h.postSigned(k, k.Secret, h.nonce(0), client, qMeID, nil)
		refusedWith(t, r, "UNAUTHENTICATED", "CREDENTIALS_AMBIGUOUS")
	})

	t.Run("a key follows its owner's role, now", func(t *testing.T) {
		const qUsers = `{ users(first: 1) { edges { node { id } } } }`
		_, err := h.db.NewRaw(`UPDATE users SET role = 'ADMIN' WHERE id = ?`, u.User.ID).Exec(context.Background())
		must(t, err == nil, "promote: %v", err)
		h.clock.Advance(time.Millisecond)
		r := h.postSigned(k, k.Secret, h.nonce(0), "", qUsers, nil)
		must(t, len(r.Errors) == 0, "as ADMIN: %+v", r.Errors)
		_, err = h.db.NewRaw(`UPDATE users SET role = 'MEMBER' WHERE id = ?`, u.User.ID).Exec(context.Background())
		must(t, err == nil, "demote: %v", err)
		h.clock.Advance(time.Millisecond)
		r = h.postSigned(k, k.Secret, h.nonce(0), "", qUsers, nil)
		must(t, r.code() == "FORBIDDEN", "the key kept ADMIN: %+v", r.Errors)
	})

	t.Run("a disabled app stays disabled", func(t *testing.T) {
		var d struct{ DisablePartnerApp struct{ State string } }
		h.ok(admin.token, mDisablePartnerApp, vars("id", app.ClientID), &d)
		// Rotating or disabling again is no way back.
		h.fails(admin.token, mRotatePartnerApp, vars("id", app.ClientID), "CONFLICT")
		h.ok(admin.token, mDisablePartnerApp, vars("id", app.ClientID), &d)
		must(t, d.DisablePartnerApp.State == "DISABLED", "disabled again: %+v", d)
		r := h.post(client, qPartnerUsers, nil)
		must(t, r.code() == "UNAUTHENTICATED" && reasonOf(r) == "CLIENT_DISABLED", "old token: %+v", r.Errors)
		_, err := cfg.Token(ctx)
		must(t, err != nil && oauthCode(t, err) == "invalid_client", "a new token: %v", err)
	})
}

// TestDisablingWhileTokensAreIssued: a token request that read the app
// just before it was disabled may still be answered with a token, but no
// token of a disabled app opens anything, whenever it was issued.
func TestDisablingWhileTokensAreIssued(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911129701")
	app := h.createPartnerApp(admin.token, "Racing", "users:read")
	auth := map[string][]string{"Authorization": {basicOf(app.ClientID, app.ClientSecret)}}
	var wg sync.WaitGroup
	tokens := make(chan string, 40)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := h.rawRequest(http.MethodPost, "/oauth2/token", "application/x-www-form-urlencoded",
				"grant_type=client_credentials", auth)
			var tok struct {
				AccessToken string `json:"access_token"`
			}
			switch {
			case a.status == http.StatusOK && json.Unmarshal([]byte(a.body), &tok) == nil:
				tokens <- tok.AccessToken
			case a.status == http.StatusUnauthorized && strings.Contains(a.body, "invalid_client"):
			default:
				t.Errorf("token request: %d %s", a.status, a.body)
			}
		}()
	}
	var d struct{ DisablePartnerApp struct{ State string } }
	h.ok(admin.token, mDisablePartnerApp, vars("id", app.ClientID), &d)
	wg.Wait()
	close(tokens)
	for tok := range tokens {
		r := h.post(tok, qPartnerUsers, nil)
		must(t, r.code() == "UNAUTHENTICATED" && reasonOf(r) == "CLIENT_DISABLED", "a token of a disabled app: %+v", r.Errors)
	}
}

// TestNoSecretReachesTheLogsOrTheActivityRows: key secrets, signatures,
// client secrets and the tokens issued are nowhere in what the server
// writes down, whatever the request's fate.
func TestNoSecretReachesTheLogsOrTheActivityRows(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911129801")
	app := h.createPartnerApp(admin.token, "Quiet", "users:read")
	u := h.totpUser("hushed@example.com")
	k := u.createKey("read")

	var signatures []string
	signed := func(secret, nonce string) {
		sig := sign(secret, nonce, k.KeyID)
		signatures = append(signatures, sig)
		h.rawRequest(http.MethodPost, "/graphql", "application/json", `{"query":"{ me { id } }"}`,
			signedHeaders(k.KeyID, nonce, sig))
	}
	n := h.nonce(0)
	signed(k.Secret, n)                      // passes
	signed(k.Secret, n)                      // replayed
	signed(k.Secret, h.nonce(-time.Minute))  // stale
	signed("a guess", h.nonce(time.Second))  // wrong
	signed(k.Secret, "1"+h.nonce(0)+"00000") // malformed
	var issued []string
	for _, secret := range []string{app.ClientSecret, app.ClientSecret + "x"} {
		a := h.rawRequest(http.MethodPost, "/oauth2/token", "application/x-www-form-urlencoded",
			"grant_type=client_credentials&client_id="+app.ClientID+"&client_secret="+url.QueryEscape(secret), nil)
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		if json.Unmarshal([]byte(a.body), &tok) == nil && tok.AccessToken != "" {
			issued = append(issued, tok.AccessToken)
			h.post(tok.AccessToken, qPartnerUsers, nil)
			h.post(tok.AccessToken, mSignOut, nil)
		}
	}
	must(t, len(issued) == 1, "tokens issued: %d", len(issued))

	var rows []string
	err := h.db.NewRaw(`SELECT row_to_json(a)::text FROM activities a UNION ALL
		SELECT row_to_json(a)::text FROM admin_activities a`).Scan(t.Context(), &rows)
	must(t, err == nil && len(rows) > 0, "activity rows: %d %v", len(rows), err)
	written := h.logs.String() + strings.Join(rows, "\n")
	for what, secrets := range map[string][]string{"key secret": {k.Secret}, "signature": signatures,
		"client secret": {app.ClientSecret}, "access token": issued} {
		for _, s := range secrets {
			must(t, !strings.Contains(written, s), "a %s was written down", what)
		}
	}
}

// TestAPersonWithThePartnerRoleGetsNoPartnerAppRights: PARTNER is a role
// people hold too (staff may give it), with a member's rights over their
// own data. The rows that let partner apps read users and open accounts
// are for apps, narrowed by their scopes; a person with the role, who has
// no scopes, does not get them.
func TestAPersonWithThePartnerRoleGetsNoPartnerAppRights(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	person := h.signUp("+447911129901", "482915", "phone-1")
	other := h.signUp("+447911129902", "482915", "phone-2")
	_, err := h.db.NewRaw(`UPDATE users SET role = 'PARTNER' WHERE id = ?`, person.User.ID).Exec(context.Background())
	must(t, err == nil, "role: %v", err)
	// A fresh session, so the role is the one in force.
	h.clock.Advance(time.Minute)
	tok := h.signInAgain("+447911129901", "482915", "phone-1")
	r := h.post(tok, qPartnerUsers, nil)
	must(t, r.code() == "FORBIDDEN", "users: %+v %s", r.Errors, r.Data)
	r = h.post(tok, `query($id: ID!) { user(id: $id) { id } }`, vars("id", other.User.ID))
	must(t, r.code() == "FORBIDDEN", "user: %+v %s", r.Errors, r.Data)
	r = h.post(tok, mPartnerOpen, vars("user", other.User.ID))
	must(t, r.code() == "FORBIDDEN", "openAccount: %+v %s", r.Errors, r.Data)
	// Their own data, as before.
	var d struct{ Me struct{ ID string } }
	h.ok(tok, qMeID, nil, &d)
	must(t, d.Me.ID == person.User.ID, "me: %+v", d)
	// And another service asking about their token hears the same.
	var v struct {
		ValidateToken struct {
			Valid              bool
			MissingPermissions []string
		}
	}
	h.ok("", `query($t: String!) { validateToken(token: $t, permissions: ["users", "openAccount", "me", "updateMe"]) {
		valid missingPermissions } }`, vars("t", tok), &v)
	must(t, v.ValidateToken.Valid && slices.Equal(v.ValidateToken.MissingPermissions, []string{"users", "openAccount"}),
		"validateToken: %+v", v)

	// Nor does their bot: an API key acts as its owner, a person.
	bot := h.totpUser("partner.person@example.com")
	k := bot.createKey("read", "write")
	_, err = h.db.NewRaw(`UPDATE users SET role = 'PARTNER' WHERE id = ?`, bot.User.ID).Exec(context.Background())
	must(t, err == nil, "role: %v", err)
	refusedWith(t, h.postSigned(k, k.Secret, h.nonce(0), "", qPartnerUsers, nil), "FORBIDDEN", "PARTNER_APPS_ONLY")
	refusedWith(t, h.postSigned(k, k.Secret, h.nonce(time.Millisecond), "", mPartnerOpen, vars("user", other.User.ID)),
		"FORBIDDEN", "PARTNER_APPS_ONLY")
}
