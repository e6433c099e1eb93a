package app_test

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapters/wallet"
	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// The whole KYC journey of a phone user, through /graphql with real
// multipart uploads: sign-up opens an account, portfolios wait for KYC,
// profile → document → selfie → PENDING, compliance reads the files over
// signed links and approves, the level follows the level rules, and the
// portfolios open with checksummed addresses.
func TestKycJourney(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *app.Config) { c.KYCLinkTTL = time.Minute })
	compliance := h.staff("COMPLIANCE", "+447911124101")

	const phone = "+447911124001"
	a := h.signUp(phone, "4831", "device-A")
	must(t, a.User.Level == 1, "level after phone sign-up: %d, want 1 (phone verified)", a.User.Level)

	// Sign-up opened the default account; nothing else exists yet.
	me := h.kycMe(a.AccessToken)
	must(t, me.KycStatus == "NONE" && me.KycRejectionReason == "" && me.Profile == nil && len(me.Documents) == 0 &&
		me.Selfie == nil, "fresh KYC view: %+v", me)
	must(t, len(me.Accounts) == 1 && me.Accounts[0].Active && me.Accounts[0].DefaultPortfolio == nil &&
		len(me.Accounts[0].Portfolios) == 0, "accounts after sign-up: %+v", me.Accounts)
	account := me.Accounts[0].ID

	// No portfolio before KYC.
	portfolio := func(name, typ string, public bool) map[string]any {
		return vars("input", map[string]any{"accountId": account, "name": name, "type": typ, "publicStrategy": public})
	}
	h.fails(a.AccessToken, mCreatePortfolio, portfolio("Main", "TRADING", false), "KYC_REQUIRED")

	// Profile: a draft, bad input named by field, then confirmed for good.
	var mp struct{ MyProfile *gqlProfile }
	h.ok(a.AccessToken, qMyProfile, nil, &mp)
	must(t, mp.MyProfile == nil, "myProfile before any: %+v", mp.MyProfile)
	bad := profileInput("", false)
	bad["dateOfBirth"] = "2015-01-01" // a child
	r := h.fails(a.AccessToken, mUpsertProfile, vars("input", bad), "VALIDATION_FAILED")
	must(t, fieldsOf(r)["firstName"] != nil && fieldsOf(r)["dateOfBirth"] != nil, "profile fields: %v", fieldsOf(r))
	var up struct{ UpsertMyProfile gqlProfile }
	h.ok(a.AccessToken, mUpsertProfile, vars("input", profileInput("Ada", false)), &up)
	must(t, !up.UpsertMyProfile.Confirmed && up.UpsertMyProfile.ConfirmedAt == nil && up.UpsertMyProfile.FirstName == "Ada",
		"draft profile: %+v", up.UpsertMyProfile)
	saved := h.recentTime("updatedAt of a new profile", up.UpsertMyProfile.UpdatedAt)
	h.clock.Advance(time.Minute)
	h.ok(a.AccessToken, mUpsertProfile, vars("input", profileInput("Augusta Ada", true)), &up)
	p := up.UpsertMyProfile
	must(t, p.Confirmed && p.ConfirmedAt != nil && p.FirstName == "Augusta Ada" && p.LastName == "Lovelace" &&
		p.DateOfBirth == "1990-04-12" && p.Country == "GB" && p.Postcode == "SW1Y 4JH" && p.Metadata["source"] == "wallet",
		"confirmed profile: %+v", p)
	r = h.fails(a.AccessToken, mUpsertProfile, vars("input", profileInput("Someone Else", true)), "CONFLICT")
	h.ok(a.AccessToken, qMyProfile, nil, &mp)
	must(t, mp.MyProfile != nil && mp.MyProfile.FirstName == "Augusta Ada" && mp.MyProfile.Confirmed,
		"profile after a refused edit: %+v", mp.MyProfile)
	edited := h.recentTime("updatedAt after an edit", mp.MyProfile.UpdatedAt)
	must(t, edited.After(saved), "updatedAt did not move with the edit: %s, then %s", saved, edited)
	must(t, h.kycMe(a.AccessToken).Level == 1, "a confirmed profile without an email is still level 1")

	// Document (front + back), then the selfie: a complete submission.
	files := newKYCFiles(t, 1)
	r = h.upload(a.AccessToken, mUploadDocument, vars("input", map[string]any{"type": "PASSPORT", "number": "",
		"expiresOn": "2020-01-01", "metadata": map[string]any{"x": strings.Repeat("y", 5<<10)}}),
		file("variables.input.front", "front.jpg", files.front))
	must(t, r.code() == "VALIDATION_FAILED" && fieldsOf(r)["number"] != nil && fieldsOf(r)["expiresOn"] != nil &&
		fieldsOf(r)["metadata"] != nil, "bad document input: %+v", r.Errors)
	doc := h.uploadDocument(a.AccessToken, "PASSPORT", files)
	must(t, doc.Type == "PASSPORT" && doc.ExpiresOn == "2031-05-01" && doc.Metadata["issuer"] == "GBR" && doc.Number != "",
		"document: %+v", doc)
	must(t, doc.Front.ContentType == "image/jpeg" && doc.Front.Width == 64 && doc.Front.Height == 48 &&
		doc.Front.Size == len(files.front), "front: %+v", doc.Front)
	must(t, doc.Back != nil && doc.Back.ContentType == "image/png" && doc.Back.Size == len(files.back), "back: %+v", doc.Back)
	must(t, doc.Front.URL == nil && doc.Front.URLExpiresAt == nil && doc.Back.URL == nil, "the owner got a file link: %+v", doc)
	must(t, h.kycMe(a.AccessToken).KycStatus == "NONE", "a document without a selfie is not a submission")
	selfie := h.uploadSelfie(a.AccessToken, files.selfie)
	must(t, selfie.Image.ContentType == "image/jpeg" && selfie.Image.Width == 48 && selfie.Image.Height == 64 &&
		selfie.Image.URL == nil, "selfie: %+v", selfie)
	me = h.kycMe(a.AccessToken)
	must(t, me.KycStatus == "PENDING", "kycStatus after profile, document and selfie: %s", me.KycStatus)
	must(t, len(me.Documents) == 1 && me.Documents[0].ID == doc.ID && me.Selfie != nil && me.Selfie.ID == selfie.ID,
		"me documents/selfie: %+v %+v", me.Documents, me.Selfie)
	must(t, me.Documents[0].Front.URL == nil && me.Selfie.Image.URL == nil, "the owner sees file links in me")
	h.fails(a.AccessToken, mCreatePortfolio, portfolio("Main", "TRADING", false), "KYC_REQUIRED")

	// Compliance finds it in the queue and opens it with file links.
	sub := h.pendingSubmissionOf(compliance.token, a.User.ID)
	must(t, sub.Status == "PENDING" && sub.Country == "GB" && sub.DecidedAt == nil && sub.Reason == "", "queued: %+v", sub)
	var one struct{ KycSubmission *gqlSubmission }
	h.ok(compliance.token, qKycSubmission, vars("id", sub.ID), &one)
	full := one.KycSubmission
	must(t, full != nil && full.Document != nil && full.Selfie != nil && full.Profile != nil, "submission: %+v", full)
	must(t, full.Document.ID == doc.ID && full.Selfie.ID == selfie.ID && full.Profile.FirstName == "Augusta Ada",
		"submission holds: %+v", full)
	must(t, full.Document.Front.URL != nil && full.Document.Back != nil && full.Document.Back.URL != nil &&
		full.Selfie.Image.URL != nil && full.Document.Front.URLExpiresAt != nil, "compliance got no links: %+v", full.Document)
	status, body := h.fetch(*full.Document.Front.URL)
	must(t, status == 200 && bytes.Equal(body, files.front), "front link: HTTP %d, %d bytes (want %d)", status, len(body), len(files.front))
	status, body = h.fetch(*full.Document.Back.URL)
	must(t, status == 200 && bytes.Equal(body, files.back), "back link: HTTP %d", status)
	status, body = h.fetch(*full.Selfie.Image.URL)
	must(t, status == 200 && bytes.Equal(body, files.selfie), "selfie link: HTTP %d", status)
	status, _ = h.fetch(tampered(t, *full.Document.Front.URL))
	must(t, status == 404, "tampered link: HTTP %d", status)
	// The front's signature does not open the back.
	status, _ = h.fetch(strings.Replace(*full.Document.Front.URL, full.Document.Front.ID, full.Document.Back.ID, 1))
	must(t, status == 404, "a link moved to another file: HTTP %d", status)
	exp := mustTime(t, *full.Document.Front.URLExpiresAt)
	must(t, exp.After(h.clock.Now()) && !exp.After(h.clock.Now().Add(time.Minute)), "link expiry %v (now %v, TTL 1m)", exp, h.clock.Now())
	h.clock.Advance(2 * time.Minute)
	status, _ = h.fetch(*full.Document.Front.URL)
	must(t, status == 404, "expired link: HTTP %d", status)

	// Approval: SMS to the user, labels set, the level follows the rules.
	before := h.sms.count(phone)
	var ap struct{ ApproveKycSubmission gqlSubmission }
	h.ok(compliance.token, mApproveKyc, vars("input", map[string]any{"id": sub.ID}), &ap)
	must(t, ap.ApproveKycSubmission.Status == "APPROVED" && ap.ApproveKycSubmission.DecidedAt != nil, "approved: %+v", ap)
	h.waitSMS(phone, before)
	h.fails(compliance.token, mApproveKyc, vars("input", map[string]any{"id": sub.ID}), "CONFLICT")
	me = h.kycMe(a.AccessToken)
	must(t, me.KycStatus == "APPROVED" && me.KycRejectionReason == "", "after approval: %s %q", me.KycStatus, me.KycRejectionReason)
	// Level 2 needs a verified email as well, so level 3 can't hold yet.
	must(t, me.Level == 1, "level of an approved phone-only user: %d, want 1 (no email)", me.Level)
	for _, l := range me.Labels {
		must(t, l.Scope == "PUBLIC", "the owner sees a PRIVATE label: %+v", l)
	}
	var staffView struct {
		User *struct {
			Labels []gqlLabel `json:"labels"`
		}
	}
	h.ok(compliance.token, `query($id: ID!) { user(id: $id) { labels { key value scope } } }`, vars("id", a.User.ID), &staffView)
	must(t, staffView.User != nil, "user(id) for compliance is null")
	for _, key := range []string{"phone", "profile", "document", "selfie"} {
		must(t, slices.ContainsFunc(staffView.User.Labels, func(l gqlLabel) bool {
			return l.Key == key && l.Value == "verified" && l.Scope == "PRIVATE"
		}), "label %s=verified missing: %+v", key, staffView.User.Labels)
	}
	// A verified email completes level 2, and so level 3.
	const email = "ada.lovelace@example.com"
	var sc struct{ StartContactChange otpChallenge }
	h.ok(a.AccessToken, mStartContact, vars("kind", "EMAIL", "value", email), &sc)
	h.ok(a.AccessToken, mConfirmContact, vars("id", sc.StartContactChange.ID, "code", h.emailCode(email)), &struct{}{})
	me = h.kycMe(a.AccessToken)
	must(t, me.Level == 3, "level with phone, email, profile, document and selfie: %d, want 3", me.Level)

	// Portfolios: the first TRADING one is the default; addresses are EIP-55.
	var cp struct{ CreatePortfolio gqlPortfolio }
	r = h.fails(a.AccessToken, mCreatePortfolio, portfolio("", "TRADING", false), "VALIDATION_FAILED")
	must(t, fieldsOf(r)["name"] != nil, "empty name fields: %v", fieldsOf(r))
	h.ok(a.AccessToken, mCreatePortfolio, portfolio("Main", "TRADING", false), &cp)
	trading := cp.CreatePortfolio
	must(t, trading.ID != "" && trading.Name == "Main" && trading.Type == "TRADING" && !trading.PublicStrategy &&
		trading.CreatedAt != "", "trading portfolio: %+v", trading)
	must(t, wallet.ValidChecksum(trading.Address) && strings.HasPrefix(trading.Address, "0x") && len(trading.Address) == 42,
		"address %q is not EIP-55", trading.Address)
	h.ok(a.AccessToken, mCreatePortfolio, portfolio("Rainy day", "SAVINGS", true), &cp)
	savings := cp.CreatePortfolio
	must(t, savings.Type == "SAVINGS" && savings.PublicStrategy && wallet.ValidChecksum(savings.Address) &&
		savings.Address != trading.Address, "savings portfolio: %+v", savings)
	me = h.kycMe(a.AccessToken)
	acc := me.Accounts[0]
	must(t, acc.DefaultPortfolio != nil && acc.DefaultPortfolio.ID == trading.ID, "default portfolio: %+v", acc.DefaultPortfolio)
	must(t, len(acc.Portfolios) == 2 && acc.Portfolios[0].ID == trading.ID && acc.Portfolios[1].ID == savings.ID &&
		acc.Portfolios[0].Address == trading.Address, "me portfolios (oldest first): %+v", acc.Portfolios)
	var ga struct{ Account *gqlAccount }
	h.ok(a.AccessToken, qAccount, vars("id", account), &ga)
	must(t, ga.Account != nil && ga.Account.ID == account && len(ga.Account.Portfolios) == 2, "account(id): %+v", ga.Account)
	var gp struct{ Portfolio *gqlPortfolio }
	h.ok(a.AccessToken, qPortfolio, vars("id", savings.ID), &gp)
	must(t, gp.Portfolio != nil && *gp.Portfolio == savings, "portfolio(id): %+v, want %+v", gp.Portfolio, savings)
}

// A rejection shows its reason to the user, who submits again.
func TestKycRejectedAndResubmitted(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	compliance := h.staff("COMPLIANCE", "+447911124111")
	const phone = "+447911124002"
	b := h.signUp(phone, "4831", "device-B")
	files := newKYCFiles(t, 20)
	h.submitKYC(b.AccessToken, "Grace", files)
	sub := h.pendingSubmissionOf(compliance.token, b.User.ID)

	r := h.fails(compliance.token, mRejectKyc, vars("input", map[string]any{"id": sub.ID, "reason": ""}), "VALIDATION_FAILED")
	must(t, fieldsOf(r)["reason"] != nil, "empty reason fields: %v", fieldsOf(r))
	const reason = "The passport photo is blurred; please upload a sharper picture."
	before := h.sms.count(phone)
	var rj struct{ RejectKycSubmission gqlSubmission }
	h.ok(compliance.token, mRejectKyc, vars("input", map[string]any{"id": sub.ID, "reason": reason}), &rj)
	must(t, rj.RejectKycSubmission.Status == "REJECTED" && rj.RejectKycSubmission.Reason == reason &&
		rj.RejectKycSubmission.DecidedAt != nil, "rejected: %+v", rj.RejectKycSubmission)
	h.waitSMS(phone, before)
	h.fails(compliance.token, mApproveKyc, vars("input", map[string]any{"id": sub.ID}), "CONFLICT")
	me := h.kycMe(b.AccessToken)
	must(t, me.KycStatus == "REJECTED" && me.KycRejectionReason == reason, "after rejection: %s %q", me.KycStatus, me.KycRejectionReason)
	must(t, me.Level == 1, "level after a rejection: %d", me.Level)
	h.fails(b.AccessToken, mCreatePortfolio, vars("input", map[string]any{"accountId": me.Accounts[0].ID, "name": "Main",
		"type": "TRADING"}), "KYC_REQUIRED")

	// The REJECTED filter finds it; the PENDING one no longer does.
	var list struct {
		KycSubmissions struct {
			Edges []struct{ Node gqlSubmission }
		}
	}
	h.ok(compliance.token, qKycSubmissions, vars("filter", map[string]any{"status": "REJECTED"}), &list)
	must(t, len(list.KycSubmissions.Edges) == 1 && list.KycSubmissions.Edges[0].Node.ID == sub.ID, "rejected list: %+v", list)
	h.ok(compliance.token, qKycSubmissions, vars("filter", map[string]any{"status": "PENDING"}), &list)
	must(t, len(list.KycSubmissions.Edges) == 0, "pending list after the decision: %+v", list)

	// A sharper document: a new submission, PENDING again, replacing the
	// live passport.
	again := newKYCFiles(t, 30)
	doc := h.uploadDocument(b.AccessToken, "PASSPORT", again)
	me = h.kycMe(b.AccessToken)
	must(t, me.KycStatus == "PENDING" && me.KycRejectionReason == "", "after resubmission: %s %q", me.KycStatus, me.KycRejectionReason)
	must(t, len(me.Documents) == 1 && me.Documents[0].ID == doc.ID, "live documents after a replacement: %+v", me.Documents)
	sub2 := h.pendingSubmissionOf(compliance.token, b.User.ID)
	must(t, sub2.ID != sub.ID, "the resubmission reuses the old submission %s", sub.ID)
	var one struct{ KycSubmission *gqlSubmission }
	h.ok(compliance.token, qKycSubmission, vars("id", sub2.ID), &one)
	must(t, one.KycSubmission != nil && one.KycSubmission.Document.ID == doc.ID && one.KycSubmission.Document.Front.URL != nil,
		"resubmission: %+v", one.KycSubmission)
	status, body := h.fetch(*one.KycSubmission.Document.Front.URL)
	must(t, status == 200 && bytes.Equal(body, again.front), "new front link: HTTP %d", status)
	// The old submission keeps its decision.
	h.ok(compliance.token, qKycSubmission, vars("id", sub.ID), &one)
	must(t, one.KycSubmission != nil && one.KycSubmission.Status == "REJECTED" && one.KycSubmission.Reason == reason,
		"old submission: %+v", one.KycSubmission)
}

// Two compliance users decide one submission at once: one decision wins,
// every other gets CONFLICT, and the status is the winner's.
func TestKycConcurrentDecisionsOneWins(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c1 := h.staff("COMPLIANCE", "+447911124121")
	c2 := h.staff("COMPLIANCE", "+447911124122")
	u := h.signUp("+447911124003", "4831", "device-C")
	h.submitKYC(u.AccessToken, "Hedy", newKYCFiles(t, 40))
	sub := h.pendingSubmissionOf(c1.token, u.User.ID)

	var mu sync.Mutex
	n := 0
	won := []string{}
	codes := race(8, func() string {
		mu.Lock()
		i := n
		n++
		mu.Unlock()
		q, v, kind := mApproveKyc, vars("input", map[string]any{"id": sub.ID}), "APPROVED"
		token := c1.token
		if i%2 == 1 {
			q, v, kind = mRejectKyc, vars("input", map[string]any{"id": sub.ID, "reason": "Document expired"}), "REJECTED"
			token = c2.token
		}
		r := h.post(token, q, v)
		if r.code() == "" {
			mu.Lock()
			won = append(won, kind)
			mu.Unlock()
		}
		return r.code()
	})
	must(t, successes(codes) == 1 && len(won) == 1, "successes: %d (%v)", successes(codes), codes)
	for _, c := range codes {
		must(t, c == "" || c == "CONFLICT", "unexpected code %q (%v)", c, codes)
	}
	var one struct{ KycSubmission *gqlSubmission }
	h.ok(c2.token, qKycSubmission, vars("id", sub.ID), &one)
	must(t, one.KycSubmission != nil && one.KycSubmission.Status == won[0], "final status %+v, winner %s", one.KycSubmission, won[0])
	must(t, h.kycMe(u.AccessToken).KycStatus == won[0], "user's kycStatus is not the winner's %s", won[0])
}

// Labels, levels, phones, data records and staff profile edits.
func TestKycLabelsLevelsPhonesAndData(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	compliance := h.staff("COMPLIANCE", "+447911124131")
	const phone = "+447911124004"
	a := h.signUp(phone, "4831", "device-D")
	other := h.signUp("+447911124005", "4831", "device-E")

	// Levels are public and list the default rules.
	var lv struct {
		Levels []struct {
			Level int
			Rules []struct{ Key, Value, Description string }
		}
	}
	h.ok("", qLevels, nil, &lv)
	got := map[int][]string{}
	for _, l := range lv.Levels {
		for _, r := range l.Rules {
			must(t, r.Value == "verified" && r.Description != "", "rule %+v", r)
			got[l.Level] = append(got[l.Level], r.Key)
		}
		slices.Sort(got[l.Level])
	}
	must(t, len(lv.Levels) == 3 && slices.Equal(got[1], []string{"phone"}) && slices.Equal(got[2], []string{"email", "profile"}) &&
		slices.Equal(got[3], []string{"document", "selfie"}), "levels: %+v", lv.Levels)

	// Labels: PUBLIC ones are the user's; PRIVATE keys are refused.
	var sl struct{ SetMyLabel gqlLabel }
	h.ok(a.AccessToken, mSetMyLabel, vars("input", map[string]any{"key": "nickname", "value": "ada", "description": "What friends say"}), &sl)
	must(t, sl.SetMyLabel.Key == "nickname" && sl.SetMyLabel.Value == "ada" && sl.SetMyLabel.Scope == "PUBLIC", "label: %+v", sl.SetMyLabel)
	h.fails(a.AccessToken, mSetMyLabel, vars("input", map[string]any{"key": "phone", "value": "verified"}), "CONFLICT")
	r := h.fails(a.AccessToken, mSetMyLabel, vars("input", map[string]any{"key": "Bad Key!", "value": "x"}), "VALIDATION_FAILED")
	must(t, fieldsOf(r)["key"] != nil, "bad key fields: %v", fieldsOf(r))
	me := h.kycMe(a.AccessToken)
	keys := []string{}
	for _, l := range me.Labels {
		keys = append(keys, l.Key)
		must(t, l.Scope == "PUBLIC", "owner sees PRIVATE label %+v", l)
	}
	must(t, slices.Equal(keys, []string{"nickname"}), "owner's labels: %v", keys)
	must(t, me.Level == 1, "a PUBLIC label changed the level: %d", me.Level)
	var rm struct{ RemoveMyLabel bool }
	h.ok(a.AccessToken, mRemoveMyLabel, vars("input", map[string]any{"key": "nickname"}), &rm)
	must(t, rm.RemoveMyLabel, "removeMyLabel of a set label: false")
	h.ok(a.AccessToken, mRemoveMyLabel, vars("input", map[string]any{"key": "nickname"}), &rm)
	must(t, !rm.RemoveMyLabel, "removeMyLabel of a missing label: true")
	// A PRIVATE key is not the user's to remove: refused, or "none there".
	r = h.post(a.AccessToken, mRemoveMyLabel, vars("input", map[string]any{"key": "phone"}))
	must(t, r.code() == "CONFLICT" || (r.code() == "" && strings.Contains(string(r.Data), `"removeMyLabel":false`)),
		"removeMyLabel of a PRIVATE key: %+v %s", r.Errors, r.Data)
	must(t, h.kycMe(a.AccessToken).Level == 1, "removeMyLabel of a PRIVATE key changed the level")

	// Phones: the sign-up phone is there; a new one verifies by code.
	var ph struct {
		MyPhones []struct {
			ID, Number string
			Verified   bool
		}
	}
	h.ok(a.AccessToken, qMyPhones, nil, &ph)
	must(t, len(ph.MyPhones) == 1 && ph.MyPhones[0].Number == phone && ph.MyPhones[0].Verified, "phones after sign-up: %+v", ph.MyPhones)
	const second = "+447911124099"
	var ad struct{ AddPhone otpChallenge }
	h.ok(a.AccessToken, mAddPhone, vars("input", map[string]any{"phone": second}), &ad)
	must(t, ad.AddPhone.ID != "" && ad.AddPhone.Channel == "SMS", "addPhone: %+v", ad.AddPhone)
	code := h.nextSMSCode(second, 0)
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	h.fails(a.AccessToken, mVerifyPhone, vars("input", map[string]any{"challengeId": ad.AddPhone.ID, "code": wrong}), "INVALID_CODE")
	// Someone else can't answer it.
	h.fails(other.AccessToken, mVerifyPhone, vars("input", map[string]any{"challengeId": ad.AddPhone.ID, "code": code}), "NOT_FOUND")
	var vp struct {
		VerifyPhone struct {
			Number   string
			Verified bool
		}
	}
	h.ok(a.AccessToken, mVerifyPhone, vars("input", map[string]any{"challengeId": ad.AddPhone.ID, "code": code}), &vp)
	must(t, vp.VerifyPhone.Number == second && vp.VerifyPhone.Verified, "verifyPhone: %+v", vp.VerifyPhone)
	h.ok(a.AccessToken, qMyPhones, nil, &ph)
	must(t, len(ph.MyPhones) == 2 && slices.ContainsFunc(ph.MyPhones, func(p struct {
		ID, Number string
		Verified   bool
	}) bool {
		return p.Number == second && p.Verified
	}), "phones: %+v", ph.MyPhones)
	// The number is verified for a, so another user can't verify it.
	before := h.sms.count(second)
	h.ok(other.AccessToken, mAddPhone, vars("input", map[string]any{"phone": second}), &ad)
	h.fails(other.AccessToken, mVerifyPhone, vars("input", map[string]any{"challengeId": ad.AddPhone.ID,
		"code": h.nextSMSCode(second, before)}), "CONFLICT")

	// Data records: one per title, replaced by a new put.
	var pd struct {
		PutMyDataRecord struct {
			Title string
			Data  map[string]any
		}
	}
	h.ok(a.AccessToken, mPutDataRecord, vars("input", map[string]any{"title": "employment", "data": map[string]any{"employer": "Babbage Ltd"}}), &pd)
	must(t, pd.PutMyDataRecord.Title == "employment" && pd.PutMyDataRecord.Data["employer"] == "Babbage Ltd", "put: %+v", pd)
	h.ok(a.AccessToken, mPutDataRecord, vars("input", map[string]any{"title": "employment", "data": map[string]any{"employer": "Analytical Engines plc", "since": 1843}}), &pd)
	h.ok(a.AccessToken, mPutDataRecord, vars("input", map[string]any{"title": "tax", "data": map[string]any{"tin": "AB123456C"}}), &pd)
	r = h.fails(a.AccessToken, mPutDataRecord, vars("input", map[string]any{"title": "big", "data": map[string]any{"blob": strings.Repeat("x", 17<<10)}}), "VALIDATION_FAILED")
	must(t, fieldsOf(r)["data"] != nil, "oversize data fields: %v", fieldsOf(r))
	var dr struct {
		MyDataRecords []struct {
			Title string
			Data  map[string]any
		}
	}
	h.ok(a.AccessToken, qMyDataRecords, nil, &dr)
	must(t, len(dr.MyDataRecords) == 2, "records: %+v", dr.MyDataRecords)
	for _, rec := range dr.MyDataRecords {
		if rec.Title == "employment" {
			must(t, rec.Data["employer"] == "Analytical Engines plc" && rec.Data["since"] == float64(1843),
				"replaced record: %+v", rec.Data)
		}
	}
	var del struct{ DeleteUserDataRecord bool }
	h.ok(compliance.token, mDeleteDataRecord, vars("input", map[string]any{"userId": a.User.ID, "title": "tax", "reason": "customer asked"}), &del)
	must(t, del.DeleteUserDataRecord, "deleteUserDataRecord: false")
	h.ok(compliance.token, mDeleteDataRecord, vars("input", map[string]any{"userId": a.User.ID, "title": "tax", "reason": "customer asked"}), &del)
	must(t, !del.DeleteUserDataRecord, "second deleteUserDataRecord: true")
	h.ok(a.AccessToken, qMyDataRecords, nil, &dr)
	must(t, len(dr.MyDataRecords) == 1 && dr.MyDataRecords[0].Title == "employment", "records after delete: %+v", dr.MyDataRecords)
	h.ok(other.AccessToken, qMyDataRecords, nil, &dr)
	must(t, len(dr.MyDataRecords) == 0, "another user's records: %+v", dr.MyDataRecords)

	// Staff change a confirmed profile; its owner can't.
	h.ok(a.AccessToken, mUpsertProfile, vars("input", profileInput("Ada", true)), &struct{}{})
	// A utility bill and a selfie are no submission: it needs an identity document.
	f := newKYCFiles(t, 5)
	var bill struct{ UploadKycDocument gqlDocument }
	h.uploadOK(a.AccessToken, mUploadDocument, vars("input", map[string]any{"type": "UTILITY_BILL", "number": "EL-123"}), &bill,
		file("variables.input.front", "bill.pdf", pdfBytes()))
	must(t, bill.UploadKycDocument.Front.ContentType == "application/pdf" && bill.UploadKycDocument.Back == nil, "bill: %+v", bill)
	h.uploadSelfie(a.AccessToken, f.selfie)
	must(t, h.kycMe(a.AccessToken).KycStatus == "NONE", "a utility bill counted as an identity document")
	h.fails(a.AccessToken, mUpsertProfile, vars("input", profileInput("Eve", false)), "CONFLICT")
	in := profileInput("Ada Augusta", false)
	delete(in, "confirm")
	in["userId"], in["confirmed"] = a.User.ID, true
	var uu struct{ UpdateUserProfile gqlProfile }
	h.ok(compliance.token, mUpdateProfile, vars("input", in), &uu)
	must(t, uu.UpdateUserProfile.FirstName == "Ada Augusta" && uu.UpdateUserProfile.Confirmed, "updateUserProfile: %+v", uu)
	var mp struct{ MyProfile *gqlProfile }
	h.ok(a.AccessToken, qMyProfile, nil, &mp)
	must(t, mp.MyProfile != nil && mp.MyProfile.FirstName == "Ada Augusta", "owner's profile after a staff edit: %+v", mp.MyProfile)
}

// The review queue: oldest first, paged by cursor, filtered by status,
// country and submission time.
func TestKycSubmissionQueueOrderAndFilters(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	compliance := h.staff("COMPLIANCE", "+447911124141")
	countries := []string{"GB", "FR", "GB"}
	ids := make([]string, len(countries))
	times := make([]time.Time, len(countries))
	for i, country := range countries {
		u := h.signUp("+44791112406"+string(rune('1'+i)), "4831", "device-Q")
		in := profileInput("Queued", true)
		in["country"] = country
		h.ok(u.AccessToken, mUpsertProfile, vars("input", in), &struct{}{})
		f := newKYCFiles(t, uint64(200+i))
		h.uploadDocument(u.AccessToken, "NATIONAL_ID", f)
		times[i] = h.clock.Now()
		h.uploadSelfie(u.AccessToken, f.selfie)
		ids[i] = h.pendingSubmissionOf(compliance.token, u.User.ID).ID
		h.clock.Advance(time.Minute)
	}
	type page struct {
		KycSubmissions struct {
			Edges []struct {
				Cursor string
				Node   gqlSubmission
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
	}
	nodes := func(p page) []string {
		out := []string{}
		for _, e := range p.KycSubmissions.Edges {
			out = append(out, e.Node.ID)
		}
		return out
	}
	pending := map[string]any{"status": "PENDING"}
	var p page
	h.ok(compliance.token, qKycSubmissions, vars("filter", pending, "first", 2), &p)
	must(t, slices.Equal(nodes(p), ids[:2]) && p.KycSubmissions.PageInfo.HasNextPage && p.KycSubmissions.PageInfo.EndCursor != nil,
		"first page: %v (want %v) %+v", nodes(p), ids[:2], p.KycSubmissions.PageInfo)
	h.ok(compliance.token, qKycSubmissions, vars("filter", pending, "first", 2, "after", *p.KycSubmissions.PageInfo.EndCursor), &p)
	must(t, slices.Equal(nodes(p), ids[2:]) && !p.KycSubmissions.PageInfo.HasNextPage, "second page: %v", nodes(p))
	h.ok(compliance.token, qKycSubmissions, vars("filter", map[string]any{"status": "PENDING", "country": "GB"}), &p)
	must(t, slices.Equal(nodes(p), []string{ids[0], ids[2]}), "GB: %v", nodes(p))
	h.ok(compliance.token, qKycSubmissions, vars("filter", map[string]any{"submittedFrom": times[1].Format(time.RFC3339),
		"submittedTo": times[2].Format(time.RFC3339)}), &p)
	must(t, slices.Equal(nodes(p), ids[1:2]), "time window: %v (want %v)", nodes(p), ids[1:2])
	r := h.fails(compliance.token, qKycSubmissions, vars("first", 2, "after", "not-a-cursor"), "VALIDATION_FAILED")
	must(t, fieldsOf(r)["after"] != nil, "bad cursor fields: %v", fieldsOf(r))
}

// After an approval, a new selfie or identity document is reviewed again:
// someone holding the user's session cannot swap the documents unseen.
// While the re-review is PENDING, another upload supersedes it.
func TestKycReReviewAfterApproval(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	compliance := h.staff("COMPLIANCE", "+447911124121")
	a, sub := h.approvedUser("+447911124021", compliance, 40)
	must(t, h.kycMe(a.AccessToken).KycStatus == "APPROVED", "not approved")

	// A utility bill changes nothing.
	var bill struct{ UploadKycDocument gqlDocument }
	h.uploadOK(a.AccessToken, mUploadDocument, vars("input", map[string]any{"type": "UTILITY_BILL", "number": "EL-9"}), &bill,
		file("variables.input.front", "bill.pdf", pdfBytes()))
	must(t, h.kycMe(a.AccessToken).KycStatus == "APPROVED", "a utility bill reopened the review")

	// A new selfie: PENDING again, in the queue with the new selfie.
	swapped := newKYCFiles(t, 50)
	selfie := h.uploadSelfie(a.AccessToken, swapped.selfie)
	me := h.kycMe(a.AccessToken)
	must(t, me.KycStatus == "PENDING" && me.KycRejectionReason == "", "after a new selfie: %s %q", me.KycStatus, me.KycRejectionReason)
	again := h.pendingSubmissionOf(compliance.token, a.User.ID)
	must(t, again.ID != sub.ID, "no new submission after the selfie changed")
	var one struct{ KycSubmission *gqlSubmission }
	h.ok(compliance.token, qKycSubmission, vars("id", again.ID), &one)
	must(t, one.KycSubmission != nil && one.KycSubmission.Selfie.ID == selfie.ID && one.KycSubmission.Selfie.Image.URL != nil,
		"re-review: %+v", one.KycSubmission)
	status, body := h.fetch(*one.KycSubmission.Selfie.Image.URL)
	must(t, status == 200 && bytes.Equal(body, swapped.selfie), "new selfie link: HTTP %d", status)
	h.ok(compliance.token, qKycSubmission, vars("id", sub.ID), &one)
	must(t, one.KycSubmission != nil && one.KycSubmission.Status == "APPROVED", "the old approval: %+v", one.KycSubmission)

	// A new passport while that is PENDING supersedes it.
	doc := h.uploadDocument(a.AccessToken, "PASSPORT", swapped)
	third := h.pendingSubmissionOf(compliance.token, a.User.ID)
	must(t, third.ID != again.ID, "the new passport did not supersede the PENDING submission")
	h.ok(compliance.token, qKycSubmission, vars("id", again.ID), &one)
	must(t, one.KycSubmission != nil && one.KycSubmission.Status == "REJECTED" &&
		one.KycSubmission.Reason == "replaced by a newer upload", "superseded: %+v", one.KycSubmission)
	h.fails(compliance.token, mApproveKyc, vars("input", map[string]any{"id": again.ID}), "CONFLICT")
	me = h.kycMe(a.AccessToken)
	must(t, me.KycStatus == "PENDING" && me.KycRejectionReason == "", "the user sees the superseded rejection: %s %q",
		me.KycStatus, me.KycRejectionReason)

	var ap struct{ ApproveKycSubmission gqlSubmission }
	h.ok(compliance.token, mApproveKyc, vars("input", map[string]any{"id": third.ID}), &ap)
	must(t, ap.ApproveKycSubmission.Status == "APPROVED", "approve: %+v", ap)
	h.ok(compliance.token, qKycSubmission, vars("id", third.ID), &one)
	must(t, one.KycSubmission.Document.ID == doc.ID && one.KycSubmission.Selfie.ID == selfie.ID, "approved set: %+v", one.KycSubmission)
	must(t, h.kycMe(a.AccessToken).KycStatus == "APPROVED", "after the re-review")
}

// Staff actions are in the staff member's own activity with their IP and
// user agent; the user's activity shows the action without them. Opening
// a file link is the staff member's activity, not the user's. Staff never
// edit their own KYC data.
func TestKycStaffActivityAndSelfEdits(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	compliance := h.staff("COMPLIANCE", "+447911124131")
	a, sub := h.approvedUser("+447911124031", compliance, 60)
	var one struct{ KycSubmission *gqlSubmission }
	h.ok(compliance.token, qKycSubmission, vars("id", sub.ID), &one)
	status, _ := h.fetch(*one.KycSubmission.Document.Front.URL)
	must(t, status == 200, "front link: HTTP %d", status)
	in := profileInput("Ada Augusta", false)
	delete(in, "confirm")
	in["userId"], in["confirmed"] = a.User.ID, true
	h.ok(compliance.token, mUpdateProfile, vars("input", in), &struct{}{})
	h.ok(a.AccessToken, mPutDataRecord, vars("input", map[string]any{"title": "tax", "data": map[string]any{"tin": "1"}}), &struct{}{})
	var del struct{ DeleteUserDataRecord bool }
	h.ok(compliance.token, mDeleteDataRecord, vars("input", map[string]any{"userId": a.User.ID, "title": "tax", "reason": "customer asked"}), &del)
	must(t, del.DeleteUserDataRecord, "deleteUserDataRecord: false")

	users := h.kycActivity(a.AccessToken)
	staffs := h.kycActivity(compliance.token)
	for _, action := range []string{"submission.approve", "profile.staff_update", "data_record.delete"} {
		theirs, mine := withAction(users, action), withAction(staffs, action)
		must(t, len(theirs) == 1 && len(mine) == 1, "%s: %d rows for the user, %d for staff", action, len(theirs), len(mine))
		must(t, theirs[0].IP == "" && theirs[0].UserAgent == "", "%s: the user sees ip %q userAgent %q", action,
			theirs[0].IP, theirs[0].UserAgent)
		must(t, mine[0].IP != "" && mine[0].UserAgent == "gatehouse-test/1.0", "%s: staff row ip %q userAgent %q", action,
			mine[0].IP, mine[0].UserAgent)
	}
	must(t, len(withAction(users, "file.open")) == 0, "the user's activity shows a file opening")
	must(t, len(withAction(staffs, "file.open")) == 1, "file.open rows of staff: %+v", withAction(staffs, "file.open"))

	// Staff do not edit their own KYC data.
	self := profileInput("Self", false)
	delete(self, "confirm")
	self["userId"], self["confirmed"] = compliance.id, true
	h.fails(compliance.token, mUpdateProfile, vars("input", self), "FORBIDDEN")
	h.fails(compliance.token, mDeleteDataRecord, vars("input", map[string]any{"userId": compliance.id, "title": "x", "reason": "own"}), "FORBIDDEN")
	var mp struct{ MyProfile *gqlProfile }
	h.ok(compliance.token, qMyProfile, nil, &mp)
	must(t, mp.MyProfile == nil, "staff wrote their own profile: %+v", mp.MyProfile)
}
