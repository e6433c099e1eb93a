package model

import (
	"fmt"
	"io"
	"strconv"

	"github.com/gatehouse/gatehouse/ports"
)

// TermsKind is the name of a kind of terms document. It was an enum;
// kinds are data now (staff publish new ones), so it is a scalar that
// takes a string and also an enum-style literal (kind: GENERAL), which
// gqlparser hands a custom scalar as its raw name: queries written
// against the enum keep working. The platform module checks the name.
type TermsKind string

// MarshalGQL writes the kind as a string.
func (k TermsKind) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(k))) }

// UnmarshalGQL reads a string (or an enum-style literal, which arrives as
// one); anything else is VALIDATION_FAILED.
func (k *TermsKind) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return &ports.Error{Code: ports.CodeValidationFailed, Message: fmt.Sprintf("a terms kind must be a name, got %T", v)}
	}
	if len(s) > 64 {
		return &ports.Error{Code: ports.CodeValidationFailed, Message: "a terms kind must be at most 32 characters"}
	}
	*k = TermsKind(s)
	return nil
}
