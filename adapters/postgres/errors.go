package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/gatehouse/gatehouse/ports"
)

// mapErr turns driver errors into domain errors so services never see
// driver types: no rows → NOT_FOUND, unique violation → CONFLICT,
// serialization failure / deadlock → CONFLICT (the caller may retry), a
// database that is down, unreachable or too slow (refused or lost
// connections, statement or lock timeouts, a deadline spent waiting) →
// UNAVAILABLE. Anything else (a table missing, a syntax error) is the
// server's fault and stays an error INTERNAL will report. Application
// errors pass through as they are.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var app *ports.Error
	if errors.As(err, &app) {
		return err
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
	if unavailable(err) {
		return ports.Unavailable(fmt.Errorf("postgres: %w", err))
	}
	return fmt.Errorf("postgres: %w", err)
}

// unavailable reports whether err says the database did not answer (in
// time), rather than that the statement was wrong.
func unavailable(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case pg.Code == "57014", // query_canceled: statement_timeout, or a cancel request
			pg.Code == "55P03",               // lock_not_available: lock_timeout
			pg.Code == "57P01",               // admin_shutdown
			pg.Code == "57P02",               // crash_shutdown
			pg.Code == "57P03",               // cannot_connect_now (starting up, shutting down)
			pg.Code == "53300",               // too_many_connections
			strings.HasPrefix(pg.Code, "08"), // connection exceptions
			strings.HasPrefix(pg.Code, "53"): // insufficient resources
			return true
		}
		return false
	}
	var connect *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connect), errors.As(err, &netErr),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		pgconn.Timeout(err), pgconn.SafeToRetry(err):
		return true
	}
	// pgx reports a connection it closed after a failure as "conn closed".
	msg := err.Error()
	return strings.Contains(msg, "conn closed") ||
		strings.Contains(msg, "connection refused") || strings.Contains(msg, "connection reset") ||
		strings.Contains(msg, "broken pipe") || strings.Contains(msg, "database is closed")
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
