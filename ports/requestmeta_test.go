package ports_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestRateLimitKeysIPv6ByNetwork(t *testing.T) {
	cases := map[string]string{
		"203.0.113.7":                "203.0.113.7",
		"::ffff:203.0.113.7":         "203.0.113.7",
		"2001:db8:1:2:aaaa::1":       "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff::99": "2001:db8:1:2::/64",
		"":                           "unknown",
	}
	for ip, want := range cases {
		if got := ports.ClientKey(ip); got != want {
			t.Errorf("ClientKey(%q) = %q, want %q", ip, got, want)
		}
	}
}

func TestCursorRoundTripAndRefusals(t *testing.T) {
	at, id := mustTime(t), mustUUID(t)
	gotAt, gotID, err := ports.DecodeCursor(ports.EncodeCursor(at, id))
	if err != nil || !gotAt.Equal(at) || gotID != id {
		t.Fatalf("round trip: %v %v %v", gotAt, gotID, err)
	}
	for _, bad := range []string{"x", "!!!", "MTIz", "YWJjOmRlZg", string(make([]byte, 101))} {
		_, _, err := ports.DecodeCursor(bad)
		errtest.Code(t, err, ports.CodeValidationFailed, "DecodeCursor(%q)", bad)
	}
}

func TestMergeInvalidKeepsEveryFieldAndOtherErrorsWin(t *testing.T) {
	err := ports.MergeInvalid(nil, ports.InvalidField("a", "bad"), ports.InvalidField("b", "worse"))
	if f := errtest.Fields(t, err); f["a"] != "bad" || f["b"] != "worse" {
		t.Fatalf("merged: %v", err)
	}
	if ports.MergeInvalid(nil, nil) != nil {
		t.Fatal("nothing to merge must be nil")
	}
	if err := ports.MergeInvalid(ports.InvalidField("a", "bad"), ports.ErrNotFound); err != ports.ErrNotFound {
		t.Fatalf("a non-validation error must win: %v", err)
	}
}

func mustTime(t *testing.T) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339Nano, "2026-11-23T09:00:00.123456789Z")
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func mustUUID(t *testing.T) uuid.UUID {
	t.Helper()
	return uuid.MustParse("01a20968-282e-7f1e-9603-f47a25396e3c")
}
