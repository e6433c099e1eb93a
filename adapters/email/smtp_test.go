package email

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/ports"
)

var messageIDRe = regexp.MustCompile(`^<[A-Z2-7]{26}@example\.com>$`)

// newTestSMTP builds the adapter for cfg, logging into the returned buffer,
// with retries that do not wait (their waits are recorded).
func newTestSMTP(t *testing.T, cfg SMTPConfig) (*SMTP, *syncBuffer, *[]time.Duration) {
	t.Helper()
	logs := &syncBuffer{}
	s, err := NewSMTP(cfg, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	require.NoError(t, err)
	var waits []time.Duration
	s.sleep = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return ctx.Err()
	}
	return s, logs, &waits
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// parsed is a received message, decoded.
type parsed struct {
	Header mail.Header
	Raw    []byte
	Body   string // quoted-printable decoded
}

func parseReceived(t *testing.T, data []byte) parsed {
	t.Helper()
	// Every line ends in CRLF, none is longer than RFC 5322's 998, and
	// the whole message is 7-bit.
	require.True(t, bytes.HasSuffix(data, []byte("\r\n")), "message must end with CRLF")
	for i, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\r\n")), []byte("\r\n")) {
		require.NotContains(t, string(line), "\n", "bare LF in line %d", i)
		require.NotContains(t, string(line), "\r", "bare CR in line %d", i)
		require.LessOrEqual(t, len(line), 998, "line %d too long", i)
		for _, c := range line {
			require.Less(t, c, byte(0x80), "8-bit byte in line %d: %q", i, line)
		}
	}
	m, err := mail.ReadMessage(bytes.NewReader(data))
	require.NoError(t, err)
	body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	require.NoError(t, err)
	return parsed{Header: m.Header, Raw: data, Body: string(body)}
}

func decodeHeader(t *testing.T, h mail.Header, name string) string {
	t.Helper()
	v, err := new(mime.WordDecoder).DecodeHeader(h.Get(name))
	require.NoError(t, err)
	return v
}

func TestSMTPDeliversOverSTARTTLSWithAuth(t *testing.T) {
	t.Parallel()
	srv := newFakeSMTP(t, fakeOptions{tls: offerSTARTTLS, user: testUser, password: testPassword})
	s, logs, waits := newTestSMTP(t, srv.config())
	fixed := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("CET", 3600))
	s.now = func() time.Time { return fixed }

	subject := "Votre code Gatehouse : " + testCode + " — ne le partagez pas, même avec notre équipe ✓ (valable 2 minutes)"
	text := "Bonjour,\n\nVotre code de vérification est " + testCode + ".\n" +
		".une ligne qui commence par un point\n" +
		strings.Repeat("Une très longue ligne qui doit être coupée par quoted-printable. ", 4) + "\n" +
		"Fin = fin\n"
	err := s.SendEmail(context.Background(), ports.Email{To: "Alice Dupont <" + testTo + ">", Subject: subject, Text: text})
	require.NoError(t, err)

	conns, _, _, auths, msgs := srv.snapshot()
	assert.Equal(t, 1, conns)
	require.Len(t, auths, 1)
	assert.Equal(t, authCall{Identity: "", Username: testUser, Password: testPassword, TLS: true, TLSVersion: auths[0].TLSVersion}, auths[0],
		"AUTH PLAIN with the configured credentials, over TLS")
	assert.GreaterOrEqual(t, auths[0].TLSVersion, uint16(tls.VersionTLS12))
	require.Len(t, msgs, 1)
	got := msgs[0]
	assert.Equal(t, testFromAddr, got.From, "envelope sender")
	assert.Equal(t, []string{testTo}, got.To, "envelope recipient")
	assert.True(t, got.Authed)
	assert.True(t, got.TLS && got.TLSAtRM, "MAIL, RCPT and DATA over TLS")
	assert.Equal(t, "gatehouse.test", got.Helo)

	m := parseReceived(t, got.Data)
	from, err := m.Header.AddressList("From")
	require.NoError(t, err)
	assert.Equal(t, []*mail.Address{{Name: "Gatehouse", Address: testFromAddr}}, from)
	to, err := m.Header.AddressList("To")
	require.NoError(t, err)
	assert.Equal(t, []*mail.Address{{Name: "Alice Dupont", Address: testTo}}, to)
	assert.Contains(t, string(m.Raw), "Subject: =?UTF-8?q?", "non-ASCII subject is Q-encoded")
	assert.Equal(t, subject, decodeHeader(t, m.Header, "Subject"))
	date, err := m.Header.Date()
	require.NoError(t, err)
	assert.True(t, fixed.Equal(date), "Date %v, want %v", date, fixed)
	assert.Equal(t, "Wed, 04 Mar 2026 05:06:07 +0100", m.Header.Get("Date"), "RFC 1123 with numeric zone")
	assert.Regexp(t, messageIDRe, m.Header.Get("Message-ID"))
	assert.Equal(t, "1.0", m.Header.Get("MIME-Version"))
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	require.NoError(t, err)
	assert.Equal(t, "text/plain", mediaType)
	assert.Equal(t, map[string]string{"charset": "UTF-8"}, params)
	assert.Equal(t, "quoted-printable", m.Header.Get("Content-Transfer-Encoding"))
	assert.Equal(t, "auto-generated", m.Header.Get("Auto-Submitted"))
	assert.Equal(t, strings.ReplaceAll(text, "\n", "\r\n"), m.Body, "decoded body, line breaks as CRLF")

	assert.Empty(t, *waits, "no retry")
	out := logs.String()
	assert.Contains(t, out, "email sent")
	assert.Contains(t, out, "a****@example.org")
	for _, secret := range []string{testCode, testPassword, testTo} {
		assert.NotContains(t, out, secret, "logs leak %q", secret)
	}
}

func TestSMTPMessageIDsDiffer(t *testing.T) {
	t.Parallel()
	srv := newFakeSMTP(t, fakeOptions{tls: offerSTARTTLS, user: testUser, password: testPassword})
	s, _, _ := newTestSMTP(t, srv.config())
	for range 2 {
		require.NoError(t, s.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "Your code", Text: "Code: " + testCode}))
	}
	_, _, _, _, msgs := srv.snapshot()
	require.Len(t, msgs, 2)
	a, b := parseReceived(t, msgs[0].Data), parseReceived(t, msgs[1].Data)
	assert.NotEqual(t, a.Header.Get("Message-ID"), b.Header.Get("Message-ID"))
	assert.Equal(t, "Your code", a.Header.Get("Subject"), "an ASCII subject is left as is")
	assert.Equal(t, "<"+testTo+">", a.Header.Get("To"))
	assert.Equal(t, "Code: "+testCode+"\r\n", a.Body)
}

func TestSMTPImplicitTLS(t *testing.T) {
	t.Parallel()
	srv := newFakeSMTP(t, fakeOptions{tls: implicitTLS, user: testUser, password: testPassword})
	s, _, _ := newTestSMTP(t, srv.config())
	require.NoError(t, s.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "Code", Text: testCode}))

	_, _, _, auths, msgs := srv.snapshot()
	require.Len(t, auths, 1)
	assert.True(t, auths[0].TLS)
	assert.Equal(t, testPassword, auths[0].Password)
	require.Len(t, msgs, 1)
	assert.True(t, msgs[0].TLS && msgs[0].TLSAtRM)
	assert.Equal(t, testCode+"\r\n", parseReceived(t, msgs[0].Data).Body)
}

func TestSMTPNoneOnLoopbackWithoutAuth(t *testing.T) {
	t.Parallel()
	srv := newFakeSMTP(t, fakeOptions{tls: noTLS})
	s, _, _ := newTestSMTP(t, srv.config())
	require.NoError(t, s.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "Code", Text: testCode}))

	_, _, _, auths, msgs := srv.snapshot()
	assert.Empty(t, auths)
	require.Len(t, msgs, 1)
	assert.False(t, msgs[0].TLS)
	assert.Equal(t, []string{testTo}, msgs[0].To)
}

func TestSMTPRefusesServerWithoutSTARTTLS(t *testing.T) {
	t.Parallel()
	// The server would take AUTH in plain text: the client must not offer.
	srv := newFakeSMTP(t, fakeOptions{tls: noTLS, allowInsecureAuth: true, user: testUser, password: testPassword})
	cfg := srv.config()
	cfg.TLS = TLSStartTLS
	s, logs, waits := newTestSMTP(t, cfg)

	err := s.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "Code", Text: "Code " + testCode})
	require.ErrorIs(t, err, ErrSTARTTLSUnavailable)
	var se *SMTPError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "starttls", se.Stage)

	conns, _, mails, auths, msgs := srv.snapshot()
	assert.Equal(t, 1, conns, "not retried")
	assert.Empty(t, auths, "no credentials sent")
	assert.Zero(t, mails, "no MAIL")
	assert.Empty(t, msgs)
	assert.Empty(t, *waits)
	for _, s := range []string{err.Error(), logs.String()} {
		assert.NotContains(t, s, testPassword)
		assert.NotContains(t, s, testCode)
	}
}

func TestSMTPWrongCredentials(t *testing.T) {
	t.Parallel()
	srv := newFakeSMTP(t, fakeOptions{tls: offerSTARTTLS, user: testUser, password: "the-right-one"})
	cfg := srv.config()
	cfg.Password = testPassword
	s, logs, waits := newTestSMTP(t, cfg)

	err := s.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "Code", Text: "Code " + testCode})
	require.Error(t, err)
	var se *SMTPError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "auth", se.Stage)
	assert.Equal(t, 535, se.Code)
	assert.False(t, se.Temporary())

	_, _, mails, auths, msgs := srv.snapshot()
	require.Len(t, auths, 1, "one attempt: a 5xx is not retried")
	assert.Equal(t, testPassword, auths[0].Password)
	assert.True(t, auths[0].TLS)
	assert.Zero(t, mails)
	assert.Empty(t, msgs)
	assert.Empty(t, *waits)

	blob := base64.StdEncoding.EncodeToString([]byte("\x00" + testUser + "\x00" + testPassword))
	for _, s := range []string{err.Error(), logs.String()} {
		assert.NotContains(t, s, testPassword)
		assert.NotContains(t, s, blob)
		assert.NotContains(t, s, testCode)
		assert.NotContains(t, s, testTo)
	}
	assert.Contains(t, err.Error(), "a****@example.org")
}

func TestSMTPScrubsEchoedSecrets(t *testing.T) {
	t.Parallel()
	// A server that echoes what it got in its error must not make the
	// password, the text or the address reach the error.
	text := "Your code is " + testCode
	srv := newFakeSMTP(t, fakeOptions{tls: offerSTARTTLS, user: testUser, password: testPassword,
		dataErr: &gosmtp.SMTPError{Code: 554, EnhancedCode: gosmtp.EnhancedCode{5, 6, 0},
			Message: "rejected " + testTo + " pw=" + testPassword + " body=" + text}})
	s, logs, waits := newTestSMTP(t, srv.config())

	err := s.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "Code", Text: text})
	var se *SMTPError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 554, se.Code)
	assert.Equal(t, "data", se.Stage)
	for _, s := range []string{err.Error(), logs.String()} {
		assert.NotContains(t, s, testPassword)
		assert.NotContains(t, s, testCode)
		assert.NotContains(t, s, testTo)
	}
	assert.Contains(t, err.Error(), "rejected a****@example.org pw=[REDACTED] body=[text]")
	assert.Empty(t, *waits)
}

func TestSMTPRefusesUntrustedCertificate(t *testing.T) {
	t.Parallel()
	for _, mode := range []serverTLS{offerSTARTTLS, implicitTLS} {
		srv := newFakeSMTP(t, fakeOptions{tls: mode, user: testUser, password: testPassword})
		cfg := srv.config()
		cfg.RootCAs = x509.NewCertPool() // trusts nothing
		s, _, waits := newTestSMTP(t, cfg)

		err := s.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "Code", Text: testCode})
		var cve *tls.CertificateVerificationError
		require.ErrorAs(t, err, &cve, "mode %d", mode)
		assert.NotContains(t, err.Error(), testPassword)
		_, _, mails, auths, _ := srv.snapshot()
		assert.Empty(t, auths, "mode %d: no credentials sent", mode)
		assert.Zero(t, mails)
		assert.Empty(t, *waits, "a certificate failure is not retried")
	}
}

func TestSMTPRefusesHeaderInjectionAndBadRecipients(t *testing.T) {
	t.Parallel()
	srv := newFakeSMTP(t, fakeOptions{tls: offerSTARTTLS, user: testUser, password: testPassword})
	s, _, _ := newTestSMTP(t, srv.config())
	for name, m := range map[string]ports.Email{
		"CRLF in To":            {To: testTo + "\r\nBcc: mallory@example.net", Subject: "Code", Text: testCode},
		"LF in To":              {To: testTo + "\nBcc: mallory@example.net", Subject: "Code", Text: testCode},
		"CR in To":              {To: testTo + "\r", Subject: "Code", Text: testCode},
		"CRLF in Subject":       {To: testTo, Subject: "Code\r\nBcc: mallory@example.net", Text: testCode},
		"LF in Subject":         {To: testTo, Subject: "Code\nX-Evil: 1", Text: testCode},
		"CR in Subject":         {To: testTo, Subject: "Code\rX-Evil: 1", Text: testCode},
		"NUL in Subject":        {To: testTo, Subject: "Code\x00", Text: testCode},
		"not an address":        {To: "alice", Subject: "Code", Text: testCode},
		"two addresses":         {To: testTo + ", mallory@example.net", Subject: "Code", Text: testCode},
		"empty To":              {To: "", Subject: "Code", Text: testCode},
		"non-ASCII address":     {To: "álice@example.org", Subject: "Code", Text: testCode},
		"address without local": {To: "@example.org", Subject: "Code", Text: testCode},
	} {
		err := s.SendEmail(context.Background(), m)
		require.ErrorIs(t, err, ErrInvalidMessage, name)
		assert.NotContains(t, err.Error(), "mallory", name)
		assert.NotContains(t, err.Error(), testCode, name)
	}
	conns, _, _, _, _ := srv.snapshot()
	assert.Zero(t, conns, "nothing was sent")
}

func TestSMTPRetriesTransientConnectFailure(t *testing.T) {
	t.Parallel()
	srv := newFakeSMTP(t, fakeOptions{tls: offerSTARTTLS, user: testUser, password: testPassword, rejectConns: 2})
	s, logs, waits := newTestSMTP(t, srv.config())

	require.NoError(t, s.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "Code", Text: testCode}))
	conns, _, _, auths, msgs := srv.snapshot()
	assert.Equal(t, 3, conns)
	assert.Len(t, auths, 1)
	assert.Len(t, msgs, 1)
	require.Len(t, *waits, 2)
	assert.GreaterOrEqual(t, (*waits)[0], smtpFirstBackoff)
	assert.GreaterOrEqual(t, (*waits)[1], 2*smtpFirstBackoff)
	assert.Contains(t, logs.String(), "retrying")
}

func TestSMTPGivesUpAfterThreeAttempts(t *testing.T) {
	t.Parallel()
	srv := newFakeSMTP(t, fakeOptions{tls: offerSTARTTLS, user: testUser, password: testPassword, rejectConns: 10})
	s, _, waits := newTestSMTP(t, srv.config())

	err := s.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "Code", Text: testCode})
	var se *SMTPError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 421, se.Code)
	assert.Equal(t, "greeting", se.Stage)
	assert.True(t, se.Temporary())
	assert.Contains(t, err.Error(), "giving up after 3 attempts")
	conns, _, _, _, _ := srv.snapshot()
	assert.Equal(t, 3, conns)
	assert.Len(t, *waits, 2)
}

func TestSMTPDoesNotRetryPermanentOrAfterData(t *testing.T) {
	t.Parallel()
	for name, opts := range map[string]fakeOptions{
		"550 at RCPT": {rcptErr: &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "No such user"}},
		"451 at DATA": {dataErr: &gosmtp.SMTPError{Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 3, 0}, Message: "Try later"}},
	} {
		opts.tls, opts.user, opts.password = offerSTARTTLS, testUser, testPassword
		srv := newFakeSMTP(t, opts)
		s, _, waits := newTestSMTP(t, srv.config())
		err := s.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "Code", Text: testCode})
		require.Error(t, err, name)
		conns, _, _, _, _ := srv.snapshot()
		assert.Equal(t, 1, conns, name)
		assert.Empty(t, *waits, name)
	}
}

func TestSMTPRetriesTransientRcpt(t *testing.T) {
	t.Parallel()
	srv := newFakeSMTP(t, fakeOptions{tls: offerSTARTTLS, user: testUser, password: testPassword,
		rcptErr: &gosmtp.SMTPError{Code: 450, EnhancedCode: gosmtp.EnhancedCode{4, 2, 0}, Message: "Mailbox busy"}})
	s, _, waits := newTestSMTP(t, srv.config())
	err := s.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "Code", Text: testCode})
	var se *SMTPError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "rcpt to", se.Stage)
	assert.Equal(t, 450, se.Code)
	conns, _, _, _, _ := srv.snapshot()
	assert.Equal(t, 3, conns, "nothing was handed over: retried")
	assert.Len(t, *waits, 2)
}

// silentListener accepts connections and never answers, signalling each
// accept.
func silentListener(t *testing.T) (host string, port int, accepted <-chan struct{}) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ch := make(chan struct{}, 16)
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			ch <- struct{}{}
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	a := l.Addr().(*net.TCPAddr)
	return a.IP.String(), a.Port, ch
}

func TestSMTPCancelledContextStopsASilentServer(t *testing.T) {
	t.Parallel()
	host, port, accepted := silentListener(t)
	_, pool := testTLS()
	s, _, waits := newTestSMTP(t, SMTPConfig{Host: host, Port: port, From: testFrom, RootCAs: pool, Timeout: time.Minute})

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-accepted
		cancel()
	}()
	err := s.SendEmail(ctx, ports.Email{To: testTo, Subject: "Code", Text: testCode})
	require.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, *waits)
}

func TestSMTPTimeoutBoundsEachAttempt(t *testing.T) {
	t.Parallel()
	host, port, _ := silentListener(t)
	_, pool := testTLS()
	s, _, waits := newTestSMTP(t, SMTPConfig{Host: host, Port: port, From: testFrom, RootCAs: pool, Timeout: 50 * time.Millisecond})

	err := s.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "Code", Text: testCode})
	var ne net.Error
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout())
	var se *SMTPError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "greeting", se.Stage)
	assert.Len(t, *waits, 2, "a network failure before DATA is retried")
}

func TestSMTPConnectionRefused(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())

	s, _, waits := newTestSMTP(t, SMTPConfig{Host: "127.0.0.1", Port: port, From: testFrom})
	err = s.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "Code", Text: testCode})
	var se *SMTPError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "connect", se.Stage)
	assert.Len(t, *waits, 2)
	var oe *net.OpError
	assert.True(t, errors.As(err, &oe))
}
