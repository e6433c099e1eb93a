package identity

import (
	"context"

	"github.com/gatehouse/gatehouse/modules/otp"
)

// secondStep is what follows a first factor that was right (a password,
// or an OpenID provider vouching for the user): a device that proves its
// trust signs in at once unless configuration or the user's authenticator
// app asks for a second factor; any other device must answer a code first
// (DEVICE_VERIFICATION_REQUIRED), which verifySignIn takes. action names
// the sign-in in the activity log. Call it after CheckActive.
func (s *SignInService) secondStep(ctx context.Context, u User, deviceKey, name string, trusted bool, action string) (SignInResult, error) {
	if trusted && !u.TOTPEnabled && s.cfg.MFA != MFAAlways {
		auth, err := s.sessions.signInOnDevice(ctx, u, Device{UserID: u.ID, DeviceKey: deviceKey, Name: name}, action)
		if err != nil {
			return SignInResult{}, err
		}
		return SignInResult{Status: SignedIn, Auth: &auth}, nil
	}
	req := otp.StartRequest{Purpose: otp.PurposeSignInMFA, Locale: u.Locale,
		Metadata: map[string]string{"userId": u.ID.String(), "deviceId": deviceKey, "deviceName": name}}
	switch {
	case u.TOTPEnabled:
		req.Channel, req.To = otp.ChannelTOTP, u.ID.String()
	case u.Phone != "":
		req.Channel, req.To = otp.ChannelSMS, u.Phone
	case u.PendingPhone != "" && s.phoneUnclaimed(ctx, u.PendingPhone):
		// Answering proves the phone given at sign-up.
		req.Channel, req.To = otp.ChannelSMS, u.PendingPhone
	default:
		req.Channel, req.To = otp.ChannelEmail, u.Email
	}
	// The first factor was right: a code to a proven contact spends the
	// owner's budget (strangers' codes cannot exhaust it); one to the
	// pending phone, not proven yet, the client's.
	req.Budget = otp.BudgetOwner
	if req.Channel == otp.ChannelSMS && req.To != u.Phone {
		req.Budget = otp.BudgetClient
	}
	ch, err := s.codes.Start(ctx, req)
	if err != nil {
		return SignInResult{}, err
	}
	status := MFARequired
	if !trusted {
		status = DeviceVerificationRequired
	}
	s.record(ctx, &u.ID, "SESSION", "sign_in.second_factor_asked", nil,
		map[string]string{"device": deviceKey, "channel": string(req.Channel)})
	return SignInResult{Status: status, Challenge: &ch}, nil
}
