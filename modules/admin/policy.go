package admin

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gatehouse/gatehouse/modules/internal/background"
)

// Policy is the one authorization rule of the schema, read from the
// permission rows. It keeps an immutable snapshot of the rows in memory,
// swapped whole when the rows change (the watcher announces every
// committed change), so a request never waits on the database.
type Policy struct {
	store   PermissionStore
	watcher PermissionWatcher
	ops     map[string]bool
	opList  []string
	log     *slog.Logger

	snap atomic.Pointer[snapshot]

	bg background.Task // the reload loop
	// reload asks the loop to reload (buffered 1: calls coalesce).
	reload chan struct{}
}

// snapshot is one immutable load of the rows, by role.
type snapshot struct {
	byRole map[string]*roleRules
}

// roleRules are one role's rows: exact operations and prefixes.
type roleRules struct {
	exact    map[string]string
	prefixes []prefixRule
}

type prefixRule struct{ prefix, action string }

// NewPolicy returns a policy over the rows of store that reloads when
// watcher says they changed. ops are the operations rows may name: the
// schema's root fields and its role-restricted Type.field names.
func NewPolicy(store PermissionStore, watcher PermissionWatcher, ops Operations, log *slog.Logger) *Policy {
	if log == nil {
		log = slog.Default()
	}
	p := &Policy{store: store, watcher: watcher, ops: make(map[string]bool, len(ops)),
		opList: slices.Clone([]string(ops)), log: log, reload: make(chan struct{}, 1)}
	for _, o := range ops {
		p.ops[o] = true
	}
	p.snap.Store(&snapshot{byRole: map[string]*roleRules{}})
	return p
}

// Start loads the rows (an error fails the start: an instance must not
// serve with no rules) and then keeps them current in the background.
func (p *Policy) Start(ctx context.Context) error {
	if err := p.Load(ctx); err != nil {
		return err
	}
	p.bg.Go(p.run)
	return nil
}

// Stop ends the background reloading and waits for it (or for ctx).
func (p *Policy) Stop(ctx context.Context) error {
	return p.bg.Stop(ctx)
}

// run watches for changes and reloads on each (coalescing bursts), and
// once a minute whatever happens; a failed reload is retried shortly,
// keeping the previous snapshot.
func (p *Policy) run(ctx context.Context) {
	watching := make(chan struct{})
	defer func() { <-watching }()
	go func() {
		defer close(watching)
		err := p.watcher.Watch(ctx, func() {
			select {
			case p.reload <- struct{}{}:
			default:
			}
		})
		if err != nil && !errors.Is(err, context.Canceled) {
			p.log.Error("permission watcher stopped", "err", err)
		}
	}()
	var retry <-chan time.Time
	// A connection can die without an error reaching the watcher (a
	// silent network drop): a periodic reload bounds how stale the rules
	// get then, at one small statement a minute.
	every := time.NewTicker(time.Minute)
	defer every.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.reload:
		case <-retry:
		case <-every.C:
		}
		retry = nil
		if err := p.Load(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			p.log.Error("reload permissions; keeping the previous rules", "err", err)
			retry = time.After(time.Second)
		}
	}
}

// Load reads every row and swaps the snapshot.
func (p *Policy) Load(ctx context.Context) error {
	rows, err := p.store.List(ctx)
	if err != nil {
		return err
	}
	p.Swap(rows)
	return nil
}

// Swap replaces the rules with rows, warning about operations that no
// row of any role names.
func (p *Policy) Swap(rows []Permission) {
	s := buildSnapshot(rows)
	p.snap.Store(s)
	var uncovered []string
	for _, op := range p.opList {
		if !s.coveredByAny(op) {
			uncovered = append(uncovered, op)
		}
	}
	if len(uncovered) > 0 {
		p.log.Warn("operations without a permission row: no role may call them", "fields", uncovered)
	}
}

func buildSnapshot(rows []Permission) *snapshot {
	s := &snapshot{byRole: map[string]*roleRules{}}
	for _, r := range rows {
		rr := s.byRole[r.Role]
		if rr == nil {
			rr = &roleRules{exact: map[string]string{}}
			s.byRole[r.Role] = rr
		}
		if prefix, ok := strings.CutSuffix(r.Operation, "*"); ok {
			rr.prefixes = append(rr.prefixes, prefixRule{prefix: prefix, action: r.Action})
		} else {
			rr.exact[r.Operation] = strongerAction(rr.exact[r.Operation], r.Action)
		}
	}
	return s
}

// rank orders actions: DENY > AUDIT > ALLOW > none.
func actionRank(action string) int {
	switch action {
	case PermissionDeny:
		return 3
	case PermissionAudit:
		return 2
	case PermissionAllow:
		return 1
	}
	return 0
}

func strongerAction(a, b string) string {
	if actionRank(b) > actionRank(a) {
		return b
	}
	return a
}

// decide is the action of one role's matching rows, "" when none.
func (rr *roleRules) decide(op string) string {
	if rr == nil {
		return ""
	}
	action := rr.exact[op]
	for _, pr := range rr.prefixes {
		if strings.HasPrefix(op, pr.prefix) {
			action = strongerAction(action, pr.action)
		}
	}
	return action
}

func (s *snapshot) coveredByAny(op string) bool {
	for _, rr := range s.byRole {
		if rr.decide(op) != "" {
			return true
		}
	}
	return false
}

// Decide returns the action of role's rows for operation ("" when no row
// matches, or operation is not one rows may name). Memory only.
func (p *Policy) Decide(role, operation string) string {
	if !p.ops[operation] {
		return ""
	}
	return p.snap.Load().byRole[role].decide(operation)
}

// Allowed reports whether a caller with role (ANONYMOUS or "" when not
// signed in) may call operation: the ANONYMOUS rows open a field to
// everyone, else the role's own rows decide.
func (p *Policy) Allowed(role, operation string) bool {
	return p.ops[operation] && p.snap.Load().allowed(role, operation)
}

// Known reports whether operation names a root field or a role-restricted
// field of a type.
func (p *Policy) Known(operation string) bool { return p.ops[operation] }

func actionOpens(action string) bool {
	return action == PermissionAllow || action == PermissionAudit
}
