package email

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/ports"
)

func TestConsoleWritesOneLineWithRecipientSubjectAndText(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	c, err := NewConsole(slog.New(slog.NewTextHandler(&buf, nil)), false)
	require.NoError(t, err)
	require.NoError(t, c.SendEmail(context.Background(), ports.Email{
		To: testTo, Subject: "Your Gatehouse code", Text: "Your code is " + testCode,
	}))
	out := buf.String()
	assert.Equal(t, 1, strings.Count(out, "\n"), "one log line: %q", out)
	for _, want := range []string{testTo, "Your Gatehouse code", "Your code is " + testCode} {
		assert.Contains(t, out, want)
	}
}

func TestConsoleRefusedInProd(t *testing.T) {
	t.Parallel()
	c, err := NewConsole(slog.Default(), true)
	require.ErrorIs(t, err, ErrConsoleInProd)
	assert.Nil(t, c)
}
