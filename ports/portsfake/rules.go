package portsfake

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/gatehouse/gatehouse/migrations"
	"github.com/gatehouse/gatehouse/ports"
)

// Rules answers Allowed(role, operation) from permission rows held in
// memory, by the rule admin.Policy applies: a role's exact rows and
// prefix groups ("my*", "*"), the strongest action winning (DENY, AUDIT,
// ALLOW), and the ANONYMOUS rows opening an operation to everyone.
// DefaultRules starts from the rows the migrations insert, so a service
// test sees what a fresh database decides. admintest.RunRules holds it to
// the Policy's answers, and adapters/postgres's tests DefaultRules to the
// rows a migrated database holds.
type Rules struct {
	mu   sync.Mutex
	rows map[string]map[string]string // role → operation → action
}

// NewRules returns rules holding no row: nobody may do anything.
func NewRules() *Rules { return &Rules{rows: map[string]map[string]string{}} }

// defaultRow is one row of the migrations' INSERT INTO permissions.
var defaultRow = regexp.MustCompile(`\(gen_random_uuid\(\), '([A-Z]+)', '([^']+)', '([A-Z]+)'\)`)

// DefaultRules returns the rules of the default rows, read from the
// migrations (their INSERTs, in order).
func DefaultRules() *Rules {
	r := NewRules()
	files, err := fs.Glob(migrations.Files(), "*.up.sql")
	if err != nil {
		panic(err)
	}
	slices.Sort(files)
	for _, name := range files {
		b, err := fs.ReadFile(migrations.Files(), name)
		if err != nil {
			panic(err)
		}
		for _, m := range defaultRow.FindAllStringSubmatch(string(b), -1) {
			r.Set(m[1], m[2], m[3])
		}
	}
	return r
}

// Set makes action the row of role for operation ("" removes it).
func (r *Rules) Set(role, operation, action string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if action == "" {
		delete(r.rows[role], operation)
		return
	}
	if r.rows[role] == nil {
		r.rows[role] = map[string]string{}
	}
	r.rows[role][operation] = action
}

// Allowed reports whether role may do operation.
func (r *Rules) Allowed(role, operation string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if opens(r.decide(ports.RoleAnonymous, operation)) {
		return true
	}
	return role != "" && role != ports.RoleAnonymous && opens(r.decide(role, operation))
}

func (r *Rules) decide(role, operation string) string {
	best := ""
	for op, action := range r.rows[role] {
		prefix, group := strings.CutSuffix(op, "*")
		if op == operation || (group && strings.HasPrefix(operation, prefix)) {
			if rank(action) > rank(best) {
				best = action
			}
		}
	}
	return best
}

func rank(action string) int {
	return slices.Index([]string{"ALLOW", "AUDIT", "DENY"}, action) + 1
}

func opens(action string) bool {
	return action == "ALLOW" || action == "AUDIT"
}
