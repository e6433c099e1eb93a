package graph

import (
	"github.com/gatehouse/gatehouse/ports"
)

// Programs (a user's bot with an API key, a partner's back office) reach a
// root field only when their role's permission rows allow it AND their
// scopes cover it; programScope is the one table of what covers what.

// Reasons of the FORBIDDEN refusals of a program.
const (
	// ReasonScopeMissing: the program's scopes do not cover the field.
	ReasonScopeMissing = "SCOPE_MISSING"
	// ReasonProgramNotAllowed: no program may call the field, whatever
	// its scopes (see programsNever).
	ReasonProgramNotAllowed = "PROGRAM_NOT_ALLOWED"
	// ReasonPartnerAppsOnly: a person with the PARTNER role called a field
	// the PARTNER rows open to partner apps only (see personRefusal).
	ReasonPartnerAppsOnly = "PARTNER_APPS_ONLY"
)

// Scopes of a user's API key.
const (
	// ScopeRead covers queries (the owner's data, as far as the owner's
	// rows allow).
	ScopeRead = "read"
	// ScopeWrite covers queries and mutations.
	ScopeWrite = "write"
)

// partnerScopes maps each root field a partner app may call to the scope
// its client must hold; a field not listed is closed to partners.
var partnerScopes = map[string]string{
	"openAccount": "accounts:write",
	"users":       "users:read",
	"user":        "users:read",
}

// programsNever lists the root fields no program may call, whatever its
// scopes and its owner's rows. Each changes what proves who someone is, or
// who may act for them: were a bot's key to leak, the thief must not be
// able to mint further keys or widen this one's scopes (the API-key and
// partner-app fields), take the account over (PIN, password, contact and
// second-factor changes; deleting the account), cut its owner out or ride
// their sessions (sign-out, revocation, refresh), widen anyone's rights
// (roles and permission rows), or move the perimeter (restrictions and
// whitelinks). A human does these in a signed-in session, where a second
// factor guards what needs one.
var programsNever = map[string]bool{
	// API keys: a key manages no key.
	"createApiKey": true, "updateApiKey": true, "deleteApiKey": true,
	// Credentials and second factor.
	"changePassword": true, "changePin": true, "startPinSetup": true, "completePinSetup": true,
	"startTotpEnrollment": true, "confirmTotpEnrollment": true, "disableTotp": true, "resetUserMfa": true,
	"verifyTotp": true,
	// Contacts (a new e-mail or phone is a way to reset the credentials).
	"startContactChange": true, "confirmContactChange": true,
	// Sessions.
	"signOut": true, "signOutEverywhere": true, "revokeSession": true, "refreshSession": true,
	"revokeUserSessions": true,
	// The apps acting for the person (OAuth2 consents).
	"revokeAppConsent": true,
	// The account itself, roles and permission rows.
	"deleteMe": true, "setUserRole": true,
	"createPermission": true, "updatePermission": true, "deletePermission": true,
	// Phones and push devices: a phone added is one codes go to, a push
	// device one notices go to.
	"addPhone": true, "verifyPhone": true, "registerPushDevice": true,
	// Approving a PIN reset hands an account to whoever holds the reset.
	"approvePinReset": true,
	// Partner apps: credentials for others.
	"createPartnerApp": true, "rotatePartnerAppSecret": true, "disablePartnerApp": true,
	// The perimeter: who may reach the service at all. A leaked key must
	// not let its thief past the restrictions (a whitelink, a whitelist
	// entry, a deleted blacklist rule) or shut everyone else out.
	"createRestriction": true, "updateRestriction": true, "deleteRestriction": true, "createWhitelink": true,
	// The operator's settings: maintenance and a minimum version shut
	// every client out, flags, layout and level rules change what every
	// user sees and may do; a leaked key must not.
	"setMaintenance": true, "setAppVersion": true, "setFeatureFlag": true, "removeFeatureFlag": true,
	"setClientRules": true, "setAppContents": true, "setPushChannels": true, "publishTerms": true,
	"addLevelRule": true, "removeLevelRule": true,
	// Accepting terms is the person's own consent, not a program's.
	"acceptTerms": true,
	// Provider accounts: a way to sign in, like a password.
	"startOidcLink": true, "linkOidcIdentity": true, "unlinkOidcIdentity": true,
}

// programRefusal is nil when p may call the root field name of the
// operation type object ("Query" or "Mutation"), else its FORBIDDEN
// refusal: PROGRAM_NOT_ALLOWED or SCOPE_MISSING.
func programRefusal(p *ports.Program, object, name string) error {
	if programsNever[name] {
		return ports.Refusal(ports.CodeForbidden, ReasonProgramNotAllowed,
			"%s is done in a signed-in session, never by a program", name)
	}
	var need []string
	switch p.Kind {
	case ports.ProgramAPIKey:
		need = []string{ScopeWrite}
		if object == "Query" {
			need = []string{ScopeRead, ScopeWrite}
		}
	case ports.ProgramPartner:
		if s, ok := partnerScopes[name]; ok {
			need = []string{s}
		}
	}
	for _, s := range need {
		if p.HasScope(s) {
			return nil
		}
	}
	return ports.Refusal(ports.CodeForbidden, ReasonScopeMissing, "the program's scopes do not cover %s", name)
}

// personRefusal is nil unless a person (no program) with role calls a
// field of partnerScopes under the PARTNER role. PARTNER is a role people
// hold too (staff may give it), with a member's rights over their own
// data; the PARTNER rows of partnerScopes' fields (reading users, opening
// accounts for anyone) were written for partner apps, each narrowed by its
// scopes, and a person, who has none, does not get them.
func personRefusal(role, name string) error {
	if _, ok := partnerScopes[name]; ok && role == ports.RolePartner {
		return ports.Refusal(ports.CodeForbidden, ReasonPartnerAppsOnly, "%s is for partner apps, not for people", name)
	}
	return nil
}

// callerRefusal is what authorize asks beyond the role's rows: a program's
// scopes (programRefusal), and for a person, or a person's bot (an API key
// acts as its owner), personRefusal.
func callerRefusal(c *ports.Caller, object, name string) error {
	if c.Program != nil {
		if err := programRefusal(c.Program, object, name); err != nil {
			return err
		}
	}
	if c.Program == nil || c.Program.Kind != ports.ProgramPartner {
		return personRefusal(c.Role, name)
	}
	return nil
}
