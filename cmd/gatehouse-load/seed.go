package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/big"
	"sync/atomic"
	"time"
)

// The users a run measures with, made as a client makes them: through the
// public GraphQL journeys (the staff member by `gatehouse admin create`,
// as an operator makes the first one).
type users struct {
	staffToken string
	// reader is the user `me` reads: KYC approved, portfolios opened.
	reader phoneUser
	// pins and passwords sign in, one user (and trusted device) per
	// connection: each sign-in reserves a try on its device before the
	// secret is checked (identity's secretCheck), and a device with 5
	// tries in flight makes its next one wait for them, so one device
	// signing in on many connections at once would measure that wait, not
	// the sign-in.
	pins      []phoneUser
	passwords []emailUser
}

// phoneUser signed up by phone with a PIN, on a device now trusted.
type phoneUser struct {
	phone, pin, device, deviceSecret, token string
}

// emailUser signed up by email with a password, confirmed on a device now
// trusted.
type emailUser struct {
	email, password, device, deviceSecret string
}

const (
	mStartPhoneSignup    = `mutation($input: StartPhoneSignupInput!) { startPhoneSignup(input: $input) { id } }`
	mVerifyPhoneSignup   = `mutation($input: VerifyPhoneSignupInput!) { verifyPhoneSignup(input: $input) { ticket } }`
	mCompletePhoneSignup = `mutation($input: CompletePhoneSignupInput!) { completePhoneSignup(input: $input) { accessToken deviceSecret user { id } } }`
	mSignUpWithEmail     = `mutation($input: SignUpWithEmailInput!) { signUpWithEmail(input: $input) { id } }`
	mConfirmEmail        = `mutation($input: ConfirmEmailInput!) { confirmEmail(input: $input) { accessToken deviceSecret } }`
	mSignIn              = `mutation($input: SignInInput!) { signIn(input: $input) { status auth { accessToken } challenge { id } } }`
	mVerifySignIn        = `mutation($input: VerifySignInInput!) { verifySignIn(input: $input) { accessToken } }`
	mSignInWithPin       = `mutation($input: SignInWithPinInput!) { signInWithPin(input: $input) { status auth { accessToken } } }`
	mUpsertProfile       = `mutation($input: UpsertProfileInput!) { upsertMyProfile(input: $input) { confirmed } }`
	mUploadDocument      = `mutation($input: UploadKycDocumentInput!) { uploadKycDocument(input: $input) { id } }`
	mUploadSelfie        = `mutation($input: UploadSelfieInput!) { uploadSelfie(input: $input) { id } }`
	qPendingKyc          = `query { kycSubmissions(filter: {status: PENDING}, first: 100) { edges { node { id user { id } } } } }`
	mApproveKyc          = `mutation($input: DecideKycSubmissionInput!) { approveKycSubmission(input: $input) { status } }`
	qMyAccounts          = `query { me { accounts { id } } }`
	mCreatePortfolio     = `mutation($input: CreatePortfolioInput!) { createPortfolio(input: $input) { id address } }`
)

// codeWait bounds how long a code may take to reach the log.
const codeWait = 10 * time.Second

// waitCode waits for the code a request sent to a destination.
func waitCode(ctx context.Context, ch <-chan string, to string) (string, error) {
	select {
	case code := <-ch:
		return code, nil
	case <-time.After(codeWait):
		return "", &opError{"NO_CODE_LOGGED", "no code for " + to + " reached the server's log"}
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// seed makes the staff member, the reader (KYC approved, its account with
// portfolios), and a phone user and an email user per connection (the
// reader is the first phone user); extra made-up users (`gatehouse dev
// seed`) fill the staff page.
func seed(ctx context.Context, s *server, numbers *phones, conns, portfolios, extraUsers int, say func(string, ...any)) (*users, error) {
	c := newClient(s.baseURL)
	defer c.close()
	u := &users{}
	if extraUsers > 0 {
		say("seeding %d made-up users (gatehouse dev seed)", extraUsers)
		if _, err := s.command(ctx, "", "dev", "seed", "--users", fmt.Sprint(extraUsers)); err != nil {
			return nil, err
		}
	}
	if err := seedStaff(ctx, s, c, u); err != nil {
		return nil, fmt.Errorf("staff user: %w", err)
	}
	say("staff user signed in (ADMIN, by email and password, second factor by email)")
	for i := range conns {
		p, err := seedPhoneUser(ctx, s, c, numbers.take(), fmt.Sprintf("load-phone-%d", i))
		if err != nil {
			return nil, fmt.Errorf("phone user: %w", err)
		}
		u.pins = append(u.pins, p)
		e, err := seedEmailUser(ctx, s, c, fmt.Sprintf("load-laptop-%d", i))
		if err != nil {
			return nil, fmt.Errorf("email user: %w", err)
		}
		u.passwords = append(u.passwords, e)
	}
	say("%d phone users (PIN) and %d email users (password) signed up, each on its own trusted device", conns, conns)
	u.reader = u.pins[0]
	if err := approveKYC(ctx, c, u, portfolios); err != nil {
		return nil, fmt.Errorf("phone user's KYC and portfolios: %w", err)
	}
	if err := checkMe(ctx, c, u, portfolios); err != nil {
		return nil, err
	}
	say("reader %s: KYC approved, %d portfolio(s)", u.reader.phone, portfolios)
	return u, nil
}

// seedStaff makes an ADMIN with `gatehouse admin create --email` and
// signs it in: a new device answers the code sent to the email.
func seedStaff(ctx context.Context, s *server, c *client, u *users) error {
	email := "load-staff-" + randomHex(4) + "@example.com"
	password := "amber-Lantern-" + randomHex(6) + "-river"
	if _, err := s.command(ctx, password+"\n", "admin", "create", "--email", email, "--role", "ADMIN"); err != nil {
		return err
	}
	ch := s.codes.expect(email)
	var in struct {
		SignIn struct {
			Status    string
			Challenge *struct{ ID string }
		}
	}
	if err := c.do(ctx, "", mSignIn, input(map[string]any{"username": email, "password": password, "deviceId": "load-staff"}), &in); err != nil {
		s.codes.forget(email)
		return err
	}
	if in.SignIn.Challenge == nil {
		return fmt.Errorf("sign-in on a new device answered %s without a challenge", in.SignIn.Status)
	}
	code, err := waitCode(ctx, ch, email)
	if err != nil {
		return err
	}
	var v struct{ VerifySignIn struct{ AccessToken string } }
	if err := c.do(ctx, "", mVerifySignIn, input(map[string]any{"challengeId": in.SignIn.Challenge.ID, "code": code}), &v); err != nil {
		return err
	}
	u.staffToken = v.VerifySignIn.AccessToken
	return nil
}

// phoneSignupTicket runs the first two steps of phone sign-up: the code,
// then the ticket. It is also the OTP journey a run measures.
func phoneSignupTicket(ctx context.Context, s *server, c *client, phone string) (string, error) {
	ch := s.codes.expect(phone)
	var st struct{ StartPhoneSignup struct{ ID string } }
	if err := c.do(ctx, "", mStartPhoneSignup, input(map[string]any{"phone": phone}), &st); err != nil {
		s.codes.forget(phone)
		return "", err
	}
	code, err := waitCode(ctx, ch, phone)
	if err != nil {
		return "", err
	}
	var v struct{ VerifyPhoneSignup struct{ Ticket string } }
	err = c.do(ctx, "", mVerifyPhoneSignup, input(map[string]any{"challengeId": st.StartPhoneSignup.ID, "code": code}), &v)
	return v.VerifyPhoneSignup.Ticket, err
}

func seedPhoneUser(ctx context.Context, s *server, c *client, phone, device string) (phoneUser, error) {
	p := phoneUser{phone: phone, pin: "4831", device: device}
	ticket, err := phoneSignupTicket(ctx, s, c, p.phone)
	if err != nil {
		return p, err
	}
	var done struct {
		CompletePhoneSignup struct{ AccessToken, DeviceSecret string }
	}
	if err := c.do(ctx, "", mCompletePhoneSignup, input(map[string]any{"ticket": ticket, "pin": p.pin, "confirmPin": p.pin,
		"acceptTerms": true, "deviceId": p.device, "deviceName": "Load phone"}), &done); err != nil {
		return p, err
	}
	p.token, p.deviceSecret = done.CompletePhoneSignup.AccessToken, done.CompletePhoneSignup.DeviceSecret
	return p, nil
}

// approveKYC takes the reader through KYC (confirmed profile,
// passport, selfie), has the staff member approve it, and opens
// portfolios in the account sign-up opened: what `me` then reads.
func approveKYC(ctx context.Context, c *client, u *users, portfolios int) error {
	profile := map[string]any{"firstName": "Ada", "lastName": "Lovelace", "dateOfBirth": "1990-04-12",
		"address": "12 St James's Square", "postcode": "SW1Y 4JH", "city": "London", "country": "GB", "confirm": true}
	if err := c.do(ctx, u.reader.token, mUpsertProfile, input(profile), nil); err != nil {
		return err
	}
	doc := []upload{
		{"variables.input.front", "front.jpg", "image/jpeg", jpegImage(64, 48, 1)},
		{"variables.input.back", "back.png", "image/png", pngImage(64, 48, 2)},
	}
	if err := c.upload(ctx, u.reader.token, mUploadDocument, map[string]any{"type": "PASSPORT", "number": "P" + randomHex(4), "expiresOn": "2031-05-01"}, doc, nil); err != nil {
		return err
	}
	selfie := []upload{{"variables.input.image", "me.jpg", "image/jpeg", jpegImage(48, 64, 3)}}
	if err := c.upload(ctx, u.reader.token, mUploadSelfie, map[string]any{}, selfie, nil); err != nil {
		return err
	}
	var me struct {
		Me struct {
			ID       string
			Accounts []struct{ ID string }
		}
	}
	if err := c.do(ctx, u.reader.token, `query { me { id accounts { id } } }`, nil, &me); err != nil {
		return err
	}
	var q struct {
		KycSubmissions struct {
			Edges []struct {
				Node struct {
					ID   string
					User struct{ ID string }
				}
			}
		}
	}
	if err := c.do(ctx, u.staffToken, qPendingKyc, nil, &q); err != nil {
		return err
	}
	sub := ""
	for _, e := range q.KycSubmissions.Edges {
		if e.Node.User.ID == me.Me.ID {
			sub = e.Node.ID
		}
	}
	if sub == "" {
		return fmt.Errorf("no PENDING KYC submission of user %s", me.Me.ID)
	}
	if err := c.do(ctx, u.staffToken, mApproveKyc, input(map[string]any{"id": sub}), nil); err != nil {
		return err
	}
	if len(me.Me.Accounts) == 0 {
		return fmt.Errorf("user %s has no account after sign-up", me.Me.ID)
	}
	types := []string{"TRADING", "SAVINGS", "STAKING"}
	for i := range portfolios {
		p := map[string]any{"accountId": me.Me.Accounts[0].ID, "name": fmt.Sprintf("Load %d", i+1), "type": types[i%len(types)]}
		if err := c.do(ctx, u.reader.token, mCreatePortfolio, input(p), nil); err != nil {
			return err
		}
	}
	return nil
}

// checkMe holds issue 17's `me` to what the seeding made, so that the
// run measures the nested read (accounts, then portfolios), not an empty
// one.
func checkMe(ctx context.Context, c *client, u *users, portfolios int) error {
	var me struct {
		Me *struct {
			ID       string
			Accounts []struct {
				ID         string
				Portfolios []struct{ ID, Address string }
			}
		}
	}
	if err := c.do(ctx, u.reader.token, qMe, nil, &me); err != nil {
		return fmt.Errorf("me: %w", err)
	}
	if me.Me == nil || len(me.Me.Accounts) != 1 || len(me.Me.Accounts[0].Portfolios) != portfolios {
		return fmt.Errorf("me does not show one account with %d portfolios: %+v", portfolios, me.Me)
	}
	return nil
}

// seedEmailUser signs a user up by email and password and confirms the
// address: the device it confirmed on is trusted, so password sign-in
// there needs no second factor.
func seedEmailUser(ctx context.Context, s *server, c *client, device string) (emailUser, error) {
	e := emailUser{email: "load-" + randomHex(4) + "@example.com", password: "violet-Harbor-" + randomHex(3) + "-quiet", device: device}
	ch := s.codes.expect(e.email)
	var st struct{ SignUpWithEmail struct{ ID string } }
	if err := c.do(ctx, "", mSignUpWithEmail, input(map[string]any{"email": e.email, "password": e.password, "name": "Ada",
		"acceptTerms": true, "deviceId": e.device}), &st); err != nil {
		s.codes.forget(e.email)
		return e, err
	}
	code, err := waitCode(ctx, ch, e.email)
	if err != nil {
		return e, err
	}
	var done struct {
		ConfirmEmail struct{ AccessToken, DeviceSecret string }
	}
	if err := c.do(ctx, "", mConfirmEmail, input(map[string]any{"challengeId": st.SignUpWithEmail.ID, "code": code}), &done); err != nil {
		return e, err
	}
	e.deviceSecret = done.ConfirmEmail.DeviceSecret
	return e, nil
}

func input(in map[string]any) map[string]any { return map[string]any{"input": in} }

// phones hands out UK mobile numbers (+447911, as README's, then 0, 1 or
// 2 and five digits: the range libphonenumber holds valid), one after the
// other from a random start, so no two journeys of a run share a number
// and runs on a kept database (DATABASE_URL) rarely meet the numbers, and
// the hourly code budgets, of earlier runs.
type phones struct{ next atomic.Int64 }

const phoneRange = 300_000

func newPhones() *phones {
	p := &phones{}
	n, _ := rand.Int(rand.Reader, big.NewInt(phoneRange))
	p.next.Store(n.Int64())
	return p
}

func (p *phones) take() string { return phoneAt(p.next.Add(1)) }

func phoneAt(i int64) string {
	i %= phoneRange
	return fmt.Sprintf("+447911%d%05d", i/100_000, i%100_000)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// testPicture is a w×h gradient: a real image of the size KYC accepts.
func testPicture(w, h, seed int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 4), uint8(seed * 40), 255})
		}
	}
	return img
}

func jpegImage(w, h, seed int) []byte {
	var b bytes.Buffer
	_ = jpeg.Encode(&b, testPicture(w, h, seed), &jpeg.Options{Quality: 90})
	return b.Bytes()
}

func pngImage(w, h, seed int) []byte {
	var b bytes.Buffer
	_ = png.Encode(&b, testPicture(w, h, seed))
	return b.Bytes()
}
