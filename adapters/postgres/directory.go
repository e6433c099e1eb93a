package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/ports"
)

// UserDirectory implements admin.UserDirectory over the users table: every
// filter and order reads the search columns the admin migration keeps
// (search_name, kyc_status, last_sign_in_at) through an index; the label
// filter probes labels by (user_id, key) or (key, value, user_id).
type UserDirectory struct{ db *bun.DB }

var _ admin.UserDirectory = (*UserDirectory)(nil)

// NewUserDirectory returns the staff user search over db.
func NewUserDirectory(db *bun.DB) *UserDirectory { return &UserDirectory{db: db} }

// maxSearchPage bounds a page whatever the caller asks.
const maxSearchPage = 500

// lastSignInKey is the indexed expression of users_last_sign_in_idx: a
// user who never signed in sorts first (ASC) with -infinity.
const lastSignInKey = `coalesce(u.last_sign_in_at, '-infinity'::timestamptz)`

// orderKey is the SQL sort key of each order (ties broken by u.id).
var orderKey = map[string]string{
	admin.OrderCreatedAt:  `u.created_at`,
	admin.OrderLastSignIn: lastSignInKey,
	admin.OrderName:       `u.search_name`,
}

func (d *UserDirectory) Search(ctx context.Context, q admin.UserSearch) ([]admin.UserHit, error) {
	return d.search(ctx, q, nil)
}

// SearchCounted is Search with the count of the filter's users riding on
// the page's statement (a scalar subquery: one round trip, under the same
// name match as the page); a page without users counts on its own.
func (d *UserDirectory) SearchCounted(ctx context.Context, q admin.UserSearch, limit int) ([]admin.UserHit, int, bool, error) {
	cnt := &pageCount{limit: max(limit, 0)}
	hits, err := d.search(ctx, q, cnt)
	if err != nil {
		return nil, 0, false, err
	}
	if cnt.n > cnt.limit {
		return hits, cnt.limit, false, nil
	}
	return hits, cnt.n, true, nil
}

// pageCount asks page to count the users matching where too, up to
// limit+1, in the page's statement; done once counted.
type pageCount struct {
	where []string
	args  []any
	limit int
	n     int
	done  bool
}

// search is Search, counting into cnt unless it is nil.
func (d *UserDirectory) search(ctx context.Context, q admin.UserSearch, cnt *pageCount) ([]admin.UserHit, error) {
	field := q.Order.Field
	if field == "" {
		field = admin.OrderCreatedAt
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
	var hits []admin.UserHit
	mode := nameProbe
	if q.After != "" {
		mode = nameSubstring
		if c.similar {
			mode = nameSimilar
		}
	}
	err := d.withFilter(ctx, q.Filter, mode, func(ctx context.Context, where []string, args []any, similar bool) error {
		if cnt == nil {
			return d.pages(ctx, q, field, key, c, where, args, limit, similar, nil, &hits)
		}
		cnt.where, cnt.args = where, args
		if err := d.pages(ctx, q, field, key, c, where, args, limit, similar, cnt, &hits); err != nil || cnt.done {
			return err
		}
		// No users on the page: nothing carried the count.
		n, err := d.count(ctx, where, args, cnt.limit)
		cnt.n, cnt.done = n, true
		return err
	})
	return hits, mapErr(err)
}

// pages reads the page of q into hits (two statements for NAME: the named
// users, then the nameless), counting into cnt on the first that has rows.
func (d *UserDirectory) pages(ctx context.Context, q admin.UserSearch, field, key string, c userCursor, where []string,
	args []any, limit int, similar bool, cnt *pageCount, hits *[]admin.UserHit) error {
	// The planner walks the order's index and filters, which is right
	// unless few rows match; sortMaxRows says when it misjudges that.
	// Then, when the estimate says few users match, they are sorted
	// instead: "+ interval '0'" / "|| ''" keep the order but hide the
	// order's index, so the filter's index is read.
	inner := key
	if few := sortMaxRows(q.Filter, q.Order, similar); few > 0 {
		est := 0.0
		if !similar {
			// The planner's estimate of a similarity match is always
			// far below the bound (it cannot price "%"): no need to ask.
			var err error
			if est, err = d.estimate(ctx, where, args); err != nil {
				return err
			}
		}
		if est <= few {
			inner = orderKeyUnindexed[field]
		}
	}
	if inner != key && q.Filter.Name != "" {
		// Few users match the name: their names first, then the users
		// of each (see pageByNames).
		var err error
		*hits, err = d.pageByNames(ctx, q, key, inner, q.After != "", c, limit, similar, cnt)
		return err
	}
	if field != admin.OrderName {
		var err error
		*hits, err = d.page(ctx, q, key, inner, q.After != "", c, where, args, limit, similar, cnt)
		return err
	}
	// NAME: the users with a name in name order, then those without
	// (search name '') by id, in either direction. A walk in name order
	// thus never starts with the block of nameless users, which a
	// filter that goes with having a name (a level, a KYC status)
	// would otherwise skip row by row.
	named := append(slices.Clip(where), `u.search_name > ''`)
	if q.After == "" || c.value != "" {
		page, err := d.page(ctx, q, key, inner, q.After != "", c, named, args, limit, similar, cnt)
		if err != nil {
			return err
		}
		*hits = page
		if len(page) == limit || q.Filter.Name != "" {
			return nil
		}
		c = userCursor{value: "", id: uuid.Nil}
		if q.Order.Desc {
			c.id = uuid.Max
		}
	}
	nameless := append(slices.Clip(where), `u.search_name = ''`)
	page, err := d.page(ctx, q, "u.id", "u.id", true, userCursor{value: nil, id: c.id}, nameless, args,
		limit-len(*hits), false, cnt)
	*hits = append(*hits, page...)
	return err
}

// withFilter calls fn with the conditions of f on users AS u. A name
// matches as a substring of the search name; when no user's name contains
// it (a typo, most likely) and it has at least nameSimilarMinRunes, it
// matches the names whose trigram similarity to it reaches nameSimilarity
// instead (one typo in a first and last name passes); fn's similar says
// which. The similarity test is far dearer than the substring test (the
// trigrams of a full name are in a large share of all names), so it only
// runs when the substring finds nobody. The probe and the similarity test
// read the distinct names (user_search_names, about a quarter of the users: a far smaller
// trigram index to probe and fewer false candidates to recheck), then the
// users of the matching names through users_search_name_keys_idx. mode says whether to find that out
// (nameProbe: a first page, a count) or the caller knows it (the cursor of
// a later page carries the first page's answer, so that a list keeps its
// kind of match and a page costs no probe). The similarity test runs in a
// transaction that sets the threshold of "%" (SET LOCAL: inside a caller's
// transaction it lasts until that one ends; nothing else uses "%").
func (d *UserDirectory) withFilter(ctx context.Context, f admin.UserFilter, mode nameMode,
	fn func(ctx context.Context, where []string, args []any, similar bool) error) error {
	if f.Name == "" {
		where, args := userFilterSQL(f, false)
		return fn(ctx, where, args, false)
	}
	name := strings.ToLower(f.Name)
	similar := false
	if utf8.RuneCountInString(name) >= nameSimilarMinRunes {
		switch mode {
		case nameSimilar:
			similar = true
		case nameProbe:
			var found bool
			// Among the distinct names, then whether a user still has
			// the name (user_search_names keeps names nobody has now).
			// MATERIALIZED plans the match for all its rows, so through
			// the trigram index: as a fast start for EXISTS, the planner
			// would read the table until a match, all of it if none.
			if err := conn(ctx, d.db).NewRaw(`WITH m AS MATERIALIZED (SELECT n.name FROM user_search_names AS n
				WHERE n.name ILIKE ?) SELECT EXISTS (SELECT 1 FROM m
				WHERE EXISTS (SELECT 1 FROM users AS u WHERE u.search_name = m.name))`,
				containsPattern(name)).Scan(ctx, &found); err != nil {
				return mapErr(err)
			}
			similar = !found
		}
	}
	if similar {
		return NewTxRunner(d.db).InTx(ctx, func(ctx context.Context) error {
			if _, err := conn(ctx, d.db).ExecContext(ctx,
				`SET LOCAL pg_trgm.similarity_threshold = `+nameSimilarity); err != nil {
				return mapErr(err)
			}
			where, args := userFilterSQL(f, true)
			return fn(ctx, where, args, true)
		})
	}
	where, args := userFilterSQL(f, false)
	return fn(ctx, where, args, false)
}

// nameMode says how withFilter matches a name.
type nameMode int

const (
	nameProbe     nameMode = iota // substring if any user's name contains it, else similarity
	nameSubstring                 // as a substring
	nameSimilar                   // by similarity (if long enough)
)

// page reads one page ordered by key (then id), chosen by the sort key
// inner (key, or a form of it no index serves); after says whether to
// start after the cursor c (c.value nil: by id alone). where and args are
// the filter's conditions.
func (d *UserDirectory) page(ctx context.Context, q admin.UserSearch, key, inner string, after bool, c userCursor,
	where []string, args []any, limit int, similar bool, cnt *pageCount) ([]admin.UserHit, error) {
	field := q.Order.Field
	if field == "" {
		field = admin.OrderCreatedAt
	}
	if after {
		op := ">"
		if q.Order.Desc {
			op = "<"
		}
		if c.value == nil {
			where = append(slices.Clip(where), "u.id "+op+" ?")
			args = append(slices.Clip(args), c.id)
		} else {
			where = append(slices.Clip(where), "("+inner+", u.id) "+op+" (?, ?)")
			args = append(slices.Clip(args), c.value, c.id)
		}
	}
	dir := " ASC"
	if q.Order.Desc {
		dir = " DESC"
	}
	// The page is chosen first; the derived columns of userColumns are
	// then computed for its rows only. A sort (inner is not key) chooses
	// the ids alone, so that it can read them and the sort keys from a
	// covering index (users_created_idx, users_email_prefix_idx,
	// users_sort_keys_idx) without visiting every match's row; the page's
	// rows are then read by id.
	chosen := `SELECT * FROM users AS u` + whereSQL(where) +
		` ORDER BY ` + inner + dir + `, u.id` + dir + ` LIMIT ?`
	if inner != key {
		chosen = `SELECT * FROM users AS u WHERE u.id IN (SELECT u.id FROM users AS u` + whereSQL(where) +
			` ORDER BY ` + inner + dir + `, u.id` + dir + ` LIMIT ?)`
	}
	return d.runPage(ctx, field, key, dir, chosen, append(slices.Clip(args), limit), similar, cnt)
}

// runPage runs the page chosen (its rows, with args) in the order of key
// and dir, with the derived columns of userColumns, counting into cnt (the
// count's subquery rides on the statement) unless it is nil or done.
func (d *UserDirectory) runPage(ctx context.Context, field, key, dir, chosen string, args []any, similar bool,
	cnt *pageCount) ([]admin.UserHit, error) {
	sql := `SELECT ` + userColumns + ` FROM (` + chosen + `) AS u ORDER BY ` + key + dir + `, u.id` + dir
	var rows []userRow
	if cnt != nil && !cnt.done {
		// The count's subquery comes first in the text, so do its args.
		sql = `SELECT ` + userColumns + `, (SELECT count(*) FROM (SELECT 1 FROM users AS u` + whereSQL(cnt.where) +
			` LIMIT ?) AS t) AS total_count FROM (` + chosen + `) AS u ORDER BY ` + key + dir + `, u.id` + dir
		args = append(append(slices.Clip(cnt.args), cnt.limit+1), args...)
		var counted []countedUserRow
		if err := conn(ctx, d.db).NewRaw(sql, args...).Scan(ctx, &counted); err != nil {
			return nil, mapErr(err)
		}
		rows = make([]userRow, len(counted))
		for i := range counted {
			rows[i] = counted[i].userRow
		}
		if len(counted) > 0 {
			cnt.n, cnt.done = counted[0].TotalCount, true
		}
	} else if err := conn(ctx, d.db).NewRaw(sql, args...).Scan(ctx, &rows); err != nil {
		return nil, mapErr(err)
	}
	hits := make([]admin.UserHit, len(rows))
	for i, r := range rows {
		hits[i] = admin.UserHit{User: r.toPort(), Cursor: encodeUserCursor(field, r, similar)}
	}
	return hits, nil
}

// pageByNames reads one page of a search by name that few users match
// (see sortMaxRows): the matching names among the distinct names
// (user_search_names, through its trigram index), then the users of each
// name through users_search_name_keys_idx ((search_name, id) with the
// sign-up and sign-in times), so that neither the users' trigram index
// (a heap row to recheck per candidate, scattered) nor a walk of an order's
// index (a heap row per user passed) is read.
//   - NAME: the names in order, and for each its users by id, until the
//     page is full: only the names up to the page's last are read.
//   - the time orders: every matching user's sort key is read from the
//     index alone (no heap row), the page's ids are chosen by a top-N sort,
//     then their rows read.
//
// The other conditions of the filter apply to the users' rows. The rows
// and their order are those of page over users.search_name.
func (d *UserDirectory) pageByNames(ctx context.Context, q admin.UserSearch, key, inner string, after bool, c userCursor,
	limit int, similar bool, cnt *pageCount) ([]admin.UserHit, error) {
	field := q.Order.Field
	if field == "" {
		field = admin.OrderCreatedAt
	}
	rest := q.Filter
	rest.Name = ""
	where, args := userFilterSQL(rest, false)
	ncond, nargs := nameMatchSQL(q.Filter.Name, similar)
	op, dir := ">", " ASC"
	if q.Order.Desc {
		op, dir = "<", " DESC"
	}
	var chosen string
	var all []any
	if field == admin.OrderName {
		names := []string{ncond}
		if after {
			// The cursor's name (its users after the cursor's id), then
			// the names after it.
			names = append(names, "n.name "+op+"= ?")
			nargs = append(slices.Clip(nargs), c.value)
			where = append(slices.Clip(where), "(u.search_name, u.id) "+op+" (?, ?)")
			args = append(slices.Clip(args), c.value, c.id)
		}
		chosen = `SELECT u.* FROM (SELECT n.name FROM user_search_names AS n` + whereSQL(names) +
			` ORDER BY n.name` + dir + `) AS n CROSS JOIN LATERAL (SELECT * FROM users AS u` +
			whereSQL(append([]string{`u.search_name = n.name`}, where...)) +
			` ORDER BY u.id` + dir + ` LIMIT ?) AS u ORDER BY n.name` + dir + `, u.id` + dir + ` LIMIT ?`
		all = append(append(append(slices.Clip(nargs), args...), limit), limit)
	} else {
		if after {
			where = append(slices.Clip(where), "("+inner+", u.id) "+op+" (?, ?)")
			args = append(slices.Clip(args), c.value, c.id)
		}
		chosen = `SELECT * FROM users AS u WHERE u.id IN (SELECT u.id FROM user_search_names AS n
			JOIN users AS u ON u.search_name = n.name` + whereSQL(append([]string{ncond}, where...)) +
			` ORDER BY ` + inner + dir + `, u.id` + dir + ` LIMIT ?)`
		all = append(append(slices.Clip(nargs), args...), limit)
	}
	return d.runPage(ctx, field, key, dir, chosen, all, similar, cnt)
}

// sortMaxRows is the estimated number of matching users up to which a
// search sorts the matches rather than walking the order's index (0: it
// always walks). The planner prices the walk as if the matches were spread
// evenly along the order; it is wrong, and the walk may read most of the
// table for one page, when
//   - a name is filtered: the trigram test costs far more per row than it
//     assumes (and a similarity match is always rare: similar);
//   - an email prefix is filtered and the order is NAME: emails start with
//     the first name, so their matches bunch up in name order;
//   - a sign-up date starts the window and the order is LAST_SIGN_IN
//     ascending: sign-ins follow sign-ups, so the walk first passes the
//     users who never signed in and those who last did before the window.
//
// A label is the other way round: the planner underestimates the users of
// a label value (it multiplies the key's and the value's frequencies) and
// sorts them anyway; saying so lets page read their sort keys from
// users_sort_keys_idx rather than from each row.
//
// Sorting costs in proportion to the matches, read from a covering index
// (a window, an email prefix, a label) or row by row (a name).
func sortMaxRows(f admin.UserFilter, o admin.UserOrder, similar bool) float64 {
	field := o.Field
	if field == "" {
		field = admin.OrderCreatedAt
	}
	var n float64
	if f.Name != "" || similar {
		n = max(n, sortMaxRowsScattered)
	}
	if f.EmailPrefix != "" && field == admin.OrderName {
		n = max(n, sortMaxRowsScattered)
	}
	if f.CreatedFrom != nil && field == admin.OrderLastSignIn && !o.Desc {
		n = max(n, sortMaxRowsWindow)
	}
	if f.LabelKey != "" {
		n = max(n, sortMaxRowsScattered)
	}
	return n
}

const (
	sortMaxRowsScattered = 10_000
	sortMaxRowsWindow    = 30_000
)

// The similarity fallback of a name search: see withFilter.
const (
	nameSimilarMinRunes = 5
	nameSimilarity      = "0.5"
)

// orderKeyUnindexed is each order's key in a form no index serves.
var orderKeyUnindexed = map[string]string{
	admin.OrderCreatedAt:  `(u.created_at + interval '0')`,
	admin.OrderLastSignIn: `(` + lastSignInKey + ` + interval '0')`,
	admin.OrderName:       `(u.search_name || '')`,
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

// countedUserRow is a page's row with the count of the filter's users.
type countedUserRow struct {
	userRow
	TotalCount int `bun:"total_count"`
}

func (d *UserDirectory) Count(ctx context.Context, f admin.UserFilter, limit int) (int, bool, error) {
	if limit < 0 {
		limit = 0
	}
	var n int
	err := d.withFilter(ctx, f, nameProbe, func(ctx context.Context, where []string, args []any, _ bool) error {
		var err error
		n, err = d.count(ctx, where, args, limit)
		return err
	})
	if err != nil {
		return 0, false, err
	}
	if n > limit {
		return limit, false, nil
	}
	return n, true, nil
}

// count counts the users matching where, up to limit+1.
func (d *UserDirectory) count(ctx context.Context, where []string, args []any, limit int) (int, error) {
	var n int
	err := conn(ctx, d.db).NewRaw(`SELECT count(*) FROM (SELECT 1 FROM users AS u`+whereSQL(where)+` LIMIT ?) AS t`,
		append(slices.Clip(args), limit+1)...).Scan(ctx, &n)
	return n, mapErr(err)
}

// maxLabelUsage bounds the label usage list.
const maxLabelUsage = 1000

func (d *UserDirectory) LabelUsage(ctx context.Context) ([]admin.LabelUsage, error) {
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
	out := make([]admin.LabelUsage, len(rows))
	for i, r := range rows {
		out[i] = admin.LabelUsage{Key: r.Key, Value: r.Value, Scope: r.Scope, Users: r.Users}
	}
	return out, nil
}
