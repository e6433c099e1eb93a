package graph

import (
	"testing"

	"github.com/gatehouse/gatehouse/graph/generated"
)

// programsMayCall lists the mutations a program may call when its scopes
// cover them (a `write` API key; a partner app whose scope table names
// them), each for its reason. With programsNever it must name every
// mutation of the schema: a new mutation fails
// TestEveryMutationIsWeighedForPrograms until someone decides whether a
// bot holding a leaked key may call it. Queries are reads and are not
// listed: `read` covers them all, as far as the owner's rows allow.
var programsMayCall = map[string]string{
	// Open to everyone: authorize lets them through without looking at
	// any credentials, so a program's scopes never come into it.
	"startPhoneSignup": "public", "verifyPhoneSignup": "public", "completePhoneSignup": "public",
	"signUpWithEmail": "public", "confirmEmail": "public", "signIn": "public", "signInWithPin": "public",
	"verifySignIn": "public", "verifyDeviceSignIn": "public", "resendOtp": "public",
	"requestPasswordReset": "public", "resetPassword": "public", "startPinReset": "public",
	"verifyPinReset": "public", "uploadPinResetDocument": "public", "submitPinResetSelfie": "public",
	"completePinReset": "public", "startOidcSignIn": "public", "completeOidcSignIn": "public",
	// The owner's own data.
	"updateMe": "the owner's profile", "upsertMyProfile": "the owner's KYC profile",
	"uploadKycDocument": "the owner's KYC documents", "uploadSelfie": "the owner's KYC selfie",
	"putMyDataRecord": "the owner's data records", "setMyLabel": "the owner's labels",
	"removeMyLabel": "the owner's labels", "createPortfolio": "a trading bot's portfolios",
	// Staff work a staff member may automate, within their role's rows
	// (audited where the rows say so).
	"openAccount": "opening accounts (a partner's accounts:write)", "setUserState": "bans by a moderation bot",
	"approveKycSubmission": "KYC decisions by a compliance bot", "rejectKycSubmission": "KYC decisions",
	"rejectPinReset": "refusing a reset hands nothing over", "setUserLabel": "labels",
	"removeUserLabel": "labels", "updateUserProfile": "profile corrections",
	"deleteUserDataRecord": "data records",
	"retryDelivery":        "an ops bot sending dead letters again (to their own recipients, never the caller)",
}

func TestEveryMutationIsWeighedForPrograms(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	seen := map[string]bool{}
	for _, f := range schema.Mutation.Fields {
		seen[f.Name] = true
		_, may := programsMayCall[f.Name]
		switch {
		case may && programsNever[f.Name]:
			t.Errorf("%s is both in programsNever and in programsMayCall", f.Name)
		case !may && !programsNever[f.Name]:
			t.Errorf("%s: decide whether a program may call it (programsNever in scopes.go, or programsMayCall here)", f.Name)
		}
	}
	for name := range programsMayCall {
		if !seen[name] {
			t.Errorf("programsMayCall names %s, which is not a mutation of the schema", name)
		}
	}
	for name := range programsNever {
		if !seen[name] && schema.Query.Fields.ForName(name) == nil {
			t.Errorf("programsNever names %s, which is not a root field of the schema", name)
		}
	}
}
