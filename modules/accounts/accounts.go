package accounts

import (
	"encoding/json"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/modules/internal/jsonobj"
	"github.com/gatehouse/gatehouse/ports"
)

// Account is a user's money container; it holds portfolios.
type Account struct {
	ID              uuid.UUID
	UserID          uuid.UUID
	Email           string
	SubAccountID    string
	SubAccountEmail string
	Active          bool
	AdditionalInfo  json.RawMessage // a JSON object, "{}" when empty
	// DefaultPortfolioID is the account's first TRADING portfolio.
	DefaultPortfolioID *uuid.UUID
	CreatedAt          time.Time
}

// PortfolioType is what a portfolio is for.
type PortfolioType string

// Portfolio types.
const (
	PortfolioTrading PortfolioType = "TRADING"
	PortfolioSavings PortfolioType = "SAVINGS"
	PortfolioStaking PortfolioType = "STAKING"
)

// Portfolio is one typed holding of an account, tied to a blockchain
// address.
type Portfolio struct {
	ID             uuid.UUID
	AccountID      uuid.UUID
	Name           string
	Type           PortfolioType
	Address        string // EIP-55 checksummed
	PublicStrategy bool
	CreatedAt      time.Time
}

// Input bounds.
const (
	MaxNameLength         = 64   // characters of a portfolio name
	MaxSubAccountIDLength = 64   // characters of a sub-account id
	MaxAdditionalInfo     = 4096 // bytes of additional info as JSON
)

// OpenAccountInput is what staff give to open an account.
type OpenAccountInput struct {
	UserID uuid.UUID
	// Email is the account's contact address; empty means the user's.
	Email           string
	SubAccountID    string
	SubAccountEmail string
	// AdditionalInfo is any JSON object up to MaxAdditionalInfo bytes.
	AdditionalInfo map[string]any
}

// CreatePortfolioInput is what an owner gives to create a portfolio.
type CreatePortfolioInput struct {
	AccountID      uuid.UUID
	Name           string
	Type           PortfolioType
	PublicStrategy bool
}

// cleanText trims s and checks it is valid UTF-8 of at most max
// characters without control characters; empty is allowed.
func cleanText(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", ports.InvalidField(field, "is not valid text")
	}
	if utf8.RuneCountInString(s) > max {
		return "", ports.InvalidField(field, "is too long")
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return "", ports.InvalidField(field, "must not contain control characters")
	}
	return s, nil
}

// portfolioName checks a portfolio name: 1 to MaxNameLength characters.
func portfolioName(field, raw string) (string, error) {
	name, err := cleanText(field, raw, MaxNameLength)
	if err != nil {
		return "", err
	}
	if name == "" {
		return "", ports.InvalidField(field, "is required")
	}
	return name, nil
}

// portfolioType checks a portfolio type.
func portfolioType(field string, t PortfolioType) error {
	switch t {
	case PortfolioTrading, PortfolioSavings, PortfolioStaking:
		return nil
	}
	return ports.InvalidField(field, "must be TRADING, SAVINGS or STAKING")
}

// optionalEmail normalises an address; empty stays empty.
func optionalEmail(field, raw string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		return "", nil
	}
	return contact.NormalizeEmail(field, raw)
}

// additionalInfo encodes info as a JSON object of at most
// MaxAdditionalInfo bytes that PostgreSQL can store (bounded depth, no
// NUL characters, numbers it can hold); nil is "{}".
func additionalInfo(field string, info map[string]any) (json.RawMessage, error) {
	return jsonobj.Encode(field, info, MaxAdditionalInfo)
}
