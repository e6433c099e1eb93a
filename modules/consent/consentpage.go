package consent

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/modules/identity"
)

const consentParam = "consent_challenge"

// consent serves /oauth2/consent: the app's name and the scopes it asks
// for in words, Allow or Deny, and "remember this choice". A consent the
// server remembers is accepted at once with the scopes granted before (the
// claims read fresh); a person blocked since is refused.
func (p *Pages) consent(q *request) {
	challenge := challengeOf(q, consentParam)
	if challenge == "" {
		p.missing(q)
		return
	}
	if !p.checkCSRF(q, challenge) {
		return
	}
	cr, err := p.server.ConsentRequest(q.ctx, challenge)
	if err != nil {
		p.serverFailed(q, err)
		return
	}
	// The consent page has no session of its own to say who is signed in:
	// the login's answer names the browser that gave it, and only that
	// browser may answer the consent. Another one holding the link (from a
	// history, a log, a shared screen) is shown nothing about the request
	// and answers nothing: answering would spend the flow, and the person
	// would find their own sign-in refused.
	if cr.Browser != "" && !p.csrf.sameBrowser(q.nonce, cr.Browser) {
		p.message(q, http.StatusForbidden, "Continue in the browser you signed in with",
			"This page belongs to a sign-in made in another browser. Go back to the app and start again here.")
		return
	}
	u, err := p.subject(q.ctx, cr.Subject)
	if err != nil {
		if ourFault(err) {
			p.serverFailed(q, err)
			return
		}
		p.rejectConsent(q, cr, nil, "this account may not sign in", err)
		return
	}
	if cr.Skip {
		p.acceptConsent(q, cr, u, cr.RequestedScopes, false, "oauth2.consent_remembered")
		return
	}
	if !q.post {
		p.render(q, http.StatusOK, "consent", p.consentView(cr, cr.RequestedScopes))
		return
	}
	allowed := q.form["scope"]
	if len(allowed) > maxScopes {
		allowed = allowed[:maxScopes]
	}
	switch q.value("decision") {
	case "allow":
		p.acceptConsent(q, cr, u, grantable(cr.RequestedScopes, allowed), q.value("remember") != "", "oauth2.consent_granted")
	case "deny":
		p.rejectConsent(q, cr, &u, "the person denied access", nil)
	default:
		v := p.consentView(cr, allowed)
		v.Error = "Choose Allow or Deny."
		p.render(q, http.StatusBadRequest, "consent", v)
	}
}

func (p *Pages) consentView(cr ConsentRequest, checked []string) view {
	v := view{Title: "Allow access", Action: "/oauth2/consent", ParamName: consentParam, Challenge: cr.Challenge,
		ClientName: clientName(cr.Client), Values: map[string]string{}}
	for i, s := range cr.RequestedScopes {
		if i >= maxScopes {
			break
		}
		sv := scopeView{Name: s, Words: ScopeDescription(s, p.cfg.ProductName), ID: "scope-" + itoa(i)}
		if slices.Contains(checked, s) {
			sv.Checked = true
		}
		v.Scopes = append(v.Scopes, sv)
	}
	return v
}

// acceptConsent grants scopes with u's claims limited to them.
func (p *Pages) acceptConsent(q *request, cr ConsentRequest, u identity.User, scopes []string, remember bool,
	action string) {
	to, err := p.server.AcceptConsent(q.ctx, cr.Challenge, ConsentAcceptance{GrantScopes: scopes,
		GrantAudience: cr.RequestedAudience, Remember: remember, RememberFor: p.cfg.RememberFor,
		IDToken: IDTokenClaims(u, scopes)})
	if err != nil {
		p.serverFailed(q, err)
		return
	}
	p.record(q.ctx, &u.ID, action, nil, map[string]string{"client": cr.Client.ID,
		"scopes": strings.Join(scopes, " "), "remember": boolText(remember)})
	p.redirect(q, to)
}

// rejectConsent answers access_denied; u is nil when the subject is no
// longer let in (why says so in the activity).
func (p *Pages) rejectConsent(q *request, cr ConsentRequest, u *identity.User, desc string, why error) {
	to, err := p.server.RejectConsent(q.ctx, cr.Challenge, Refusal{Error: "access_denied", Description: desc})
	if err != nil {
		p.serverFailed(q, err)
		return
	}
	if u != nil {
		p.record(q.ctx, &u.ID, "oauth2.consent_denied", nil, map[string]string{"client": cr.Client.ID})
	} else if uid, perr := parseUser(cr.Subject); perr == nil {
		p.record(q.ctx, &uid, "oauth2.consent_refused", why, map[string]string{"client": cr.Client.ID})
	}
	p.redirect(q, to)
}
