package partners

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// ActivityTopic is the topic of the partner apps' activities.
const ActivityTopic = "PARTNER"

// Manage is the staff's management of partner apps. Who may call each
// operation is the permission rows' (ADMIN and SUPERADMIN by default); the
// service asks the same rows, so a direct call is held to them too.
type Manage struct {
	cfg        Config
	apps       Apps
	callers    ports.CallerSource
	rules      Rules
	clock      ports.Clock
	activities ports.ActivityLog
	log        *slog.Logger
}

// NewManage returns the staff's management of partner apps.
func NewManage(cfg Config, apps Apps, callers ports.CallerSource, rules Rules, clock ports.Clock,
	activities ports.ActivityLog, log *slog.Logger) *Manage {
	return &Manage{cfg: cfg, apps: apps, callers: callers, rules: rules, clock: clock, activities: activities, log: log}
}

// CreateInput is a new app.
type CreateInput struct {
	Name   string
	Scopes []string
}

// staff returns the caller when the rows let their role call operation.
// Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Manage) staff(ctx context.Context, operation string) (*ports.Caller, error) {
	c, err := s.callers.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, ports.Errorf(ports.CodeUnauthenticated, "sign in first")
	}
	if !s.rules.Allowed(c.Role, operation) {
		return nil, ports.Errorf(ports.CodeForbidden, "your role may not manage partner apps")
	}
	return c, nil
}

// List lists the apps, oldest first; first is 1 to 100. Errors:
// UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED (first, after).
func (s *Manage) List(ctx context.Context, first int, after string) (Page, error) {
	if _, err := s.staff(ctx, "partnerApps"); err != nil {
		return Page{}, err
	}
	at, id, hasAfter, err := ports.PageArgs(first, after)
	if err != nil {
		return Page{}, err
	}
	var cursor *Cursor
	if hasAfter {
		cursor = &Cursor{CreatedAt: at, ID: id}
	}
	items, err := s.apps.List(ctx, cursor, first+1)
	if err != nil {
		return Page{}, err
	}
	var page Page
	page.Items, page.HasNext = ports.TrimPage(items, first)
	page.Cursors = ports.PageCursors(page.Items, func(a App) (time.Time, uuid.UUID) { return a.CreatedAt, a.ID })
	return page, nil
}

// Create creates an app and returns it with its secret, which is shown
// this once. Errors: UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED (name,
// scopes), CONFLICT (MaxApps apps exist).
func (s *Manage) Create(ctx context.Context, in CreateInput) (Credentials, error) {
	c, err := s.staff(ctx, "createPartnerApp")
	if err != nil {
		return Credentials{}, err
	}
	name, errName := checkName(in.Name)
	scopes, errScopes := checkScopes("scopes", in.Scopes)
	if err := ports.MergeInvalid(errName, errScopes); err != nil {
		return Credentials{}, err
	}
	secret := newSecret()
	a := App{ID: uuid.Must(uuid.NewV7()), Name: name, Scopes: scopes, State: Active, SecretHash: HashSecret(secret),
		CreatedBy: c.UserID, CreatedAt: s.now()}
	if err := s.apps.Create(ctx, a, s.cfg.MaxApps); err != nil {
		s.record(ctx, c, "partner_app.create", err, map[string]string{"name": name})
		return Credentials{}, err
	}
	s.record(ctx, c, "partner_app.create", nil, map[string]string{"app": a.ID.String()})
	return Credentials{App: a, Secret: secret}, nil
}

// RotateSecret gives an active app a new secret, shown this once; the old
// one keeps working for the configured grace period, so the partner can
// roll its deployment over without a gap (a second rotation within it
// ends the first secret's grace at once). Of rotations made at the same
// time exactly one wins: each replaces only the secret it read, so the
// losers cannot hand out a secret that is already merely "previous", nor
// end the grace of the secret the partner runs on. Errors:
// UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT (the app is disabled;
// reason SECRET_ROTATED_MEANWHILE).
func (s *Manage) RotateSecret(ctx context.Context, id uuid.UUID) (Credentials, error) {
	c, err := s.staff(ctx, "rotatePartnerAppSecret")
	if err != nil {
		return Credentials{}, err
	}
	cur, err := s.apps.Get(ctx, id)
	if err != nil {
		return Credentials{}, notFound(err)
	}
	secret, now := newSecret(), s.now()
	a, err := s.apps.RotateSecret(ctx, id, cur.SecretHash, HashSecret(secret), now.Add(s.cfg.SecretGrace), now)
	s.record(ctx, c, "partner_app.rotate_secret", err, map[string]string{"app": id.String()})
	if err != nil {
		return Credentials{}, notFound(err)
	}
	return Credentials{App: a, Secret: secret}, nil
}

// Disable disables an app: it gets no more tokens, and the tokens it holds
// stop working at once. Disabling a disabled app changes nothing. Errors:
// UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.
func (s *Manage) Disable(ctx context.Context, id uuid.UUID) (App, error) {
	c, err := s.staff(ctx, "disablePartnerApp")
	if err != nil {
		return App{}, err
	}
	a, err := s.apps.Disable(ctx, id, s.now())
	s.record(ctx, c, "partner_app.disable", err, map[string]string{"app": id.String()})
	if err != nil {
		return App{}, notFound(err)
	}
	return a, nil
}

// notFound words a store's NOT_FOUND for the client.
func notFound(err error) error {
	if errors.Is(err, ports.ErrNotFound) {
		return ports.Errorf(ports.CodeNotFound, "no such partner app")
	}
	return err
}

// now is the clock's time at the database's precision.
func (s *Manage) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// record writes the staff member's activity; a failure is logged, never
// returned.
func (s *Manage) record(ctx context.Context, c *ports.Caller, action string, err error, details map[string]string) {
	uid := c.UserID
	a := ports.NewActivity(ctx, &uid, ActivityTopic, action, err, details, s.clock.Now())
	if rerr := s.activities.Record(ctx, a); rerr != nil {
		s.log.ErrorContext(ctx, "activity not recorded", "action", action, "err", rerr)
	}
}
