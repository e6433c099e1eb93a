package app_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// The operations an email (password) client sends, as a client would write
// them.
const (
	challengeFields = `id purpose channel destination expiresAt resendAfter`
	userFields      = `id phone pendingPhone email name imageUrl countryCode state role level hasPin hasPassword totpEnabled`
	authFields      = `accessToken accessTokenExpiresAt refreshToken deviceSecret user { ` + userFields + ` }`

	mSignUpEmail = `mutation($email: String!, $password: String!, $phone: String, $name: String, $terms: Boolean!, $device: String!) {
		signUpWithEmail(input: {email: $email, password: $password, phone: $phone, name: $name, acceptTerms: $terms, deviceId: $device, deviceName: "Test laptop"}) { ` + challengeFields + ` } }`
	mConfirmEmail = `mutation($id: ID!, $code: String!) { confirmEmail(input: {challengeId: $id, code: $code}) { ` + authFields + ` } }`
	mPwSignIn     = `mutation($username: String!, $password: String!, $device: String!, $secret: String) {
		signIn(input: {username: $username, password: $password, deviceId: $device, deviceSecret: $secret, deviceName: "Browser"}) {
			status auth { ` + authFields + ` } challenge { ` + challengeFields + ` } } }`
	mVerifySignIn    = `mutation($id: ID!, $code: String!) { verifySignIn(input: {challengeId: $id, code: $code}) { ` + authFields + ` } }`
	mRequestReset    = `mutation($username: String!) { requestPasswordReset(input: {username: $username}) { ` + challengeFields + ` } }`
	mResetPassword   = `mutation($id: ID!, $code: String!, $new: String!, $confirm: String!) { resetPassword(input: {challengeId: $id, code: $code, newPassword: $new, confirmPassword: $confirm}) { changedAt sessionsRevoked } }`
	mChangePassword  = `mutation($cur: String!, $new: String!, $confirm: String!) { changePassword(input: {currentPassword: $cur, newPassword: $new, confirmPassword: $confirm}) { changedAt sessionsRevoked } }`
	qPwStrength      = `query($p: String!) { passwordStrength(password: $p) { score acceptable feedback } }`
	qServerInfo      = `{ serverInfo { version serverTime } }`
	qMeFull          = `{ me { ` + userFields + ` devices { deviceId name trusted push { token platform } } } }`
	mStartTotp       = `mutation { startTotpEnrollment { secret uri qrCode } }`
	mConfirmTotp     = `mutation($code: String!) { confirmTotpEnrollment(input: {code: $code}) { recoveryCodes } }`
	mDisableTotp     = `mutation($code: String!) { disableTotp(input: {code: $code}) { id totpEnabled } }`
	mUpdateMe        = `mutation($name: String, $image: String, $country: String) { updateMe(input: {name: $name, imageUrl: $image, countryCode: $country}) { ` + userFields + ` } }`
	mStartContact    = `mutation($kind: ContactKind!, $value: String!) { startContactChange(input: {kind: $kind, value: $value}) { ` + challengeFields + ` } }`
	mConfirmContact  = `mutation($id: ID!, $code: String!) { confirmContactChange(input: {challengeId: $id, code: $code}) { ` + userFields + ` } }`
	mDeleteMe        = `mutation($password: String, $pin: String) { deleteMe(input: {password: $password, pin: $pin}) { deletedAt } }`
	qMySessions      = `{ mySessions { id current mfa createdAt lastUsedAt expiresAt device { deviceId name trusted } } }`
	mRevokeSession   = `mutation($id: ID!) { revokeSession(input: {id: $id}) { id } }`
	mRegisterPush    = `mutation($device: String!, $token: String!) { registerPushDevice(input: {deviceId: $device, token: $token, platform: ANDROID, os: "Android", osVersion: "15", model: "Pixel 8", appVersion: "1.2.3"}) { deviceId trusted push { token platform os osVersion model appVersion updatedAt } } }`
	qMyActivity      = `query($topic: ActivityTopic!, $first: Int!, $after: String) { myActivity(topic: $topic, first: $first, after: $after) { edges { cursor node { id topic action result reason ip userAgent createdAt } } pageInfo { hasNextPage endCursor } } }`
	qValidateToken   = `query($token: String!, $scopes: [String!], $perms: [String!]) { validateToken(token: $token, scopes: $scopes, permissions: $perms) { valid reason subject roles scopes expiresAt missingScopes missingPermissions } }`
	strongPassword   = "violet-Harbor-91-quiet"
	strongPassword2  = "copper-Lantern-47-drift"
	strongPassword3  = "amber-Walrus-63-gently"
	testDeviceLaptop = "laptop-1"
)

type otpChallenge struct {
	ID          string `json:"id"`
	Purpose     string `json:"purpose"`
	Channel     string `json:"channel"`
	Destination string `json:"destination"`
	ExpiresAt   string `json:"expiresAt"`
	ResendAfter string `json:"resendAfter"`
}

type gqlUser struct {
	ID           string  `json:"id"`
	Phone        *string `json:"phone"`
	PendingPhone *string `json:"pendingPhone"`
	Email        *string `json:"email"`
	Name         string  `json:"name"`
	ImageURL     string  `json:"imageUrl"`
	CountryCode  string  `json:"countryCode"`
	State        string  `json:"state"`
	Role         string  `json:"role"`
	Level        int     `json:"level"`
	HasPin       bool    `json:"hasPin"`
	HasPassword  bool    `json:"hasPassword"`
	TotpEnabled  bool    `json:"totpEnabled"`
}

type emailAuth struct {
	AccessToken          string  `json:"accessToken"`
	AccessTokenExpiresAt string  `json:"accessTokenExpiresAt"`
	RefreshToken         string  `json:"refreshToken"`
	DeviceSecret         *string `json:"deviceSecret"`
	User                 gqlUser `json:"user"`
}

func (a emailAuth) secret() string { return str(a.DeviceSecret) }

type pwSignInResult struct {
	Status    string        `json:"status"`
	Auth      *emailAuth    `json:"auth"`
	Challenge *otpChallenge `json:"challenge"`
}

type passwordChange struct {
	ChangedAt       string `json:"changedAt"`
	SessionsRevoked int    `json:"sessionsRevoked"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// fieldsOf is the first error's extensions.fields.
func fieldsOf(r gqlResponse) map[string]any {
	if len(r.Errors) == 0 {
		return nil
	}
	f, _ := r.Errors[0].Extensions["fields"].(map[string]any)
	return f
}

// nextEmailCode waits for a message to addr beyond the first before ones
// and returns its code (h.emailCode would return an older one at once).
func (h *harness) nextEmailCode(addr string, before int) string {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for h.mailCount(addr) <= before {
		if time.Now().After(deadline) {
			h.t.Fatalf("no new email to %s (had %d)", addr, before)
		}
		time.Sleep(5 * time.Millisecond)
	}
	code, ok := h.emails.LastCode(addr)
	if !ok {
		h.t.Fatalf("the newest email to %s holds no code", addr)
	}
	return code
}

// nextSMSCode waits for a text to phone beyond the first before ones
// (some flows send in the background) and returns its code.
func (h *harness) nextSMSCode(phone string, before int) string {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for h.sms.count(phone) <= before {
		if time.Now().After(deadline) {
			h.t.Fatalf("no new SMS to %s (had %d)", phone, before)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return h.sms.lastCode(h.t, phone)
}

// emailSignUp sends signUpWithEmail and returns its challenge.
func (h *harness) emailSignUp(email, password, phone, name, device string) otpChallenge {
	h.t.Helper()
	v := vars("email", email, "password", password, "name", name, "terms", true, "device", device)
	if phone != "" {
		v["phone"] = phone
	}
	var d struct{ SignUpWithEmail otpChallenge }
	h.ok("", mSignUpEmail, v, &d)
	return d.SignUpWithEmail
}

// emailUser signs up by email and confirms it: an ACTIVE user signed in on
// device.
func (h *harness) emailUser(email, password, phone, name, device string) emailAuth {
	h.t.Helper()
	before := h.mailCount(email)
	ch := h.emailSignUp(email, password, phone, name, device)
	var d struct{ ConfirmEmail emailAuth }
	h.ok("", mConfirmEmail, vars("id", ch.ID, "code", h.nextEmailCode(email, before)), &d)
	must(h.t, d.ConfirmEmail.AccessToken != "" && d.ConfirmEmail.secret() != "", "confirmEmail gave no tokens")
	return d.ConfirmEmail
}

func pwVars(username, password, device, secret string) map[string]any {
	v := vars("username", username, "password", password, "device", device)
	if secret != "" {
		v["secret"] = secret
	}
	return v
}

// pwSignIn sends signIn and decodes its outcome; errors fail the test.
func (h *harness) pwSignIn(username, password, device, secret string) pwSignInResult {
	h.t.Helper()
	var d struct{ SignIn pwSignInResult }
	h.ok("", mPwSignIn, pwVars(username, password, device, secret), &d)
	return d.SignIn
}

// verifySignIn answers a signIn challenge; errors fail the test.
func (h *harness) verifySignIn(id, code string) emailAuth {
	h.t.Helper()
	var d struct{ VerifySignIn emailAuth }
	h.ok("", mVerifySignIn, vars("id", id, "code", code), &d)
	return d.VerifySignIn
}

// meUser reads me with token; errors fail the test.
func (h *harness) meUser(token string) gqlUser {
	h.t.Helper()
	var d struct{ Me *gqlUser }
	h.ok(token, qMeFull, nil, &d)
	must(h.t, d.Me != nil, "me is null for a signed-in token")
	return *d.Me
}

// totpCode is the code an authenticator app with secret shows at at.
func totpCode(t testing.TB, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatalf("totp code: %v", err)
	}
	return c
}

// mustTime parses an RFC 3339 time from the API.
func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("time %q: %v", s, err)
	}
	return tm
}

// withoutKey is raw JSON object data with one key removed, re-encoded.
func withoutKey(t testing.TB, raw json.RawMessage, path ...string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	cur := m
	for i, k := range path {
		if i == len(path)-1 {
			delete(cur, k)
			break
		}
		next, ok := cur[k].(map[string]any)
		if !ok {
			t.Fatalf("no object at %q in %s", k, raw)
		}
		cur = next
	}
	out, _ := json.Marshal(m)
	return string(out)
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
