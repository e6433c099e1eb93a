package messages_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/messages"
)

var minutes = map[string]string{"minutes": "2"}

// operatorDir writes files (path relative to the directory → content)
// into a fresh directory and returns it.
func operatorDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for path, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(path))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(src), 0o644))
	}
	return dir
}

func TestBuiltInEnglishNamesTheProductNotGatehouse(t *testing.T) {
	t.Parallel()
	c, err := messages.New("Acme Wallet")
	require.NoError(t, err)
	assert.Equal(t, "Acme Wallet", c.ProductName())

	sms, err := c.Render("sms", messages.OTPCode, "en", minutes, "493021")
	require.NoError(t, err)
	assert.Equal(t, "Acme Wallet: your code is 493021. It expires in 2 minutes. Never share it with anyone.", sms.Text)
	assert.Empty(t, sms.Subject)
	assert.Empty(t, sms.HTML)

	mail, err := c.Render("email", messages.OTPCode, "", minutes, "493021")
	require.NoError(t, err)
	assert.Equal(t, "Acme Wallet verification code", mail.Subject)
	assert.Contains(t, mail.Text, "Your Acme Wallet verification code is 493021.")
	assert.Contains(t, mail.HTML, `<html lang="en">`)
	assert.Contains(t, mail.HTML, "493021")

	for _, name := range []string{messages.KYCApproved, messages.KYCRejected, messages.PINResetApproved, messages.PINResetRejected} {
		r, err := c.Render("sms", name, "en-GB", nil, "")
		require.NoError(t, err, name)
		assert.True(t, strings.HasPrefix(r.Text, "Acme Wallet: "), r.Text)
		assert.NotContains(t, r.Text, "Gatehouse")
		assert.NotContains(t, r.Text, "\n")
	}
}

func TestSpanishIsChosenFromTheLocaleAndEnglishIsTheFallback(t *testing.T) {
	t.Parallel()
	c, err := messages.New("Acme")
	require.NoError(t, err)
	assert.Equal(t, []string{"en", "es"}, tags(c))

	for locale, want := range map[string]string{
		"es":                        "Acme: tu código es 111222. Caduca en 2 minutos. No lo compartas con nadie.",
		"es-MX":                     "Acme: tu código es 111222. Caduca en 2 minutos. No lo compartas con nadie.",
		"es-419":                    "Acme: tu código es 111222. Caduca en 2 minutos. No lo compartas con nadie.",
		"en-US":                     "Acme: your code is 111222. It expires in 2 minutes. Never share it with anyone.",
		"de-DE":                     "Acme: your code is 111222. It expires in 2 minutes. Never share it with anyone.",
		"":                          "Acme: your code is 111222. It expires in 2 minutes. Never share it with anyone.",
		"not a tag\x00!!":           "Acme: your code is 111222. It expires in 2 minutes. Never share it with anyone.",
		strings.Repeat("es-", 5000): "Acme: your code is 111222. It expires in 2 minutes. Never share it with anyone.",
	} {
		r, err := c.Render("sms", messages.OTPCode, locale, minutes, "111222")
		require.NoError(t, err, "%.20q", locale)
		assert.Equal(t, want, r.Text, "%.20q", locale)
	}

	one, err := c.Render("sms", messages.OTPCode, "es", map[string]string{"minutes": "1"}, "111222")
	require.NoError(t, err)
	assert.Equal(t, "Acme: tu código es 111222. Caduca en 1 minuto. No lo compartas con nadie.", one.Text)
	one, err = c.Render("email", messages.OTPCode, "en", map[string]string{"minutes": "1"}, "111222")
	require.NoError(t, err)
	assert.Contains(t, one.Text, "It expires in 1 minute. ")
	assert.Contains(t, one.HTML, "It expires in 1 minute. ")

	mail, err := c.Render("email", messages.OTPCode, "es-ES", minutes, "111222")
	require.NoError(t, err)
	assert.Equal(t, "Código de verificación de Acme", mail.Subject)
	assert.Contains(t, mail.Text, "Tu código de verificación de Acme es 111222.")
	assert.Contains(t, mail.HTML, `<html lang="es">`)
	assert.Contains(t, mail.HTML, "Caduca en 2 minutos.")

	r, err := c.Render("sms", messages.KYCRejected, "es", nil, "")
	require.NoError(t, err)
	assert.Equal(t, "Acme: tu verificación de identidad no ha sido aprobada. Abre la aplicación para ver el motivo y enviarla de nuevo.", r.Text)
}

func tags(c *messages.Catalog) []string {
	var out []string
	for _, t := range c.Languages() {
		out = append(out, t.String())
	}
	return out
}

func TestHTMLEscapesValuesButTextKeepsThem(t *testing.T) {
	t.Parallel()
	c, err := messages.New(`Tom & Jerry <Bank>`)
	require.NoError(t, err)
	mail, err := c.Render("email", messages.OTPCode, "en", map[string]string{"minutes": `<img src=x onerror=alert(1)>`}, "123456")
	require.NoError(t, err)
	assert.Contains(t, mail.HTML, "Tom &amp; Jerry &lt;Bank&gt;")
	assert.Contains(t, mail.HTML, "&lt;img src=x onerror=alert(1)&gt;")
	assert.NotContains(t, mail.HTML, "<img")
	assert.NotContains(t, mail.HTML, "<Bank>")
	// Plain text is not HTML: it shows the name as written.
	assert.Contains(t, mail.Text, "Your Tom & Jerry <Bank> verification code")
	assert.Equal(t, "Tom & Jerry <Bank> verification code", mail.Subject)
}

func TestOperatorFilesOverrideAndAddLanguages(t *testing.T) {
	t.Parallel()
	dir := operatorDir(t, map[string]string{
		"en/otp_code.sms.txt":      "{{.Code}} is your {{.Product}} code ({{.Data.minutes}} min)\n",
		"de/kyc_approved.sms.txt":  "{{.Product}}: Ihre Identitätsprüfung wurde bestätigt.\n",
		"es/otp_code.html":         "<p>Código: <b>{{.Code}}</b></p>",
		".git/HEAD":                "ignored: dot names are skipped",
		"en/.otp_code.sms.txt.swp": "ignored",
	})
	c, err := messages.Load(messages.Config{ProductName: "Acme", Dir: dir})
	require.NoError(t, err)
	assert.Equal(t, []string{"en", "de", "es"}, tags(c))

	r, err := c.Render("sms", messages.OTPCode, "en", minutes, "123456")
	require.NoError(t, err)
	assert.Equal(t, "123456 is your Acme code (2 min)", r.Text, "the operator's English file wins")

	r, err = c.Render("sms", messages.KYCApproved, "de-AT", nil, "")
	require.NoError(t, err)
	assert.Equal(t, "Acme: Ihre Identitätsprüfung wurde bestätigt.", r.Text)
	r, err = c.Render("sms", messages.OTPCode, "de-AT", minutes, "123456")
	require.NoError(t, err)
	assert.Equal(t, "123456 is your Acme code (2 min)", r.Text, "German has no otp_code: English")

	mail, err := c.Render("email", messages.OTPCode, "es", minutes, "123456")
	require.NoError(t, err)
	assert.Equal(t, "<p>Código: <b>123456</b></p>", mail.HTML, "the operator's HTML for Spanish")
	assert.Equal(t, "Código de verificación de Acme", mail.Subject, "with the built-in Spanish subject")
}

func TestBadTemplatesAreRefusedAtLoadNamingTheFile(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"parse error", map[string]string{"en/otp_code.sms.txt": "{{.Code"},
			[]string{"en/otp_code.sms.txt", "unclosed action"}},
		{"data key the template does not get", map[string]string{"es/otp_code.text.txt": "{{.Data.amount}}"},
			[]string{"es/otp_code", `map has no entry for key "amount"`}},
		{"field that does not exist", map[string]string{"en/kyc_approved.sms.txt": "{{.User}}"},
			[]string{"en/kyc_approved.sms.txt", "User"}},
		{"html parse error", map[string]string{"en/otp_code.html": "<p>{{if .Code}}</p>"},
			[]string{"en/otp_code.html"}},
		{"unknown template", map[string]string{"en/welcome.sms.txt": "hi"},
			[]string{"en/welcome.sms.txt", `no template is named "welcome"`}},
		{"unknown part", map[string]string{"en/otp_code.pdf": "x"},
			[]string{"en/otp_code.pdf", "unknown file"}},
		{"e-mail of an SMS-only template", map[string]string{"es/kyc_approved.subject.txt": "x"},
			[]string{"es/kyc_approved.subject.txt", "not sent by e-mail"}},
		{"file at the top", map[string]string{"otp_code.sms.txt": "x"},
			[]string{"otp_code.sms.txt", "one folder per language"}},
		{"folder that is no language", map[string]string{"1234/otp_code.sms.txt": "x"},
			[]string{"1234", "not a BCP 47 language tag"}},
		{"e-mail without its text", map[string]string{"fr/otp_code.subject.txt": "Code {{.Product}}"},
			[]string{"fr/otp_code", "needs both otp_code.subject.txt and otp_code.text.txt"}},
		{"subject on two lines", map[string]string{"en/otp_code.subject.txt": "Your code\nfrom {{.Product}}"},
			[]string{"en/otp_code.subject.txt", "one line"}},
		{"SMS too long", map[string]string{"en/kyc_rejected.sms.txt": strings.Repeat("{{.Product}} ", 100)},
			[]string{"en/kyc_rejected.sms.txt", "renders as 4 SMS segments with sample data (500 characters)", "at most 3"}},
		{"SMS too long for UCS-2", map[string]string{"es/kyc_rejected.sms.txt": "{{.Product}}: " + strings.Repeat("ó", 200)},
			[]string{"es/kyc_rejected.sms.txt", "renders as 4 SMS segments"}},
		{"NUL byte", map[string]string{"en/kyc_rejected.sms.txt": "a\x00b"},
			[]string{"en/kyc_rejected.sms.txt", "NUL"}},
		{"not UTF-8", map[string]string{"en/kyc_rejected.sms.txt": "caf\xe9"},
			[]string{"en/kyc_rejected.sms.txt", "not valid UTF-8"}},
		{"huge", map[string]string{"en/otp_code.html": strings.Repeat("x", 1<<20)},
			[]string{"en/otp_code.html", "larger than 64 KiB"}},
		{"every problem at once", map[string]string{"en/otp_code.sms.txt": "{{.Code", "es/welcome.sms.txt": "x"},
			[]string{"en/otp_code.sms.txt", "es/welcome.sms.txt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := operatorDir(t, tc.files)
			_, err := messages.Load(messages.Config{ProductName: "Acme", Dir: dir})
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Contains(t, err.Error(), dir, "the error says where the file is")
		})
	}
}

func TestMissingDirectoryAndBadProductNameAreRefused(t *testing.T) {
	t.Parallel()
	_, err := messages.Load(messages.Config{ProductName: "Acme", Dir: filepath.Join(t.TempDir(), "nope")})
	require.ErrorContains(t, err, "cannot be read")

	file := filepath.Join(t.TempDir(), "f")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	_, err = messages.Load(messages.Config{ProductName: "Acme", Dir: file})
	require.ErrorContains(t, err, "not a directory")

	for p, want := range map[string]string{
		"":                      "empty",
		"  ":                    "empty",
		"Acme\nBank":            "control characters",
		"Acme\x00":              "control characters",
		strings.Repeat("a", 65): "longer than 64",
		"caf\xe9":               "UTF-8",
	} {
		_, err := messages.New(p)
		require.ErrorContains(t, err, want, "%q", p)
	}
}

func TestRenderRefusesWhatItDoesNotKnowWithoutEchoingTheCode(t *testing.T) {
	t.Parallel()
	c, err := messages.New("Acme")
	require.NoError(t, err)
	for _, tc := range []struct{ channel, name string }{
		{"sms", "welcome"}, {"email", messages.KYCApproved}, {"fax", messages.OTPCode},
	} {
		_, err := c.Render(tc.channel, tc.name, "en", minutes, "987654")
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "987654")
	}
	// The worker must give what the template gets.
	_, err = c.Render("sms", messages.OTPCode, "en", nil, "987654")
	require.ErrorContains(t, err, `"minutes"`)
	assert.NotContains(t, err.Error(), "987654")
}

func TestCatalogIsSafeForConcurrentRenders(t *testing.T) {
	t.Parallel()
	c, err := messages.New("Acme")
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				locale := []string{"es", "en", "fr"}[i%3]
				_, err := c.Render("email", messages.OTPCode, locale, minutes, "123456")
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := messages.New("Acme"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderEmail(b *testing.B) {
	c, err := messages.New("Acme")
	require.NoError(b, err)
	for b.Loop() {
		if _, err := c.Render("email", messages.OTPCode, "es-MX", minutes, "123456"); err != nil {
			b.Fatal(err)
		}
	}
}
