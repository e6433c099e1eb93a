package admintest

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
)

var _ admin.UserDirectory = (*UserDirectory)(nil)

// errUnsupportedFilter is returned for conditions the fake cannot see
// (labels, KYC status, pending documents live in other stores).
var errUnsupportedFilter = errors.New("admintest: UserDirectory does not filter on labels or KYC data")

// UserDirectory implements admin.UserDirectory over a UserStore by
// scanning it. It filters on id, email, phone, name (case-insensitive
// substring of Name), role, state, level, country and creation time; a
// label, KYC status or documentsPending condition is an error. Cursors
// are the id of the last hit; the order is the store's at the time of
// each call. It records the searches it was asked.
type UserDirectory struct {
	users *identitytest.UserStore

	mu       sync.Mutex
	searches []admin.UserSearch
	// Usage is what LabelUsage returns.
	Usage []admin.LabelUsage
}

// NewUserDirectory returns a directory over users.
func NewUserDirectory(users *identitytest.UserStore) *UserDirectory {
	return &UserDirectory{users: users}
}

// Searches returns the searches asked so far, oldest first.
func (d *UserDirectory) Searches() []admin.UserSearch {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.searches)
}

func (d *UserDirectory) match(f admin.UserFilter) ([]identity.User, error) {
	if f.LabelKey != "" || f.LabelValue != "" || f.KYCStatus != "" || f.DocumentsPending != nil {
		return nil, errUnsupportedFilter
	}
	all := d.users.All()
	var out []identity.User
	for _, u := range all {
		ok := (f.ID == nil || u.ID == *f.ID) &&
			(f.EmailPrefix == "" || strings.HasPrefix(u.Email, f.EmailPrefix)) &&
			(f.PhonePrefix == "" || strings.HasPrefix(u.Phone, f.PhonePrefix)) &&
			(f.Name == "" || strings.Contains(strings.ToLower(u.Name), strings.ToLower(f.Name))) &&
			(f.Role == "" || u.Role == f.Role) && (f.State == "" || u.State == f.State) &&
			(f.LevelMin == nil || u.Level >= *f.LevelMin) && (f.LevelMax == nil || u.Level <= *f.LevelMax) &&
			(f.Country == "" || u.CountryCode == f.Country) &&
			(f.CreatedFrom == nil || !u.CreatedAt.Before(*f.CreatedFrom)) &&
			(f.CreatedTo == nil || u.CreatedAt.Before(*f.CreatedTo))
		if ok {
			out = append(out, u)
		}
	}
	return out, nil
}

// Search returns one page of the matching users in q.Order, ties by id.
func (d *UserDirectory) Search(ctx context.Context, q admin.UserSearch) ([]admin.UserHit, error) {
	d.mu.Lock()
	d.searches = append(d.searches, q)
	d.mu.Unlock()
	users, err := d.match(q.Filter)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(users, func(a, b identity.User) int {
		var c int
		switch q.Order.Field {
		case admin.OrderName:
			c = cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		case admin.OrderLastSignIn:
			c = cmp.Compare(unixOrZero(a), unixOrZero(b))
		default:
			c = a.CreatedAt.Compare(b.CreatedAt)
		}
		if c == 0 {
			c = strings.Compare(a.ID.String(), b.ID.String())
		}
		if q.Order.Desc {
			c = -c
		}
		return c
	})
	start := 0
	if q.After != "" {
		id, err := uuid.Parse(q.After)
		if err != nil {
			return nil, ports.InvalidField("after", "is not a cursor from this list")
		}
		start = len(users)
		for i, u := range users {
			if u.ID == id {
				start = i + 1
			}
		}
	}
	out := []admin.UserHit{}
	for _, u := range users[start:] {
		if len(out) == q.Limit {
			break
		}
		out = append(out, admin.UserHit{User: u, Cursor: u.ID.String()})
	}
	return out, nil
}

func unixOrZero(u identity.User) int64 {
	if u.LastSignInAt == nil {
		return 0
	}
	return u.LastSignInAt.UnixNano()
}

// Count counts the matching users up to limit.
func (d *UserDirectory) Count(ctx context.Context, f admin.UserFilter, limit int) (int, bool, error) {
	users, err := d.match(f)
	if err != nil {
		return 0, false, err
	}
	if len(users) > limit {
		return limit, false, nil
	}
	return len(users), true, nil
}

// SearchCounted is Search, then Count.
func (d *UserDirectory) SearchCounted(ctx context.Context, q admin.UserSearch, limit int) ([]admin.UserHit, int, bool, error) {
	hits, err := d.Search(ctx, q)
	if err != nil {
		return nil, 0, false, err
	}
	n, exact, err := d.Count(ctx, q.Filter, limit)
	if err != nil {
		return nil, 0, false, err
	}
	return hits, n, exact, nil
}

// LabelUsage returns Usage.
func (d *UserDirectory) LabelUsage(ctx context.Context) ([]admin.LabelUsage, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]admin.LabelUsage{}, d.Usage...), nil
}
