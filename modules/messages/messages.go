// Package messages owns the words Gatehouse sends: the product name and
// the SMS and e-mail templates, per language. The delivery worker renders
// a ports.Message with a Catalog when it sends it.
package messages

import (
	"bytes"
	"fmt"
	"text/template"
)

// Rendered is one message ready for a provider: Text is the SMS or the
// plain-text e-mail body; Subject and HTML are set for e-mail only.
type Rendered struct {
	Subject string
	Text    string
	HTML    string
}

// Template names the modules send.
const (
	OTPCode          = "otp_code"          // data: minutes; .Code is the code
	KYCApproved      = "kyc_approved"      // SMS
	KYCRejected      = "kyc_rejected"      // SMS
	PINResetApproved = "pinreset_approved" // SMS
	PINResetRejected = "pinreset_rejected" // SMS
)

// Catalog renders messages. Skeleton: English only, built in; templates
// from files, more languages and HTML e-mail come with issue 21.
type Catalog struct {
	product string
	sms     map[string]*template.Template
	subject map[string]*template.Template
	text    map[string]*template.Template
}

// New builds the built-in English catalog for product.
func New(product string) (*Catalog, error) {
	c := &Catalog{product: product, sms: map[string]*template.Template{},
		subject: map[string]*template.Template{}, text: map[string]*template.Template{}}
	for name, src := range map[string]string{
		OTPCode:          "{{.Product}}: your code is {{.Code}}. It expires in {{.Data.minutes}} minutes. Never share it with anyone.",
		KYCApproved:      "{{.Product}}: your identity verification was approved.",
		KYCRejected:      "{{.Product}}: your identity verification was not approved. Open the app to see why and submit again.",
		PINResetApproved: "{{.Product}}: your PIN reset was approved. Open the app to set your new PIN.",
		PINResetRejected: "{{.Product}}: your PIN reset was not approved. Open the app to see why and to start again.",
	} {
		t, err := template.New(name).Option("missingkey=error").Parse(src)
		if err != nil {
			return nil, err
		}
		c.sms[name] = t
	}
	c.subject[OTPCode] = template.Must(template.New("s").Parse("{{.Product}} verification code"))
	c.text[OTPCode] = template.Must(template.New("t").Option("missingkey=error").Parse(
		"Your {{.Product}} verification code is {{.Code}}.\r\n\r\nIt expires in {{.Data.minutes}} minutes. " +
			"If you did not ask for it, ignore this message; never share the code with anyone.\r\n"))
	return c, nil
}

// ProductName is the name messages and authenticator apps show.
func (c *Catalog) ProductName() string { return c.product }

// Render writes template name for channel ("sms" or "email") in locale.
func (c *Catalog) Render(channel, name, locale string, data map[string]string, code string) (Rendered, error) {
	v := struct {
		Product, Code string
		Data          map[string]string
	}{c.product, code, data}
	exec := func(t *template.Template) (string, error) {
		var b bytes.Buffer
		err := t.Execute(&b, v)
		return b.String(), err
	}
	if channel == "email" {
		st, tt := c.subject[name], c.text[name]
		if st == nil || tt == nil {
			return Rendered{}, fmt.Errorf("messages: no e-mail template %q", name)
		}
		s, err := exec(st)
		if err != nil {
			return Rendered{}, err
		}
		t, err := exec(tt)
		return Rendered{Subject: s, Text: t}, err
	}
	t := c.sms[name]
	if t == nil {
		return Rendered{}, fmt.Errorf("messages: no SMS template %q", name)
	}
	s, err := exec(t)
	return Rendered{Text: s}, err
}
