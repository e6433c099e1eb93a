package messages

import (
	"strings"
	"testing"
)

func TestSMSSegmentsCountGSMAndUCS2(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text string
		want int
	}{
		{"", 1},
		{strings.Repeat("a", 160), 1},
		{strings.Repeat("a", 161), 2},
		{strings.Repeat("a", 306), 2},
		{strings.Repeat("a", 307), 3},
		{strings.Repeat("€", 80), 1}, // extension set: two septets each
		{strings.Repeat("€", 81), 2},
		{"ñü é" + strings.Repeat("a", 156), 1}, // these are in the GSM alphabet
		{"ó" + strings.Repeat("a", 69), 1},     // ó is not: UCS-2
		{"ó" + strings.Repeat("a", 70), 2},
		{strings.Repeat("😀", 35), 1}, // two UTF-16 units each
		{strings.Repeat("😀", 36), 2},
	} {
		if got := smsSegments(tc.text); got != tc.want {
			t.Errorf("smsSegments(%.20q… %d runes) = %d, want %d", tc.text, len([]rune(tc.text)), got, tc.want)
		}
	}
}
