package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/gatehouse/gatehouse/ports"
)

func TestMapErrTellsOutagesFromBugs(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	tests := []struct {
		name string
		err  error
		want ports.ErrorCode
	}{
		{"no rows", sql.ErrNoRows, ports.CodeNotFound},
		{"unique violation", &pgconn.PgError{Code: "23505"}, ports.CodeConflict},
		{"serialization failure", &pgconn.PgError{Code: "40001"}, ports.CodeConflict},
		{"statement timeout", &pgconn.PgError{Code: "57014"}, ports.CodeUnavailable},
		{"lock timeout", &pgconn.PgError{Code: "55P03"}, ports.CodeUnavailable},
		{"server shutting down", &pgconn.PgError{Code: "57P01"}, ports.CodeUnavailable},
		{"too many connections", &pgconn.PgError{Code: "53300"}, ports.CodeUnavailable},
		{"connection refused", fmt.Errorf("failed to connect: %w", refused), ports.CodeUnavailable},
		{"connection reset", fmt.Errorf("read: %w", syscall.ECONNRESET), ports.CodeUnavailable},
		{"deadline spent waiting", context.DeadlineExceeded, ports.CodeUnavailable},
		{"transaction closed under it", sql.ErrConnDone, ports.CodeUnavailable},
		{"missing table", &pgconn.PgError{Code: "42P01", Message: `relation "x" does not exist`}, ports.CodeInternal},
		{"syntax error", &pgconn.PgError{Code: "42601"}, ports.CodeInternal},
		{"an application error passes", ports.Errorf(ports.CodeForbidden, "no"), ports.CodeForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mapErr(tt.err)
			if c := ports.ErrorCodeOf(got); c != tt.want {
				t.Fatalf("mapErr(%v) = %v (%s), want %s", tt.err, got, c, tt.want)
			}
			if !errors.Is(got, tt.err) && tt.want != ports.CodeNotFound {
				t.Fatalf("mapErr(%v) lost its cause: %v", tt.err, got)
			}
		})
	}
}
