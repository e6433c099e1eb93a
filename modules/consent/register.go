package consent

import (
	"net/http"
	"net/url"

	"github.com/gatehouse/gatehouse/modules/identity"
)

// register serves /oauth2/register, reached from the login page with the
// same login challenge: phone sign-up (phone → code → PIN and terms) or
// email sign-up (email, password and terms → code); the new account's
// login is then accepted as a sign-in's would be.
func (p *Pages) register(q *request) {
	// Already signed in at the server (a remembered login): nothing to
	// register, the login is answered.
	lr, ok := p.openLogin(q)
	if !ok {
		return
	}
	v := p.loginView(lr)
	v.Title, v.Action, v.RegisterURL = "Create an account", registerPath, ""
	v.LoginURL = loginPath + "?" + url.Values{loginParam: {lr.Challenge}}.Encode()
	if !q.post {
		p.render(q, http.StatusOK, "register", v)
		return
	}
	v.Remember = q.value("remember") != ""
	switch q.value("step") {
	case stepPhone:
		v.Values["phone"] = q.value("phone")
		ch, err := p.signup.StartPhoneSignup(q.ctx, q.value("phone"))
		if err != nil {
			if p.problem(q, err, &v) {
				p.render(q, statusOf(err), "register", v)
			}
			return
		}
		p.codePage(q, v, stepPhoneCode, ch, http.StatusOK)
	case stepPhoneCode:
		id, ok := p.codeID(q, v, "register")
		if !ok {
			return
		}
		pv, err := p.signup.VerifyPhoneSignup(q.ctx, id, q.value("code"))
		if err != nil {
			p.codeAgain(q, v, q.value("step"), id, err)
			return
		}
		v.Ticket, v.Title = pv.Ticket, "Choose your PIN"
		p.render(q, http.StatusOK, "register_pin", v)
	case stepPhonePIN:
		v.Ticket, v.Title = q.value("ticket"), "Choose your PIN"
		auth, err := p.signup.CompletePhoneSignup(q.ctx, identity.CompleteSignup{Ticket: q.value("ticket"),
			PIN: q.value("pin"), ConfirmPIN: q.value("confirmPin"), AcceptTerms: q.value("acceptTerms") != "",
			DeviceKey: p.device(q), DeviceName: deviceName})
		if err != nil {
			if p.problem(q, err, &v) {
				p.render(q, statusOf(err), "register_pin", v)
			}
			return
		}
		p.finishLogin(q, lr, auth, v.Remember, []string{"sms", "pin"})
	case stepEmail:
		v.Values["email"], v.Values["name"] = q.value("email"), q.value("name")
		ch, err := p.signup.SignUpWithEmail(q.ctx, identity.EmailSignup{Email: q.value("email"),
			Password: q.value("password"), Name: q.value("name"), AcceptTerms: q.value("acceptTerms") != "",
			DeviceKey: p.device(q), DeviceName: deviceName})
		if err != nil {
			if p.problem(q, err, &v) {
				p.render(q, statusOf(err), "register", v)
			}
			return
		}
		p.codePage(q, v, stepEmailCode, ch, http.StatusOK)
	case stepEmailCode:
		id, ok := p.codeID(q, v, "register")
		if !ok {
			return
		}
		auth, err := p.signup.ConfirmEmail(q.ctx, id, q.value("code"))
		if err != nil {
			p.codeAgain(q, v, q.value("step"), id, err)
			return
		}
		p.finishLogin(q, lr, auth, v.Remember, []string{"pwd", "otp"})
	case stepResend:
		p.resend(q, v, "register", stepPhoneCode, stepEmailCode)
	default:
		v.Error = "Choose how to create your account."
		p.render(q, http.StatusBadRequest, "register", v)
	}
}
