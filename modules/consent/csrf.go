package consent

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"time"
)

// Cookies the pages set, all on /oauth2/ only, HttpOnly, SameSite=Lax, and
// Secure outside dev.
const (
	// csrfCookie holds the browser's random CSRF nonce; every form carries
	// an HMAC of it with the page's challenge, so a form posted from
	// another site (which cannot read the cookie) or for another challenge
	// is refused.
	csrfCookie = "gatehouse_csrf"
	// deviceCookie is the browser's device id: the browser is a device like
	// a phone, trusted once a code proved it.
	deviceCookie = "gatehouse_device"
	// deviceSecretCookie is the secret a verified sign-in gave the device,
	// presented with the PIN or password so a known browser skips the code.
	deviceSecretCookie = "gatehouse_device_secret"
	cookiePath         = "/oauth2/"
	// deviceCookieAge keeps the device cookies as long as browsers allow.
	deviceCookieAge = 400 * 24 * time.Hour
)

// csrf makes and checks the forms' tokens.
type csrf struct{ key []byte }

// token binds the browser's nonce to the challenge the form answers.
func (c csrf) token(nonce, challenge string) string {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte("gatehouse/oauth2-pages\x00"))
	m.Write([]byte(nonce))
	m.Write([]byte{0})
	m.Write([]byte(challenge))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// valid reports whether got is the token of nonce and challenge; an empty
// nonce (no cookie) is never valid.
func (c csrf) valid(nonce, challenge, got string) bool {
	if nonce == "" || got == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(c.token(nonce, challenge)), []byte(got)) == 1
}

// browser is the tag of the browser whose nonce this is, kept with a login
// at the OAuth2 server (not the nonce itself: the server's store and logs
// must not hold what forges the browser's forms).
func (c csrf) browser(nonce string) string {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte("gatehouse/oauth2-browser\x00"))
	m.Write([]byte(nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// sameBrowser reports whether nonce is the nonce of the browser tagged.
func (c csrf) sameBrowser(nonce, tag string) bool {
	return nonce != "" && subtle.ConstantTimeCompare([]byte(c.browser(nonce)), []byte(tag)) == 1
}

// randomChars is the length of a randomValue.
const randomChars = 43

// randomValue is 256 bits of randomness, URL-safe (randomChars long).
func randomValue() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// cookieValue is the named cookie's value when it looks like one of ours
// (bounded, URL-safe), "" otherwise.
func cookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil || len(c.Value) == 0 || len(c.Value) > 128 {
		return ""
	}
	for _, ch := range c.Value {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_') {
			return ""
		}
	}
	return c.Value
}
