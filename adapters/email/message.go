package email

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// headerFoldAt is where header lines are folded when a space allows it
// (RFC 5322's recommended 78 characters).
const headerFoldAt = 78

// parseRecipient checks m.To: one ASCII address, optionally with a display
// name, on one line. Errors wrap ErrInvalidMessage and do not echo the
// value.
func parseRecipient(to string) (*mail.Address, error) {
	if strings.ContainsAny(to, "\r\n") {
		return nil, fmt.Errorf("%w: To must not contain line breaks", ErrInvalidMessage)
	}
	a, err := mail.ParseAddress(to)
	if err != nil {
		return nil, fmt.Errorf("%w: To is not an email address", ErrInvalidMessage)
	}
	if err := checkAddr(a.Address); err != nil {
		return nil, fmt.Errorf("%w: To %v", ErrInvalidMessage, err)
	}
	return a, nil
}

// checkSubject refuses line breaks (header injection) and other control
// characters but tab.
func checkSubject(subject string) error {
	if strings.ContainsAny(subject, "\r\n") {
		return fmt.Errorf("%w: Subject must not contain line breaks", ErrInvalidMessage)
	}
	for _, r := range subject {
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return fmt.Errorf("%w: Subject must not contain control characters", ErrInvalidMessage)
		}
	}
	return nil
}

// buildMessage renders an RFC 5322 message with CRLF line endings: 7-bit
// headers (the subject and display names RFC 2047 encoded when not ASCII)
// and a quoted-printable UTF-8 text/plain body, or, when html is set, a
// multipart/alternative body of that text/plain part and a text/html one
// (RFC 2046 5.1.4: the plainest first, so a client that shows only one
// shows the richest it can).
func (s *SMTP) buildMessage(to *mail.Address, subject, text, html string) ([]byte, error) {
	subject = strings.ToValidUTF8(subject, "\uFFFD")
	text = strings.ToValidUTF8(text, "\uFFFD")
	html = strings.ToValidUTF8(html, "\uFFFD")

	var body bytes.Buffer
	contentType := "text/plain; charset=UTF-8"
	if html == "" {
		if err := writeQP(&body, text); err != nil {
			return nil, err
		}
	} else {
		mw := multipart.NewWriter(&body)
		contentType = mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()})
		for _, part := range []struct{ mediaType, content string }{{"text/plain", text}, {"text/html", html}} {
			w, err := mw.CreatePart(textproto.MIMEHeader{
				"Content-Type":              {part.mediaType + "; charset=UTF-8"},
				"Content-Transfer-Encoding": {"quoted-printable"},
			})
			if err != nil {
				return nil, fmt.Errorf("encoding the body: %w", err)
			}
			var b bytes.Buffer
			if err := writeQP(&b, part.content); err != nil {
				return nil, err
			}
			if _, err := w.Write(b.Bytes()); err != nil {
				return nil, fmt.Errorf("encoding the body: %w", err)
			}
		}
		if err := mw.Close(); err != nil { // writes the closing delimiter and its CRLF
			return nil, fmt.Errorf("encoding the body: %w", err)
		}
	}

	var b bytes.Buffer
	writeHeader(&b, "From", s.from.String())
	writeHeader(&b, "To", to.String())
	writeHeader(&b, "Subject", mime.QEncoding.Encode("UTF-8", subject))
	writeHeader(&b, "Date", s.now().Format(time.RFC1123Z))
	writeHeader(&b, "Message-ID", "<"+rand.Text()+"@"+s.fromDomain+">")
	writeHeader(&b, "MIME-Version", "1.0")
	writeHeader(&b, "Content-Type", contentType)
	if html == "" {
		writeHeader(&b, "Content-Transfer-Encoding", "quoted-printable")
	}
	// RFC 3834: an automatic message; autoresponders should not answer.
	writeHeader(&b, "Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	b.Write(body.Bytes())
	return b.Bytes(), nil
}

// writeQP writes content quoted-printable, every line break as CRLF, and
// ends it with CRLF.
func writeQP(b *bytes.Buffer, content string) error {
	qp := quotedprintable.NewWriter(b) // also turns every line break into CRLF
	if _, err := qp.Write([]byte(content)); err != nil {
		return fmt.Errorf("encoding the body: %w", err)
	}
	if err := qp.Close(); err != nil {
		return fmt.Errorf("encoding the body: %w", err)
	}
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		b.WriteString("\r\n")
	}
	return nil
}

// writeHeader writes "Name: value" CRLF, folding before a space wherever the
// line would pass headerFoldAt, so that unfolding gives value back.
func writeHeader(b *bytes.Buffer, name, value string) {
	line := len(name) + 2
	b.WriteString(name)
	b.WriteString(": ")
	for i, word := range strings.Split(value, " ") {
		if i > 0 {
			if line+1+len(word) > headerFoldAt && line > 1 {
				b.WriteString("\r\n")
				line = 0
			}
			b.WriteByte(' ')
			line++
		}
		b.WriteString(word)
		line += len(word)
	}
	b.WriteString("\r\n")
}
