package consent

import (
	"net/http"
	"strconv"

	"github.com/google/uuid"
)

const logoutParam = "logout_challenge"

// logout serves /oauth2/logout: a confirmation form; "Sign out" accepts
// the logout (the server ends its session and the apps'), "Stay signed
// in" rejects it.
func (p *Pages) logout(q *request) {
	challenge := challengeOf(q, logoutParam)
	if challenge == "" {
		p.missing(q)
		return
	}
	if !p.checkCSRF(q, challenge) {
		return
	}
	lr, err := p.server.LogoutRequest(q.ctx, challenge)
	if err != nil {
		p.serverFailed(q, err)
		return
	}
	v := view{Title: "Sign out", Action: "/oauth2/logout", ParamName: logoutParam, Challenge: challenge}
	if lr.Client != nil {
		v.ClientName = clientName(*lr.Client)
	}
	if !q.post {
		p.render(q, http.StatusOK, "logout", v)
		return
	}
	uid, uerr := parseUser(lr.Subject)
	switch q.value("decision") {
	case "logout":
		to, err := p.server.AcceptLogout(q.ctx, challenge)
		if err != nil {
			p.serverFailed(q, err)
			return
		}
		if uerr == nil {
			p.record(q.ctx, &uid, "oauth2.logout", nil, nil)
		}
		p.redirect(q, to)
	case "stay":
		if err := p.server.RejectLogout(q.ctx, challenge); err != nil {
			p.serverFailed(q, err)
			return
		}
		p.message(q, http.StatusOK, "You are still signed in", "You can close this page and go back to the app.")
	default:
		v.Error = "Choose whether to sign out."
		p.render(q, http.StatusBadRequest, "logout", v)
	}
}

// parseUser is the user id a challenge's subject holds.
func parseUser(subject string) (uuid.UUID, error) { return uuid.Parse(subject) }

func itoa(n int) string { return strconv.Itoa(n) }
