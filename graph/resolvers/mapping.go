package resolvers

import (
	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/platform"
	"github.com/gatehouse/gatehouse/ports"
)

// parseID reads an opaque id from input field; a malformed one is a
// VALIDATION_FAILED on that field, never INTERNAL.
func parseID(field, s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, ports.InvalidField(field, "is not a valid id")
	}
	return id, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func mapChallenge(c ports.OTPChallenge) *model.OtpChallenge {
	return &model.OtpChallenge{ID: c.ID.String(), Purpose: model.OtpPurpose(c.Purpose),
		Destination: c.Destination, ExpiresAt: c.ExpiresAt, ResendAfter: c.ResendAfter}
}

func mapUser(u ports.User) *model.User {
	return &model.User{ID: u.ID.String(), Phone: optional(u.Phone), State: model.UserState(u.State),
		Role: model.Role(u.Role), Level: u.Level, HasPin: u.HasPIN, ReferralCode: u.ReferralCode,
		CreatedAt: u.CreatedAt}
}

func mapDevice(d ports.Device) model.Device {
	return model.Device{ID: d.ID.String(), DeviceID: d.DeviceKey, Name: d.Name, Trusted: d.Trusted,
		CreatedAt: d.CreatedAt, LastSeenAt: d.LastSeenAt}
}

func mapAuth(a identity.Auth) *model.AuthPayload {
	return &model.AuthPayload{AccessToken: a.AccessToken, AccessTokenExpiresAt: a.AccessTokenExpiresAt,
		RefreshToken: a.RefreshToken, DeviceSecret: optional(a.DeviceSecret), User: mapUser(a.User)}
}

// authOrErr maps a service result that yields a session.
func authOrErr(a identity.Auth, err error) (*model.AuthPayload, error) {
	if err != nil {
		return nil, err
	}
	return mapAuth(a), nil
}

func challengeOrErr(c ports.OTPChallenge, err error) (*model.OtpChallenge, error) {
	if err != nil {
		return nil, err
	}
	return mapChallenge(c), nil
}

func mapAppConfig(c platform.AppConfig) *model.AppConfig {
	out := &model.AppConfig{Platform: model.Platform(c.Platform), MinimumVersion: c.MinimumVersion,
		CurrentVersion: c.CurrentVersion, StoreURL: optional(c.StoreURL), UpdateRequired: c.UpdateRequired,
		UpdateAvailable: c.UpdateAvailable,
		Maintenance:     &model.Maintenance{Enabled: c.Maintenance, Message: optional(c.MaintenanceMessage)},
		Features:        make([]model.FeatureFlag, 0, len(c.Features)),
		Rules: &model.AppRules{IdleTimeSeconds: c.IdleTimeSeconds,
			OtpLifetimeSeconds:    int(c.OTPLifetime.Seconds()),
			OtpResendAfterSeconds: int(c.OTPResendAfter.Seconds())}}
	for _, f := range c.Features {
		out.Features = append(out.Features, model.FeatureFlag{Key: f.Key, Description: f.Description})
	}
	return out
}
