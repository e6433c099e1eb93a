package levelrules

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/kyc"
)

// Rules keeps the level rules (the level_rules the kyc module reads).
type Rules interface {
	// LockRules serialises changes of the rules until the transaction
	// ends, so each job's MinLevel is computed from the rules it changed.
	LockRules(ctx context.Context) error
	// LevelRules returns every rule, by level then key.
	LevelRules(ctx context.Context) ([]kyc.LevelRule, error)
	// AddLevelRule adds r. Errors: CONFLICT (reason LEVEL_RULE_EXISTS)
	// when the level has a rule for r.Key.
	AddLevelRule(ctx context.Context, r kyc.LevelRule) error
	// RemoveLevelRule deletes the rule (level, key), returning it and
	// whether there was one.
	RemoveLevelRule(ctx context.Context, level int, key string) (kyc.LevelRule, bool, error)
}

// Jobs keeps the recompute jobs.
type Jobs interface {
	CreateJob(ctx context.Context, j Job) error
	// Job returns one job. Errors: ports.ErrNotFound.
	Job(ctx context.Context, id uuid.UUID) (Job, error)
	// RecentJobs returns up to limit jobs, the newest first.
	RecentJobs(ctx context.Context, limit int) ([]Job, error)
	// ClaimJob returns the oldest RUNNING job, locked until the
	// transaction ends (skipping one another instance holds: each job
	// runs on one instance at a time). Errors: ports.ErrNotFound.
	ClaimJob(ctx context.Context) (Job, error)
	// SaveJob writes j's state and progress.
	SaveJob(ctx context.Context, j Job) error
}

// Users reads and writes the users' levels.
type Users interface {
	// CountUsersFrom counts the users at level or above.
	CountUsersFrom(ctx context.Context, level int) (int, error)
	// UsersFrom returns up to limit users at minLevel or above with an id
	// after after (nil: from the first), by id, locked until the
	// transaction ends (as a label change locks its user).
	UsersFrom(ctx context.Context, minLevel int, after *uuid.UUID, limit int) ([]UserLevel, error)
	// PrivateLabels returns the PRIVATE labels of users.
	PrivateLabels(ctx context.Context, users []uuid.UUID) ([]kyc.Label, error)
	// SetLevels stores each user's level.
	SetLevels(ctx context.Context, levels []UserLevel, at time.Time) error
}
