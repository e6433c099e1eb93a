package identity

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// PINResetByProof sets a new PIN for a user who proved who they are in
// another way (the KYC module's reset by ID document and selfie).
type PINResetByProof struct {
	// Redeem spends the proof and names its user. It runs inside the
	// transaction that sets the PIN, so a PIN the rules refuse leaves the
	// proof unspent.
	Redeem     func(ctx context.Context) (uuid.UUID, error)
	PIN        string
	ConfirmPIN string
	DeviceKey  string
	DeviceName string
}

// ResetPINWithProof sets the new PIN (PIN rules and history apply), ends
// every session, takes trust from every device but the one used, and
// signs in on it. Errors: VALIDATION_FAILED, RATE_LIMITED, those of
// Redeem, LOCKED / ACCESS_RESTRICTED for accounts that may not sign in.
func (s *PINService) ResetPINWithProof(ctx context.Context, in PINResetByProof) (Auth, error) {
	name, err := checkNewPINOnDevice(in.PIN, in.ConfirmPIN, in.DeviceKey, in.DeviceName)
	if err != nil {
		return Auth{}, err
	}
	if err := s.limit(ctx, "pin_reset_complete", s.cfg.SignInsPerMinute, time.Minute); err != nil {
		return Auth{}, err
	}
	hash, err := s.hasher.Hash(ctx, in.PIN)
	if err != nil {
		return Auth{}, err
	}
	var auth Auth
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		uid, err := in.Redeem(ctx)
		if err != nil {
			return err
		}
		u, err := s.users.GetByID(ctx, uid)
		if err != nil {
			return err
		}
		if err := CheckActive(u); err != nil {
			return err
		}
		if err := ValidatePIN("pin", in.PIN, u.Phone); err != nil {
			return err
		}
		if err := s.pinUnused(ctx, u.ID, in.PIN, "pin"); err != nil {
			return err
		}
		now := s.clock.Now()
		if u.HasPIN {
			err = s.pins.SetPIN(ctx, u.ID, hash, now)
		} else {
			err = s.pins.CreatePIN(ctx, u.ID, hash, now)
		}
		if err != nil {
			return err
		}
		u.HasPIN = true
		if _, err := s.sessions.signOutOthers(ctx, u.ID, uuid.Nil, uuid.Nil, now, "PIN reset by document"); err != nil {
			return err
		}
		d := Device{UserID: u.ID, DeviceKey: in.DeviceKey, Name: name, CreatedAt: now, LastSeenAt: now}
		var device Device
		if auth, device, err = s.sessions.trustAndOpen(ctx, u, d, false); err != nil {
			return err
		}
		if err := s.pins.ResetPINFailures(ctx, u.ID, device.ID); err != nil {
			return err
		}
		s.record(ctx, &u.ID, "PIN", "pin.reset_by_document", nil, map[string]string{"device": in.DeviceKey})
		return nil
	})
	if err != nil {
		return Auth{}, err
	}
	return auth, nil
}

// pinUnused refuses a PIN that is one of the user's recent ones.
func (s *PINService) pinUnused(ctx context.Context, userID uuid.UUID, pin, field string) error {
	recent, err := s.pins.RecentPINHashes(ctx, userID, s.cfg.PINHistory)
	if err != nil {
		return err
	}
	for _, h := range recent {
		used, err := s.hasher.Verify(ctx, pin, h)
		if err != nil {
			return err
		}
		if used {
			return ports.InvalidField(field, "must differ from your recent PINs")
		}
	}
	return nil
}

// checkNewPINOnDevice checks the input that sets a PIN and trusts a device
// (the PIN against the phone is checked once the user is known), naming
// every bad field at once; it returns the cleaned device name.
func checkNewPINOnDevice(pin, confirm, deviceKey, deviceName string) (string, error) {
	name, nameErr := cleanName("deviceName", deviceName, 64)
	var confirmErr error
	if confirm != pin {
		confirmErr = ports.InvalidField("confirmPin", "does not match the PIN")
	}
	return name, ports.MergeInvalid(ValidatePIN("pin", pin, ""), confirmErr, nameErr,
		ValidateDeviceKey("deviceId", deviceKey))
}
