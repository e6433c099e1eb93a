package postgres

// The user search's conditions and cursors as SQL (see UserDirectory).

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/ports"
)

// userFilterSQL returns the conditions of f on users AS u and their
// arguments; similar matches the name by trigram similarity rather than as
// a substring.
func userFilterSQL(f admin.UserFilter, similar bool) ([]string, []any) {
	var where []string
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if f.ID != nil {
		add(`u.id = ?`, *f.ID)
	}
	if f.EmailPrefix != "" {
		add(`u.email LIKE ?`, escapeLike(f.EmailPrefix)+"%")
	}
	if f.PhonePrefix != "" {
		add(`u.phone LIKE ?`, escapeLike(f.PhonePrefix)+"%")
	}
	if f.Name != "" {
		// "> ''" is implied (no empty name matches) but tells the planner
		// that a walk in name order starts after the users without a name.
		// A similar name is found among the distinct names
		// (user_search_names: a quarter of the rows, so a far smaller
		// trigram index), then its users through users_search_name_keys_idx.
		if similar {
			cond, arg := nameMatchSQL(f.Name, true)
			add(`u.search_name IN (SELECT n.name FROM user_search_names AS n WHERE `+cond+`) AND u.search_name > ''`, arg...)
		} else {
			add(`u.search_name ILIKE ? AND u.search_name > ''`, containsPattern(strings.ToLower(f.Name)))
		}
	}
	if f.Role != "" {
		add(`u.role = ?`, f.Role)
	}
	if f.State != "" {
		add(`u.state = ?`, f.State)
	}
	if f.LevelMin != nil {
		add(`u.level >= ?`, *f.LevelMin)
	}
	if f.LevelMax != nil {
		add(`u.level <= ?`, *f.LevelMax)
	}
	if f.Country != "" {
		add(`u.country_code = ?`, f.Country)
	}
	if f.KYCStatus != "" {
		add(`u.kyc_status = ?`, f.KYCStatus)
	}
	if f.LabelKey != "" {
		if f.LabelValue != "" {
			add(`EXISTS (SELECT 1 FROM labels AS l WHERE l.user_id = u.id AND l.key = ? AND l.value = ?)`,
				f.LabelKey, f.LabelValue)
		} else {
			add(`EXISTS (SELECT 1 FROM labels AS l WHERE l.user_id = u.id AND l.key = ?)`, f.LabelKey)
		}
	}
	if f.CreatedFrom != nil {
		add(`u.created_at >= ?`, f.CreatedFrom.UTC())
	}
	if f.CreatedTo != nil {
		add(`u.created_at < ?`, f.CreatedTo.UTC())
	}
	if f.DocumentsPending != nil {
		if *f.DocumentsPending {
			add(`u.kyc_status = 'PENDING'`)
		} else {
			add(`u.kyc_status <> 'PENDING'`)
		}
	}
	return where, args
}

// nameMatchSQL is the condition on user_search_names AS n of the names
// matching name: containing it, or similar to it (trigram similarity of
// at least nameSimilarity, as "%" at that threshold, which the caller
// sets: see withFilter).
func nameMatchSQL(name string, similar bool) (string, []any) {
	name = strings.ToLower(name)
	if similar {
		return `n.name % ?`, []any{name}
	}
	return `n.name ILIKE ?`, []any{containsPattern(name)}
}

func whereSQL(where []string) string {
	if len(where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(where, " AND ")
}

// containsPattern is the ILIKE pattern of the names containing s.
func containsPattern(s string) string { return "%" + escapeLike(s) + "%" }

// escapeLike makes s match itself literally in a LIKE/ILIKE pattern (the
// default escape character is the backslash).
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// userCursor is the position after a row: its sort value and id.
type userCursor struct {
	value   any // time.Time, bun.Safe for -infinity, or string
	id      uuid.UUID
	similar bool // the list matches its name by similarity (see withFilter)
}

// The cursor is base64url of "FIELD:id:value": value is unix nanoseconds
// (or "-inf" for a user who never signed in) for the time orders and the
// search name for NAME (last, as it may hold any character). FIELD has a
// "~" suffix in a list that matches its name by similarity.
func encodeUserCursor(field string, r userRow, similar bool) string {
	var v string
	switch field {
	case admin.OrderCreatedAt:
		v = strconv.FormatInt(r.CreatedAt.UnixNano(), 10)
	case admin.OrderLastSignIn:
		if r.LastSignInAt == nil {
			v = "-inf"
		} else {
			v = strconv.FormatInt(r.LastSignInAt.UnixNano(), 10)
		}
	case admin.OrderName:
		v = r.SearchName
	}
	if similar {
		field += "~"
	}
	return base64.RawURLEncoding.EncodeToString([]byte(field + ":" + r.ID.String() + ":" + v))
}

// maxCursorLen bounds a cursor before decoding (a search name is at most a
// few hundred bytes).
const maxCursorLen = 2048

func decodeUserCursor(s, field string) (userCursor, error) {
	bad := ports.InvalidField("after", "is not a cursor from this list")
	if len(s) > maxCursorLen {
		return userCursor{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return userCursor{}, bad
	}
	f, rest, ok := strings.Cut(string(raw), ":")
	f, similar := strings.CutSuffix(f, "~")
	if !ok || f != field {
		return userCursor{}, bad
	}
	id, v, ok := strings.Cut(rest, ":")
	if !ok {
		return userCursor{}, bad
	}
	uid, err := uuid.Parse(id)
	if err != nil || len(id) != 36 {
		return userCursor{}, bad
	}
	switch field {
	case admin.OrderName:
		if strings.ContainsRune(v, 0) || !utf8.ValidString(v) {
			return userCursor{}, bad
		}
		return userCursor{value: v, id: uid, similar: similar}, nil
	case admin.OrderLastSignIn:
		if v == "-inf" {
			return userCursor{value: bun.Safe(`'-infinity'::timestamptz`), id: uid, similar: similar}, nil
		}
	}
	ns, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return userCursor{}, bad
	}
	return userCursor{value: time.Unix(0, ns).UTC(), id: uid, similar: similar}, nil
}
