package consent

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// Steps a login or registration form answers (its hidden "step" field).
const (
	stepPIN         = "pin"
	stepPassword    = "password"
	stepDeviceCode  = "device_code" // PIN sign-in on a new browser
	stepMFACode     = "mfa_code"    // password sign-in's second factor
	stepPhone       = "phone"       // registration: the phone
	stepPhoneCode   = "phone_code"  // registration: the phone's code
	stepPhonePIN    = "phone_pin"   // registration: PIN and terms
	stepEmail       = "email"       // registration: email, password, terms
	stepEmailCode   = "email_code"  // registration: the email's code
	stepResend      = "resend"      // any code step: send a fresh code
	loginParam      = "login_challenge"
	deviceName      = "Web browser"
	handOffTo       = "oauth2_login"
	registerPath    = "/oauth2/register"
	loginPath       = "/oauth2/login"
	deviceKeyPrefix = "web-"
)

// openLogin reads the login challenge of the sign-in and registration
// pages (checking a POST's CSRF token), and answers a remembered login at
// once (a person blocked since is refused). false: the browser has its
// answer already.
func (p *Pages) openLogin(q *request) (LoginRequest, bool) {
	challenge := challengeOf(q, loginParam)
	if challenge == "" {
		p.missing(q)
		return LoginRequest{}, false
	}
	if !p.checkCSRF(q, challenge) {
		return LoginRequest{}, false
	}
	lr, err := p.server.LoginRequest(q.ctx, challenge)
	if err != nil {
		p.serverFailed(q, err)
		return LoginRequest{}, false
	}
	if lr.Skip {
		p.skipLogin(q, lr)
		return LoginRequest{}, false
	}
	return lr, true
}

// login serves /oauth2/login: a remembered login is accepted at once (a
// person blocked since is refused); otherwise the sign-in form, and its
// steps on POST.
func (p *Pages) login(q *request) {
	lr, ok := p.openLogin(q)
	if !ok {
		return
	}
	v := p.loginView(lr)
	if !q.post {
		if lr.LoginHint != "" && len(lr.LoginHint) <= 128 {
			v.Values["username"] = lr.LoginHint
		}
		p.render(q, http.StatusOK, "login", v)
		return
	}
	device := p.device(q)
	v.Remember = q.value("remember") != ""
	switch q.value("step") {
	case stepPIN:
		v.Values["phone"] = q.value("phone")
		res, err := p.signIn.SignInWithPIN(q.ctx, identity.PINSignIn{Phone: q.value("phone"), PIN: q.value("pin"),
			DeviceKey: device, DeviceName: deviceName, DeviceSecret: cookieValue(q.r, deviceSecretCookie)})
		p.signedIn(q, lr, v, res, err, stepDeviceCode, []string{"pin"})
	case stepPassword:
		v.Values["username"] = q.value("username")
		res, err := p.signIn.SignIn(q.ctx, identity.PasswordSignIn{Username: q.value("username"),
			Password: q.value("password"), DeviceKey: device, DeviceName: deviceName,
			DeviceSecret: cookieValue(q.r, deviceSecretCookie)})
		p.signedIn(q, lr, v, res, err, stepMFACode, []string{"pwd"})
	case stepDeviceCode, stepMFACode:
		p.loginCode(q, lr, v)
	case stepResend:
		p.resend(q, v, "login", stepDeviceCode, stepMFACode)
	default:
		v.Error = "Choose how to sign in."
		p.render(q, http.StatusBadRequest, "login", v)
	}
}

func (p *Pages) loginView(lr LoginRequest) view {
	return view{Title: "Sign in", Action: loginPath, ParamName: loginParam, Challenge: lr.Challenge,
		ClientName: clientName(lr.Client), Values: map[string]string{},
		RegisterURL: registerPath + "?" + url.Values{loginParam: {lr.Challenge}}.Encode()}
}

// signedIn goes on from a first sign-in step: signed in (the login is
// accepted), a code to answer (its page), or a refusal (the form again,
// with GraphQL's message).
func (p *Pages) signedIn(q *request, lr LoginRequest, v view, res identity.SignInResult, err error, codeStep string,
	amr []string) {
	if err != nil {
		if p.problem(q, err, &v) {
			p.render(q, statusOf(err), "login", v)
		}
		return
	}
	switch res.Status {
	case identity.SignedIn:
		p.finishLogin(q, lr, *res.Auth, v.Remember, amr)
	case identity.DeviceVerificationRequired, identity.MFARequired:
		if res.Status == identity.MFARequired {
			codeStep = stepMFACode
		}
		p.codePage(q, v, codeStep, *res.Challenge, http.StatusOK)
	case identity.PINSetupRequired:
		v.Error = "This account has no PIN yet. Set one in the app, or sign in with your password."
		p.render(q, http.StatusOK, "login", v)
	default:
		p.serverFailed(q, errors.New("consent: unknown sign-in status "+string(res.Status)))
	}
}

// codePage asks for the code of ch.
func (p *Pages) codePage(q *request, v view, step string, ch otp.ChallengeView, status int) {
	v.Step, v.CodeID, v.CodeTo, v.CodeSent = step, ch.ID.String(), ch.Destination, ch.Channel != otp.ChannelTOTP
	switch ch.Channel {
	case otp.ChannelTOTP:
		v.CodeHow = "Enter the code from your authenticator app, or one of your recovery codes."
	case otp.ChannelEmail:
		v.CodeHow = "We sent a code by email to " + ch.Destination + "."
	default:
		v.CodeHow = "We sent a code by SMS to " + ch.Destination + "."
	}
	v.Title = "Enter your code"
	p.render(q, status, "code", v)
}

// resend sends a fresh code for the code step the form was on (one of
// steps) and shows the code page again; a refusal (too early, too many)
// shows it with the reason. Anything else is the page (a broken form).
func (p *Pages) resend(q *request, v view, page string, steps ...string) {
	step := q.value("code_step")
	id, err := uuid.Parse(q.value("code_id"))
	if err != nil || !slices.Contains(steps, step) {
		v.Error = "This code form is broken; start again."
		p.render(q, http.StatusBadRequest, page, v)
		return
	}
	ch, err := p.codes.Resend(q.ctx, id)
	if err != nil {
		p.codeAgain(q, v, step, id, err)
		return
	}
	p.codePage(q, v, step, ch, http.StatusOK)
}

// codeID is the code form's challenge id; false when the form is broken
// (answered with page, the sign-in or registration page).
func (p *Pages) codeID(q *request, v view, page string) (uuid.UUID, bool) {
	id, err := uuid.Parse(q.value("code_id"))
	if err != nil {
		v.Error = "This code form is broken; start again."
		p.render(q, http.StatusBadRequest, page, v)
		return uuid.Nil, false
	}
	return id, true
}

// codeAgain shows the code form of step again with what was wrong, as
// the form was (a code that was sent, or the authenticator app's).
func (p *Pages) codeAgain(q *request, v view, step string, id uuid.UUID, err error) {
	v.Step, v.CodeID, v.Title, v.CodeSent = step, id.String(), "Enter your code", q.value("code_sent") != ""
	v.CodeHow = "Enter the code from your authenticator app, or one of your recovery codes."
	if v.CodeSent {
		v.CodeHow = "Enter the code we sent you."
	}
	if p.problem(q, err, &v) {
		p.render(q, statusOf(err), "code", v)
	}
}

// loginCode answers a sign-in's code step: the new browser's SMS code
// (it becomes trusted) or the password's second factor.
func (p *Pages) loginCode(q *request, lr LoginRequest, v view) {
	id, ok := p.codeID(q, v, "login")
	if !ok {
		return
	}
	var auth identity.Auth
	var err error
	amr := []string{"pin", "sms", "mfa"}
	if q.value("step") == stepDeviceCode {
		auth, err = p.signIn.VerifyDeviceSignIn(q.ctx, id, q.value("code"))
	} else {
		amr = []string{"pwd", "otp", "mfa"}
		auth, err = p.signIn.VerifySignIn(q.ctx, id, q.value("code"))
	}
	if err != nil {
		p.codeAgain(q, v, q.value("step"), id, err)
		return
	}
	p.finishLogin(q, lr, auth, v.Remember, amr)
}

// finishLogin keeps the device's new secret in the browser, ends the
// session the sign-in opened (the OAuth2 server keeps the login) and
// accepts the login with the user id as subject.
func (p *Pages) finishLogin(q *request, lr LoginRequest, auth identity.Auth, remember bool, amr []string) {
	if auth.DeviceSecret != "" {
		http.SetCookie(q.w, p.cookie(deviceSecretCookie, auth.DeviceSecret, deviceCookieAge))
	}
	// Whatever the browser does now: a session left open would keep a
	// refresh token nobody holds.
	if err := p.handOff.HandOff(context.WithoutCancel(q.ctx), auth, handOffTo); err != nil {
		p.serverFailed(q, err)
		return
	}
	to, err := p.server.AcceptLogin(q.ctx, lr.Challenge, LoginAcceptance{Subject: auth.User.ID.String(),
		Remember: remember, RememberFor: p.cfg.RememberFor, AMR: amr, Browser: p.renewNonce(q)})
	if err != nil {
		p.serverFailed(q, err)
		return
	}
	uid := auth.User.ID
	p.record(q.ctx, &uid, "oauth2.login", nil, map[string]string{"client": lr.Client.ID,
		"remember": boolText(remember)})
	p.redirect(q, to)
}

// skipLogin answers a login the server remembers: accepted for a person
// who may still sign in, refused (access_denied, the app must sign them in
// again) for one blocked, locked or deleted since.
func (p *Pages) skipLogin(q *request, lr LoginRequest) {
	u, err := p.subject(q.ctx, lr.Subject)
	if err != nil {
		if ourFault(err) {
			p.serverFailed(q, err)
			return
		}
		to, rerr := p.server.RejectLogin(q.ctx, lr.Challenge, Refusal{Error: "access_denied",
			Description: "this account may not sign in"})
		if rerr != nil {
			p.serverFailed(q, rerr)
			return
		}
		if uid, perr := uuid.Parse(lr.Subject); perr == nil {
			p.record(q.ctx, &uid, "oauth2.login_remembered", err, map[string]string{"client": lr.Client.ID})
		}
		p.redirect(q, to)
		return
	}
	to, err := p.server.AcceptLogin(q.ctx, lr.Challenge, LoginAcceptance{Subject: u.ID.String(),
		Browser: p.renewNonce(q)})
	if err != nil {
		p.serverFailed(q, err)
		return
	}
	p.record(q.ctx, &u.ID, "oauth2.login_remembered", nil, map[string]string{"client": lr.Client.ID})
	p.redirect(q, to)
}

// renewNonce gives the browser a fresh CSRF nonce as its login is answered
// and returns the tag the login carries to the consent page. A nonce known
// to someone else (a cookie tossed from a sibling subdomain before the
// sign-in) then tags nothing: they cannot present the person's browser at
// the consent page. Forms of other sign-ins open in the same browser
// expire with it.
func (p *Pages) renewNonce(q *request) string {
	q.nonce = randomValue()
	http.SetCookie(q.w, p.cookie(csrfCookie, q.nonce, 0))
	return p.csrf.browser(q.nonce)
}

// device is the browser's device id, made (and kept in a cookie) the first
// time. Only an id of the pages' own making is taken back: a cookie set by
// someone else (a sibling subdomain, a shared computer) naming the id of
// the person's phone would make the code step trust that device anew, and
// the phone's own secret would stop working.
func (p *Pages) device(q *request) string {
	if d := cookieValue(q.r, deviceCookie); len(d) == len(deviceKeyPrefix)+randomChars &&
		strings.HasPrefix(d, deviceKeyPrefix) {
		return d
	}
	d := deviceKeyPrefix + randomValue()
	http.SetCookie(q.w, p.cookie(deviceCookie, d, deviceCookieAge))
	return d
}

// statusOf is the page's HTTP status for a refusal.
func statusOf(err error) int {
	switch ports.ErrorCodeOf(err) {
	case ports.CodeValidationFailed:
		return http.StatusUnprocessableEntity
	case ports.CodeRateLimited, ports.CodeTooManyAttempts:
		return http.StatusTooManyRequests
	case ports.CodeLocked, ports.CodeAccessRestricted, ports.CodeForbidden:
		return http.StatusForbidden
	case ports.CodeConflict:
		return http.StatusConflict
	}
	return http.StatusUnauthorized
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
