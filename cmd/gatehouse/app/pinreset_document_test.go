package app_test

import (
	"strings"
	"testing"
	"time"
)

// startVerifiedPinReset runs startPinReset and verifyPinReset for phone
// and returns the ticket.
func (h *harness) startVerifiedPinReset(phone string) gqlPinResetTicket {
	h.t.Helper()
	before := h.sms.count(phone)
	var st struct{ StartPinReset otpChallenge }
	h.ok("", mStartPinReset, vars("input", map[string]any{"phone": phone}), &st)
	must(h.t, st.StartPinReset.ID != "" && st.StartPinReset.Purpose == "PIN_RESET" && st.StartPinReset.Channel == "SMS",
		"startPinReset: %+v", st.StartPinReset)
	var vr struct{ VerifyPinReset gqlPinResetTicket }
	h.ok("", mVerifyPinReset, vars("input", map[string]any{"challengeId": st.StartPinReset.ID,
		"code": h.nextSMSCode(phone, before)}), &vr)
	tk := vr.VerifyPinReset
	must(h.t, tk.Ticket != "" && tk.ExpiresAt != "", "verifyPinReset: %+v", tk)
	return tk
}

func (h *harness) pinResetStatus(ticket string) gqlPinResetProgress {
	h.t.Helper()
	var d struct{ PinResetStatus gqlPinResetProgress }
	h.ok("", qPinResetStatus, vars("ticket", ticket), &d)
	return d.PinResetStatus
}

func (h *harness) submitPinResetSelfie(ticket string, img []byte) gqlPinResetProgress {
	h.t.Helper()
	var d struct{ SubmitPinResetSelfie gqlPinResetProgress }
	h.uploadOK("", mPinResetSelfie, vars("input", map[string]any{"ticket": ticket}), &d,
		file("variables.input.selfie", "selfie.jpg", img))
	return d.SubmitPinResetSelfie
}

// pendingPinResetOf finds userID's reset in compliance's queue.
func (h *harness) pendingPinResetOf(staffToken, userID string) (id, docType string) {
	h.t.Helper()
	var d struct {
		PinResets struct {
			Edges []struct {
				Node struct {
					ID, Status string
					User       struct{ ID string }
					Document   *struct{ ID, Type string }
					Selfie     *gqlKycFile
				}
			}
		}
	}
	h.ok(staffToken, qPinResets, vars("status", "PENDING_REVIEW", "first", 50), &d)
	for _, e := range d.PinResets.Edges {
		if e.Node.User.ID == userID {
			must(h.t, e.Node.Status == "PENDING_REVIEW" && e.Node.Selfie != nil && e.Node.Selfie.ContentType == "image/jpeg" &&
				e.Node.Selfie.URL != nil, "queued reset: %+v", e.Node)
			if e.Node.Document != nil {
				docType = e.Node.Document.Type
			}
			return e.Node.ID, docType
		}
	}
	h.t.Fatalf("no PENDING_REVIEW reset of %s in %+v", userID, d.PinResets.Edges)
	return "", ""
}

// qPinResetsUploaded is qPinResets with documentUploaded.
const qPinResetsUploaded = `query($status: PinResetStatus, $first: Int) { pinResets(status: $status, first: $first) {
	edges { node { id status reason documentUploaded user { id } document { id type } } } } }`

// pinResetNode is userID's reset in status as staffToken sees it; nil when
// there is none.
func (h *harness) pinResetNode(staffToken, status, userID string) *gqlPinResetNode {
	h.t.Helper()
	var d struct {
		PinResets struct {
			Edges []struct{ Node gqlPinResetNode }
		}
	}
	h.ok(staffToken, qPinResetsUploaded, vars("status", status, "first", 100), &d)
	for _, e := range d.PinResets.Edges {
		if e.Node.User.ID == userID {
			return &e.Node
		}
	}
	return nil
}

type gqlPinResetNode struct {
	ID, Status, Reason string
	DocumentUploaded   bool
	User               struct{ ID string }
	Document           *struct{ ID, Type string }
}

func completeVars(ticket, pin, confirm, device string) map[string]any {
	return vars("input", map[string]any{"ticket": ticket, "pin": pin, "confirmPin": confirm, "deviceId": device,
		"deviceName": "New phone"})
}

// A user whose KYC (passport) compliance approved resets the PIN with a
// selfie that compliance approves: every old session ends, only the device
// used stays trusted, and the ticket is spent.
func TestPinResetDocumentOnFile(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	compliance := h.staff("COMPLIANCE", "+447911124201")
	const phone, oldDevice = "+447911124011", "device-4011" // approvedUser's device
	a, _ := h.approvedUser(phone, compliance, 50)
	files := newKYCFiles(t, 50)
	approvedDocs := h.kycMe(a.AccessToken).Documents // the approved submission's passport
	must(t, len(approvedDocs) == 1 && approvedDocs[0].Type == "PASSPORT", "documents: %+v", approvedDocs)

	tk := h.startVerifiedPinReset(phone)
	must(t, tk.Document == "DOCUMENT_ON_FILE" && tk.Status == "SELFIE_REQUIRED", "ticket: %+v", tk)
	exp := mustTime(t, tk.ExpiresAt)
	must(t, exp.Equal(h.clock.Now().Add(24*time.Hour)), "ticket expiry %v, want now + 24h", exp)
	must(t, h.pinResetStatus(tk.Ticket).Status == "SELFIE_REQUIRED", "status before the selfie")
	// The document step is not this reset's.
	r := h.upload("", mPinResetDocument, vars("input", map[string]any{"ticket": tk.Ticket, "type": "PASSPORT", "number": "X1"}),
		file("variables.input.front", "front.jpg", files.front))
	must(t, r.code() == "CONFLICT", "uploadPinResetDocument with a document on file: %+v", r.Errors)
	// Nothing to complete before approval.
	r = h.fails("", mCompletePinReset, completeVars(tk.Ticket, "7294", "7294", "device-N"), "CONFLICT")

	p := h.submitPinResetSelfie(tk.Ticket, files.selfie)
	must(t, p.Status == "PENDING_REVIEW" && p.Reason == "", "after the selfie: %+v", p)
	must(t, h.pinResetStatus(tk.Ticket).Status == "PENDING_REVIEW", "status while waiting")
	h.fails("", mCompletePinReset, completeVars(tk.Ticket, "7294", "7294", "device-N"), "CONFLICT")

	id, docType := h.pendingPinResetOf(compliance.token, a.User.ID)
	must(t, docType == "PASSPORT", "the reset's document: %q", docType)
	node := h.pinResetNode(compliance.token, "PENDING_REVIEW", a.User.ID)
	must(t, node != nil && !node.DocumentUploaded && node.Document != nil && node.Document.ID == approvedDocs[0].ID,
		"the reset's document is the approved submission's: %+v vs %+v", node, approvedDocs[0])
	var ap struct{ ApprovePinReset struct{ ID, Status string } }
	h.ok(compliance.token, mApprovePinReset, vars("input", map[string]any{"id": id}), &ap)
	must(t, ap.ApprovePinReset.Status == "APPROVED", "approvePinReset: %+v", ap)
	h.fails(compliance.token, mApprovePinReset, vars("input", map[string]any{"id": id}), "CONFLICT")
	must(t, h.pinResetStatus(tk.Ticket).Status == "APPROVED", "status after approval")

	var done struct{ CompletePinReset authPayload }
	h.ok("", mCompletePinReset, completeVars(tk.Ticket, "7294", "7294", "device-N"), &done)
	n := done.CompletePinReset
	must(t, n.AccessToken != "" && n.RefreshToken != "" && n.DeviceSecret != "" && n.User.ID == a.User.ID && n.User.HasPin,
		"completePinReset: %+v", n)
	h.keep(phone, "device-N", n.DeviceSecret)
	var me struct{ Me *struct{ ID string } }
	h.ok(n.AccessToken, qMe, nil, &me)
	must(t, me.Me != nil && me.Me.ID == a.User.ID, "me with the new session: %+v", me.Me)

	// Every old session ended.
	h.fails(a.AccessToken, qMe, nil, "UNAUTHENTICATED")
	h.fails("", mRefresh, vars("token", a.RefreshToken), "UNAUTHENTICATED")
	// The old PIN is gone; the new one signs in on the device used...
	h.fails("", mSignIn, h.signInVars(phone, "4831", "device-N"), "UNAUTHENTICATED")
	var in struct {
		SignInWithPin struct {
			Status string
			Auth   *authPayload
		}
	}
	h.ok("", mSignIn, h.signInVars(phone, "7294", "device-N"), &in)
	must(t, in.SignInWithPin.Status == "SIGNED_IN" && in.SignInWithPin.Auth != nil, "new PIN on the reset device: %+v", in.SignInWithPin)
	// ...while the old device is no longer trusted.
	h.ok("", mSignIn, h.signInVars(phone, "7294", oldDevice), &in)
	must(t, in.SignInWithPin.Status == "DEVICE_VERIFICATION_REQUIRED", "old device after the reset: %s", in.SignInWithPin.Status)

	// The ticket is spent: no second session from it.
	r = h.post("", mCompletePinReset, completeVars(tk.Ticket, "5173", "5173", "device-X"))
	must(t, r.code() == "NOT_FOUND" || r.code() == "CONFLICT", "reused ticket: %+v", r.Errors)
	must(t, !strings.Contains(string(r.Data), "accessToken"), "reused ticket gave data: %s", r.Data)
	h.fails("", mSignIn, h.signInVars(phone, "5173", "device-N"), "UNAUTHENTICATED")
}

// A live document staff never approved is no document on file: the reset
// asks for one, kept apart from the user's KYC, and only staff approve it;
// the new PIN obeys the PIN rules and history, and a refused PIN leaves
// the ticket usable.
func TestPinResetDocumentRequired(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	compliance := h.staff("ADMIN", "+447911124202")
	const phone = "+447911124012"
	a := h.signUp(phone, "4831", "device-A")
	files := newKYCFiles(t, 60)
	live := h.uploadDocument(a.AccessToken, "PASSPORT", files) // live, never submitted nor approved

	tk := h.startVerifiedPinReset(phone)
	must(t, tk.Document == "DOCUMENT_REQUIRED" && tk.Status == "DOCUMENT_REQUIRED", "ticket: %+v", tk)
	// The selfie can't come first.
	r := h.upload("", mPinResetSelfie, vars("input", map[string]any{"ticket": tk.Ticket}),
		file("variables.input.selfie", "selfie.jpg", files.selfie))
	must(t, r.code() == "CONFLICT", "selfie before the document: %+v", r.Errors)
	// A utility bill is no identity document.
	r = h.upload("", mPinResetDocument, vars("input", map[string]any{"ticket": tk.Ticket, "type": "UTILITY_BILL", "number": "U1"}),
		file("variables.input.front", "bill.pdf", pdfBytes()))
	must(t, r.code() == "VALIDATION_FAILED" && fieldsOf(r)["type"] != nil, "utility bill: %+v", r.Errors)
	var d struct{ UploadPinResetDocument gqlPinResetProgress }
	h.uploadOK("", mPinResetDocument, vars("input", map[string]any{"ticket": tk.Ticket, "type": "NATIONAL_ID", "number": "ID-778899"}), &d,
		file("variables.input.front", "front.jpg", files.front), file("variables.input.back", "back.png", files.back))
	must(t, d.UploadPinResetDocument.Status == "SELFIE_REQUIRED", "after the document: %+v", d.UploadPinResetDocument)
	// It is not one of the user's documents: neither they nor staff see it
	// among them, and the live passport is untouched.
	me := h.kycMe(a.AccessToken)
	must(t, len(me.Documents) == 1 && me.Documents[0].ID == live.ID && me.Documents[0].Type == "PASSPORT",
		"me { documents } after the reset upload: %+v", me.Documents)
	var dv struct {
		User *struct{ Documents []gqlDocument }
	}
	h.ok(compliance.token, `query($id: ID!) { user(id: $id) { documents { `+documentFields+` } } }`, vars("id", a.User.ID), &dv)
	must(t, dv.User != nil && len(dv.User.Documents) == 1 && dv.User.Documents[0].ID == live.ID,
		"documents staff see after the reset upload: %+v", dv.User)

	must(t, h.submitPinResetSelfie(tk.Ticket, files.selfie).Status == "PENDING_REVIEW", "after the selfie")
	id, docType := h.pendingPinResetOf(compliance.token, a.User.ID)
	must(t, docType == "NATIONAL_ID", "the reset's document: %q", docType)
	node := h.pinResetNode(compliance.token, "PENDING_REVIEW", a.User.ID)
	must(t, node != nil && node.DocumentUploaded && node.Document != nil && node.Document.ID != live.ID,
		"staff see the reset's document was uploaded for it: %+v", node)
	h.ok(compliance.token, mApprovePinReset, vars("input", map[string]any{"id": id}), &struct{}{})

	// The sign-up PIN is a recent PIN: refused, on the pin field.
	r = h.fails("", mCompletePinReset, completeVars(tk.Ticket, "4831", "4831", "device-N"), "VALIDATION_FAILED")
	must(t, fieldsOf(r)["pin"] != nil, "recent PIN fields: %v", fieldsOf(r))
	r = h.fails("", mCompletePinReset, completeVars(tk.Ticket, "7294", "7295", "device-N"), "VALIDATION_FAILED")
	must(t, fieldsOf(r)["confirmPin"] != nil, "mismatch fields: %v", fieldsOf(r))
	must(t, h.pinResetStatus(tk.Ticket).Status == "APPROVED", "a refused PIN spent the ticket")
	var done struct{ CompletePinReset authPayload }
	h.ok("", mCompletePinReset, completeVars(tk.Ticket, "7294", "7294", "device-N"), &done)
	must(t, done.CompletePinReset.User.ID == a.User.ID && done.CompletePinReset.AccessToken != "", "complete: %+v", done)
	h.fails(a.AccessToken, qMe, nil, "UNAUTHENTICATED")
	h.keep(phone, "device-N", done.CompletePinReset.DeviceSecret)
	var in struct{ SignInWithPin struct{ Status string } }
	h.ok("", mSignIn, h.signInVars(phone, "7294", "device-N"), &in)
	must(t, in.SignInWithPin.Status == "SIGNED_IN", "sign-in with the new PIN: %s", in.SignInWithPin.Status)
}

// A reset compliance rejects can't be completed; its holder sees why.
func TestPinResetDocumentRejected(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	compliance := h.staff("COMPLIANCE", "+447911124203")
	const phone, device = "+447911124013", "device-4013" // approvedUser's device
	a, _ := h.approvedUser(phone, compliance, 70)
	files := newKYCFiles(t, 70)
	tk := h.startVerifiedPinReset(phone)
	must(t, tk.Document == "DOCUMENT_ON_FILE", "ticket: %+v", tk)
	h.submitPinResetSelfie(tk.Ticket, files.selfie)
	id, _ := h.pendingPinResetOf(compliance.token, a.User.ID)
	r := h.fails(compliance.token, mRejectPinReset, vars("input", map[string]any{"id": id, "reason": ""}), "VALIDATION_FAILED")
	must(t, fieldsOf(r)["reason"] != nil, "empty reason fields: %v", fieldsOf(r))
	const reason = "The selfie does not show the passport holder."
	var rj struct {
		RejectPinReset struct{ Status, Reason string }
	}
	h.ok(compliance.token, mRejectPinReset, vars("input", map[string]any{"id": id, "reason": reason}), &rj)
	must(t, rj.RejectPinReset.Status == "REJECTED" && rj.RejectPinReset.Reason == reason, "reject: %+v", rj)
	h.fails(compliance.token, mApprovePinReset, vars("input", map[string]any{"id": id}), "CONFLICT")
	p := h.pinResetStatus(tk.Ticket)
	must(t, p.Status == "REJECTED" && p.Reason == reason, "status after rejection: %+v", p)
	r = h.post("", mCompletePinReset, completeVars(tk.Ticket, "7294", "7294", "device-N"))
	must(t, r.code() == "CONFLICT" || r.code() == "NOT_FOUND", "completing a rejected reset: %+v %s", r.Errors, r.Data)
	// Nothing changed for the user.
	h.ok(a.AccessToken, qMe, nil, &struct{}{})
	h.fails("", mSignIn, h.signInVars(phone, "7294", device), "UNAUTHENTICATED")
	var in struct{ SignInWithPin struct{ Status string } }
	h.ok("", mSignIn, h.signInVars(phone, "4831", device), &in)
	must(t, in.SignInWithPin.Status == "SIGNED_IN", "old PIN after a rejected reset: %s", in.SignInWithPin.Status)
}

// An unknown phone gets an answer shaped like a real one and no text; an
// expired ticket is refused at every step.
func TestPinResetDocumentUnknownPhoneAndExpiry(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	compliance := h.staff("COMPLIANCE", "+447911124204")
	const unknown = "+447911124098"
	var decoy struct{ StartPinReset otpChallenge }
	h.ok("", mStartPinReset, vars("input", map[string]any{"phone": unknown}), &decoy)

	const phone, device = "+447911124014", "device-4014" // approvedUser's device
	a, _ := h.approvedUser(phone, compliance, 80)
	files := newKYCFiles(t, 80)
	before := h.sms.count(phone)
	var real struct{ StartPinReset otpChallenge }
	h.ok("", mStartPinReset, vars("input", map[string]any{"phone": phone}), &real)
	code := h.nextSMSCode(phone, before)
	d, rl := decoy.StartPinReset, real.StartPinReset
	must(t, d.ID != "" && d.ID != rl.ID && d.Purpose == rl.Purpose && d.Channel == rl.Channel &&
		len(d.Destination) == len(rl.Destination) && d.Destination != "" && d.ExpiresAt != "",
		"decoy %+v vs real %+v", d, rl)
	// Both were handed to the background sender; the real one arrived, the
	// decoy never does.
	must(t, h.sms.count(unknown) == 0, "an SMS went to an unknown phone")
	// No code answers a decoy.
	r := h.post("", mVerifyPinReset, vars("input", map[string]any{"challengeId": d.ID, "code": code}))
	must(t, r.code() == "INVALID_CODE", "decoy verify: %+v", r.Errors)

	var vr struct{ VerifyPinReset gqlPinResetTicket }
	h.ok("", mVerifyPinReset, vars("input", map[string]any{"challengeId": rl.ID, "code": code}), &vr)
	tk := vr.VerifyPinReset
	h.submitPinResetSelfie(tk.Ticket, files.selfie)
	id, _ := h.pendingPinResetOf(compliance.token, a.User.ID)
	h.ok(compliance.token, mApprovePinReset, vars("input", map[string]any{"id": id}), &struct{}{})
	must(t, h.pinResetStatus(tk.Ticket).Status == "APPROVED", "approved")

	// 24 hours later the approved ticket is dead.
	h.clock.Advance(24*time.Hour + time.Second)
	h.fails("", qPinResetStatus, vars("ticket", tk.Ticket), "NOT_FOUND")
	h.fails("", mCompletePinReset, completeVars(tk.Ticket, "7294", "7294", "device-N"), "NOT_FOUND")
	h.fails("", qPinResetStatus, vars("ticket", "ghpr_"+strings.Repeat("x", 43)), "NOT_FOUND")
	// A refresh token is no ticket.
	h.fails("", qPinResetStatus, vars("ticket", a.RefreshToken), "NOT_FOUND")
	var in struct{ SignInWithPin struct{ Status string } }
	h.ok("", mSignIn, h.signInVars(phone, "4831", device), &in)
	must(t, in.SignInWithPin.Status == "SIGNED_IN", "old PIN after an expired reset: %s", in.SignInWithPin.Status)
}

// A second verified reset rejects the first ticket; the reset of a staff
// account is for a SUPERADMIN to decide, not compliance.
func TestPinResetDocumentSupersededAndStaffAccounts(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	compliance := h.staff("COMPLIANCE", "+447911124205")
	const phone = "+447911124015"
	a, _ := h.approvedUser(phone, compliance, 90)
	files := newKYCFiles(t, 90)

	first := h.startVerifiedPinReset(phone)
	must(t, first.Status == "SELFIE_REQUIRED", "first ticket: %+v", first)
	must(t, h.submitPinResetSelfie(first.Ticket, files.selfie).Status == "PENDING_REVIEW", "first selfie")
	second := h.startVerifiedPinReset(phone)
	must(t, second.Status == "SELFIE_REQUIRED" && second.Ticket != first.Ticket, "second ticket: %+v", second)
	p := h.pinResetStatus(first.Ticket)
	must(t, p.Status == "REJECTED" && p.Reason == "superseded by a newer reset", "first ticket after the second: %+v", p)
	h.fails("", mCompletePinReset, completeVars(first.Ticket, "7294", "7294", "device-N"), "CONFLICT")
	must(t, h.pinResetNode(compliance.token, "PENDING_REVIEW", a.User.ID) == nil, "the first reset left the queue")
	must(t, h.pinResetStatus(second.Ticket).Status == "SELFIE_REQUIRED", "the second ticket works")

	// An ADMIN resets their PIN: compliance may not decide it.
	admin := h.staff("ADMIN", "+447911124206")
	super := h.staff("SUPERADMIN", "+447911124207")
	tk := h.startVerifiedPinReset(admin.phone)
	must(t, tk.Status == "DOCUMENT_REQUIRED", "admin ticket: %+v", tk)
	var d struct{ UploadPinResetDocument gqlPinResetProgress }
	h.uploadOK("", mPinResetDocument, vars("input", map[string]any{"ticket": tk.Ticket, "type": "PASSPORT", "number": "AD-1"}), &d,
		file("variables.input.front", "front.jpg", files.front))
	must(t, h.submitPinResetSelfie(tk.Ticket, files.selfie).Status == "PENDING_REVIEW", "admin selfie")
	id, _ := h.pendingPinResetOf(compliance.token, admin.id)
	h.fails(compliance.token, mApprovePinReset, vars("input", map[string]any{"id": id}), "FORBIDDEN")
	h.fails(compliance.token, mRejectPinReset, vars("input", map[string]any{"id": id, "reason": "no"}), "FORBIDDEN")
	must(t, h.pinResetStatus(tk.Ticket).Status == "PENDING_REVIEW", "nothing changed")
	var ap struct{ ApprovePinReset struct{ ID, Status string } }
	h.ok(super.token, mApprovePinReset, vars("input", map[string]any{"id": id}), &ap)
	must(t, ap.ApprovePinReset.Status == "APPROVED", "superadmin approves: %+v", ap)
}
