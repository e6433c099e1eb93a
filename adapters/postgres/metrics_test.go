package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// day is 2026-11-<d> at h:m:s UTC.
func day(d, h, m, s int) time.Time { return time.Date(2026, 11, d, h, m, s, 0, time.UTC) }

type metricsFixture struct {
	t  *testing.T
	db *bun.DB
	n  int
}

func (f *metricsFixture) user(state string, at time.Time) uuid.UUID {
	f.t.Helper()
	f.n++
	u := identity.User{ID: uuid.New(), Phone: fmt.Sprintf("+4479111%05d", f.n), State: state, Role: "MEMBER",
		ReferralCode: fmt.Sprintf("REF%05d", f.n), CreatedAt: at, UpdatedAt: at}
	if state == "PENDING" {
		u.Phone, u.Email = "", fmt.Sprintf("p%d@example.com", f.n)
	}
	if err := postgres.NewUserStore(f.db).Create(context.Background(), u); err != nil {
		f.t.Fatal(err)
	}
	return u.ID
}

func (f *metricsFixture) exec(q string, args ...any) {
	f.t.Helper()
	if _, err := f.db.NewRaw(q, args...).Exec(context.Background()); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

// submission stores a KYC submission of user (with a file and a document
// for its foreign keys); decided nil keeps it PENDING.
func (f *metricsFixture) submission(user uuid.UUID, submitted time.Time, status string, decided *time.Time) {
	f.t.Helper()
	file, doc := uuid.New(), uuid.New()
	f.exec(`INSERT INTO kyc_files (id, user_id, purpose, content_type, size, sha256, blob_key, created_at)
		VALUES (?, ?, 'DOCUMENT_FRONT', 'image/png', 1, '\x00', ?, ?)`, file, user, file.String(), submitted)
	f.exec(`INSERT INTO kyc_documents (id, user_id, type, front_file_id, created_at) VALUES (?, ?, 'PASSPORT', ?, ?)`,
		doc, user, file, submitted)
	f.exec(`INSERT INTO kyc_submissions (id, user_id, status, document_id, selfie_id, submitted_at, decided_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, uuid.New(), user, status, doc, doc, submitted, decided)
}

func (f *metricsFixture) otpSend(at time.Time) {
	f.t.Helper()
	id := uuid.New()
	f.exec(`INSERT INTO otp_challenges (id, purpose, channel, destination, code_mac, max_attempts, expires_at, resend_after, created_at)
		VALUES (?, 'SIGNUP', 'SMS', '+447911000000', '\x00', 5, ?, ?, ?)`, id, at.Add(time.Hour), at, at)
	f.exec(`INSERT INTO otp_sends (destination, challenge_id, sent_at) VALUES ('+447911000000', ?, ?)`, id, at)
}

func (f *metricsFixture) activity(user *uuid.UUID, action string, result ports.ActivityResult, at time.Time) {
	f.t.Helper()
	if err := postgres.NewActivityLog(f.db).Record(context.Background(), ports.Activity{UserID: user, Topic: "SESSION",
		Action: action, Result: result, CreatedAt: at}); err != nil {
		f.t.Fatal(err)
	}
}

func TestMetricsCountEveryTableByPeriod(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	f := &metricsFixture{t: t, db: db}
	ok, failed, denied := ports.ActivitySucceeded, ports.ActivityFailed, ports.ActivityDenied

	// Sign-ups: A and B on the 20th, C on the 22nd; a PENDING user and
	// users just outside the range do not count.
	a := f.user("ACTIVE", day(20, 10, 0, 0))
	b := f.user("ACTIVE", day(20, 23, 59, 59))
	c := f.user("LOCKED", day(22, 0, 0, 0))
	f.user("PENDING", day(20, 12, 0, 0))
	e := f.user("ACTIVE", day(19, 23, 59, 59))
	g := f.user("ACTIVE", day(23, 0, 0, 0))

	// KYC: submitted 2 on the 20th, 2 on the 22nd; decisions: one
	// rejection on the 20th (of a submission made before the range), one
	// approval and one rejection on the 22nd; one approval after the range.
	f.submission(a, day(20, 11, 0, 0), "PENDING", nil)
	f.submission(b, day(20, 12, 0, 0), "APPROVED", ptr(day(22, 8, 0, 0)))
	f.submission(e, day(19, 10, 0, 0), "REJECTED", ptr(day(20, 9, 0, 0)))
	f.submission(c, day(22, 1, 0, 0), "REJECTED", ptr(day(22, 2, 0, 0)))
	f.submission(g, day(22, 3, 0, 0), "APPROVED", ptr(day(23, 0, 0, 0)))

	// OTP sends: two on the 20th (one on its first instant), one on the 22nd.
	f.otpSend(day(20, 0, 0, 0))
	f.otpSend(day(20, 12, 45, 0))
	f.otpSend(day(22, 23, 59, 59))
	f.otpSend(day(19, 23, 59, 59))
	f.otpSend(day(23, 0, 0, 0))

	// Sign-ins.
	f.activity(&a, "sign_in.pin", ok, day(20, 10, 5, 0))
	f.activity(&a, "sign_in.password", ok, day(20, 20, 0, 0))
	f.activity(nil, "sign_in.pin", failed, day(20, 11, 0, 0))
	f.activity(&a, "sign_in.second_factor_asked", ok, day(20, 19, 59, 0))
	f.activity(nil, "sign_in", failed, day(20, 11, 30, 0)) // a rate limit, not a sign-in
	f.activity(&a, "otp.sent", ok, day(20, 11, 30, 0))
	f.activity(&b, "sign_in.device_verified", ok, day(22, 9, 0, 0))
	f.activity(&a, "sign_in.second_factor", ok, day(22, 10, 0, 0))
	f.activity(&b, "sign_in.password", denied, day(22, 11, 0, 0))
	f.activity(&c, "sign_in.new_device_challenge", ok, day(22, 11, 30, 0))
	f.activity(&c, "session.refresh", ok, day(22, 12, 0, 0))
	f.activity(&e, "sign_in.pin", ok, day(19, 23, 0, 0))
	f.activity(&g, "sign_in.pin", ok, day(23, 0, 0, 0))

	store := postgres.NewMetricsStore(db)
	totals, series, err := store.Metrics(context.Background(), admin.MetricsQuery{From: day(20, 0, 0, 0), To: day(23, 0, 0, 0), Step: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	want := []admin.MetricPoint{
		{Start: day(20, 0, 0, 0), SignUps: 2, SignInsSucceeded: 2, SignInsFailed: 1, OTPsSent: 2, KYCPending: 2, KYCRejected: 1, ActiveUsers: 1},
		{Start: day(21, 0, 0, 0)},
		{Start: day(22, 0, 0, 0), SignUps: 1, SignInsSucceeded: 2, SignInsFailed: 1, OTPsSent: 1, KYCPending: 2, KYCApproved: 1, KYCRejected: 1, ActiveUsers: 3},
	}
	if len(series) != len(want) {
		t.Fatalf("series: %d points, want %d: %+v", len(series), len(want), series)
	}
	for i := range want {
		if !series[i].Start.Equal(want[i].Start) || series[i].Start.Location() != time.UTC {
			t.Errorf("point %d starts %v, want %v (UTC)", i, series[i].Start, want[i].Start)
		}
		series[i].Start = want[i].Start
		if series[i] != want[i] {
			t.Errorf("point %d:\n got %+v\nwant %+v", i, series[i], want[i])
		}
	}
	// Active users are distinct over the range (A, B, C), not 1+3.
	wantTotals := admin.MetricPoint{Start: day(20, 0, 0, 0), SignUps: 3, SignInsSucceeded: 4, SignInsFailed: 2, OTPsSent: 3,
		KYCPending: 4, KYCApproved: 1, KYCRejected: 2, ActiveUsers: 3}
	if !totals.Start.Equal(wantTotals.Start) {
		t.Errorf("totals start %v", totals.Start)
	}
	totals.Start = wantTotals.Start
	if totals != wantTotals {
		t.Errorf("totals:\n got %+v\nwant %+v", totals, wantTotals)
	}

	// By hour, with a last period cut short by to (12:30): the OTP sent
	// at 12:45 is outside.
	totals, series, err = store.Metrics(context.Background(), admin.MetricsQuery{From: day(20, 10, 0, 0), To: day(20, 12, 30, 0), Step: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	want = []admin.MetricPoint{
		{Start: day(20, 10, 0, 0), SignUps: 1, SignInsSucceeded: 1, ActiveUsers: 1},
		{Start: day(20, 11, 0, 0), SignInsFailed: 1, KYCPending: 1},
		{Start: day(20, 12, 0, 0), KYCPending: 1},
	}
	if len(series) != len(want) {
		t.Fatalf("hourly series: %d points, want %d: %+v", len(series), len(want), series)
	}
	for i := range want {
		if series[i] != want[i] {
			t.Errorf("hour %d:\n got %+v\nwant %+v", i, series[i], want[i])
		}
	}
	wantTotals = admin.MetricPoint{Start: day(20, 10, 0, 0), SignUps: 1, SignInsSucceeded: 1, SignInsFailed: 1, KYCPending: 2, ActiveUsers: 1}
	if totals != wantTotals {
		t.Errorf("hourly totals:\n got %+v\nwant %+v", totals, wantTotals)
	}
}

func TestMetricsOfAnEmptyRangeAreZeros(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	totals, series, err := postgres.NewMetricsStore(db).Metrics(context.Background(),
		admin.MetricsQuery{From: day(1, 0, 0, 0), To: day(3, 0, 0, 0), Step: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if len(series) != 2 || series[0] != (admin.MetricPoint{Start: day(1, 0, 0, 0)}) || series[1] != (admin.MetricPoint{Start: day(2, 0, 0, 0)}) {
		t.Fatalf("series: %+v", series)
	}
	if totals != (admin.MetricPoint{Start: day(1, 0, 0, 0)}) {
		t.Fatalf("totals: %+v", totals)
	}
}

func ptr[T any](v T) *T { return &v }
