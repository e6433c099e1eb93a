package app_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// fieldNamed reports whether extensions.fields names the input field
// name (as "name" or as a path ending in ".name").
func fieldNamed(r gqlResponse, name string) bool {
	_, ok := fieldsOf(r)[name]
	return ok
}

// Every abusive upload is refused with a clear VALIDATION_FAILED, and
// nothing of it is stored: no file or document row, no blob object.
func TestUploadAbuseIsRefusedAndNothingStored(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *app.Config) { c.KYCMaxFileBytes = 64 << 10; c.KYCMaxFiles = 3 })
	a := h.signUp("+447911124041", "4831", "device-A")
	good := jpegBytes(t, 64, 48, 110)
	big := noisyPNG(t, 200, 200)
	must(t, len(big) > 64<<10, "the oversize PNG is only %d bytes", len(big))
	docVars := func() map[string]any {
		return vars("input", map[string]any{"type": "PASSPORT", "number": "P-1"})
	}
	front := func(name string, data []byte) fileSpec { return file("variables.input.front", name, data) }

	cases := []struct {
		name   string
		query  string
		vars   func() map[string]any
		files  []fileSpec
		field  string // the input field the error names, "" for none
		reason string // extensions.reason, "" for none
	}{
		{name: "oversize", query: mUploadDocument, vars: docVars, files: []fileSpec{front("big.png", big)}, field: "front"},
		{name: "zero bytes", query: mUploadDocument, vars: docVars, files: []fileSpec{front("empty.jpg", nil)}, field: "front"},
		{name: "script named .jpg", query: mUploadDocument, vars: docVars, files: []fileSpec{front("photo.jpg", shellScript())}, field: "front"},
		{name: "PNG claiming 100,000 × 100,000", query: mUploadDocument, vars: docVars,
			files: []fileSpec{front("huge.png", pngClaiming(100_000, 100_000))}, field: "front"},
		{name: "good front, script back", query: mUploadDocument, vars: docVars,
			files: []fileSpec{front("front.jpg", good), file("variables.input.back", "back.jpg", shellScript())}, field: "back"},
		{name: "PDF as selfie", query: mUploadSelfie, vars: func() map[string]any { return vars("input", map[string]any{}) },
			files: []fileSpec{file("variables.input.image", "selfie.pdf", pdfBytes())}, field: "image"},
		{name: "four files in one request (max 3)",
			query: `mutation($a: UploadKycDocumentInput!, $b: UploadKycDocumentInput!) {
				a: uploadKycDocument(input: $a) { id } b: uploadKycDocument(input: $b) { id } }`,
			vars: func() map[string]any {
				return vars("a", map[string]any{"type": "PASSPORT", "number": "P-1"},
					"b", map[string]any{"type": "NATIONAL_ID", "number": "N-1"})
			},
			files: []fileSpec{file("variables.a.front", "1.jpg", good), file("variables.a.back", "2.jpg", good),
				file("variables.b.front", "3.jpg", good), file("variables.b.back", "4.jpg", good)},
			reason: "TOO_MANY_FILES"},
	}
	before := h.stored()
	for _, c := range cases {
		r := h.upload(a.AccessToken, c.query, c.vars(), c.files...)
		if r.code() != "VALIDATION_FAILED" {
			t.Errorf("%s: want VALIDATION_FAILED, got %+v (data %s)", c.name, r.Errors, r.Data)
			continue
		}
		if strings.TrimSpace(r.Errors[0].Message) == "" {
			t.Errorf("%s: the error says nothing", c.name)
		}
		if c.field != "" && !fieldNamed(r, c.field) {
			t.Errorf("%s: extensions.fields %v does not name %q", c.name, fieldsOf(r), c.field)
		}
		if c.reason != "" && r.Errors[0].Extensions["reason"] != c.reason {
			t.Errorf("%s: extensions.reason %v, want %s", c.name, r.Errors[0].Extensions["reason"], c.reason)
		}
		if !rootIsNull(r.Data) {
			t.Errorf("%s: refused but answered data %s", c.name, r.Data)
		}
		if after := h.stored(); after != before {
			t.Errorf("%s: something was stored: before %+v, after %+v", c.name, before, after)
		}
	}
	// The PIN reset's uploads are checked the same way.
	tk := h.startVerifiedPinReset("+447911124041")
	must(t, tk.Status == "DOCUMENT_REQUIRED", "ticket: %+v", tk)
	r := h.upload("", mPinResetDocument, vars("input", map[string]any{"ticket": tk.Ticket, "type": "PASSPORT", "number": "P-1"}),
		front("front.jpg", good), file("variables.input.back", "back.jpg", shellScript()))
	must(t, r.code() == "VALIDATION_FAILED" && fieldNamed(r, "back"), "reset document with a script back: %+v", r.Errors)
	r = h.upload("", mPinResetDocument, vars("input", map[string]any{"ticket": tk.Ticket, "type": "PASSPORT", "number": "P-1"}),
		front("huge.png", pngClaiming(100_000, 100_000)))
	must(t, r.code() == "VALIDATION_FAILED" && fieldNamed(r, "front"), "reset document claiming 100,000²: %+v", r.Errors)
	must(t, h.pinResetStatus(tk.Ticket).Status == "DOCUMENT_REQUIRED", "a refused upload moved the reset on")
	must(t, h.stored() == before, "refused reset uploads stored something: %+v vs %+v", h.stored(), before)

	me := h.kycMe(a.AccessToken)
	must(t, len(me.Documents) == 0 && me.Selfie == nil, "refused uploads show in me: %+v %+v", me.Documents, me.Selfie)

	// The counts do move when an upload is accepted (so the test can fail).
	h.uploadDocument(a.AccessToken, "PASSPORT", kycFiles{front: good, back: pngBytes(t, 32, 32, 111)})
	after := h.stored()
	must(t, after.files == before.files+2 && after.documents == before.documents+1 && after.blobs == before.blobs+2,
		"a good upload stored: before %+v, after %+v", before, after)
	// A file exactly at the limit passes; one byte more does not.
	atLimit := padJPEG(good, 64<<10)
	var d struct{ UploadSelfie gqlSelfie }
	h.uploadOK(a.AccessToken, mUploadSelfie, vars("input", map[string]any{}), &d, file("variables.input.image", "at-limit.jpg", atLimit))
	must(t, d.UploadSelfie.Image.Size == 64<<10, "selfie at the limit: %+v", d.UploadSelfie.Image)
	r = h.upload(a.AccessToken, mUploadSelfie, vars("input", map[string]any{}), file("variables.input.image", "over.jpg", append(atLimit, 0)))
	must(t, r.code() == "VALIDATION_FAILED" && fieldNamed(r, "image"), "one byte over the limit: %+v", r.Errors)
}

// padJPEG pads a JPEG after its end marker to exactly n bytes; decoders
// ignore trailing bytes.
func padJPEG(jpg []byte, n int) []byte {
	out := bytes.Clone(jpg)
	return append(out, make([]byte, n-len(out))...)
}
