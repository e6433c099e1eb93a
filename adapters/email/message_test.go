package email

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWriteHeaderFoldsAtSpacesOnly(t *testing.T) {
	t.Parallel()
	for _, value := range []string{
		"short",
		"",
		strings.Repeat("word ", 40),
		strings.Repeat("x", 120) + " tail",
		"two  spaces  between " + strings.Repeat("words ", 20),
	} {
		var b bytes.Buffer
		writeHeader(&b, "Subject", value)
		out := b.String()
		assert.True(t, strings.HasPrefix(out, "Subject: "))
		assert.True(t, strings.HasSuffix(out, "\r\n"))
		lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
		for i, l := range lines {
			if i > 0 {
				assert.True(t, strings.HasPrefix(l, " "), "continuation line %q starts with a space", l)
				assert.NotEmpty(t, strings.TrimSpace(l), "no whitespace-only line")
			}
			if strings.Count(l, " ") <= 1 {
				continue // "Name: word" or " word": one long word cannot be folded
			}
			assert.LessOrEqual(t, len(l), headerFoldAt, "line %q", l)
		}
		// Unfolding (RFC 5322 2.2.3: remove the CRLFs) gives the value back.
		assert.Equal(t, "Subject: "+value, strings.ReplaceAll(strings.TrimSuffix(out, "\r\n"), "\r\n", ""))
	}
}
