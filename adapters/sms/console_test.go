package sms

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestConsoleWritesOneLineWithNumberAndText(t *testing.T) {
	var buf bytes.Buffer
	c, err := NewConsole(slog.New(slog.NewTextHandler(&buf, nil)), false)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SendSMS(context.Background(), "+447700900123", "Gatehouse: your code is 123456"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Count(out, "\n") != 1 {
		t.Fatalf("want one log line, got %q", out)
	}
	for _, want := range []string{"+447700900123", "your code is 123456"} {
		if !strings.Contains(out, want) {
			t.Errorf("log line %q lacks %q", out, want)
		}
	}
}

func TestConsoleRefusedInProd(t *testing.T) {
	if _, err := NewConsole(slog.Default(), true); !errors.Is(err, ErrConsoleInProd) {
		t.Fatalf("want ErrConsoleInProd, got %v", err)
	}
}
