package accounts

import (
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/internal/jsonobj"
	"github.com/gatehouse/gatehouse/ports"
)

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
	Type           string // TRADING, SAVINGS, STAKING
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
func portfolioType(field, t string) error {
	switch t {
	case ports.PortfolioTrading, ports.PortfolioSavings, ports.PortfolioStaking:
		return nil
	}
	return ports.InvalidField(field, "must be TRADING, SAVINGS or STAKING")
}

// optionalEmail normalises an address; empty stays empty.
func optionalEmail(field, raw string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		return "", nil
	}
	return identity.NormalizeEmail(field, raw)
}

// additionalInfo encodes info as a JSON object of at most
// MaxAdditionalInfo bytes that PostgreSQL can store (bounded depth, no
// NUL characters, numbers it can hold); nil is "{}".
func additionalInfo(field string, info map[string]any) (json.RawMessage, error) {
	return jsonobj.Encode(field, info, MaxAdditionalInfo)
}
