package postgres

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/accounts"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

type userRow struct {
	bun.BaseModel `bun:"table:users"`

	ID           uuid.UUID  `bun:"id,pk,type:uuid"`
	Phone        *string    `bun:"phone"`
	PendingPhone *string    `bun:"pending_phone"`
	Email        *string    `bun:"email"`
	Name         string     `bun:"name"`
	ImageURL     string     `bun:"image_url"`
	CountryCode  string     `bun:"country_code"`
	Locale       string     `bun:"locale"`
	State        string     `bun:"state"`
	Role         string     `bun:"role"`
	Level        int        `bun:"level"`
	ReferralCode string     `bun:"referral_code"`
	ReferredBy   *uuid.UUID `bun:"referred_by,type:uuid"`
	FirebaseUID  *string    `bun:"firebase_uid"`
	CreatedAt    time.Time  `bun:"created_at"`
	UpdatedAt    time.Time  `bun:"updated_at"`
	DeletedAt    *time.Time `bun:"deleted_at"`
	// Kept by triggers for staff search (see the admin migration).
	LastSignInAt *time.Time `bun:"last_sign_in_at,scanonly"`
	KYCStatus    string     `bun:"kyc_status,scanonly"`
	SearchName   string     `bun:"search_name,scanonly"`
	HasPIN       bool       `bun:"has_pin,scanonly"`
	HasPassword  bool       `bun:"has_password,scanonly"`
	TOTPEnabled  bool       `bun:"totp_enabled,scanonly"`
}

func (r userRow) toPort() identity.User {
	return identity.User{
		ID: r.ID, Phone: deref(r.Phone), PendingPhone: deref(r.PendingPhone), Email: deref(r.Email),
		Name: r.Name, ImageURL: r.ImageURL, CountryCode: r.CountryCode, Locale: r.Locale, State: r.State, Role: r.Role, Level: r.Level,
		ReferralCode: r.ReferralCode, ReferredBy: r.ReferredBy, FirebaseUID: deref(r.FirebaseUID),
		HasPIN: r.HasPIN, HasPassword: r.HasPassword, TOTPEnabled: r.TOTPEnabled,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, DeletedAt: r.DeletedAt, LastSignInAt: r.LastSignInAt,
	}
}

// userColumns is every column of users AS u plus the derived flags, for
// selects and for UPDATE … RETURNING.
const userColumns = `u.*,
	EXISTS (SELECT 1 FROM pin_credentials pc WHERE pc.user_id = u.id) AS has_pin,
	EXISTS (SELECT 1 FROM password_credentials pw WHERE pw.user_id = u.id) AS has_password,
	EXISTS (SELECT 1 FROM totp_credentials tc WHERE tc.user_id = u.id AND tc.confirmed_at IS NOT NULL) AS totp_enabled`

type deviceRow struct {
	bun.BaseModel `bun:"table:devices"`

	ID             uuid.UUID  `bun:"id,pk,type:uuid"`
	UserID         uuid.UUID  `bun:"user_id,type:uuid"`
	DeviceKey      string     `bun:"device_key"`
	Name           string     `bun:"name"`
	Trusted        bool       `bun:"trusted"`
	SecretHash     []byte     `bun:"secret_hash"`
	PushToken      *string    `bun:"push_token"`
	PushPlatform   *string    `bun:"push_platform"`
	PushOS         string     `bun:"push_os"`
	PushOSVersion  string     `bun:"push_os_version"`
	PushModel      string     `bun:"push_model"`
	PushAppVersion string     `bun:"push_app_version"`
	PushUpdatedAt  *time.Time `bun:"push_updated_at"`
	CreatedAt      time.Time  `bun:"created_at"`
	LastSeenAt     time.Time  `bun:"last_seen_at"`
}

// deviceColumns is what a device row returns (the PIN lock state stays
// with CredentialStore).
const deviceColumns = `id, user_id, device_key, name, trusted, secret_hash, push_token, push_platform, push_os,
	push_os_version, push_model, push_app_version, push_updated_at, created_at, last_seen_at`

func (r deviceRow) toPort() identity.Device {
	d := identity.Device{ID: r.ID, UserID: r.UserID, DeviceKey: r.DeviceKey, Name: r.Name,
		Trusted: r.Trusted, SecretHash: r.SecretHash, CreatedAt: r.CreatedAt, LastSeenAt: r.LastSeenAt}
	if r.PushToken != nil {
		p := identity.PushRegistration{Token: *r.PushToken, Platform: deref(r.PushPlatform), OS: r.PushOS,
			OSVersion: r.PushOSVersion, Model: r.PushModel, AppVersion: r.PushAppVersion}
		if r.PushUpdatedAt != nil {
			p.UpdatedAt = *r.PushUpdatedAt
		}
		d.Push = &p
	}
	return d
}

// UserStore implements identity's Users, UserChanges and Devices, and
// what accounts, kyc and admin need of users.
type UserStore struct{ db *bun.DB }

var (
	_ identity.Users       = (*UserStore)(nil)
	_ identity.UserChanges = (*UserStore)(nil)
	_ identity.Devices     = (*UserStore)(nil)
	_ accounts.Users       = (*UserStore)(nil)
)

// NewUserStore returns a store over db.
func NewUserStore(db *bun.DB) *UserStore { return &UserStore{db: db} }

func (s *UserStore) Create(ctx context.Context, u identity.User) error {
	row := userRow{ID: u.ID, Phone: ptr(u.Phone), PendingPhone: ptr(u.PendingPhone), Email: ptr(u.Email),
		Name: u.Name, ImageURL: u.ImageURL, CountryCode: u.CountryCode, Locale: u.Locale, State: u.State, Role: u.Role, Level: u.Level,
		ReferralCode: u.ReferralCode, ReferredBy: u.ReferredBy, FirebaseUID: ptr(u.FirebaseUID),
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, DeletedAt: u.DeletedAt}
	_, err := conn(ctx, s.db).NewInsert().Model(&row).Exec(ctx)
	return mapErr(err)
}

func (s *UserStore) selectUser(ctx context.Context) *bun.SelectQuery {
	return conn(ctx, s.db).NewSelect().Model((*userRow)(nil)).
		ColumnExpr(userColumns).
		ModelTableExpr("users AS u")
}

func (s *UserStore) GetByID(ctx context.Context, id uuid.UUID) (identity.User, error) {
	var row userRow
	err := s.selectUser(ctx).Where("u.id = ?", id).Scan(ctx, &row)
	if err != nil {
		return identity.User{}, mapErr(err)
	}
	return row.toPort(), nil
}

// GetByIDs loads many users in one statement.
func (s *UserStore) GetByIDs(ctx context.Context, ids []uuid.UUID) ([]identity.User, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []userRow
	if err := s.selectUser(ctx).Where("u.id IN (?)", bun.In(ids)).Scan(ctx, &rows); err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, userRow.toPort), nil
}

func (s *UserStore) GetByPhone(ctx context.Context, phone string) (identity.User, error) {
	return s.getByKey(ctx, "phone", phone)
}

func (s *UserStore) GetByEmail(ctx context.Context, email string) (identity.User, error) {
	return s.getByKey(ctx, "email", email)
}

// getByKey looks a user up by a key a stranger may type (phone, email)
// with a statement that answers one row whether or not the user exists
// (its columns NULL when not), and probes the credential tables for a
// user id either way: a missing account costs the database and the
// decoding what an existing one does, so the lookup's time does not tell
// them apart (README "Enumeration").
func (s *UserStore) getByKey(ctx context.Context, column, value string) (identity.User, error) {
	var row userRow
	err := conn(ctx, s.db).NewRaw(`SELECT u.*,
		EXISTS (SELECT 1 FROM pin_credentials pc WHERE pc.user_id = k.id) AS has_pin,
		EXISTS (SELECT 1 FROM password_credentials pw WHERE pw.user_id = k.id) AS has_password,
		EXISTS (SELECT 1 FROM totp_credentials tc WHERE tc.user_id = k.id AND tc.confirmed_at IS NOT NULL) AS totp_enabled
		FROM (SELECT 1) AS one
		LEFT JOIN users AS u ON u.`+column+` = ?
		CROSS JOIN LATERAL (SELECT COALESCE(u.id, '00000000-0000-0000-0000-000000000000'::uuid) AS id) AS k`,
		value).Scan(ctx, &row)
	if err != nil {
		return identity.User{}, mapErr(err)
	}
	if row.ID == uuid.Nil {
		return identity.User{}, ports.ErrNotFound
	}
	return row.toPort(), nil
}

func (s *UserStore) GetByReferralCode(ctx context.Context, code string) (identity.User, error) {
	var row userRow
	err := s.selectUser(ctx).Where("u.referral_code = ?", code).Scan(ctx, &row)
	if err != nil {
		return identity.User{}, mapErr(err)
	}
	return row.toPort(), nil
}

// DeletePending deletes the row; credentials, devices, sessions and terms
// acceptances go with it (ON DELETE CASCADE), activities stay.
func (s *UserStore) DeletePending(ctx context.Context, email string) (bool, error) {
	res, err := conn(ctx, s.db).NewRaw(`DELETE FROM users WHERE email = ? AND state = 'PENDING'`, email).Exec(ctx)
	if err != nil {
		return false, mapErr(err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// update runs one UPDATE of a user by id (set holds the SET list, args its
// arguments then the id); no row is ErrNotFound.
func (s *UserStore) update(ctx context.Context, set string, args ...any) error {
	res, err := conn(ctx, s.db).NewRaw(`UPDATE users SET `+set+` WHERE id = ?`, args...).Exec(ctx)
	if err != nil {
		return mapErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ports.ErrNotFound
	}
	return nil
}

func (s *UserStore) SetState(ctx context.Context, id uuid.UUID, state string, at time.Time) error {
	return s.update(ctx, `state = ?, updated_at = ?`, state, at, id)
}

func (s *UserStore) SetRole(ctx context.Context, id uuid.UUID, role string, at time.Time) error {
	return s.update(ctx, `role = ?, updated_at = ?`, role, at, id)
}

func (s *UserStore) SetLevel(ctx context.Context, id uuid.UUID, level int, at time.Time) error {
	return s.update(ctx, `level = ?, updated_at = ?`, level, at, id)
}

func (s *UserStore) Lock(ctx context.Context, id uuid.UUID) error {
	var one int
	err := conn(ctx, s.db).NewRaw(`SELECT 1 FROM users WHERE id = ? FOR NO KEY UPDATE`, id).Scan(ctx, &one)
	return mapErr(err)
}

func (s *UserStore) UpdateProfile(ctx context.Context, id uuid.UUID, p identity.ProfileUpdate, at time.Time) (identity.User, error) {
	var rows []userRow
	err := conn(ctx, s.db).NewRaw(`UPDATE users AS u SET name = ?, image_url = ?, country_code = ?, locale = ?, updated_at = ?
		WHERE u.id = ? RETURNING `+userColumns, p.Name, p.ImageURL, p.CountryCode, p.Locale, at, id).Scan(ctx, &rows)
	if err != nil {
		return identity.User{}, mapErr(err)
	}
	if len(rows) == 0 {
		return identity.User{}, ports.ErrNotFound
	}
	return rows[0].toPort(), nil
}

// SetPhone: a number taken by another user violates users_phone_key,
// which mapErr reports as a CONFLICT on "phone".
func (s *UserStore) SetPhone(ctx context.Context, id uuid.UUID, phone string, at time.Time) error {
	return s.update(ctx, `phone = ?, pending_phone = NULL, updated_at = ?`, ptr(phone), at, id)
}

// SetEmail: an address taken by another user violates users_email_key,
// which mapErr reports as a CONFLICT on "email".
func (s *UserStore) SetEmail(ctx context.Context, id uuid.UUID, email string, at time.Time) error {
	return s.update(ctx, `email = ?, updated_at = ?`, ptr(email), at, id)
}

// Scrub blanks the personal columns in one UPDATE and deletes the devices
// (their sessions and refresh tokens cascade). Terms acceptances and
// activities stay: they are the record of what the user agreed to and did.
func (s *UserStore) Scrub(ctx context.Context, id uuid.UUID, at time.Time) error {
	return NewTxRunner(s.db).InTx(ctx, func(ctx context.Context) error {
		err := s.update(ctx, `phone = NULL, pending_phone = NULL, email = NULL, firebase_uid = NULL,
			name = '', image_url = '', country_code = '', locale = '', state = 'DELETED', deleted_at = ?, updated_at = ?`, at, at, id)
		if err != nil {
			return err
		}
		_, err = conn(ctx, s.db).NewRaw(`DELETE FROM devices WHERE user_id = ?`, id).Exec(ctx)
		return mapErr(err)
	})
}

func (s *UserStore) SetPush(ctx context.Context, userID, deviceID uuid.UUID, p identity.PushRegistration) (identity.Device, error) {
	var rows []deviceRow
	err := conn(ctx, s.db).NewRaw(`UPDATE devices SET push_token = ?, push_platform = ?, push_os = ?,
		push_os_version = ?, push_model = ?, push_app_version = ?, push_updated_at = ?
		WHERE id = ? AND user_id = ? RETURNING `+deviceColumns,
		p.Token, ptr(p.Platform), p.OS, p.OSVersion, p.Model, p.AppVersion, p.UpdatedAt, deviceID, userID).Scan(ctx, &rows)
	if err != nil {
		return identity.Device{}, mapErr(err)
	}
	if len(rows) == 0 {
		return identity.Device{}, ports.ErrNotFound
	}
	return rows[0].toPort(), nil
}

func (s *UserStore) ClearPush(ctx context.Context, deviceID uuid.UUID) error {
	_, err := conn(ctx, s.db).NewRaw(`UPDATE devices SET push_token = NULL, push_platform = NULL, push_os = '',
		push_os_version = '', push_model = '', push_app_version = '', push_updated_at = NULL
		WHERE id = ? AND push_token IS NOT NULL`, deviceID).Exec(ctx)
	return mapErr(err)
}

func (s *UserStore) UpsertDevice(ctx context.Context, d identity.Device) (identity.Device, error) {
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
		// A new trust starts the device's wrong-PIN and password counts afresh.
		Set("pin_failed_attempts = CASE WHEN EXCLUDED.secret_hash IS NULL THEN device.pin_failed_attempts ELSE 0 END").
		Set("pin_locked_until = CASE WHEN EXCLUDED.secret_hash IS NULL THEN device.pin_locked_until END").
		Set("pin_lockouts = CASE WHEN EXCLUDED.secret_hash IS NULL THEN device.pin_lockouts ELSE 0 END").
		Set("pw_failed_attempts = CASE WHEN EXCLUDED.secret_hash IS NULL THEN device.pw_failed_attempts ELSE 0 END").
		Set("pw_locked_until = CASE WHEN EXCLUDED.secret_hash IS NULL THEN device.pw_locked_until END").
		Set("pw_lockouts = CASE WHEN EXCLUDED.secret_hash IS NULL THEN device.pw_lockouts ELSE 0 END").
		Set("last_seen_at = EXCLUDED.last_seen_at").
		ModelTableExpr("devices AS device").
		Returning(deviceColumns).
		Exec(ctx, &row)
	if err != nil {
		return identity.Device{}, mapErr(err)
	}
	return row.toPort(), nil
}

func (s *UserStore) GetDevice(ctx context.Context, userID uuid.UUID, deviceKey string) (identity.Device, error) {
	var row deviceRow
	err := conn(ctx, s.db).NewSelect().Model(&row).
		Where("user_id = ? AND device_key = ?", userID, deviceKey).Scan(ctx)
	if err != nil {
		return identity.Device{}, mapErr(err)
	}
	return row.toPort(), nil
}

func (s *UserStore) ListDevices(ctx context.Context, userID uuid.UUID) ([]identity.Device, error) {
	var rows []deviceRow
	err := conn(ctx, s.db).NewSelect().Model(&rows).
		Where("user_id = ?", userID).OrderExpr("last_seen_at DESC, id").Limit(100).Scan(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, deviceRow.toPort), nil
}

func (s *UserStore) UntrustDevices(ctx context.Context, userID, keep uuid.UUID) (int, error) {
	res, err := conn(ctx, s.db).NewRaw(`UPDATE devices SET trusted = false, secret_hash = NULL,
		pin_failed_attempts = 0, pin_locked_until = NULL, pin_lockouts = 0,
		pw_failed_attempts = 0, pw_locked_until = NULL, pw_lockouts = 0
		WHERE user_id = ? AND id <> ? AND (trusted OR secret_hash IS NOT NULL)`, userID, keep).Exec(ctx)
	if err != nil {
		return 0, mapErr(err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

func (s *UserStore) RecordTermsAcceptance(ctx context.Context, a identity.TermsAcceptance) error {
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
