package postgres

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/ports"
)

type userRow struct {
	bun.BaseModel `bun:"table:users"`

	ID           uuid.UUID `bun:"id,pk,type:uuid"`
	Phone        *string   `bun:"phone"`
	State        string    `bun:"state"`
	Role         string    `bun:"role"`
	Level        int       `bun:"level"`
	ReferralCode string    `bun:"referral_code"`
	FirebaseUID  *string   `bun:"firebase_uid"`
	CreatedAt    time.Time `bun:"created_at"`
	UpdatedAt    time.Time `bun:"updated_at"`
	HasPIN       bool      `bun:"has_pin,scanonly"`
}

func (r userRow) toPort() ports.User {
	return ports.User{
		ID: r.ID, Phone: deref(r.Phone), State: r.State, Role: r.Role, Level: r.Level,
		ReferralCode: r.ReferralCode, FirebaseUID: deref(r.FirebaseUID), HasPIN: r.HasPIN,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

type deviceRow struct {
	bun.BaseModel `bun:"table:devices"`

	ID         uuid.UUID `bun:"id,pk,type:uuid"`
	UserID     uuid.UUID `bun:"user_id,type:uuid"`
	DeviceKey  string    `bun:"device_key"`
	Name       string    `bun:"name"`
	Trusted    bool      `bun:"trusted"`
	SecretHash []byte    `bun:"secret_hash"`
	CreatedAt  time.Time `bun:"created_at"`
	LastSeenAt time.Time `bun:"last_seen_at"`
}

func (r deviceRow) toPort() ports.Device {
	return ports.Device{ID: r.ID, UserID: r.UserID, DeviceKey: r.DeviceKey, Name: r.Name,
		Trusted: r.Trusted, SecretHash: r.SecretHash, CreatedAt: r.CreatedAt, LastSeenAt: r.LastSeenAt}
}

// UserStore implements ports.UserStore.
type UserStore struct{ db *bun.DB }

var _ ports.UserStore = (*UserStore)(nil)

// NewUserStore returns a store over db.
func NewUserStore(db *bun.DB) *UserStore { return &UserStore{db: db} }

func (s *UserStore) Create(ctx context.Context, u ports.User) error {
	row := userRow{ID: u.ID, Phone: ptr(u.Phone), State: u.State, Role: u.Role, Level: u.Level,
		ReferralCode: u.ReferralCode, FirebaseUID: ptr(u.FirebaseUID), CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
	_, err := conn(ctx, s.db).NewInsert().Model(&row).Exec(ctx)
	return mapErr(err)
}

func (s *UserStore) selectUser(ctx context.Context) *bun.SelectQuery {
	return conn(ctx, s.db).NewSelect().Model((*userRow)(nil)).
		ColumnExpr("u.*").
		ColumnExpr("EXISTS (SELECT 1 FROM pin_credentials pc WHERE pc.user_id = u.id) AS has_pin").
		ModelTableExpr("users AS u")
}

func (s *UserStore) GetByID(ctx context.Context, id uuid.UUID) (ports.User, error) {
	var row userRow
	err := s.selectUser(ctx).Where("u.id = ?", id).Scan(ctx, &row)
	if err != nil {
		return ports.User{}, mapErr(err)
	}
	return row.toPort(), nil
}

func (s *UserStore) GetByPhone(ctx context.Context, phone string) (ports.User, error) {
	var row userRow
	err := s.selectUser(ctx).Where("u.phone = ?", phone).Scan(ctx, &row)
	if err != nil {
		return ports.User{}, mapErr(err)
	}
	return row.toPort(), nil
}

func (s *UserStore) UpsertDevice(ctx context.Context, d ports.Device) (ports.Device, error) {
	row := deviceRow{ID: d.ID, UserID: d.UserID, DeviceKey: d.DeviceKey, Name: d.Name,
		Trusted: d.Trusted, SecretHash: d.SecretHash, CreatedAt: d.CreatedAt, LastSeenAt: d.LastSeenAt}
	if row.ID == uuid.Nil {
		row.ID = uuid.New()
	}
	_, err := conn(ctx, s.db).NewInsert().Model(&row).
		On("CONFLICT (user_id, device_key) DO UPDATE").
		Set("name = CASE WHEN EXCLUDED.name <> '' THEN EXCLUDED.name ELSE device.name END").
		Set("trusted = device.trusted OR EXCLUDED.trusted").
		Set("secret_hash = COALESCE(EXCLUDED.secret_hash, device.secret_hash)").
		// A new trust starts the device's wrong-PIN count afresh.
		Set("pin_failed_attempts = CASE WHEN EXCLUDED.secret_hash IS NULL THEN device.pin_failed_attempts ELSE 0 END").
		Set("pin_locked_until = CASE WHEN EXCLUDED.secret_hash IS NULL THEN device.pin_locked_until END").
		Set("pin_lockouts = CASE WHEN EXCLUDED.secret_hash IS NULL THEN device.pin_lockouts ELSE 0 END").
		Set("last_seen_at = EXCLUDED.last_seen_at").
		ModelTableExpr("devices AS device").
		Returning("id, user_id, device_key, name, trusted, secret_hash, created_at, last_seen_at").
		Exec(ctx, &row)
	if err != nil {
		return ports.Device{}, mapErr(err)
	}
	return row.toPort(), nil
}

func (s *UserStore) GetDevice(ctx context.Context, userID uuid.UUID, deviceKey string) (ports.Device, error) {
	var row deviceRow
	err := conn(ctx, s.db).NewSelect().Model(&row).
		Where("user_id = ? AND device_key = ?", userID, deviceKey).Scan(ctx)
	if err != nil {
		return ports.Device{}, mapErr(err)
	}
	return row.toPort(), nil
}

func (s *UserStore) ListDevices(ctx context.Context, userID uuid.UUID) ([]ports.Device, error) {
	var rows []deviceRow
	err := conn(ctx, s.db).NewSelect().Model(&rows).
		Where("user_id = ?", userID).OrderExpr("last_seen_at DESC, id").Limit(100).Scan(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]ports.Device, len(rows))
	for i, r := range rows {
		out[i] = r.toPort()
	}
	return out, nil
}

func (s *UserStore) UntrustDevices(ctx context.Context, userID, keep uuid.UUID) (int, error) {
	res, err := conn(ctx, s.db).NewRaw(`UPDATE devices SET trusted = false, secret_hash = NULL,
		pin_failed_attempts = 0, pin_locked_until = NULL, pin_lockouts = 0
		WHERE user_id = ? AND id <> ? AND (trusted OR secret_hash IS NOT NULL)`, userID, keep).Exec(ctx)
	if err != nil {
		return 0, mapErr(err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

func (s *UserStore) RecordTermsAcceptance(ctx context.Context, a ports.TermsAcceptance) error {
	_, err := conn(ctx, s.db).NewRaw(
		`INSERT INTO terms_acceptances (user_id, kind, version, accepted_at, ip)
		 VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		a.UserID, a.Kind, a.Version, a.AcceptedAt, ports.RequestMetaFrom(ctx).IP).Exec(ctx)
	return mapErr(err)
}

func ptr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
