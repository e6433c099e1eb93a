package identitytest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// RunTickets runs the Tickets contract suite against implementations from
// newTickets, fresh and empty for each call.
func RunTickets(t *testing.T, newTickets func(t *testing.T) identity.Tickets) {
	t.Run("FindUseOnce", func(t *testing.T) { t.Parallel(); ticketsFindUseOnce(t, newTickets(t)) })
	t.Run("Taken", func(t *testing.T) { t.Parallel(); ticketsTaken(t, newTickets(t)) })
}

func ticketsFindUseOnce(t *testing.T, s identity.Tickets) {
	ctx := context.Background()
	tk := identity.Ticket{ID: uuid.New(), Purpose: "PHONE_SIGNUP", Subject: "+447911123459",
		Metadata: map[string]string{"k": "v"}, ExpiresAt: T0.Add(10 * time.Minute), CreatedAt: T0}
	noErr(t, s.Create(ctx, tk, []byte("secret")))
	found, err := s.Find(ctx, []byte("secret"), "PHONE_SIGNUP")
	noErr(t, err)
	check(t, found.ID == tk.ID && found.Subject == tk.Subject && found.Metadata["k"] == "v" && found.UsedAt == nil,
		"find: %+v", found)
	_, err = s.Find(ctx, []byte("secret"), "OTHER")
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "find of another purpose: %v", err)
	_, err = s.Use(ctx, []byte("secret"), "OTHER", T0)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "other purpose: %v", err)
	_, err = s.Use(ctx, []byte("unknown"), "PHONE_SIGNUP", T0)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "unknown hash: %v", err)
	got, err := s.Use(ctx, []byte("secret"), "PHONE_SIGNUP", T0)
	noErr(t, err)
	check(t, got.Subject == tk.Subject && got.ExpiresAt.Equal(tk.ExpiresAt), "use: %+v", got)
	_, err = s.Use(ctx, []byte("secret"), "PHONE_SIGNUP", T0)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "second use: %v", err)
	_, err = s.Find(ctx, []byte("secret"), "PHONE_SIGNUP")
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "find after use: %v", err)
}

// ticketsTaken: a ticket's secret hash and id are unique.
func ticketsTaken(t *testing.T, s identity.Tickets) {
	ctx := context.Background()
	tk := identity.Ticket{ID: uuid.New(), Purpose: "PHONE_SIGNUP", Subject: "+447911123459",
		ExpiresAt: T0.Add(10 * time.Minute), CreatedAt: T0}
	noErr(t, s.Create(ctx, tk, []byte("secret")))
	again := tk
	again.ID = uuid.New()
	check(t, ports.ErrorCodeOf(s.Create(ctx, again, []byte("secret"))) == ports.CodeConflict, "a taken secret hash was accepted")
	check(t, ports.ErrorCodeOf(s.Create(ctx, tk, []byte("other"))) == ports.CodeConflict, "a taken id was accepted")
}
