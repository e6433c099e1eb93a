// Package textin checks the free text of inputs (names, titles, reasons)
// the same way in every module.
package textin

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gatehouse/gatehouse/ports"
)

// MaxReason is the longest reason a staff member may give.
const MaxReason = 500

// Text trims s and checks that it is valid UTF-8 of minLen to maxLen
// characters without control characters (NUL included); the problem is
// a VALIDATION_FAILED error on field.
func Text(field, s string, minLen, maxLen int) (string, error) {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch {
	case !utf8.ValidString(s):
		return "", ports.InvalidField(field, "is not valid text")
	case n < minLen && minLen == 1:
		return "", ports.InvalidField(field, "is required")
	case n < minLen || n > maxLen:
		if minLen == 0 {
			return "", ports.InvalidField(field, fmt.Sprintf("must be at most %d characters", maxLen))
		}
		return "", ports.InvalidField(field, fmt.Sprintf("must be %d to %d characters", minLen, maxLen))
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return "", ports.InvalidField(field, "must not contain control characters")
	}
	return s, nil
}

// Reason checks the reason a staff member gives for a change: 1 to
// MaxReason characters of text without bidi controls (NoBidi).
func Reason(field, s string) (string, error) { return Name(field, s, 1, MaxReason) }

// Name checks a person's name (or other text a reader must see as it is
// written) by Text's rules, and refuses bidi controls (NoBidi).
func Name(field, s string, minLen, maxLen int) (string, error) {
	s, err := Text(field, s, minLen, maxLen)
	if err != nil {
		return "", err
	}
	if err := NoBidi(field, s); err != nil {
		return "", err
	}
	return s, nil
}

// NoBidi refuses the Unicode bidirectional controls (embeddings and
// overrides U+202A–U+202E, isolates U+2066–U+2069, the marks U+200E,
// U+200F and U+061C): they make a name or a reason display as something
// else than what it holds ("Trojan Source"), so a staff member could be
// shown "Ada" for a name that reads otherwise, or a reversed reason. They
// are format characters, not controls, so Text lets them through.
func NoBidi(field, s string) error {
	if strings.IndexFunc(s, isBidiControl) >= 0 {
		return ports.InvalidField(field, "must not contain bidirectional control characters")
	}
	return nil
}

func isBidiControl(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return r == 0x200E || r == 0x200F || r == 0x061C
}
