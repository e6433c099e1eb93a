package resolvers

import (
	"bytes"
	"encoding/json"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/accounts"
)

// mapAccount maps an account. DefaultPortfolio carries only the default
// portfolio's id: the Account.defaultPortfolio resolver loads the rest.
func mapAccount(a accounts.Account) model.Account {
	m := model.Account{ID: a.ID.String(), Email: a.Email, SubAccountID: a.SubAccountID,
		SubAccountEmail: a.SubAccountEmail, Active: a.Active, AdditionalInfo: jsonMap(a.AdditionalInfo),
		CreatedAt: a.CreatedAt}
	if a.DefaultPortfolioID != nil {
		m.DefaultPortfolio = &model.Portfolio{ID: a.DefaultPortfolioID.String()}
	}
	return m
}

// defaultPortfolioID reads the id mapAccount put in obj.
func defaultPortfolioID(obj *model.Account) *uuid.UUID {
	if obj.DefaultPortfolio == nil {
		return nil
	}
	id, err := uuid.Parse(obj.DefaultPortfolio.ID)
	if err != nil {
		return nil
	}
	return &id
}

func mapAccounts(as []accounts.Account) []model.Account {
	out := make([]model.Account, 0, len(as))
	for _, a := range as {
		out = append(out, mapAccount(a))
	}
	return out
}

func mapPortfolio(p accounts.Portfolio) model.Portfolio {
	return model.Portfolio{ID: p.ID.String(), Name: p.Name, Type: model.PortfolioType(p.Type),
		Address: p.Address, PublicStrategy: p.PublicStrategy, CreatedAt: p.CreatedAt}
}

func mapPortfolios(ps []accounts.Portfolio) []model.Portfolio {
	out := make([]model.Portfolio, 0, len(ps))
	for _, p := range ps {
		out = append(out, mapPortfolio(p))
	}
	return out
}

func accountOrErr(a accounts.Account, err error) (*model.Account, error) {
	if err != nil {
		return nil, err
	}
	m := mapAccount(a)
	return &m, nil
}

func portfolioOrErr(p accounts.Portfolio, err error) (*model.Portfolio, error) {
	if err != nil {
		return nil, err
	}
	m := mapPortfolio(p)
	return &m, nil
}

// jsonMap decodes a stored JSON object (account info, KYC metadata and
// data records) for the JSONObject scalar, keeping numbers exact; it is
// never nil, and anything but an object reads as an empty one.
func jsonMap(raw json.RawMessage) map[string]any {
	out := map[string]any{}
	if len(raw) == 0 {
		return out
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil || out == nil {
		return map[string]any{}
	}
	return out
}

// accountIDs returns the ids of a list of accounts, for its resolver to
// announce their portfolios.
func accountIDs(as []accounts.Account) []uuid.UUID {
	ids := make([]uuid.UUID, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	return ids
}
