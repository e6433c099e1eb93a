package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/admin"
)

// MetricsStore implements admin.MetricsStore.
type MetricsStore struct{ db *bun.DB }

var _ admin.MetricsStore = (*MetricsStore)(nil)

// NewMetricsStore returns the product metrics over db.
func NewMetricsStore(db *bun.DB) *MetricsStore { return &MetricsStore{db: db} }

// The activity actions the metrics count. A sign-in counts once, on the
// step that opens the session: sign_in.pin and sign_in.password on a
// trusted device, sign_in.device_verified (a new device proven by SMS)
// and sign_in.second_factor (the second factor of a password sign-in),
// sign_in.oidc (an OpenID provider's, on a trusted device).
// The steps that only ask for more (sign_in.second_factor_asked,
// sign_in.new_device_challenge) open nothing and are not counted. Refused
// sign-ins are the FAILED or DENIED rows of the same actions (wrong PIN
// or password, unknown user, lockout, account not active). A user is
// active in a period when they opened a session or refreshed one
// (session.refresh, counted when recorded).
const (
	signInActions = `'sign_in.pin', 'sign_in.password', 'sign_in.device_verified', 'sign_in.second_factor', 'sign_in.oidc'`
	activeActions = signInActions + `, 'session.refresh'`
)

// metricRow is one period of one statement (Start nil: the whole range).
type metricRow struct {
	Start *time.Time `bun:"start"`
	N0    int        `bun:"n0"`
	N1    int        `bun:"n1"`
	N2    int        `bun:"n2"`
}

// Each statement walks the periods of generate_series, so empty periods
// come back as zeros, and counts each period through an index range scan
// (users_created_idx, activities_action_idx, otp_sends_sent_idx,
// kyc_submissions_submitted_idx and _decided_idx). The step is a number
// of seconds, so a day is 24 hours whatever the session's time zone.
const (
	periods   = `generate_series(?0::timestamptz, ?1::timestamptz, ?2::interval) AS s(start)`
	periodEnd = `least(s.start + ?2::interval, ?1::timestamptz)`

	usersSQL = `SELECT s.start, c.n AS n0, 0 AS n1, 0 AS n2 FROM ` + periods + `
CROSS JOIN LATERAL (SELECT count(*) AS n FROM users u
	WHERE u.created_at >= s.start AND u.created_at < ` + periodEnd + ` AND u.state <> 'PENDING') c
WHERE s.start < ?1::timestamptz ORDER BY s.start`

	otpSQL = `SELECT s.start, c.n AS n0, 0 AS n1, 0 AS n2 FROM ` + periods + `
CROSS JOIN LATERAL (SELECT count(*) AS n FROM otp_sends o
	WHERE o.sent_at >= s.start AND o.sent_at < ` + periodEnd + `) c
WHERE s.start < ?1::timestamptz ORDER BY s.start`

	kycSQL = `SELECT s.start, sub.n AS n0, dec.approved AS n1, dec.rejected AS n2 FROM ` + periods + `
CROSS JOIN LATERAL (SELECT count(*) AS n FROM kyc_submissions k
	WHERE k.submitted_at >= s.start AND k.submitted_at < ` + periodEnd + `) sub
CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE k.status = 'APPROVED') AS approved,
		count(*) FILTER (WHERE k.status = 'REJECTED') AS rejected FROM kyc_submissions k
	WHERE k.decided_at >= s.start AND k.decided_at < ` + periodEnd + `) dec
WHERE s.start < ?1::timestamptz ORDER BY s.start`

	// The activities of the range are read once (an index range scan of
	// activities_action_idx per action) and binned to their period; the
	// () grouping set is the whole range, so its distinct users are
	// counted over the range, not summed over the periods.
	activitiesSQL = `WITH a AS (
	SELECT date_bin(?2::interval, created_at, ?0::timestamptz) AS start, id, user_id, action, result
	FROM activities
	WHERE action IN (` + activeActions + `) AND created_at >= ?0::timestamptz AND created_at < ?1::timestamptz)
SELECT s.start,
	count(a.id) FILTER (WHERE a.result = 'SUCCEEDED' AND a.action IN (` + signInActions + `)) AS n0,
	count(a.id) FILTER (WHERE a.result IN ('FAILED', 'DENIED') AND a.action IN (` + signInActions + `)) AS n1,
	count(DISTINCT a.user_id) FILTER (WHERE a.result = 'SUCCEEDED') AS n2
FROM ` + periods + `
LEFT JOIN a ON a.start = s.start
WHERE s.start < ?1::timestamptz
GROUP BY GROUPING SETS ((s.start), ())
ORDER BY s.start NULLS LAST`
)

// Metrics counts each source table in one statement.
func (m *MetricsStore) Metrics(ctx context.Context, q admin.MetricsQuery) (admin.MetricPoint, []admin.MetricPoint, error) {
	if q.Step <= 0 || !q.From.Before(q.To) {
		return admin.MetricPoint{}, nil, fmt.Errorf("postgres: metrics: empty range %s..%s step %s", q.From, q.To, q.Step)
	}
	from, to := q.From.UTC(), q.To.UTC()
	step := fmt.Sprintf("%d seconds", int64(q.Step/time.Second))
	db := conn(ctx, m.db)
	run := func(query string) ([]metricRow, error) {
		var rows []metricRow
		if err := db.NewRaw(query, from, to, step).Scan(ctx, &rows); err != nil {
			return nil, fmt.Errorf("postgres: metrics: %w", err)
		}
		return rows, nil
	}

	users, err := run(usersSQL)
	if err != nil {
		return admin.MetricPoint{}, nil, err
	}
	series := make([]admin.MetricPoint, len(users))
	at := make(map[int64]*admin.MetricPoint, len(users))
	for i, r := range users {
		series[i] = admin.MetricPoint{Start: r.Start.UTC(), SignUps: r.N0}
		at[r.Start.Unix()] = &series[i]
	}
	totals := admin.MetricPoint{Start: from}
	point := func(r metricRow) *admin.MetricPoint {
		if r.Start == nil {
			return &totals
		}
		if p := at[r.Start.Unix()]; p != nil {
			return p
		}
		return &admin.MetricPoint{} // not a period of users: cannot happen
	}

	otps, err := run(otpSQL)
	if err != nil {
		return admin.MetricPoint{}, nil, err
	}
	for _, r := range otps {
		point(r).OTPsSent = r.N0
	}
	kyc, err := run(kycSQL)
	if err != nil {
		return admin.MetricPoint{}, nil, err
	}
	for _, r := range kyc {
		p := point(r)
		p.KYCPending, p.KYCApproved, p.KYCRejected = r.N0, r.N1, r.N2
	}
	acts, err := run(activitiesSQL)
	if err != nil {
		return admin.MetricPoint{}, nil, err
	}
	for _, r := range acts {
		p := point(r)
		p.SignInsSucceeded, p.SignInsFailed, p.ActiveUsers = r.N0, r.N1, r.N2
	}
	for _, p := range series {
		totals.SignUps += p.SignUps
		totals.OTPsSent += p.OTPsSent
		totals.KYCPending += p.KYCPending
		totals.KYCApproved += p.KYCApproved
		totals.KYCRejected += p.KYCRejected
	}
	return totals, series, nil
}
