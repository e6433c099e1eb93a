package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/accounts"
)

// AccountStore implements accounts.Store.
type AccountStore struct{ db *bun.DB }

var _ accounts.Store = (*AccountStore)(nil)

// NewAccountStore returns a store over db.
func NewAccountStore(db *bun.DB) *AccountStore { return &AccountStore{db: db} }

type accountRow struct {
	bun.BaseModel `bun:"table:accounts"`

	ID                 uuid.UUID  `bun:"id,pk,type:uuid"`
	UserID             uuid.UUID  `bun:"user_id,type:uuid"`
	Email              string     `bun:"email"`
	SubAccountID       string     `bun:"sub_account_id"`
	SubAccountEmail    string     `bun:"sub_account_email"`
	Active             bool       `bun:"active"`
	AdditionalInfo     string     `bun:"additional_info"`
	DefaultPortfolioID *uuid.UUID `bun:"default_portfolio_id,type:uuid"`
	CreatedAt          time.Time  `bun:"created_at"`
}

func (r accountRow) toPort() accounts.Account {
	return accounts.Account{ID: r.ID, UserID: r.UserID, Email: r.Email, SubAccountID: r.SubAccountID,
		SubAccountEmail: r.SubAccountEmail, Active: r.Active, AdditionalInfo: jsonRaw(r.AdditionalInfo),
		DefaultPortfolioID: r.DefaultPortfolioID, CreatedAt: r.CreatedAt}
}

type portfolioRow struct {
	bun.BaseModel `bun:"table:portfolios"`

	ID             uuid.UUID `bun:"id,pk,type:uuid"`
	AccountID      uuid.UUID `bun:"account_id,type:uuid"`
	Name           string    `bun:"name"`
	Type           string    `bun:"type"`
	Address        string    `bun:"address"`
	PublicStrategy bool      `bun:"public_strategy"`
	CreatedAt      time.Time `bun:"created_at"`
}

func (r portfolioRow) toPort() accounts.Portfolio {
	return accounts.Portfolio{ID: r.ID, AccountID: r.AccountID, Name: r.Name, Type: accounts.PortfolioType(r.Type),
		Address: r.Address, PublicStrategy: r.PublicStrategy, CreatedAt: r.CreatedAt}
}

// CreateAccount inserts a; AdditionalInfo is stored as "{}" when empty.
func (s *AccountStore) CreateAccount(ctx context.Context, a accounts.Account) error {
	_, err := conn(ctx, s.db).NewRaw(`INSERT INTO accounts (id, user_id, email, sub_account_id, sub_account_email,
			active, additional_info, default_portfolio_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)`,
		a.ID, a.UserID, a.Email, a.SubAccountID, a.SubAccountEmail, a.Active, jsonText(a.AdditionalInfo),
		a.DefaultPortfolioID, a.CreatedAt).Exec(ctx)
	return mapErr(err)
}

func (s *AccountStore) GetAccount(ctx context.Context, id uuid.UUID) (accounts.Account, error) {
	var row accountRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return accounts.Account{}, mapErr(err)
	}
	return row.toPort(), nil
}

// AccountsByUsers is one statement, oldest first (created_at, id).
func (s *AccountStore) AccountsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]accounts.Account, error) {
	if len(userIDs) == 0 {
		return nil, nil
	}
	var rows []accountRow
	if err := conn(ctx, s.db).NewSelect().Model(&rows).Where("user_id IN (?)", bun.In(userIDs)).
		OrderExpr("created_at, id").Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, accountRow.toPort), nil
}

// accountPortfolioRow is an account joined with one of its portfolios,
// or with none (the portfolio's columns NULL).
type accountPortfolioRow struct {
	accountRow
	PortfolioID        uuid.NullUUID  `bun:"p_id"`
	PortfolioName      sql.NullString `bun:"p_name"`
	PortfolioType      sql.NullString `bun:"p_type"`
	PortfolioAddress   sql.NullString `bun:"p_address"`
	PortfolioPublic    sql.NullBool   `bun:"p_public_strategy"`
	PortfolioCreatedAt sql.NullTime   `bun:"p_created_at"`
}

// AccountsWithPortfoliosByUsers is one statement: the accounts LEFT JOIN
// their portfolios (portfolios_account_idx), accounts oldest first and
// each account's portfolios oldest first.
func (s *AccountStore) AccountsWithPortfoliosByUsers(ctx context.Context, userIDs []uuid.UUID) ([]accounts.Account,
	[]accounts.Portfolio, error) {
	if len(userIDs) == 0 {
		return nil, nil, nil
	}
	var rows []accountPortfolioRow
	if err := conn(ctx, s.db).NewRaw(`SELECT a.id, a.user_id, a.email, a.sub_account_id, a.sub_account_email,
			a.active, a.additional_info, a.default_portfolio_id, a.created_at,
			p.id AS p_id, p.name AS p_name, p.type AS p_type, p.address AS p_address,
			p.public_strategy AS p_public_strategy, p.created_at AS p_created_at
		FROM accounts AS a LEFT JOIN portfolios AS p ON p.account_id = a.id
		WHERE a.user_id IN (?)
		ORDER BY a.created_at, a.id, p.created_at, p.id`, bun.In(userIDs)).Scan(ctx, &rows); err != nil {
		return nil, nil, mapErr(err)
	}
	var as []accounts.Account
	var ps []accounts.Portfolio
	for i, r := range rows {
		if i == 0 || r.ID != rows[i-1].ID {
			as = append(as, r.accountRow.toPort())
		}
		if r.PortfolioID.Valid {
			ps = append(ps, accounts.Portfolio{ID: r.PortfolioID.UUID, AccountID: r.ID, Name: r.PortfolioName.String,
				Type: accounts.PortfolioType(r.PortfolioType.String), Address: r.PortfolioAddress.String,
				PublicStrategy: r.PortfolioPublic.Bool, CreatedAt: r.PortfolioCreatedAt.Time})
		}
	}
	return as, ps, nil
}

// CreatePortfolio inserts p and, for a TRADING one, sets the account's
// default when it has none, in one transaction (the caller's when ctx
// carries one). The guarded UPDATE makes concurrent first portfolios
// safe: the later one finds the default set. A taken address is a
// CONFLICT on "address".
func (s *AccountStore) CreatePortfolio(ctx context.Context, p accounts.Portfolio) error {
	return NewTxRunner(s.db).InTx(ctx, func(ctx context.Context) error {
		db := conn(ctx, s.db)
		row := portfolioRow{ID: p.ID, AccountID: p.AccountID, Name: p.Name, Type: string(p.Type), Address: p.Address,
			PublicStrategy: p.PublicStrategy, CreatedAt: p.CreatedAt}
		if _, err := db.NewInsert().Model(&row).Exec(ctx); err != nil {
			return mapErr(err)
		}
		if p.Type != accounts.PortfolioTrading {
			return nil
		}
		_, err := db.NewRaw(`UPDATE accounts SET default_portfolio_id = ?
			WHERE id = ? AND default_portfolio_id IS NULL`, p.ID, p.AccountID).Exec(ctx)
		return mapErr(err)
	})
}

func (s *AccountStore) GetPortfolio(ctx context.Context, id uuid.UUID) (accounts.Portfolio, error) {
	var row portfolioRow
	if err := conn(ctx, s.db).NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return accounts.Portfolio{}, mapErr(err)
	}
	return row.toPort(), nil
}

// PortfoliosByAccounts is one statement, oldest first (created_at, id).
func (s *AccountStore) PortfoliosByAccounts(ctx context.Context, accountIDs []uuid.UUID) ([]accounts.Portfolio, error) {
	if len(accountIDs) == 0 {
		return nil, nil
	}
	var rows []portfolioRow
	if err := conn(ctx, s.db).NewSelect().Model(&rows).Where("account_id IN (?)", bun.In(accountIDs)).
		OrderExpr("created_at, id").Scan(ctx); err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, portfolioRow.toPort), nil
}
