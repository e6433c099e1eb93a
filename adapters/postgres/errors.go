package postgres

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/gatehouse/gatehouse/ports"
)

// mapErr turns driver errors into domain errors so services never see
// driver types: no rows → NOT_FOUND, unique violation → CONFLICT,
// serialization failure / deadlock → CONFLICT (the caller may retry).
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ports.ErrNotFound
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505":
			return &ports.Error{Code: ports.CodeConflict, Message: "already exists", Fields: conflictField(pg), Cause: err}
		case "40001", "40P01":
			return &ports.Error{Code: ports.CodeConflict, Message: "a concurrent change got there first, try again", Cause: err}
		}
	}
	return fmt.Errorf("postgres: %w", err)
}

// conflictField names the input field behind a unique violation, when the
// constraint tells it.
func conflictField(pg *pgconn.PgError) map[string]string {
	switch pg.ConstraintName {
	case "users_phone_key":
		return map[string]string{"phone": "is already registered"}
	case "users_email_key":
		return map[string]string{"email": "is already registered"}
	case "users_referral_code_key":
		return map[string]string{"referralCode": "is already taken"}
	case "kyc_phones_verified_idx":
		return map[string]string{"phone": "is already verified by another user"}
	case "portfolios_address_key":
		return map[string]string{"address": "is already taken"}
	}
	return nil
}
