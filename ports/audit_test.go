package ports_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// PostgreSQL refuses NUL in text and jsonb: an admin activity carrying one
// would be lost, so the row drops it from the reason and the input.
func TestAdminActivityDropsNUL(t *testing.T) {
	a := ports.NewAdminActivity(context.Background(), uuid.New(), nil, "setUserRole", "fraud\x00case",
		map[string]any{"note": "a\x00b", "nested": map[string]any{"x": "c\x00"}}, nil, time.Now())
	if strings.ContainsRune(a.Reason, 0) || a.Reason != "fraudcase" {
		t.Fatalf("reason %q", a.Reason)
	}
	if a.Input["note"] != "ab" || a.Input["nested"].(map[string]any)["x"] != "c" {
		t.Fatalf("input %v", a.Input)
	}
}

func TestRedactInputHidesSecretsAndFiles(t *testing.T) {
	in := map[string]any{"newPin": "4831", "refreshToken": "t", "front": "file", "profile": "kept",
		"userId": "u", "reason": "r"}
	out := ports.RedactInput(in)
	for _, k := range []string{"newPin", "refreshToken", "front"} {
		if out[k] != "[redacted]" {
			t.Errorf("%s: %v", k, out[k])
		}
	}
	for _, k := range []string{"profile", "userId", "reason"} {
		if out[k] != in[k] {
			t.Errorf("%s was changed: %v", k, out[k])
		}
	}
}
