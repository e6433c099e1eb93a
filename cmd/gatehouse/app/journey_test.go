package app_test

import (
	"testing"
)

// TestPhoneJourney walks the whole phone-first life cycle through /graphql.
func TestPhoneJourney(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const phone, pin = "+447911123456", "4831"

	var st struct{ PhoneSignupStatus string }
	h.ok("", qStatus, vars("phone", phone), &st)
	must(t, st.PhoneSignupStatus == "NOT_REGISTERED", "status before sign-up: %s", st.PhoneSignupStatus)

	var start struct{ StartPhoneSignup challenge }
	h.ok("", mStart, vars("phone", phone), &start)
	must(t, start.StartPhoneSignup.Purpose == "SIGNUP", "purpose %q", start.StartPhoneSignup.Purpose)
	must(t, start.StartPhoneSignup.Destination == "+447*******56", "destination not masked: %q", start.StartPhoneSignup.Destination)

	var ver struct{ VerifyPhoneSignup struct{ Ticket string } }
	h.ok("", mVerify, vars("id", start.StartPhoneSignup.ID, "code", h.sms.lastCode(t, phone)), &ver)
	must(t, ver.VerifyPhoneSignup.Ticket != "", "no ticket")

	var done struct{ CompletePhoneSignup authPayload }
	h.ok("", mComplete, vars("ticket", ver.VerifyPhoneSignup.Ticket, "pin", pin, "confirm", pin, "terms", true, "device", "device-A"), &done)
	a := done.CompletePhoneSignup
	must(t, a.AccessToken != "" && a.RefreshToken != "" && a.DeviceSecret != "", "tokens missing")
	h.keep(phone, "device-A", a.DeviceSecret)
	must(t, a.User.Phone == phone && a.User.Level == 1 && a.User.HasPin && a.User.State == "ACTIVE" && a.User.Role == "MEMBER",
		"user: %+v", a.User)

	// The ticket is single-use.
	h.fails("", mComplete, vars("ticket", ver.VerifyPhoneSignup.Ticket, "pin", pin, "confirm", pin, "terms", true, "device", "device-A"), "INVALID_CODE")

	var me struct {
		Me struct {
			ID      string
			Phone   string
			HasPin  bool
			Devices []struct {
				DeviceID string
				Name     string
				Trusted  bool
			}
		}
	}
	h.ok(a.AccessToken, qMe, nil, &me)
	must(t, me.Me.ID == a.User.ID && me.Me.Phone == phone && me.Me.HasPin, "me: %+v", me.Me)
	must(t, len(me.Me.Devices) == 1 && me.Me.Devices[0].DeviceID == "device-A" && me.Me.Devices[0].Trusted &&
		me.Me.Devices[0].Name == "Test phone", "devices: %+v", me.Me.Devices)

	var anon struct{ Me *struct{ ID string } }
	h.ok("", qMe, nil, &anon)
	must(t, anon.Me == nil, "anonymous me should be null")

	h.ok("", qStatus, vars("phone", phone), &st)
	must(t, st.PhoneSignupStatus == "REGISTERED", "status after sign-up: %s", st.PhoneSignupStatus)
	h.fails("", mStart, vars("phone", phone), "CONFLICT")

	// Same device: signed in at once.
	var in struct {
		SignInWithPin struct {
			Status    string
			Auth      *authPayload
			Challenge *challenge
		}
	}
	h.ok("", mSignIn, h.signInVars(phone, pin, "device-A"), &in)
	must(t, in.SignInWithPin.Status == "SIGNED_IN" && in.SignInWithPin.Auth != nil && in.SignInWithPin.Challenge == nil,
		"known device: %+v", in.SignInWithPin)

	// New device: a code first.
	h.ok("", mSignIn, h.signInVars(phone, pin, "device-B"), &in)
	must(t, in.SignInWithPin.Status == "DEVICE_VERIFICATION_REQUIRED" && in.SignInWithPin.Auth == nil &&
		in.SignInWithPin.Challenge != nil && in.SignInWithPin.Challenge.Purpose == "SIGN_IN_NEW_DEVICE",
		"new device: %+v", in.SignInWithPin)
	var dev struct{ VerifyDeviceSignIn authPayload }
	h.ok("", mVerifyDevice, vars("id", in.SignInWithPin.Challenge.ID, "code", h.sms.lastCode(t, phone)), &dev)
	b := dev.VerifyDeviceSignIn
	must(t, b.User.ID == a.User.ID, "device sign-in user %s", b.User.ID)
	h.keep(phone, "device-B", b.DeviceSecret)

	// Device B is now trusted: the PIN alone signs in.
	h.ok("", mSignIn, h.signInVars(phone, pin, "device-B"), &in)
	must(t, in.SignInWithPin.Status == "SIGNED_IN", "device B after verification: %s", in.SignInWithPin.Status)

	// Knowing a trusted device's id is not enough: without its secret, a code.
	h.ok("", mSignIn, vars("phone", phone, "pin", pin, "device", "device-B"), &in)
	must(t, in.SignInWithPin.Status == "DEVICE_VERIFICATION_REQUIRED", "device id without secret: %s", in.SignInWithPin.Status)

	// Refresh rotates; reusing the old token revokes the whole family.
	var ref struct{ RefreshSession authPayload }
	h.ok("", mRefresh, vars("token", b.RefreshToken), &ref)
	fresh := ref.RefreshSession
	must(t, fresh.RefreshToken != b.RefreshToken && fresh.AccessToken != "", "refresh did not rotate")
	h.fails("", mRefresh, vars("token", b.RefreshToken), "UNAUTHENTICATED")
	h.fails("", mRefresh, vars("token", fresh.RefreshToken), "UNAUTHENTICATED")
	h.fails(fresh.AccessToken, qMe, nil, "UNAUTHENTICATED")

	// The first session is untouched by that, and signs out.
	h.ok(a.AccessToken, qMe, nil, &me)
	var out struct{ SignOut bool }
	h.ok(a.AccessToken, mSignOut, nil, &out)
	must(t, out.SignOut, "signOut returned false")
	h.fails(a.AccessToken, qMe, nil, "UNAUTHENTICATED")
	h.fails("", mRefresh, vars("token", a.RefreshToken), "UNAUTHENTICATED")
}
