package textin_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/modules/internal/textin"
	"github.com/gatehouse/gatehouse/ports"
)

func TestText(t *testing.T) {
	if s, err := textin.Text("f", "  Ada  ", 1, 10); err != nil || s != "Ada" {
		t.Fatalf("trimmed: %q, %v", s, err)
	}
	for _, bad := range []string{"", "   ", "a\x00b", "tab\there", strings.Repeat("é", 11), "\xff"} {
		_, err := textin.Text("f", bad, 1, 10)
		var e *ports.Error
		if !errors.As(err, &e) || e.Code != ports.CodeValidationFailed || e.Fields["f"] == "" {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if s, err := textin.Text("f", "", 0, 10); err != nil || s != "" {
		t.Fatalf("optional empty: %q, %v", s, err)
	}
	if _, err := textin.Reason("reason", strings.Repeat("x", 501)); err == nil {
		t.Fatal("a 501-character reason passed")
	}
}
