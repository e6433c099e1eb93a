package postgres

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/levelrules"
	"github.com/gatehouse/gatehouse/ports"
)

// LevelRuleStore implements the levelrules module's stores over
// level_rules, level_jobs, users and labels.
type LevelRuleStore struct{ db *bun.DB }

var (
	_ levelrules.Rules = (*LevelRuleStore)(nil)
	_ levelrules.Jobs  = (*LevelRuleStore)(nil)
	_ levelrules.Users = (*LevelRuleStore)(nil)
)

// NewLevelRuleStore returns a store over db.
func NewLevelRuleStore(db *bun.DB) *LevelRuleStore { return &LevelRuleStore{db: db} }

// LockRules takes a lock that only rule changes take: readers of the rules
// (every label change) are not held up.
func (s *LevelRuleStore) LockRules(ctx context.Context) error {
	_, err := conn(ctx, s.db).NewRaw(`LOCK TABLE level_rules IN SHARE ROW EXCLUSIVE MODE`).Exec(ctx)
	return mapErr(err)
}

func (s *LevelRuleStore) LevelRules(ctx context.Context) ([]kyc.LevelRule, error) {
	return NewKYCStore(s.db).LevelRules(ctx)
}

func (s *LevelRuleStore) AddLevelRule(ctx context.Context, r kyc.LevelRule) error {
	res, err := conn(ctx, s.db).NewRaw(`INSERT INTO level_rules (level, key, value, description) VALUES (?, ?, ?, ?)
		ON CONFLICT (level, key) DO NOTHING`, r.Level, r.Key, r.Value, r.Description).Exec(ctx)
	if err != nil {
		return mapErr(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ports.Refusal(ports.CodeConflict, levelrules.ReasonRuleExists,
			"level %d has a rule for %s already", r.Level, r.Key)
	}
	return nil
}

func (s *LevelRuleStore) RemoveLevelRule(ctx context.Context, level int, key string) (kyc.LevelRule, bool, error) {
	var rows []levelRuleRow
	err := conn(ctx, s.db).NewRaw(`DELETE FROM level_rules WHERE level = ? AND key = ?
		RETURNING level, key, value, description`, level, key).Scan(ctx, &rows)
	if err != nil {
		return kyc.LevelRule{}, false, mapErr(err)
	}
	if len(rows) == 0 {
		return kyc.LevelRule{}, false, nil
	}
	r := rows[0]
	return kyc.LevelRule{Level: r.Level, Key: r.Key, Value: r.Value, Description: r.Description}, true, nil
}

type levelJobRow struct {
	ID         uuid.UUID  `bun:"id"`
	State      string     `bun:"state"`
	MinLevel   int        `bun:"min_level"`
	AfterID    *uuid.UUID `bun:"after_id"`
	Done       int        `bun:"done"`
	Changed    int        `bun:"changed"`
	Total      int        `bun:"total"`
	Action     string     `bun:"action"`
	CreatedBy  uuid.UUID  `bun:"created_by"`
	CreatedAt  time.Time  `bun:"created_at"`
	UpdatedAt  time.Time  `bun:"updated_at"`
	FinishedAt *time.Time `bun:"finished_at"`
}

func (r levelJobRow) toPort() levelrules.Job {
	return levelrules.Job{ID: r.ID, State: levelrules.JobState(r.State), MinLevel: r.MinLevel, AfterID: r.AfterID,
		Done: r.Done, Changed: r.Changed, Total: r.Total, Action: r.Action, CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, FinishedAt: r.FinishedAt}
}

const levelJobColumns = `id, state, min_level, after_id, done, changed, total, action, created_by, created_at, updated_at, finished_at`

func (s *LevelRuleStore) CreateJob(ctx context.Context, j levelrules.Job) error {
	_, err := conn(ctx, s.db).NewRaw(`INSERT INTO level_jobs (`+levelJobColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, j.ID, string(j.State), j.MinLevel, j.AfterID, j.Done, j.Changed,
		j.Total, j.Action, j.CreatedBy, j.CreatedAt, j.UpdatedAt, j.FinishedAt).Exec(ctx)
	return mapErr(err)
}

func (s *LevelRuleStore) jobs(ctx context.Context, query string, args ...any) ([]levelrules.Job, error) {
	var rows []levelJobRow
	if err := conn(ctx, s.db).NewRaw(query, args...).Scan(ctx, &rows); err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, levelJobRow.toPort), nil
}

func (s *LevelRuleStore) Job(ctx context.Context, id uuid.UUID) (levelrules.Job, error) {
	js, err := s.jobs(ctx, `SELECT `+levelJobColumns+` FROM level_jobs WHERE id = ?`, id)
	if err != nil {
		return levelrules.Job{}, err
	}
	if len(js) == 0 {
		return levelrules.Job{}, ports.ErrNotFound
	}
	return js[0], nil
}

func (s *LevelRuleStore) RecentJobs(ctx context.Context, limit int) ([]levelrules.Job, error) {
	return s.jobs(ctx, `SELECT `+levelJobColumns+` FROM level_jobs ORDER BY created_at DESC, id DESC LIMIT ?`, limit)
}

// ClaimJob skips a job another instance's transaction holds: each runs on
// one instance at a time, and an instance that died let go of its lock.
func (s *LevelRuleStore) ClaimJob(ctx context.Context) (levelrules.Job, error) {
	js, err := s.jobs(ctx, `SELECT `+levelJobColumns+` FROM level_jobs WHERE state = 'RUNNING'
		ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`)
	if err != nil {
		return levelrules.Job{}, err
	}
	if len(js) == 0 {
		return levelrules.Job{}, ports.ErrNotFound
	}
	return js[0], nil
}

func (s *LevelRuleStore) SaveJob(ctx context.Context, j levelrules.Job) error {
	res, err := conn(ctx, s.db).NewRaw(`UPDATE level_jobs SET state = ?, after_id = ?, done = ?, changed = ?, total = ?,
		updated_at = ?, finished_at = ? WHERE id = ?`, string(j.State), j.AfterID, j.Done, j.Changed, j.Total,
		j.UpdatedAt, j.FinishedAt, j.ID).Exec(ctx)
	if err != nil {
		return mapErr(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ports.ErrNotFound
	}
	return nil
}

func (s *LevelRuleStore) CountUsersFrom(ctx context.Context, level int) (int, error) {
	var n int
	err := conn(ctx, s.db).NewRaw(`SELECT count(*) FROM users WHERE level >= ?`, level).Scan(ctx, &n)
	return n, mapErr(err)
}

// UsersFrom locks the batch's rows as a label change locks its user (FOR
// NO KEY UPDATE), so a level computed here and one computed there are
// written one after the other, each from the labels committed before it.
func (s *LevelRuleStore) UsersFrom(ctx context.Context, minLevel int, after *uuid.UUID, limit int) ([]levelrules.UserLevel, error) {
	var out []levelrules.UserLevel
	var err error
	if after == nil {
		err = conn(ctx, s.db).NewRaw(`SELECT id, level FROM users WHERE level >= ? ORDER BY id LIMIT ?
			FOR NO KEY UPDATE`, minLevel, limit).Scan(ctx, &out)
	} else {
		err = conn(ctx, s.db).NewRaw(`SELECT id, level FROM users WHERE level >= ? AND id > ? ORDER BY id LIMIT ?
			FOR NO KEY UPDATE`, minLevel, *after, limit).Scan(ctx, &out)
	}
	return out, mapErr(err)
}

func (s *LevelRuleStore) PrivateLabels(ctx context.Context, users []uuid.UUID) ([]kyc.Label, error) {
	out := []kyc.Label{}
	if len(users) == 0 {
		return out, nil
	}
	var rows []labelRow
	err := conn(ctx, s.db).NewRaw(`SELECT user_id, key, value, scope, description, created_at, updated_at FROM labels
		WHERE user_id = ANY(?::uuid[]) AND scope = 'PRIVATE'`, pgdialect.Array(idStrings(users))).Scan(ctx, &rows)
	if err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, labelRow.toPort), nil
}

// SetLevels writes every level of the batch in one statement.
func (s *LevelRuleStore) SetLevels(ctx context.Context, levels []levelrules.UserLevel, at time.Time) error {
	if len(levels) == 0 {
		return nil
	}
	ids := make([]string, len(levels))
	ls := make([]int, len(levels))
	for i, u := range levels {
		ids[i], ls[i] = u.ID.String(), u.Level
	}
	_, err := conn(ctx, s.db).NewRaw(`UPDATE users AS u SET level = v.level, updated_at = ?
		FROM unnest(?::uuid[], ?::int[]) AS v(id, level) WHERE u.id = v.id`,
		at, pgdialect.Array(ids), pgdialect.Array(ls)).Exec(ctx)
	return mapErr(err)
}

func idStrings(ids []uuid.UUID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	return out
}
