package consent

import (
	"context"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/otp"
)

// What the pages need from the other modules, declared here and bound by
// the app (the OAuth2 server's side is Challenges and Grants, server.go).

// SignIn is identity's sign-in (identity.SignInService): the pages sign a
// person in with the very services GraphQL uses, so the lockouts, rate
// limits, device trust and activity rows are the same.
type SignIn interface {
	SignInWithPIN(ctx context.Context, in identity.PINSignIn) (identity.SignInResult, error)
	VerifyDeviceSignIn(ctx context.Context, challengeID uuid.UUID, code string) (identity.Auth, error)
	SignIn(ctx context.Context, in identity.PasswordSignIn) (identity.SignInResult, error)
	VerifySignIn(ctx context.Context, challengeID uuid.UUID, code string) (identity.Auth, error)
}

// Signup is identity's sign-up (identity.SignupService), for the
// registration page.
type Signup interface {
	StartPhoneSignup(ctx context.Context, rawPhone string) (otp.ChallengeView, error)
	VerifyPhoneSignup(ctx context.Context, challengeID uuid.UUID, code string) (identity.PhoneVerification, error)
	CompletePhoneSignup(ctx context.Context, in identity.CompleteSignup) (identity.Auth, error)
	SignUpWithEmail(ctx context.Context, in identity.EmailSignup) (otp.ChallengeView, error)
	ConfirmEmail(ctx context.Context, challengeID uuid.UUID, code string) (identity.Auth, error)
}

// Codes sends a fresh code for a challenge a sign-in or sign-up step
// asked (otp.Service), as GraphQL's resendOtp does.
type Codes interface {
	Resend(ctx context.Context, id uuid.UUID) (otp.ChallengeView, error)
}

// HandOff ends the session a page's sign-in opened (identity.SessionService):
// the OAuth2 server keeps the login from there.
type HandOff interface {
	HandOff(ctx context.Context, a identity.Auth, to string) error
}

// Users reads the person a challenge names (identity.ReadService).
type Users interface {
	Subject(ctx context.Context, id uuid.UUID) (identity.User, error)
}

// Viewer is the signed-in caller of the GraphQL consent fields
// (identity.ViewerService).
type Viewer interface {
	RequireViewer(ctx context.Context) (*identity.Viewer, error)
}

// Gate refuses the clients the access restrictions shut out (the
// perimeter's Gate); login true: the request signs someone in.
type Gate interface {
	Check(ctx context.Context, login bool) error
}

// Maintenance says whether the service is down for maintenance, with the
// message staff set (platform.Service).
type Maintenance interface {
	Maintenance(ctx context.Context) (on bool, message string, err error)
}
