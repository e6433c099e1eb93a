package otptest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// Stores is a Store and the transaction runner its locks live in, fresh
// and empty for each call of the factory.
type Stores struct {
	Store otp.Store
	Tx    ports.TxRunner
}

// T0 is the suite's fixed "now" (microseconds, as PostgreSQL keeps).
var T0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// RunStore runs the Store contract suite against implementations from
// newStores.
func RunStore(t *testing.T, newStores func(t *testing.T) Stores) {
	t.Run("Challenges", func(t *testing.T) { t.Parallel(); challenges(t, newStores(t)) })
}

func check(t *testing.T, cond bool, format string, args ...any) {
	t.Helper()
	if !cond {
		t.Fatalf(format, args...)
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func challenges(t *testing.T, s Stores) {
	ctx := context.Background()
	c := otp.Challenge{ID: uuid.New(), Purpose: otp.PurposeSignup, Channel: "SMS", Destination: "+447911123460",
		CodeMAC: []byte("mac"), MaxAttempts: 5, Metadata: map[string]string{"userId": "u"},
		ExpiresAt: T0.Add(2 * time.Minute), ResendAfter: T0.Add(time.Minute), CreatedAt: T0}
	noErr(t, s.Tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.LockDestination(ctx, c.Destination); err != nil {
			return err
		}
		return s.Store.Create(ctx, c)
	}))
	var got otp.Challenge
	noErr(t, s.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		got, err = s.Store.GetForUpdate(ctx, c.ID)
		return err
	}))
	check(t, got.Destination == c.Destination && string(got.CodeMAC) == "mac" && got.Metadata["userId"] == "u" &&
		got.Sends == 1 && got.ConsumedAt == nil, "get: %+v", got)
	noErr(t, s.Store.SetAttempts(ctx, c.ID, 3))
	c2 := c
	c2.CodeMAC, c2.ExpiresAt = []byte("mac2"), T0.Add(4*time.Minute)
	noErr(t, s.Store.Rearm(ctx, c2, T0.Add(time.Minute)))
	n, oldest, err := s.Store.SendsSince(ctx, otp.SendQuery{Destination: c.Destination, Since: T0.Add(-time.Hour)})
	noErr(t, err)
	check(t, n == 2 && oldest.Equal(T0), "sends: %d oldest %v", n, oldest)
	n, _, err = s.Store.SendsSince(ctx, otp.SendQuery{Destination: c.Destination, Since: T0.Add(30 * time.Second)})
	noErr(t, err)
	check(t, n == 1, "sends since the resend: %d", n)
	n, _, err = s.Store.SendsSince(ctx, otp.SendQuery{Destination: c.Destination, Since: T0})
	noErr(t, err)
	check(t, n == 1, "a send at exactly since has left the window: %d", n)
	// Budgets: each send is charged to its challenge's budget, for the
	// client that asked for it.
	oc := otp.Challenge{ID: uuid.New(), Purpose: otp.PurposePasswordReset, Channel: "SMS", Destination: c.Destination,
		CodeMAC: []byte("mac"), MaxAttempts: 5, ExpiresAt: T0.Add(2 * time.Minute), ResendAfter: T0.Add(time.Minute),
		CreatedAt: T0.Add(time.Minute), Budget: otp.BudgetOwner, Client: "198.51.100.7"}
	noErr(t, s.Store.Create(ctx, oc))
	cc := oc
	cc.ID, cc.Budget, cc.Client, cc.Destination = uuid.New(), otp.BudgetClient, "203.0.113.9", "+447911123461"
	noErr(t, s.Store.Create(ctx, cc))
	cc.Client = "203.0.113.10"
	noErr(t, s.Store.Rearm(ctx, cc, T0.Add(2*time.Minute)))
	for _, q := range []struct {
		q    otp.SendQuery
		want int
	}{
		{otp.SendQuery{Destination: c.Destination, Budget: otp.BudgetOwner, Since: T0}, 1},
		{otp.SendQuery{Destination: c.Destination, Since: T0}, 2},
		{otp.SendQuery{Budget: otp.BudgetClient, Client: "203.0.113.9", Since: T0}, 1},
		{otp.SendQuery{Budget: otp.BudgetClient, Client: "203.0.113.10", Since: T0}, 1},
		{otp.SendQuery{Destination: "+447911123461", Budget: otp.BudgetClient, Since: T0}, 2},
		{otp.SendQuery{Destination: "+447911123461", Budget: otp.BudgetOwner, Since: T0}, 0},
	} {
		n, _, err = s.Store.SendsSince(ctx, q.q)
		noErr(t, err)
		check(t, n == q.want, "sends %+v: %d, want %d", q.q, n, q.want)
	}
	noErr(t, s.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		got, err = s.Store.GetForUpdate(ctx, c.ID)
		return err
	}))
	check(t, got.Attempts == 3 && string(got.CodeMAC) == "mac2" && got.Sends == 2, "after rearm: %+v", got)
	ok, err := s.Store.MarkConsumed(ctx, c.ID, T0)
	noErr(t, err)
	check(t, ok, "first consume refused")
	ok, err = s.Store.MarkConsumed(ctx, c.ID, T0)
	noErr(t, err)
	check(t, !ok, "second consume accepted")
	_, err = s.Store.GetForUpdate(ctx, uuid.New())
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "unknown challenge: %v", err)
	plain, err := s.Store.Get(ctx, c.ID)
	noErr(t, err)
	check(t, plain.ID == c.ID && plain.ConsumedAt != nil && plain.Sends == 2, "plain read: %+v", plain)
	_, err = s.Store.Get(ctx, uuid.New())
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "unknown challenge, plain read: %v", err)
}
