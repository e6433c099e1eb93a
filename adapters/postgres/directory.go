package postgres

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/ports"
)

// UserDirectory implements ports.UserDirectory over the users table: every
// filter and order reads the search columns the admin migration keeps
// (search_name, kyc_status, last_sign_in_at) through an index; the label
// filter probes labels by (user_id, key) or (key, value, user_id).
type UserDirectory struct{ db *bun.DB }

var _ ports.UserDirectory = (*UserDirectory)(nil)

// NewUserDirectory returns the staff user search over db.
func NewUserDirectory(db *bun.DB) *UserDirectory { return &UserDirectory{db: db} }

// maxSearchPage bounds a page whatever the caller asks.
const maxSearchPage = 500

// lastSignInKey is the indexed expression of users_last_sign_in_idx: a
// user who never signed in sorts first (ASC) with -infinity.
const lastSignInKey = `coalesce(u.last_sign_in_at, '-infinity'::timestamptz)`

// orderKey is the SQL sort key of each order (ties broken by u.id).
var orderKey = map[string]string{
	ports.OrderCreatedAt:  `u.created_at`,
	ports.OrderLastSignIn: lastSignInKey,
	ports.OrderName:       `u.search_name`,
}

func (d *UserDirectory) Search(ctx context.Context, q ports.UserSearch) ([]ports.UserHit, error) {
	field := q.Order.Field
	if field == "" {
		field = ports.OrderCreatedAt
	}
	key, ok := orderKey[field]
	if !ok {
		return nil, ports.InvalidField("orderBy", "is not an order of users")
	}
	limit := q.Limit
	if limit <= 0 || limit > maxSearchPage {
		limit = maxSearchPage
	}
	var c userCursor
	if q.After != "" {
		var err error
		if c, err = decodeUserCursor(q.After, field); err != nil {
			return nil, err
		}
	}
	where, args := userFilterSQL(q.Filter)
	// The planner walks the order's index and filters, which is right
	// unless few rows match; it misjudges that for a name, whose trigram
	// test costs far more per row than it assumes. When the estimate says
	// few users have the name, sort them instead: "+ interval '0'" / "|| ''"
	// keep the order but hide the order's index, so the trigram index is
	// read.
	inner := key
	if q.Filter.Name != "" && utf8.RuneCountInString(q.Filter.Name) >= 3 {
		est, err := d.estimate(ctx, where, args)
		if err != nil {
			return nil, err
		}
		if est <= nameSortMaxRows {
			inner = orderKeyUnindexed[field]
		}
	}
	if q.After != "" {
		op := ">"
		if q.Order.Desc {
			op = "<"
		}
		where = append(where, "("+inner+", u.id) "+op+" (?, ?)")
		args = append(args, c.value, c.id)
	}
	dir := " ASC"
	if q.Order.Desc {
		dir = " DESC"
	}
	// The page is chosen first; the derived columns of userColumns are
	// then computed for its rows only.
	sql := `SELECT ` + userColumns + ` FROM (SELECT * FROM users AS u` + whereSQL(where) +
		` ORDER BY ` + inner + dir + `, u.id` + dir + ` LIMIT ?) AS u ORDER BY ` + key + dir + `, u.id` + dir
	args = append(args, limit)
	var rows []userRow
	if err := conn(ctx, d.db).NewRaw(sql, args...).Scan(ctx, &rows); err != nil {
		return nil, mapErr(err)
	}
	hits := make([]ports.UserHit, len(rows))
	for i, r := range rows {
		hits[i] = ports.UserHit{User: r.toPort(), Cursor: encodeUserCursor(field, r)}
	}
	return hits, nil
}

// nameSortMaxRows is the estimated number of matching users up to which a
// name search sorts the matches rather than walking the order's index.
const nameSortMaxRows = 10_000

// orderKeyUnindexed is each order's key in a form no index serves.
var orderKeyUnindexed = map[string]string{
	ports.OrderCreatedAt:  `(u.created_at + interval '0')`,
	ports.OrderLastSignIn: `(` + lastSignInKey + ` + interval '0')`,
	ports.OrderName:       `(u.search_name || '')`,
}

// estimate is the planner's estimate of the users matching where.
func (d *UserDirectory) estimate(ctx context.Context, where []string, args []any) (float64, error) {
	var plan string
	err := conn(ctx, d.db).NewRaw(`EXPLAIN (FORMAT JSON) SELECT 1 FROM users AS u`+whereSQL(where), args...).Scan(ctx, &plan)
	if err != nil {
		return 0, mapErr(err)
	}
	var out []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		} `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(plan), &out); err != nil || len(out) == 0 {
		return 0, fmt.Errorf("read the plan estimate: %v", err)
	}
	return out[0].Plan.Rows, nil
}

func (d *UserDirectory) Count(ctx context.Context, f ports.UserFilter, limit int) (int, bool, error) {
	if limit < 0 {
		limit = 0
	}
	where, args := userFilterSQL(f)
	args = append(args, limit+1)
	var n int
	err := conn(ctx, d.db).NewRaw(`SELECT count(*) FROM (SELECT 1 FROM users AS u`+whereSQL(where)+` LIMIT ?) AS t`,
		args...).Scan(ctx, &n)
	if err != nil {
		return 0, false, mapErr(err)
	}
	if n > limit {
		return limit, false, nil
	}
	return n, true, nil
}

// maxLabelUsage bounds the label usage list.
const maxLabelUsage = 1000

func (d *UserDirectory) LabelUsage(ctx context.Context) ([]ports.LabelUsage, error) {
	var rows []struct {
		Key   string `bun:"key"`
		Value string `bun:"value"`
		Scope string `bun:"scope"`
		Users int    `bun:"users"`
	}
	err := conn(ctx, d.db).NewRaw(`SELECT key, value, scope, count(*) AS users FROM labels
		GROUP BY key, value, scope ORDER BY key, value, scope LIMIT ?`, maxLabelUsage).Scan(ctx, &rows)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]ports.LabelUsage, len(rows))
	for i, r := range rows {
		out[i] = ports.LabelUsage{Key: r.Key, Value: r.Value, Scope: r.Scope, Users: r.Users}
	}
	return out, nil
}

// userFilterSQL returns the conditions of f on users AS u and their
// arguments.
func userFilterSQL(f ports.UserFilter) ([]string, []any) {
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
		name := strings.ToLower(f.Name)
		add(`(u.search_name ILIKE ? OR u.search_name % ?)`, "%"+escapeLike(name)+"%", name)
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

func whereSQL(where []string) string {
	if len(where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(where, " AND ")
}

// escapeLike makes s match itself literally in a LIKE/ILIKE pattern (the
// default escape character is the backslash).
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// userCursor is the position after a row: its sort value and id.
type userCursor struct {
	value any // time.Time, bun.Safe for -infinity, or string
	id    uuid.UUID
}

// The cursor is base64url of "FIELD:id:value": value is unix nanoseconds
// (or "-inf" for a user who never signed in) for the time orders and the
// search name for NAME (last, as it may hold any character).
func encodeUserCursor(field string, r userRow) string {
	var v string
	switch field {
	case ports.OrderCreatedAt:
		v = strconv.FormatInt(r.CreatedAt.UnixNano(), 10)
	case ports.OrderLastSignIn:
		if r.LastSignInAt == nil {
			v = "-inf"
		} else {
			v = strconv.FormatInt(r.LastSignInAt.UnixNano(), 10)
		}
	case ports.OrderName:
		v = r.SearchName
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
	case ports.OrderName:
		if strings.ContainsRune(v, 0) || !utf8.ValidString(v) {
			return userCursor{}, bad
		}
		return userCursor{value: v, id: uid}, nil
	case ports.OrderLastSignIn:
		if v == "-inf" {
			return userCursor{value: bun.Safe(`'-infinity'::timestamptz`), id: uid}, nil
		}
	}
	ns, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return userCursor{}, bad
	}
	return userCursor{value: time.Unix(0, ns).UTC(), id: uid}, nil
}
