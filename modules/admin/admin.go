package admin

import (
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// Permission is one authorization rule: role may (PermissionAllow), may
// not (PermissionDeny), or may with an admin activity for each call
// (PermissionAudit) call operation, a root field's name, a role-restricted
// Type.field, or a prefix ending in "*".
type Permission struct {
	ID        uuid.UUID
	Role      string
	Operation string
	Action    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Permission actions: what a permission row may carry, and the answers of
// Policy.Decide.
const (
	PermissionAllow = "ALLOW"
	PermissionDeny  = "DENY"
	PermissionAudit = "AUDIT"
)

// UserFilter holds the conditions of a user search; zero values are no
// condition. Values arrive validated and normalised by this module.
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
	User   identity.User
	Cursor string
}

// LabelUsage is a label key and value in use and how many users carry it.
type LabelUsage struct {
	Key   string
	Value string
	Scope string
	Users int
}

// MetricPoint holds the product counts of one period.
type MetricPoint struct {
	Start            time.Time
	SignUps          int
	SignInsSucceeded int
	SignInsFailed    int
	OTPsSent         int
	KYCPending       int // submissions made
	KYCApproved      int
	KYCRejected      int
	ActiveUsers      int // distinct users who signed in or refreshed
}

// MetricsQuery is a range [From, To) cut into periods of Step (an hour or
// a day; From is aligned to Step by the caller).
type MetricsQuery struct {
	From, To time.Time
	Step     time.Duration
}

// AdminActivityQuery selects one page of the audit trail, newest first.
type AdminActivityQuery struct {
	AdminID      *uuid.UUID
	TargetUserID *uuid.UUID
	Action       string
	From, To     *time.Time // From inclusive, To exclusive
	After        *ports.ActivityCursor
	Limit        int
}

// ActivitySearch selects one page of every user's activity, newest first.
type ActivitySearch struct {
	UserID *uuid.UUID
	// Topics keeps only these stored topics; empty keeps all.
	Topics   []string
	Action   string
	Result   ports.ActivityResult
	From, To *time.Time // From inclusive, To exclusive
	After    *ports.ActivityCursor
	Limit    int
}
