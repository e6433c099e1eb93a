package app_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
	"github.com/gatehouse/gatehouse/modules/messages"
)

const (
	mUpdateLocale = `mutation($locale: String) { updateMe(input: {locale: $locale}) { id locale } }`
	qMeLocale     = `{ me { id locale } }`
	qUserLocale   = `query($id: ID!) { user(id: $id) { id locale } }`
)

// TestLocaleIsSetInUpdateMeAndReadInBothViews: a member picks a language
// (any well-formed tag, stored canonical), staff read it on the user, and
// a bad tag is a VALIDATION_FAILED on locale that changes nothing.
func TestLocaleIsSetInUpdateMeAndReadInBothViews(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.signUp("+447911123470", "4831", "device-A")
	support := h.staff("SUPPORT", "+447911123471")

	var me struct{ Me struct{ ID, Locale string } }
	h.ok(a.AccessToken, qMeLocale, nil, &me)
	must(t, me.Me.Locale == "", "no Accept-Language at sign-up: locale %q", me.Me.Locale)

	var up struct{ UpdateMe struct{ ID, Locale string } }
	for in, want := range map[string]string{"ES_mx": "es-MX", "pt-br": "pt-BR", "iw": "he", " fr ": "fr", "": ""} {
		h.ok(a.AccessToken, mUpdateLocale, vars("locale", in), &up)
		must(t, up.UpdateMe.Locale == want, "updateMe(locale %q) = %q, want %q", in, up.UpdateMe.Locale, want)
	}
	h.ok(a.AccessToken, mUpdateLocale, vars("locale", "es-419"), &up)

	for _, bad := range []string{"english!", "x-private", "und", "*", "es\x00", strings.Repeat("a", 36),
		"en-US-u-ca-gregory-nu-latn-x-aaaaaaaa", strings.Repeat("es-ES,", 10000)} {
		r := h.fails(a.AccessToken, mUpdateLocale, vars("locale", bad), "VALIDATION_FAILED")
		must(t, fieldsOf(r)["locale"] != nil, "%.20q: fields %v", bad, fieldsOf(r))
	}
	h.ok(a.AccessToken, qMeLocale, nil, &me)
	must(t, me.Me.Locale == "es-419", "refused updates changed the locale: %q", me.Me.Locale)

	// Omitted keeps it.
	h.ok(a.AccessToken, mUpdateMe, vars("name", "Ana"), &struct{}{})
	h.ok(a.AccessToken, qMeLocale, nil, &me)
	must(t, me.Me.Locale == "es-419", "updateMe without locale changed it: %q", me.Me.Locale)

	var staffView struct{ User struct{ ID, Locale string } }
	h.ok(support.token, qUserLocale, vars("id", a.User.ID), &staffView)
	must(t, staffView.User.ID == a.User.ID && staffView.User.Locale == "es-419", "staff view: %+v", staffView.User)
}

// TestSignUpTakesTheLocaleFromAcceptLanguage: the account starts in the
// client's first choice, and a hostile header loses only the preference.
func TestSignUpTakesTheLocaleFromAcceptLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)

	phoneSignUp := func(phone, acceptLanguage string) string {
		t.Helper()
		ticket := h.ticketFor(phone)
		r := h.postWith(map[string]string{"Accept-Language": acceptLanguage}, "", mComplete,
			vars("ticket", ticket, "pin", "4831", "confirm", "4831", "terms", true, "device", "device-A"))
		must(t, len(r.Errors) == 0, "completePhoneSignup with Accept-Language %.30q: %+v", acceptLanguage, r.Errors)
		var d struct{ CompletePhoneSignup authPayload }
		decodeInto(t, r, &d)
		var me struct{ Me struct{ Locale string } }
		h.ok(d.CompletePhoneSignup.AccessToken, qMeLocale, nil, &me)
		return me.Me.Locale
	}
	for i, tc := range []struct{ header, want string }{
		{"es-MX,es;q=0.9,en;q=0.8", "es-MX"},
		{"de;q=0.5, fr-CH", "fr-CH"},
		{"*, es;q=0.1", "es"},
		{"EN_gb", "en-GB"},
		// Hostile or useless: sign-up goes on, in the default language.
		{"", ""},
		{"*", ""},
		{"garbage;;q=abc,,,", ""},
		{"\xff\xfe\xfd", ""},
		{strings.Repeat("es-ES,", 2000), ""},
		{"x-klingon", ""},
	} {
		got := phoneSignUp("+4479111235"+string(rune('0'+i/10))+string(rune('0'+i%10)), tc.header)
		must(t, got == tc.want, "Accept-Language %.30q: locale %q, want %q", tc.header, got, tc.want)
	}

	// E-mail sign-up: the account is made by signUpWithEmail.
	const addr = "lucia@example.com"
	r := h.postWith(map[string]string{"Accept-Language": "es-ES,es;q=0.9"}, "", mSignUpEmail,
		vars("email", addr, "password", strongPassword, "name", "Lucía", "terms", true, "device", "laptop"))
	must(t, len(r.Errors) == 0, "signUpWithEmail: %+v", r.Errors)
	var ch struct{ SignUpWithEmail otpChallenge }
	decodeInto(t, r, &ch)
	var conf struct{ ConfirmEmail emailAuth }
	h.ok("", mConfirmEmail, vars("id", ch.SignUpWithEmail.ID, "code", h.nextEmailCode(addr, 0)), &conf)
	var me struct{ Me struct{ Locale string } }
	h.ok(conf.ConfirmEmail.AccessToken, qMeLocale, nil, &me)
	must(t, me.Me.Locale == "es-ES", "e-mail sign-up locale %q", me.Me.Locale)
}

// TestTOTPIssuerIsTheProductName: authenticator apps show the operator's
// product name, in the otpauth URL's label and issuer.
func TestTOTPIssuerIsTheProductName(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *app.Config) { c.ProductName = "Acme Wallet" })
	a := h.emailUser("ada@example.com", strongPassword, "", "Ada", "laptop-1")
	var st struct{ StartTotpEnrollment struct{ URI string } }
	h.ok(a.AccessToken, mStartTotp, nil, &st)
	u, err := url.Parse(st.StartTotpEnrollment.URI)
	must(t, err == nil, "uri %q: %v", st.StartTotpEnrollment.URI, err)
	must(t, u.Query().Get("issuer") == "Acme Wallet", "issuer %q", u.Query().Get("issuer"))
	label, _ := url.PathUnescape(strings.TrimPrefix(u.Path, "/"))
	must(t, label == "Acme Wallet:ada@example.com", "label %q", label)
	must(t, !strings.Contains(st.StartTotpEnrollment.URI, "Gatehouse"), "uri names Gatehouse: %q", st.StartTotpEnrollment.URI)
}

// TestServerRefusesToStartOnABadTemplate: a template that does not parse
// or asks for data it does not get stops the start, naming the file.
func TestServerRefusesToStartOnABadTemplate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "es"), 0o755) == nil, "mkdir")
	must(t, os.WriteFile(filepath.Join(dir, "es", "otp_code.sms.txt"), []byte("{{.Product}}: {{.Data.amount}}\n"), 0o644) == nil, "write")

	cfg, err := app.Load(func(k string) string {
		return map[string]string{"GATEHOUSE_ENV": "dev", "GATEHOUSE_TEMPLATES_DIR": dir}[k]
	})
	must(t, err == nil, "config: %v", err)
	cfg.DatabaseURL = pgtest.URL(t)
	cfg.DataDir = t.TempDir()
	cfg.SigningKeyFile = cfg.DataDir + "/keys/signing.pem"
	cfg.BlobDir = filepath.Join(cfg.DataDir, "blobs")
	cfg.HTTPAddr = "127.0.0.1:0"
	cfg.DevAdminPhone = ""
	a := fx.New(app.Options(cfg, slog.New(slog.DiscardHandler)))
	err = a.Start(context.Background())
	if err == nil {
		_ = a.Stop(context.Background())
		t.Fatal("the server started with a template asking for .Data.amount")
	}
	must(t, strings.Contains(err.Error(), filepath.Join(dir, "es", "otp_code.sms.txt")) &&
		strings.Contains(err.Error(), `map has no entry for key "amount"`), "start error: %v", err)

	// The same directory, fixed, starts: the operator's Spanish is used.
	must(t, os.WriteFile(filepath.Join(dir, "es", "otp_code.sms.txt"), []byte("{{.Product}}: código {{.Code}}\n"), 0o644) == nil, "write")
	var c *messages.Catalog
	newHarnessWith(t, []fx.Option{fx.Populate(&c)}, func(cfg *app.Config) { cfg.TemplatesDir = dir; cfg.ProductName = "Acme" })
	r, err := c.Render("sms", messages.OTPCode, "es-AR", map[string]string{"minutes": "2"}, "123456")
	must(t, err == nil && r.Text == "Acme: código 123456", "operator's Spanish: %q, %v", r.Text, err)
	r, err = c.Render("sms", messages.KYCApproved, "es-AR", nil, "")
	must(t, err == nil && r.Text == "Acme: tu verificación de identidad ha sido aprobada.", "built-in Spanish: %q, %v", r.Text, err)
}

// decodeInto decodes a response's data into dst, failing on errors.
func decodeInto(t *testing.T, r gqlResponse, dst any) {
	t.Helper()
	must(t, len(r.Errors) == 0, "errors: %+v", r.Errors)
	must(t, json.Unmarshal(r.Data, dst) == nil, "decode %s", r.Data)
}

func TestProductNameIsChecked(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"Acme\nBank", strings.Repeat("x", 65), "Acme: Bank"} {
		_, err := app.Load(func(k string) string {
			return map[string]string{"GATEHOUSE_ENV": "dev", "GATEHOUSE_PRODUCT_NAME": bad}[k]
		})
		must(t, err != nil && strings.Contains(err.Error(), "GATEHOUSE_PRODUCT_NAME"), "product name %.20q: %v", bad, err)
	}
	cfg, err := app.Load(func(k string) string { return map[string]string{"GATEHOUSE_ENV": "dev"}[k] })
	must(t, err == nil && cfg.ProductName == "Gatehouse", "default product name %q: %v", cfg.ProductName, err)
}
