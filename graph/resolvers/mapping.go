package resolvers

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/otp"
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

func mapChallenge(c otp.ChallengeView) *model.OtpChallenge {
	return &model.OtpChallenge{ID: c.ID.String(), Purpose: model.OtpPurpose(c.Purpose),
		Channel: model.OtpChannel(c.Channel), Destination: c.Destination, ExpiresAt: c.ExpiresAt,
		ResendAfter: c.ResendAfter}
}

func mapUser(u identity.User) *model.User {
	return &model.User{ID: u.ID.String(), Phone: optional(u.Phone), PendingPhone: optional(u.PendingPhone),
		Email: optional(u.Email), Name: u.Name, ImageURL: u.ImageURL, CountryCode: u.CountryCode, Locale: u.Locale,
		State: model.UserState(u.State), Role: model.Role(u.Role), Level: u.Level, HasPin: u.HasPIN,
		HasPassword: u.HasPassword, TotpEnabled: u.TOTPEnabled, ReferralCode: u.ReferralCode,
		CreatedAt: u.CreatedAt, LastSignInAt: u.LastSignInAt}
}

// optionalOrErr is optional for a read that may fail.
func optionalOrErr(s string, err error) (*string, error) {
	if err != nil {
		return nil, err
	}
	return optional(s), nil
}

func userOrErr(u identity.User, err error) (*model.User, error) {
	if err != nil {
		return nil, err
	}
	return mapUser(u), nil
}

func mapDevice(d identity.Device) model.Device {
	m := model.Device{ID: d.ID.String(), DeviceID: d.DeviceKey, Name: d.Name, Trusted: d.Trusted,
		CreatedAt: d.CreatedAt, LastSeenAt: d.LastSeenAt}
	if p := d.Push; p != nil {
		m.Push = &model.PushRegistration{Token: p.Token, Platform: model.Platform(p.Platform), Os: p.OS,
			OsVersion: p.OSVersion, Model: p.Model, AppVersion: p.AppVersion, UpdatedAt: p.UpdatedAt}
	}
	return m
}

func mapSignIn(res identity.SignInResult) *model.SignInPayload {
	out := &model.SignInPayload{Status: model.SignInStatus(res.Status)}
	if res.Auth != nil {
		out.Auth = mapAuth(*res.Auth)
	}
	if res.Challenge != nil {
		out.Challenge = mapChallenge(*res.Challenge)
	}
	return out
}

func passwordChangeOrErr(c identity.PasswordChange, err error) (*model.PasswordChangePayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.PasswordChangePayload{ChangedAt: c.ChangedAt, SessionsRevoked: c.SessionsRevoked}, nil
}

func mapSession(v identity.SessionView) model.Session {
	d := mapDevice(v.Device)
	return model.Session{ID: v.Session.ID.String(), Device: &d, CreatedAt: v.Session.CreatedAt,
		LastUsedAt: v.Session.LastUsedAt, ExpiresAt: v.Session.ExpiresAt, Mfa: v.Session.MFA, Current: v.Current}
}

// pageInfo is a connection's pageInfo: whether another page follows, and
// the cursor of the page's last edge (null on an empty page).
func pageInfo(hasNext bool, cursors []string) *model.PageInfo {
	info := &model.PageInfo{HasNextPage: hasNext}
	if n := len(cursors); n > 0 {
		info.EndCursor = &cursors[n-1]
	}
	return info
}

func mapActivityPage(p identity.ActivityPage) *model.ActivityConnection {
	out := &model.ActivityConnection{Edges: make([]model.ActivityEdge, 0, len(p.Items)),
		PageInfo: pageInfo(p.HasNext, p.Cursors)}
	for i, a := range p.Items {
		out.Edges = append(out.Edges, model.ActivityEdge{Cursor: p.Cursors[i], Node: &model.Activity{
			ID: a.ID.String(), Topic: a.Topic, Action: a.Action, Result: model.ActivityResult(a.Result),
			Reason: optional(a.Details["reason"]), IP: a.IP, UserAgent: a.UserAgent, CreatedAt: a.CreatedAt}})
	}
	return out
}

func mapTokenCheck(c identity.TokenCheck) *model.TokenValidation {
	out := &model.TokenValidation{Valid: c.Valid, Roles: []model.Role{}, Scopes: nonNilStrings(c.Scopes),
		MissingScopes: nonNilStrings(c.MissingScopes), MissingPermissions: nonNilStrings(c.MissingPermissions)}
	if !c.Valid {
		out.Reason = optional(string(c.Reason))
		return out
	}
	subject := c.Subject.String()
	out.Subject, out.ExpiresAt, out.ClientID = &subject, &c.ExpiresAt, optional(c.ClientID)
	for _, r := range c.Roles {
		out.Roles = append(out.Roles, model.Role(r))
	}
	return out
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
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

func challengeOrErr(c otp.ChallengeView, err error) (*model.OtpChallenge, error) {
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
	out.StoreAppID, out.PushChannels = optional(c.StoreAppID), c.PushChannels
	if out.PushChannels == nil {
		out.PushChannels = []string{}
	}
	// A JSON object: checked when set, and by the column's CHECK.
	out.Contents, _ = jsonObject(c.Contents)
	if out.Contents == nil {
		out.Contents = map[string]any{}
	}
	return out
}

// jsonObject decodes a stored JSON object, numbers kept as written.
func jsonObject(raw []byte) (map[string]any, error) {
	out := map[string]any{}
	if len(raw) == 0 {
		return out, nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&out); err != nil {
		return nil, fmt.Errorf("decode stored JSON object: %w", err)
	}
	return out, nil
}

func mapTermsDocument(d platform.TermsDocument) *model.TermsDocument {
	return &model.TermsDocument{Kind: model.TermsKind(d.Kind), Version: d.Version, Title: d.Title,
		URL: optional(d.URL), Body: d.Body, PublishedAt: d.PublishedAt}
}

func mapAppVersionSetting(v platform.AppVersion) *model.AppVersionSetting {
	return &model.AppVersionSetting{Platform: model.Platform(v.Platform), MinimumVersion: v.MinimumVersion,
		CurrentVersion: v.CurrentVersion, StoreURL: v.StoreURL, StoreAppID: v.StoreAppID}
}

// mapClientRules is the stored rules with the server's OTP lifetime, the
// bound of the one clients are told.
func (r *Resolver) mapClientRules(st platform.Settings) *model.ClientRules {
	return &model.ClientRules{IdleTimeSeconds: st.IdleTimeSeconds, OtpLifetimeSeconds: st.OTPLifetimeSeconds,
		ServerOtpLifetimeSeconds: int(r.Platform.ServerOTPLifetime().Seconds())}
}

// deviceProof is the optional device id and secret of a reset request.
func deviceProof(id, secret *string) identity.DeviceProof {
	return identity.DeviceProof{Key: deref(id), Secret: deref(secret)}
}
