package consent

import (
	"context"
	"log/slog"
	"strings"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Apps lists and revokes the apps a person consented to, for GraphQL's
// myAppConsents, revokeAppConsent and the staff's User.appConsents. With
// no OAuth2 server configured (grants nil) nobody can have consented to
// an app through Gatehouse: the lists are empty and a revocation is
// NOT_FOUND, like one of an app never consented to.
type Apps struct {
	grants     Grants
	viewer     Viewer
	activities ports.ActivityLog
	clock      ports.Clock
	log        *slog.Logger
}

// NewApps returns the service; grants may be nil (no OAuth2 server).
func NewApps(grants Grants, viewer Viewer, activities ports.ActivityLog, clock ports.Clock, log *slog.Logger) *Apps {
	return &Apps{grants: grants, viewer: viewer, activities: activities, clock: clock, log: log}
}

// ReasonNoConsent refines NOT_FOUND: the person has no consent for the app.
const ReasonNoConsent = "APP_CONSENT_NOT_FOUND"

// maxClientID bounds a client id given to revokeAppConsent (Hydra's are
// UUIDs or short names).
const maxClientID = 255

// MyAppConsents lists the viewer's app consents, newest first.
// Errors: UNAUTHENTICATED, UNAVAILABLE.
func (a *Apps) MyAppConsents(ctx context.Context) ([]AppConsent, error) {
	v, err := a.viewer.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	return a.UserAppConsents(ctx, v.User.ID)
}

// UserAppConsents lists userID's app consents (for staff, whose access
// the permission rows decide). Errors: UNAVAILABLE.
func (a *Apps) UserAppConsents(ctx context.Context, userID uuid.UUID) ([]AppConsent, error) {
	if a.grants == nil {
		return []AppConsent{}, nil
	}
	list, err := a.grants.Consents(ctx, userID.String())
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []AppConsent{}
	}
	return list, nil
}

// RevokeAppConsent withdraws the viewer's consent to the app and the
// tokens issued under it. Errors: UNAUTHENTICATED, VALIDATION_FAILED,
// NOT_FOUND APP_CONSENT_NOT_FOUND (no consent to that app), UNAVAILABLE.
func (a *Apps) RevokeAppConsent(ctx context.Context, clientID string) (AppConsent, error) {
	v, err := a.viewer.RequireViewer(ctx)
	if err != nil {
		return AppConsent{}, err
	}
	clientID = strings.TrimSpace(clientID)
	if clientID == "" || len(clientID) > maxClientID || strings.IndexFunc(clientID, func(r rune) bool {
		return r <= ' ' || r == 0x7f || r == 0xfffd
	}) >= 0 {
		return AppConsent{}, ports.InvalidField("clientId", "is not a client id")
	}
	notFound := ports.Refusal(ports.CodeNotFound, ReasonNoConsent, "you have not given this app access")
	if a.grants == nil {
		return AppConsent{}, notFound
	}
	subject := v.User.ID.String()
	list, err := a.grants.Consents(ctx, subject)
	if err != nil {
		return AppConsent{}, err
	}
	var found *AppConsent
	for i := range list {
		if list[i].Client.ID == clientID {
			found = &list[i]
			break
		}
	}
	if found == nil {
		return AppConsent{}, notFound
	}
	// The revocation must be recorded whatever the client does.
	ctx = context.WithoutCancel(ctx)
	err = a.grants.Revoke(ctx, subject, clientID)
	uid := v.User.ID
	rec := ports.NewActivity(ctx, &uid, "SESSION", "oauth2.consent_revoked", err,
		map[string]string{"client": clientID}, a.clock.Now())
	if rerr := a.activities.Record(ctx, rec); rerr != nil {
		a.log.ErrorContext(ctx, "activity not recorded", "action", rec.Action, "err", rerr)
	}
	if err != nil {
		return AppConsent{}, err
	}
	return *found, nil
}
