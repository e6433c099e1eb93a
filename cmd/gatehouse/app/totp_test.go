package app_test

import (
	"bytes"
	"encoding/base32"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestTOTP turns an authenticator app on, signs in with it (each code
// once), uses a recovery code, and turns it off.
func TestTOTP(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const email, pw = "ada@example.com", strongPassword
	a := h.emailUser(email, pw, "", "Ada", "laptop-1")

	h.fails("", mStartTotp, nil, "UNAUTHENTICATED")
	var st struct {
		StartTotpEnrollment struct {
			Secret string
			URI    string
			QRCode string
		}
	}
	h.ok(a.AccessToken, mStartTotp, nil, &st)
	e := st.StartTotpEnrollment
	must(t, len(e.Secret) >= 26, "secret %q", e.Secret)
	must(t, strings.HasPrefix(e.URI, "otpauth://totp/") && strings.Contains(e.URI, "secret="+e.Secret), "uri %q", e.URI)
	must(t, strings.HasPrefix(e.QRCode, "data:image/png;base64,"), "qrCode %.40q", e.QRCode)

	// Not on until confirmed: sign-in on the trusted device still works.
	in := h.pwSignIn(email, pw, "laptop-1", a.secret())
	must(t, in.Status == "SIGNED_IN", "before confirmation: %+v", in)

	code := totpCode(t, e.Secret, h.clock.Now())
	wrong := "000000"
	if wrong == code {
		wrong = "111111"
	}
	h.fails(a.AccessToken, mConfirmTotp, vars("code", wrong), "INVALID_CODE")
	var conf struct {
		ConfirmTotpEnrollment struct{ RecoveryCodes []string }
	}
	h.ok(a.AccessToken, mConfirmTotp, vars("code", code), &conf)
	recovery := conf.ConfirmTotpEnrollment.RecoveryCodes
	must(t, len(recovery) == 10, "recovery codes: %v", recovery)
	seen := map[string]bool{}
	for _, rc := range recovery {
		must(t, rc != "" && !seen[rc], "recovery codes not distinct: %v", recovery)
		seen[rc] = true
	}
	must(t, h.meUser(a.AccessToken).TotpEnabled, "totpEnabled false after confirmation")
	h.fails(a.AccessToken, mStartTotp, nil, "CONFLICT")

	// Now even the trusted device answers the app's code.
	in = h.pwSignIn(email, pw, "laptop-1", a.secret())
	must(t, in.Status == "MFA_REQUIRED" && in.Auth == nil && in.Challenge != nil && in.Challenge.Channel == "TOTP" &&
		in.Challenge.Purpose == "SIGN_IN_MFA", "trusted device with TOTP: %+v", in)
	// The code that confirmed the enrollment was seen: not again.
	h.fails("", mVerifySignIn, vars("id", in.Challenge.ID, "code", code), "INVALID_CODE")

	h.clock.Advance(30 * time.Second)
	code = totpCode(t, e.Secret, h.clock.Now())
	b := h.verifySignIn(in.Challenge.ID, code)
	must(t, b.User.ID == a.User.ID && b.User.TotpEnabled, "verifySignIn: %+v", b.User)
	// Answering the second factor hands the device a fresh secret; the
	// client keeps the newest.
	secret := a.secret()
	keep := func(x emailAuth) {
		if x.secret() != "" {
			secret = x.secret()
		}
	}
	keep(b)
	var vt struct{ ValidateToken struct{ Scopes []string } }
	h.ok("", qValidateToken, vars("token", b.AccessToken), &vt)
	must(t, contains(vt.ValidateToken.Scopes, "mfa"), "scopes after TOTP sign-in: %v", vt.ValidateToken.Scopes)

	// The same code, at the same time, on a new challenge: refused.
	in = h.pwSignIn(email, pw, "laptop-1", secret)
	must(t, in.Status == "MFA_REQUIRED" && in.Challenge != nil, "second sign-in: %+v", in)
	r := h.fails("", mVerifySignIn, vars("id", in.Challenge.ID, "code", code), "INVALID_CODE")
	// Next step, next code: accepted on the same challenge.
	h.clock.Advance(30 * time.Second)
	c := h.verifySignIn(in.Challenge.ID, totpCode(t, e.Secret, h.clock.Now()))
	must(t, c.User.ID == a.User.ID, "verifySignIn after replay: %+v", c.User)
	keep(c)
	_ = r

	// A recovery code works once; dashes and case do not matter.
	in = h.pwSignIn(email, pw, "laptop-1", secret)
	must(t, in.Status == "MFA_REQUIRED" && in.Challenge != nil, "third sign-in: %+v", in)
	keep(h.verifySignIn(in.Challenge.ID, strings.ToUpper(strings.ReplaceAll(recovery[3], "-", ""))))
	in = h.pwSignIn(email, pw, "laptop-1", secret)
	must(t, in.Status == "MFA_REQUIRED" && in.Challenge != nil, "fourth sign-in: %+v", in)
	h.fails("", mVerifySignIn, vars("id", in.Challenge.ID, "code", recovery[3]), "INVALID_CODE")

	// At rest: the secret is sealed, recovery codes are digests.
	var sealed []byte
	var lastStep int64
	must(t, h.db.NewRaw(`SELECT sealed_secret, last_step FROM totp_credentials WHERE user_id = ?`, uuid.MustParse(a.User.ID)).
		Scan(t.Context(), &sealed, &lastStep) == nil, "no totp_credentials row")
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(e.Secret)
	must(t, err == nil, "secret is not base32: %v", err)
	must(t, !bytes.Contains(sealed, []byte(e.Secret)) && !bytes.Contains(sealed, raw), "sealed_secret holds the secret in the clear")
	must(t, lastStep == h.clock.Now().Unix()/30, "last_step %d, want the step just used %d", lastStep, h.clock.Now().Unix()/30)
	var digests [][]byte
	must(t, h.db.NewRaw(`SELECT digest FROM recovery_codes WHERE user_id = ?`, uuid.MustParse(a.User.ID)).
		Scan(t.Context(), &digests) == nil, "recovery_codes")
	must(t, len(digests) == 10, "%d recovery_codes rows", len(digests))
	for _, d := range digests {
		must(t, len(d) == 32, "digest of %d bytes", len(d))
		for _, rc := range recovery {
			must(t, !bytes.Contains(d, []byte(rc)) && !bytes.Contains(d, []byte(strings.ReplaceAll(rc, "-", ""))), "a recovery code is stored as is")
		}
	}
	var used int
	must(t, h.db.NewRaw(`SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NOT NULL`, uuid.MustParse(a.User.ID)).
		Scan(t.Context(), &used) == nil && used == 1, "used recovery codes: %d", used)

	// Turning it off takes a current code; then the trusted device signs in at once.
	h.fails(a.AccessToken, mDisableTotp, vars("code", totpCode(t, e.Secret, h.clock.Now())), "INVALID_CODE") // step already used
	h.clock.Advance(30 * time.Second)
	var dis struct {
		DisableTotp struct {
			ID          string
			TotpEnabled bool
		}
	}
	h.ok(a.AccessToken, mDisableTotp, vars("code", totpCode(t, e.Secret, h.clock.Now())), &dis)
	must(t, dis.DisableTotp.ID == a.User.ID && !dis.DisableTotp.TotpEnabled, "disableTotp: %+v", dis.DisableTotp)
	must(t, !h.meUser(a.AccessToken).TotpEnabled, "totpEnabled true after disabling")
	in = h.pwSignIn(email, pw, "laptop-1", secret)
	must(t, in.Status == "SIGNED_IN", "after disabling: %+v", in)
	var left int
	must(t, h.db.NewRaw(`SELECT count(*) FROM recovery_codes WHERE user_id = ?`, uuid.MustParse(a.User.ID)).
		Scan(t.Context(), &left) == nil && left == 0, "recovery codes left after disabling: %d", left)
}
