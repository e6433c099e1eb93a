// Package messages owns the words Gatehouse sends: the product name and
// the SMS and e-mail templates, per language. The delivery worker renders
// a ports.Message with a Catalog when it sends it.
//
// Templates are files, one per part of a message, named
// <language>/<template>.<part>: parts are sms.txt (the SMS), subject.txt
// and text.txt (the e-mail's subject and plain-text body, text/template)
// and html (the e-mail's HTML body, html/template). English and Spanish
// are built in (templates/ here); an operator's directory of the same
// layout overrides any file, per language, and may add languages.
package messages

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"strings"
	"text/template"

	"golang.org/x/text/language"
)

// Rendered is one message ready for a provider: Text is the SMS or the
// plain-text e-mail body; Subject and HTML are set for e-mail only (HTML
// when the language's templates have an HTML body).
type Rendered struct {
	Subject string
	Text    string
	HTML    string
}

// Template names the modules send.
const (
	OTPCode          = "otp_code"          // SMS and e-mail; data: minutes; .Code is the code
	KYCApproved      = "kyc_approved"      // SMS
	KYCRejected      = "kyc_rejected"      // SMS
	PINResetApproved = "pinreset_approved" // SMS
	PINResetRejected = "pinreset_rejected" // SMS
)

// Channels, as in ports.Message.Channel.
const (
	channelSMS   = "sms"
	channelEmail = "email"
)

// spec is what one template name is: the channels it is sent by, the keys
// of .Data it gets (with the sample values it is checked against at start)
// and whether it carries a code.
type spec struct {
	sms, email bool
	data       map[string]string
	code       bool
}

// specs is every template a module sends. English must have every part
// of each; another language may leave any message out (English is used).
var specs = map[string]spec{
	OTPCode:          {sms: true, email: true, data: map[string]string{"minutes": "10"}, code: true},
	KYCApproved:      {sms: true},
	KYCRejected:      {sms: true},
	PINResetApproved: {sms: true},
	PINResetRejected: {sms: true},
}

// english is the language every template exists in and the fallback.
var english = language.English

// email is the templates of one e-mail in one language.
type email struct {
	subject, text *template.Template
	html          *htmltemplate.Template // nil: text only
}

// choice is one message (channel and name) in each language that has it,
// English first, with the matcher that picks among them (built by seal,
// before the catalog is shared).
type choice[T any] struct {
	tags    []language.Tag
	byIndex []T
	matcher language.Matcher
}

func (c *choice[T]) add(tag language.Tag, v T) {
	c.tags = append(c.tags, tag)
	c.byIndex = append(c.byIndex, v)
}

func (c *choice[T]) seal() { c.matcher = language.NewMatcher(c.tags) }

func (c *choice[T]) pick(locale string) T {
	tag, err := language.Parse(locale)
	if err != nil || locale == "" {
		return c.byIndex[0]
	}
	_, i, conf := c.matcher.Match(tag)
	if conf == language.No {
		return c.byIndex[0]
	}
	return c.byIndex[i]
}

// Catalog renders messages. It is built once, checked whole, and read
// only afterwards, so it is safe for concurrent use.
type Catalog struct {
	product string
	sms     map[string]*choice[*template.Template]
	email   map[string]*choice[*email]
	langs   []language.Tag
}

// New builds the built-in catalog (English and Spanish) for product.
func New(product string) (*Catalog, error) {
	return Load(Config{ProductName: product})
}

// ProductName is the name messages and authenticator apps show.
func (c *Catalog) ProductName() string { return c.product }

// Languages are the languages the catalog has templates in, English first.
func (c *Catalog) Languages() []language.Tag { return append([]language.Tag(nil), c.langs...) }

// values is what a template sees: .Product, .Code and .Data.
type values struct {
	Product, Code string
	Data          map[string]string
}

// Render writes template name for channel ("sms" or "email") in the
// language of the catalog closest to locale (a BCP 47 tag; English when
// none is close, or locale is empty or malformed). Errors name the
// template, never the code or the data.
func (c *Catalog) Render(channel, name, locale string, data map[string]string, code string) (Rendered, error) {
	v := values{Product: c.product, Code: code, Data: data}
	if v.Data == nil {
		v.Data = map[string]string{}
	}
	switch channel {
	case channelSMS:
		ch := c.sms[name]
		if ch == nil {
			return Rendered{}, fmt.Errorf("messages: no SMS template %q", name)
		}
		s, err := execText(ch.pick(locale), v)
		if err != nil {
			return Rendered{}, fmt.Errorf("messages: rendering SMS %q: %w", name, err)
		}
		return Rendered{Text: oneLine(s)}, nil
	case channelEmail:
		ch := c.email[name]
		if ch == nil {
			return Rendered{}, fmt.Errorf("messages: no e-mail template %q", name)
		}
		r, err := ch.pick(locale).render(v)
		if err != nil {
			return Rendered{}, fmt.Errorf("messages: rendering e-mail %q: %w", name, err)
		}
		return r, nil
	}
	return Rendered{}, fmt.Errorf("messages: unknown channel %q", channel)
}

func (e *email) render(v values) (Rendered, error) {
	s, err := execText(e.subject, v)
	if err != nil {
		return Rendered{}, err
	}
	t, err := execText(e.text, v)
	if err != nil {
		return Rendered{}, err
	}
	r := Rendered{Subject: oneLine(s), Text: t}
	if e.html != nil {
		var b bytes.Buffer
		if err := e.html.Execute(&b, v); err != nil {
			return Rendered{}, err
		}
		r.HTML = b.String()
	}
	return r, nil
}

func execText(t *template.Template, v values) (string, error) {
	var b bytes.Buffer
	if err := t.Execute(&b, v); err != nil {
		return "", err
	}
	return b.String(), nil
}

// oneLine drops the line break a template file ends with: an SMS and a
// subject are one line.
func oneLine(s string) string { return strings.TrimRight(s, "\r\n") }
