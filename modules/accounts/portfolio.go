package accounts

import (
	"context"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
)

// CreatePortfolio creates a portfolio in one of the caller's accounts,
// with its own blockchain address. The owner's KYC must be APPROVED; the
// account's first TRADING portfolio becomes its default.
// Errors: UNAUTHENTICATED, VALIDATION_FAILED (name, type), NOT_FOUND (no
// such account, or another user's), FORBIDDEN (staff reading another's
// account, or an inactive account), KYC_REQUIRED, CONFLICT (the account
// has MaxPortfoliosPerAccount portfolios).
func (s *Service) CreatePortfolio(ctx context.Context, in CreatePortfolioInput) (Portfolio, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return Portfolio{}, err
	}
	name, errName := portfolioName("name", in.Name)
	if err := ports.MergeInvalid(errName, portfolioType("type", in.Type)); err != nil {
		return Portfolio{}, err
	}
	a, err := s.store.GetAccount(ctx, in.AccountID)
	if isNotFound(err) || (err == nil && !s.canRead(c, a.UserID)) {
		return Portfolio{}, errNoAccount
	}
	if err != nil {
		return Portfolio{}, err
	}
	if a.UserID != c.UserID {
		return Portfolio{}, ports.Errorf(ports.CodeForbidden,
			"only the account's owner may create its portfolios")
	}
	if !a.Active {
		return Portfolio{}, ports.Errorf(ports.CodeForbidden, "the account is not active")
	}
	if err := s.requireKYC(ctx, a.UserID); err != nil {
		s.record(ctx, &a.UserID, "portfolio.create", err, map[string]string{"account": a.ID.String()})
		return Portfolio{}, err
	}
	p := Portfolio{ID: newID(), AccountID: a.ID, Name: name, Type: in.Type,
		PublicStrategy: in.PublicStrategy, CreatedAt: s.now()}
	if p.Address, err = s.wallet.Address(ctx, p.ID); err != nil {
		return Portfolio{}, err
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		// The owner's row lock serialises concurrent creations, so the
		// count below cannot be raced past the limit.
		if err := s.users.Lock(ctx, a.UserID); err != nil {
			return err
		}
		have, err := s.store.PortfoliosByAccounts(ctx, []uuid.UUID{a.ID})
		if err != nil {
			return err
		}
		if len(have) >= s.cfg.MaxPortfoliosPerAccount {
			return ports.Errorf(ports.CodeConflict, "the account already has %d portfolios, the most allowed",
				s.cfg.MaxPortfoliosPerAccount)
		}
		if err := s.store.CreatePortfolio(ctx, p); err != nil {
			return err
		}
		s.record(ctx, &a.UserID, "portfolio.create", nil, map[string]string{"account": a.ID.String(),
			"portfolio": p.ID.String(), "type": string(p.Type)})
		return nil
	})
	if err != nil {
		if ports.ErrorCodeOf(err) == ports.CodeConflict {
			s.record(ctx, &a.UserID, "portfolio.create", err, map[string]string{"account": a.ID.String()})
		}
		return Portfolio{}, err
	}
	s.forgetPortfoliosOf(ctx, a.UserID, a.ID)
	return p, nil
}

// errNoAccount answers for accounts that do not exist and for those the
// caller may not see, alike.
var errNoAccount = ports.Errorf(ports.CodeNotFound, "no such account")

// errNoPortfolio is errNoAccount for portfolios.
var errNoPortfolio = ports.Errorf(ports.CodeNotFound, "no such portfolio")

// requireKYC refuses with KYC_REQUIRED unless the user's latest KYC
// submission is APPROVED (NONE, without one). The caller is the owner
// here, whom KYCStatusOf lets read their own status.
func (s *Service) requireKYC(ctx context.Context, userID uuid.UUID) error {
	st, err := s.kyc.KYCStatusOf(ctx, userID)
	if err != nil {
		return err
	}
	switch st.Status {
	case kyc.StatusApproved:
		return nil
	case kyc.StatusPending:
		return ports.Errorf(ports.CodeKYCRequired,
			"your identity verification (KYC) is still under review; portfolios open once it is approved")
	case kyc.StatusRejected:
		return ports.Errorf(ports.CodeKYCRequired,
			"your identity verification (KYC) was rejected; submit it again before creating a portfolio")
	}
	return ports.Errorf(ports.CodeKYCRequired, "verify your identity (KYC) before creating a portfolio")
}

// Account returns an account to its owner or to staff. Errors:
// UNAUTHENTICATED, NOT_FOUND (none, or not the caller's to see).
func (s *Service) Account(ctx context.Context, id uuid.UUID) (Account, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return Account{}, err
	}
	a, err := s.store.GetAccount(ctx, id)
	if isNotFound(err) || (err == nil && !s.canRead(c, a.UserID)) {
		return Account{}, errNoAccount
	}
	if err != nil {
		return Account{}, err
	}
	return a, nil
}

// Portfolio returns a portfolio to its account's owner or to staff.
// Errors: UNAUTHENTICATED, NOT_FOUND (none, or not the caller's to see).
func (s *Service) Portfolio(ctx context.Context, id uuid.UUID) (Portfolio, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return Portfolio{}, err
	}
	p, err := s.store.GetPortfolio(ctx, id)
	if isNotFound(err) {
		return Portfolio{}, errNoPortfolio
	}
	if err != nil {
		return Portfolio{}, err
	}
	a, err := s.store.GetAccount(ctx, p.AccountID)
	if isNotFound(err) || (err == nil && !s.canRead(c, a.UserID)) {
		return Portfolio{}, errNoPortfolio
	}
	if err != nil {
		return Portfolio{}, err
	}
	return p, nil
}

// CanReadUser says whether the caller may read a user's accounts: the
// user and staff may. Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Service) CanReadUser(ctx context.Context, userID uuid.UUID) error {
	c, err := s.caller(ctx)
	if err != nil {
		return err
	}
	if !s.canRead(c, userID) {
		return ports.Errorf(ports.CodeForbidden, "you may not read this user's accounts")
	}
	return nil
}
