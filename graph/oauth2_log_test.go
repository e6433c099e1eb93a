package graph

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/ports"
)

// A token request the database failed is the server's fault (ERROR), unless
// the client hung up first and so cut the call itself (INFO: an alert on
// errors must not fire for it); the client still gets its §5.2 answer.
func TestTokenRequestsCutByTheirClientAreNotServerErrors(t *testing.T) {
	outage := ports.Unavailable(errors.New("dial tcp 10.0.0.5:5432: connection refused"))
	for _, c := range []struct {
		name     string
		err      error
		canceled bool
		level    string
		status   int
	}{
		{"an outage", outage, false, "ERROR", 503},
		{"an outage the client caused by leaving", outage, true, "INFO", 503},
		{"a failure", errors.New("boom"), false, "ERROR", 500},
		{"a failure the client caused by leaving", errors.New("boom"), true, "INFO", 500},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
			ctx := context.Background()
			if c.canceled {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				cancel()
			}
			w := httptest.NewRecorder()
			writeIssueError(ctx, w, c.err, false, log)
			if w.Code != c.status {
				t.Fatalf("status %d, want %d", w.Code, c.status)
			}
			if lines := strings.Split(strings.TrimSpace(buf.String()), "\n"); len(lines) != 1 ||
				!strings.Contains(lines[0], "level="+c.level) {
				t.Fatalf("want one %s line, got:\n%s", c.level, buf.String())
			}
		})
	}
}
