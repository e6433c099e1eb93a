package levelrules

import (
	"context"
	"fmt"
	"regexp"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/textin"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
)

// Config bounds the rules and paces the recompute jobs.
type Config struct {
	// Batch is how many users one transaction of a job recomputes.
	Batch int
	// MaxRules bounds how many rules may exist.
	MaxRules int
	// MaxLevel is the highest level a rule may name.
	MaxLevel int
}

// DefaultConfig is 500 users a batch, 100 rules, levels up to 20.
func DefaultConfig() Config { return Config{Batch: 500, MaxRules: 100, MaxLevel: 20} }

// Refusal reasons.
const (
	// ReasonRuleExists: the level has a rule for that key already.
	ReasonRuleExists = "LEVEL_RULE_EXISTS"
	// ReasonRuleLimit: MaxRules rules exist.
	ReasonRuleLimit = "LEVEL_RULE_LIMIT_REACHED"
)

// Bounds of a rule's text.
const (
	MaxValue       = 255
	MaxDescription = 200
	// MaxJobs bounds how many jobs levelJobs lists.
	MaxJobs = 100
)

var labelKey = regexp.MustCompile(`^[a-z][a-z0-9_.-]{0,63}$`)

// Service changes the level rules. Who may call it is the permission
// rows' decision (ADMIN and SUPERADMIN by default); each change commits
// its admin activity and its recompute job in its own transaction, and
// the job runs in the background (Runner), so the request never waits on
// the users.
type Service struct {
	cfg     Config
	rules   Rules
	jobs    Jobs
	users   Users
	tx      ports.TxRunner
	audit   ports.AuditTrail
	callers ports.CallerSource
	clock   ports.Clock
	// kick wakes the runner of this instance (nil: none).
	kick func()
}

// NewService returns the level rules' service.
func NewService(cfg Config, rules Rules, jobs Jobs, users Users, tx ports.TxRunner, audit ports.AuditTrail,
	callers ports.CallerSource, clock ports.Clock) *Service {
	return &Service{cfg: cfg, rules: rules, jobs: jobs, users: users, tx: tx, audit: audit, callers: callers, clock: clock}
}

// RuleInput is a new rule: reaching Level needs the PRIVATE label
// Key=Value.
type RuleInput struct {
	Level       int
	Key         string
	Value       string
	Description string
	Reason      string
}

// AddRule adds a rule and starts the recompute of the users it may move.
// Errors: UNAUTHENTICATED, VALIDATION_FAILED (level, key, value,
// description, reason), CONFLICT (reasons LEVEL_RULE_EXISTS,
// LEVEL_RULE_LIMIT_REACHED).
func (s *Service) AddRule(ctx context.Context, in RuleInput) (kyc.LevelRule, Job, error) {
	var errs []error
	errs = append(errs, s.checkLevel(in.Level), checkKey(in.Key))
	value, err := textin.Text("value", in.Value, 1, MaxValue)
	errs = append(errs, err)
	desc, err := textin.Name("description", in.Description, 0, MaxDescription)
	errs = append(errs, err)
	reason, err := textin.Reason("reason", in.Reason)
	errs = append(errs, err)
	if err := ports.MergeInvalid(errs...); err != nil {
		return kyc.LevelRule{}, Job{}, err
	}
	r := kyc.LevelRule{Level: in.Level, Key: in.Key, Value: value, Description: desc}
	input := map[string]any{"level": r.Level, "key": r.Key, "value": r.Value, "description": r.Description}
	j, err := s.change(ctx, "addLevelRule", reason, input, r.Level, func(ctx context.Context, rules []kyc.LevelRule) ([]kyc.LevelRule, error) {
		if len(rules) >= s.cfg.MaxRules {
			return nil, ports.Refusal(ports.CodeConflict, ReasonRuleLimit,
				"at most %d level rules may exist; remove one first", s.cfg.MaxRules)
		}
		if err := s.rules.AddLevelRule(ctx, r); err != nil {
			return nil, err
		}
		return append(rules, r), nil
	})
	if err != nil {
		return kyc.LevelRule{}, Job{}, err
	}
	return r, *j, nil
}

// RemoveRule removes a rule and starts the recompute of the users it may
// move; removed is false (and no job) when there was no such rule.
// Errors: UNAUTHENTICATED, VALIDATION_FAILED (level, key, reason).
func (s *Service) RemoveRule(ctx context.Context, level int, key, reason string) (bool, *Job, error) {
	reason, rerr := textin.Reason("reason", reason)
	if err := ports.MergeInvalid(s.checkLevel(level), checkKey(key), rerr); err != nil {
		return false, nil, err
	}
	input := map[string]any{"level": level, "key": key}
	removed := false
	j, err := s.change(ctx, "removeLevelRule", reason, input, level, func(ctx context.Context, rules []kyc.LevelRule) ([]kyc.LevelRule, error) {
		old, ok, err := s.rules.RemoveLevelRule(ctx, level, key)
		if err != nil || !ok {
			return nil, err
		}
		removed = true
		input["before"] = map[string]any{"value": old.Value, "description": old.Description}
		out := rules[:0:0]
		for _, r := range rules {
			if r.Level != level || r.Key != key {
				out = append(out, r)
			}
		}
		return out, nil
	})
	if err != nil || !removed {
		return false, nil, err
	}
	return true, j, nil
}

// change runs write under the rules' lock with the admin activity of
// action and, when write changed the rules (returned the new ones), the
// job recomputing the users the change of level's rules may move.
func (s *Service) change(ctx context.Context, action, reason string, input map[string]any, level int,
	write func(ctx context.Context, rules []kyc.LevelRule) ([]kyc.LevelRule, error)) (*Job, error) {
	c, err := s.callers.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, ports.Errorf(ports.CodeUnauthenticated, "sign in first")
	}
	now := s.clock.Now().UTC()
	input["reason"] = reason
	var job *Job
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.rules.LockRules(ctx); err != nil {
			return err
		}
		before, err := s.rules.LevelRules(ctx)
		if err != nil {
			return err
		}
		after, err := write(ctx, before)
		if err != nil {
			return err
		}
		if after != nil {
			from := affectedFrom(level, top(before), top(after))
			total, err := s.users.CountUsersFrom(ctx, from)
			if err != nil {
				return err
			}
			job = &Job{ID: uuid.Must(uuid.NewV7()), State: JobRunning, MinLevel: from, Total: total,
				Action: fmt.Sprintf("%s %d %s", action, level, input["key"]), CreatedBy: c.UserID,
				CreatedAt: now, UpdatedAt: now}
			if err := s.jobs.CreateJob(ctx, *job); err != nil {
				return err
			}
			input["job"] = job.ID.String()
		}
		return s.audit.RecordAdmin(ctx, ports.NewAdminActivity(ctx, c.UserID, nil, action, reason, input, nil, now))
	})
	if err != nil {
		return nil, err
	}
	ports.MarkAudited(ctx)
	if job != nil && s.kick != nil {
		s.kick()
	}
	return job, nil
}

// Job returns a recompute job. Errors: UNAUTHENTICATED, NOT_FOUND.
func (s *Service) Job(ctx context.Context, id uuid.UUID) (Job, error) {
	if err := s.signedIn(ctx); err != nil {
		return Job{}, err
	}
	j, err := s.jobs.Job(ctx, id)
	if ports.ErrorCodeOf(err) == ports.CodeNotFound {
		return Job{}, ports.Errorf(ports.CodeNotFound, "no such level job")
	}
	return j, err
}

// Jobs returns the newest jobs; first is 1 to 100 (0: 20). Errors:
// UNAUTHENTICATED, VALIDATION_FAILED (first).
func (s *Service) Jobs(ctx context.Context, first int) ([]Job, error) {
	if err := s.signedIn(ctx); err != nil {
		return nil, err
	}
	if first == 0 {
		first = 20
	}
	if first < 1 || first > MaxJobs {
		return nil, ports.InvalidField("first", fmt.Sprintf("must be from 1 to %d", MaxJobs))
	}
	return s.jobs.RecentJobs(ctx, first)
}

func (s *Service) signedIn(ctx context.Context) error {
	c, err := s.callers.Caller(ctx)
	if err != nil {
		return err
	}
	if c == nil {
		return ports.Errorf(ports.CodeUnauthenticated, "sign in first")
	}
	return nil
}

func (s *Service) checkLevel(level int) error {
	if level < 1 || level > s.cfg.MaxLevel {
		return ports.InvalidField("level", fmt.Sprintf("must be from 1 to %d", s.cfg.MaxLevel))
	}
	return nil
}

func checkKey(key string) error {
	// The pattern has no spaces: a key with spaces around it is refused, not trimmed.
	if !labelKey.MatchString(key) {
		return ports.InvalidField("key", "must be 1 to 64 of a-z 0-9 _ . - starting with a lower-case letter")
	}
	return nil
}

func top(rules []kyc.LevelRule) int {
	t := 0
	for _, r := range rules {
		t = max(t, r.Level)
	}
	return t
}
