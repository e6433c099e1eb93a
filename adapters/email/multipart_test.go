package email

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/ports"
)

// TestSMTPSendsTextAndHTMLAsMultipartAlternative sends an e-mail with an
// HTML body to the local SMTP server and reads back what a mail client
// would: a multipart/alternative of the text, then the HTML, each decoded
// to what was given.
func TestSMTPSendsTextAndHTMLAsMultipartAlternative(t *testing.T) {
	t.Parallel()
	srv := newFakeSMTP(t, fakeOptions{tls: offerSTARTTLS, user: testUser, password: testPassword})
	s, _, _ := newTestSMTP(t, srv.config())

	text := "Tu código de verificación es " + testCode + ".\n\nCaduca en 2 minutos.\n"
	html := "<!DOCTYPE html>\n<html lang=\"es\"><body>\n<p>Tu código es <b>" + testCode + "</b></p>\n" +
		"<p style=\"font-size: 28px\">" + strings.Repeat("una línea muy larga que quoted-printable debe cortar ", 5) + "</p>\n" +
		"--not-a-boundary\n</body></html>\n"
	require.NoError(t, s.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "Código de Acme", Text: text, HTML: html}))

	_, _, _, _, msgs := srv.snapshot()
	require.Len(t, msgs, 1)
	data := msgs[0].Data
	// Every line CRLF, at most 998 octets, 7-bit.
	require.True(t, bytes.HasSuffix(data, []byte("\r\n")))
	for i, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\r\n")), []byte("\r\n")) {
		require.NotContains(t, string(line), "\n", "bare LF in line %d", i)
		require.LessOrEqual(t, len(line), 998, "line %d", i)
		for _, c := range line {
			require.Less(t, c, byte(0x80), "8-bit byte in line %d: %q", i, line)
		}
	}
	m, err := mail.ReadMessage(bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, "Código de Acme", decodeHeader(t, m.Header, "Subject"))
	assert.Equal(t, "1.0", m.Header.Get("MIME-Version"))
	assert.Empty(t, m.Header.Get("Content-Transfer-Encoding"), "a multipart body is 7bit, not encoded as a whole")
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "multipart/alternative", mediaType)
	require.NotEmpty(t, params["boundary"])

	mr := multipart.NewReader(m.Body, params["boundary"])
	var got []struct{ mediaType, charset, body string }
	for {
		p, err := mr.NextRawPart() // raw: the test decodes quoted-printable itself
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		assert.Equal(t, "quoted-printable", p.Header.Get("Content-Transfer-Encoding"))
		mt, ps, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		require.NoError(t, err)
		body, err := io.ReadAll(quotedprintable.NewReader(p))
		require.NoError(t, err)
		got = append(got, struct{ mediaType, charset, body string }{mt, ps["charset"], string(body)})
	}
	require.Len(t, got, 2, "a text part and an HTML part")
	assert.Equal(t, "text/plain", got[0].mediaType, "the plainest alternative first")
	assert.Equal(t, "UTF-8", got[0].charset)
	assert.Equal(t, strings.ReplaceAll(text, "\n", "\r\n"), got[0].body)
	assert.Equal(t, "text/html", got[1].mediaType, "the richest last")
	assert.Equal(t, "UTF-8", got[1].charset)
	assert.Equal(t, strings.ReplaceAll(html, "\n", "\r\n"), got[1].body)
}

func TestSMTPWithoutHTMLStaysSinglePartText(t *testing.T) {
	t.Parallel()
	srv := newFakeSMTP(t, fakeOptions{tls: offerSTARTTLS, user: testUser, password: testPassword})
	s, _, _ := newTestSMTP(t, srv.config())
	require.NoError(t, s.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "Code", Text: "Code " + testCode + "\n"}))
	_, _, _, _, msgs := srv.snapshot()
	require.Len(t, msgs, 1)
	m := parseReceived(t, msgs[0].Data)
	mediaType, _, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	require.NoError(t, err)
	assert.Equal(t, "text/plain", mediaType)
	assert.Equal(t, "Code "+testCode+"\r\n", m.Body)
}

func TestConsolePrintsTheHTMLBodyOnTheSameLine(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	c, err := NewConsole(slog.New(slog.NewTextHandler(&buf, nil)), false)
	require.NoError(t, err)
	require.NoError(t, c.SendEmail(context.Background(), ports.Email{
		To: testTo, Subject: "Your Acme code", Text: "Your code is " + testCode, HTML: "<p>Your code is\n<b>" + testCode + "</b></p>",
	}))
	out := buf.String()
	assert.Equal(t, 1, strings.Count(out, "\n"), "one log line: %q", out)
	assert.Contains(t, out, `html="<p>Your code is\n<b>`+testCode+`</b></p>"`)

	buf.Reset()
	require.NoError(t, c.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "s", Text: "t"}))
	assert.NotContains(t, buf.String(), "html=", "no HTML, no empty attribute")
}
