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
// MaxReason characters of text.
func Reason(field, s string) (string, error) { return Text(field, s, 1, MaxReason) }
