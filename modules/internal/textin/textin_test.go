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

func TestBidiControlsAreRefusedInNamesAndReasons(t *testing.T) {
	for _, r := range []rune{0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C} {
		s := "Ada" + string(r) + "Lovelace"
		for name, check := range map[string]func() error{
			"Name":   func() error { _, err := textin.Name("name", s, 1, 100); return err },
			"Reason": func() error { _, err := textin.Reason("name", s); return err },
			"NoBidi": func() error { return textin.NoBidi("name", s) },
		} {
			var e *ports.Error
			if err := check(); !errors.As(err, &e) || e.Code != ports.CodeValidationFailed || !strings.Contains(e.Fields["name"], "bidirectional") {
				t.Errorf("%s(%U): %v", name, r, err)
			}
		}
	}
	// Right-to-left scripts themselves are names like any other.
	for _, ok := range []string{"محمد عبد الله", "שרה כהן", "Zoë O'Brien-Łukasz"} {
		if _, err := textin.Name("name", ok, 1, 100); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}
