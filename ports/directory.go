package ports

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// UserFilter holds the conditions of a user search; zero values are no
// condition. Values arrive validated and normalised by the admin module.
type UserFilter struct {
	ID *uuid.UUID
	// EmailPrefix is lower-cased; it matches emails that start with it.
	EmailPrefix string
	// PhonePrefix is "+" and digits; it matches phones that start with it.
	PhonePrefix string
	// Name matches the search name (KYC first and last name, else the
	// display name) as a case-insensitive substring; when no user's name
	// contains it and it has 5 characters or more, by trigram similarity
	// (a typo in a full name still finds the user).
	Name       string
	Role       string
	State      string
	LevelMin   *int
	LevelMax   *int
	Country    string // ISO 3166-1 alpha-2, upper case
	KYCStatus  string // NONE, PENDING, APPROVED, REJECTED
	LabelKey   string
	LabelValue string // only with LabelKey; empty matches any value
	// CreatedFrom is inclusive, CreatedTo exclusive.
	CreatedFrom, CreatedTo *time.Time
	DocumentsPending       *bool
}

// User orders.
const (
	OrderCreatedAt  = "CREATED_AT"
	OrderLastSignIn = "LAST_SIGN_IN"
	OrderName       = "NAME"
)

// UserOrder is the order of a search; ties are broken by id. By NAME,
// users without a name come last in both directions.
type UserOrder struct {
	Field string // OrderCreatedAt, OrderLastSignIn, OrderName
	Desc  bool
}

// UserSearch is one page of a search.
type UserSearch struct {
	Filter UserFilter
	Order  UserOrder
	// After is a cursor from an earlier UserHit of the same order; a cursor
	// of another order, or one that does not parse, is VALIDATION_FAILED
	// with Fields["after"].
	After string
	Limit int
}

// UserHit is one user of a search page and the cursor after it.
type UserHit struct {
	User   User
	Cursor string
}

// LabelUsage is a label key and value in use and how many users carry it.
type LabelUsage struct {
	Key   string
	Value string
	Scope string
	Users int
}

// UserDirectory searches users for staff. Every filter and order is
// served by an index: no search scans the users table.
type UserDirectory interface {
	// Search returns one page in the order asked, keyset-paginated: rows
	// inserted between pages never cause a gap or a repeat.
	Search(ctx context.Context, q UserSearch) ([]UserHit, error)
	// Count counts the users matching f, stopping at limit: exact is
	// false when more match.
	Count(ctx context.Context, f UserFilter, limit int) (n int, exact bool, err error)
	// LabelUsage lists the label keys and values in use, by key then value.
	LabelUsage(ctx context.Context) ([]LabelUsage, error)
}
