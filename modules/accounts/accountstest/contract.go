// Package accountstest holds the accounts module's fakes (Store,
// KYCStatuses) and the contract suite that the fake Store and the
// PostgreSQL adapter both pass, so the fake cannot drift from the truth.
package accountstest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/accounts"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// Stores is an accounts Store with the UserStore of the same database
// (accounts refer to users), fresh and empty for each call of the
// factory.
type Stores struct {
	Users    identity.Users
	Accounts accounts.Store
}

// T0 is the suite's reference instant.
var T0 = portstest.T0

// RunStore runs the Store contract suite against implementations from
// newStores.
func RunStore(t *testing.T, newStores func(t *testing.T) Stores) {
	t.Run("Accounts", func(t *testing.T) { t.Parallel(); accountRows(t, newStores(t)) })
	t.Run("AccountsByUsers", func(t *testing.T) { t.Parallel(); accountsByUsers(t, newStores(t)) })
	t.Run("Portfolios", func(t *testing.T) { t.Parallel(); portfolios(t, newStores(t)) })
	t.Run("AccountsWithPortfoliosByUsers", func(t *testing.T) { t.Parallel(); accountsWithPortfolios(t, newStores(t)) })
}

func newAccount(t *testing.T, s accounts.Store, userID uuid.UUID, at time.Time) accounts.Account {
	t.Helper()
	a := accounts.Account{ID: uuid.New(), UserID: userID, Active: true, CreatedAt: at}
	noErr(t, s.CreateAccount(context.Background(), a))
	return a
}

// address returns a distinct fake checksummed address for n.
func address(n int) string { return fmt.Sprintf("0x%040X", n) }

func accountRows(t *testing.T, s Stores) {
	ctx := context.Background()
	u := user(t, s.Users, 1)
	info := json.RawMessage(`{"tier":"gold","limits":{"daily":1000},"flags":[true,false]}`)
	a := accounts.Account{ID: uuid.New(), UserID: u.ID, Email: "ada@example.com", SubAccountID: "sub-1",
		SubAccountEmail: "sub@example.com", Active: true, AdditionalInfo: info, CreatedAt: T0}
	noErr(t, s.Accounts.CreateAccount(ctx, a))
	got, err := s.Accounts.GetAccount(ctx, a.ID)
	noErr(t, err)
	check(t, got.UserID == u.ID && got.Email == "ada@example.com" && got.SubAccountID == "sub-1" &&
		got.SubAccountEmail == "sub@example.com" && got.Active && got.DefaultPortfolioID == nil &&
		got.CreatedAt.Equal(T0), "account: %+v", got)
	check(t, sameJSON(got.AdditionalInfo, info), "additional info: %s", got.AdditionalInfo)
	_, err = s.Accounts.GetAccount(ctx, uuid.New())
	check(t, isCode(err, ports.CodeNotFound), "unknown account: %v", err)
	check(t, isCode(s.Accounts.CreateAccount(ctx, a), ports.CodeConflict), "duplicate account id accepted")

	b := accounts.Account{ID: uuid.New(), UserID: u.ID, CreatedAt: T0}
	noErr(t, s.Accounts.CreateAccount(ctx, b))
	got, err = s.Accounts.GetAccount(ctx, b.ID)
	noErr(t, err)
	check(t, !got.Active && got.Email == "" && string(got.AdditionalInfo) == "{}", "empty fields: %+v %q", got, got.AdditionalInfo)
}

func accountsByUsers(t *testing.T, s Stores) {
	ctx := context.Background()
	u, v, w := user(t, s.Users, 1), user(t, s.Users, 2), user(t, s.Users, 3)
	a1 := newAccount(t, s.Accounts, u.ID, T0.Add(2*time.Minute))
	a2 := newAccount(t, s.Accounts, v.ID, T0)
	a3 := newAccount(t, s.Accounts, u.ID, T0.Add(time.Minute))
	a4 := newAccount(t, s.Accounts, v.ID, T0.Add(time.Minute)) // ties with a3
	newAccount(t, s.Accounts, w.ID, T0)
	mid := []uuid.UUID{a3.ID, a4.ID}
	if bytes.Compare(a3.ID[:], a4.ID[:]) > 0 {
		mid = []uuid.UUID{a4.ID, a3.ID}
	}
	want := append(append([]uuid.UUID{a2.ID}, mid...), a1.ID)
	got, err := s.Accounts.AccountsByUsers(ctx, []uuid.UUID{u.ID, v.ID, uuid.New()})
	noErr(t, err)
	var ids []uuid.UUID
	for _, a := range got {
		ids = append(ids, a.ID)
	}
	check(t, slices.Equal(ids, want), "accounts oldest first:\n got %v\nwant %v", ids, want)
	got, err = s.Accounts.AccountsByUsers(ctx, []uuid.UUID{w.ID})
	noErr(t, err)
	check(t, len(got) == 1 && got[0].UserID == w.ID, "one user's: %+v", got)
	got, err = s.Accounts.AccountsByUsers(ctx, nil)
	noErr(t, err)
	check(t, len(got) == 0, "no users: %+v", got)
	got, err = s.Accounts.AccountsByUsers(ctx, []uuid.UUID{uuid.New()})
	noErr(t, err)
	check(t, len(got) == 0, "unknown user: %+v", got)
}

func portfolios(t *testing.T, s Stores) {
	ctx := context.Background()
	u := user(t, s.Users, 1)
	a := newAccount(t, s.Accounts, u.ID, T0)
	b := newAccount(t, s.Accounts, u.ID, T0)

	savings := accounts.Portfolio{ID: uuid.New(), AccountID: a.ID, Name: "Savings", Type: accounts.PortfolioSavings,
		Address: address(1), PublicStrategy: true, CreatedAt: T0}
	noErr(t, s.Accounts.CreatePortfolio(ctx, savings))
	acc, err := s.Accounts.GetAccount(ctx, a.ID)
	noErr(t, err)
	check(t, acc.DefaultPortfolioID == nil, "a SAVINGS portfolio became the default: %+v", acc)
	got, err := s.Accounts.GetPortfolio(ctx, savings.ID)
	noErr(t, err)
	check(t, got.AccountID == a.ID && got.Name == "Savings" && got.Type == accounts.PortfolioSavings &&
		got.Address == address(1) && got.PublicStrategy && got.CreatedAt.Equal(T0), "portfolio: %+v", got)
	_, err = s.Accounts.GetPortfolio(ctx, uuid.New())
	check(t, isCode(err, ports.CodeNotFound), "unknown portfolio: %v", err)

	trading := accounts.Portfolio{ID: uuid.New(), AccountID: a.ID, Name: "Main", Type: accounts.PortfolioTrading,
		Address: address(2), CreatedAt: T0.Add(time.Minute)}
	noErr(t, s.Accounts.CreatePortfolio(ctx, trading))
	acc, err = s.Accounts.GetAccount(ctx, a.ID)
	noErr(t, err)
	check(t, acc.DefaultPortfolioID != nil && *acc.DefaultPortfolioID == trading.ID, "first TRADING is the default: %+v", acc)

	trading2 := accounts.Portfolio{ID: uuid.New(), AccountID: a.ID, Name: "Second", Type: accounts.PortfolioTrading,
		Address: address(3), CreatedAt: T0.Add(2 * time.Minute)}
	noErr(t, s.Accounts.CreatePortfolio(ctx, trading2))
	staking := accounts.Portfolio{ID: uuid.New(), AccountID: a.ID, Name: "Stake", Type: accounts.PortfolioStaking,
		Address: address(4), CreatedAt: T0.Add(2 * time.Minute)}
	noErr(t, s.Accounts.CreatePortfolio(ctx, staking))
	acc, err = s.Accounts.GetAccount(ctx, a.ID)
	noErr(t, err)
	check(t, *acc.DefaultPortfolioID == trading.ID, "the default moved: %+v", acc)

	// A taken address is a CONFLICT on "address" and stores nothing.
	dup := accounts.Portfolio{ID: uuid.New(), AccountID: b.ID, Name: "Dup", Type: accounts.PortfolioTrading,
		Address: address(2), CreatedAt: T0}
	err = s.Accounts.CreatePortfolio(ctx, dup)
	check(t, conflictOn(err, "address"), "duplicate address: %v", err)
	_, err = s.Accounts.GetPortfolio(ctx, dup.ID)
	check(t, isCode(err, ports.CodeNotFound), "refused portfolio stored: %v", err)
	acc, err = s.Accounts.GetAccount(ctx, b.ID)
	noErr(t, err)
	check(t, acc.DefaultPortfolioID == nil, "refused portfolio became the default: %+v", acc)
	check(t, s.Accounts.CreatePortfolio(ctx, accounts.Portfolio{ID: uuid.New(), AccountID: uuid.New(), Name: "X",
		Type: accounts.PortfolioTrading, Address: address(9), CreatedAt: T0}) != nil, "portfolio of an unknown account accepted")

	other := accounts.Portfolio{ID: uuid.New(), AccountID: b.ID, Name: "B", Type: accounts.PortfolioTrading,
		Address: address(5), CreatedAt: T0.Add(time.Minute)}
	noErr(t, s.Accounts.CreatePortfolio(ctx, other))
	acc, err = s.Accounts.GetAccount(ctx, b.ID)
	noErr(t, err)
	check(t, acc.DefaultPortfolioID != nil && *acc.DefaultPortfolioID == other.ID, "other account's default: %+v", acc)

	// Oldest first, ties by ID.
	tie := []uuid.UUID{trading2.ID, staking.ID}
	if bytes.Compare(tie[0][:], tie[1][:]) > 0 {
		tie[0], tie[1] = tie[1], tie[0]
	}
	first := []uuid.UUID{trading.ID, other.ID}
	if bytes.Compare(first[0][:], first[1][:]) > 0 {
		first[0], first[1] = first[1], first[0]
	}
	want := append(append([]uuid.UUID{savings.ID}, first...), tie...)
	list, err := s.Accounts.PortfoliosByAccounts(ctx, []uuid.UUID{a.ID, b.ID})
	noErr(t, err)
	var ids []uuid.UUID
	for _, p := range list {
		ids = append(ids, p.ID)
	}
	check(t, slices.Equal(ids, want), "portfolios oldest first:\n got %v\nwant %v", ids, want)
	list, err = s.Accounts.PortfoliosByAccounts(ctx, []uuid.UUID{b.ID})
	noErr(t, err)
	check(t, len(list) == 1 && list[0].ID == other.ID, "one account's: %+v", list)
	list, err = s.Accounts.PortfoliosByAccounts(ctx, nil)
	noErr(t, err)
	check(t, len(list) == 0, "no accounts: %+v", list)
}

// accountsWithPortfolios: the joined read gives the same accounts and
// portfolios, in the same order, as AccountsByUsers then
// PortfoliosByAccounts; an account without portfolios is there once.
func accountsWithPortfolios(t *testing.T, s Stores) {
	ctx := context.Background()
	u, v, w := user(t, s.Users, 1), user(t, s.Users, 2), user(t, s.Users, 3)
	a1 := newAccount(t, s.Accounts, u.ID, T0.Add(time.Minute))
	a2 := newAccount(t, s.Accounts, u.ID, T0) // no portfolios
	a3 := newAccount(t, s.Accounts, v.ID, T0)
	other := newAccount(t, s.Accounts, w.ID, T0)
	n := 0
	add := func(a accounts.Account, typ accounts.PortfolioType, at time.Time) accounts.Portfolio {
		n++
		p := accounts.Portfolio{ID: uuid.New(), AccountID: a.ID, Name: fmt.Sprintf("P%d", n), Type: typ,
			Address: address(100 + n), PublicStrategy: n%2 == 0, CreatedAt: at}
		noErr(t, s.Accounts.CreatePortfolio(ctx, p))
		return p
	}
	add(a1, accounts.PortfolioSavings, T0.Add(2*time.Minute))
	add(a1, accounts.PortfolioTrading, T0.Add(time.Minute))
	add(a1, accounts.PortfolioStaking, T0.Add(time.Minute)) // ties with the previous one
	add(a3, accounts.PortfolioTrading, T0)
	add(other, accounts.PortfolioTrading, T0)

	users := []uuid.UUID{u.ID, v.ID, uuid.New()}
	as, ps, err := s.Accounts.AccountsWithPortfoliosByUsers(ctx, users)
	noErr(t, err)
	wantAs, err := s.Accounts.AccountsByUsers(ctx, users)
	noErr(t, err)
	wantPs, err := s.Accounts.PortfoliosByAccounts(ctx, []uuid.UUID{a1.ID, a2.ID, a3.ID})
	noErr(t, err)
	check(t, len(as) == 3 && len(ps) == 4, "%d accounts, %d portfolios: %+v %+v", len(as), len(ps), as, ps)
	for i := range as {
		check(t, as[i].ID == wantAs[i].ID && as[i].UserID == wantAs[i].UserID && as[i].Active == wantAs[i].Active &&
			as[i].CreatedAt.Equal(wantAs[i].CreatedAt) && sameJSON(as[i].AdditionalInfo, wantAs[i].AdditionalInfo) &&
			reflect.DeepEqual(as[i].DefaultPortfolioID, wantAs[i].DefaultPortfolioID),
			"account %d:\n got %+v\nwant %+v", i, as[i], wantAs[i])
	}
	// Each account's portfolios in the same order (across accounts the
	// order may differ: the join groups them by account).
	for _, a := range []uuid.UUID{a1.ID, a2.ID, a3.ID} {
		var got, want []accounts.Portfolio
		for _, p := range ps {
			if p.AccountID == a {
				got = append(got, p)
			}
		}
		for _, p := range wantPs {
			if p.AccountID == a {
				want = append(want, p)
			}
		}
		check(t, len(got) == len(want), "account %s: %d portfolios, want %d", a, len(got), len(want))
		for i := range got {
			check(t, got[i].ID == want[i].ID && got[i].Name == want[i].Name && got[i].Type == want[i].Type &&
				got[i].Address == want[i].Address && got[i].PublicStrategy == want[i].PublicStrategy &&
				got[i].CreatedAt.Equal(want[i].CreatedAt), "portfolio %d of %s:\n got %+v\nwant %+v", i, a, got[i], want[i])
		}
	}
	as, ps, err = s.Accounts.AccountsWithPortfoliosByUsers(ctx, nil)
	noErr(t, err)
	check(t, len(as) == 0 && len(ps) == 0, "no users: %+v %+v", as, ps)
	as, ps, err = s.Accounts.AccountsWithPortfoliosByUsers(ctx, []uuid.UUID{uuid.New()})
	noErr(t, err)
	check(t, len(as) == 0 && len(ps) == 0, "unknown user: %+v %+v", as, ps)
}

// user stores a user with a phone made from n.
func user(t *testing.T, users identity.Users, n int) identity.User {
	t.Helper()
	return identitytest.NewUser(t, users, fmt.Sprintf("+4479110%05d", n))
}

func check(t *testing.T, cond bool, format string, args ...any) {
	t.Helper()
	if !cond {
		t.Fatalf(format, args...)
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func isCode(err error, code ports.ErrorCode) bool { return ports.ErrorCodeOf(err) == code }

// conflictOn reports whether err is a CONFLICT naming field.
func conflictOn(err error, field string) bool {
	var e *ports.Error
	return errors.As(err, &e) && e.Code == ports.CodeConflict && e.Fields[field] != ""
}

// sameJSON reports whether a and b hold the same JSON value (PostgreSQL's
// jsonb does not keep spacing or key order).
func sameJSON(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
