package app_test

import (
	"bytes"
	"testing"
)

// Files at rest: what lands in the blob store is not what was uploaded
// and holds none of it; staff read it back byte for byte through a signed
// link, and the route serves nothing without one.
func TestKycFilesAreEncryptedAtRest(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	compliance := h.staff("COMPLIANCE", "+447911124231")
	a := h.signUp("+447911124051", "4831", "device-A")
	front, back := pngBytes(t, 64, 64, 120), pdfBytes()
	before := blobFiles(t, h.blobDir())

	var d struct{ UploadKycDocument gqlDocument }
	h.uploadOK(a.AccessToken, mUploadDocument, vars("input", map[string]any{"type": "RESIDENCE_PERMIT", "number": "RP-42"}), &d,
		file("variables.input.front", "permit.png", front), file("variables.input.back", "permit.pdf", back))
	must(t, d.UploadKycDocument.Front.ContentType == "image/png" && d.UploadKycDocument.Back != nil &&
		d.UploadKycDocument.Back.ContentType == "application/pdf" && d.UploadKycDocument.Back.Width == 0,
		"document: %+v", d.UploadKycDocument)

	after := blobFiles(t, h.blobDir())
	fresh := map[string][]byte{}
	for p, b := range after {
		if _, ok := before[p]; !ok {
			fresh[p] = b
		}
	}
	must(t, len(fresh) == 2, "new objects in the blob dir: %d, want 2 (front and back)", len(fresh))
	for p, stored := range fresh {
		for _, up := range [][]byte{front, back} {
			must(t, !bytes.Equal(stored, up), "%s is the uploaded file itself", p)
			must(t, !bytes.Contains(stored, up), "%s contains the uploaded file", p)
			mid := up[len(up)/2-16 : len(up)/2+16]
			must(t, !bytes.Contains(stored, mid), "%s contains 32 bytes of the uploaded file", p)
		}
		for _, magic := range []string{"\x89PNG", "%PDF-", "IHDR", "endobj"} {
			must(t, !bytes.Contains(stored, []byte(magic)), "%s shows %q in the clear", p, magic)
		}
	}

	// Through a signed link it reads back equal.
	var u struct {
		User *struct {
			Documents []gqlDocument
		}
	}
	h.ok(compliance.token, `query($id: ID!) { user(id: $id) { documents { `+documentFields+` } } }`, vars("id", a.User.ID), &u)
	must(t, u.User != nil && len(u.User.Documents) == 1 && u.User.Documents[0].Front.URL != nil &&
		u.User.Documents[0].Back != nil && u.User.Documents[0].Back.URL != nil, "compliance view: %+v", u.User)
	status, body := h.fetch(*u.User.Documents[0].Front.URL)
	must(t, status == 200 && bytes.Equal(body, front), "front read back: HTTP %d, equal %v", status, bytes.Equal(body, front))
	status, body = h.fetch(*u.User.Documents[0].Back.URL)
	must(t, status == 200 && bytes.Equal(body, back), "back read back: HTTP %d, equal %v", status, bytes.Equal(body, back))
	// The route needs the signature.
	status, _ = h.fetch("/kyc/files/" + u.User.Documents[0].Front.ID)
	must(t, status == 404, "file without a signed link: HTTP %d", status)
}
