package delivery

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"+447700900123": "+447*******23",
		"+15005550006":  "+150******06",
		"+1234567":      "+123**67",
		"123456":        "******",
		"":              "",
	} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskEmail(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"alice@example.org": "a****@example.org",
		"bo@example.org":    "b*@example.org",
		"x@example.org":     "*@example.org",
		"no-at":             "*****",
		"":                  "",
	} {
		assert.Equal(t, want, MaskEmail(in), in)
	}
}

func TestScrubRemovesWhatWeSentInOrder(t *testing.T) {
	got := Scrub("code 123456 for +447700900123\r\nbye", 100,
		"code 123456", "[text]", "", "never used", "+447700900123", MaskPhone("+447700900123"))
	assert.Equal(t, "[text] for +447*******23  bye", got)
}

func TestScrubCutsLongText(t *testing.T) {
	got := Scrub(strings.Repeat("é", 300), 256)
	assert.Equal(t, strings.Repeat("é", 256)+"…", got)
	assert.Equal(t, "short", Scrub("short", 256))
}

func TestRedactedShowsOnlyWhetherASecretIsSet(t *testing.T) {
	assert.Equal(t, "[REDACTED]", Redacted("hunter2"))
	assert.Equal(t, "", Redacted(""))
}
