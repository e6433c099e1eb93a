// Package errtest checks, in tests, the error code a client would see.
// It is the one way to do so: a test says errtest.Code(t, err,
// ports.CodeForbidden) rather than comparing ports.ErrorCodeOf by hand.
package errtest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/gatehouse/gatehouse/ports"
)

// Code stops the test unless err carries the code want, as
// ports.ErrorCodeOf reads it (so an error that is no *ports.Error counts
// as INTERNAL, the code a client would see). An empty want means no
// error at all, which suits table tests where some rows succeed.
// msgAndArgs, if any, say what was checked (a format and its arguments, or
// one value). It returns the *ports.Error in err's chain, nil if none, for
// a further look at its message or fields.
func Code(t testing.TB, err error, want ports.ErrorCode, msgAndArgs ...any) *ports.Error {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("%swant no error, got %s: %v", prefix(msgAndArgs), ports.ErrorCodeOf(err), err)
		}
		return nil
	}
	if err == nil {
		t.Fatalf("%swant a %s error, got none", prefix(msgAndArgs), want)
	}
	if got := ports.ErrorCodeOf(err); got != want {
		t.Fatalf("%swant a %s error, got %s: %v", prefix(msgAndArgs), want, got, err)
	}
	var pe *ports.Error
	errors.As(err, &pe)
	return pe
}

// Fields stops the test unless err is VALIDATION_FAILED, and returns its
// map of field to message.
func Fields(t testing.TB, err error, msgAndArgs ...any) map[string]string {
	t.Helper()
	return Code(t, err, ports.CodeValidationFailed, msgAndArgs...).Fields
}

func prefix(msgAndArgs []any) string {
	switch {
	case len(msgAndArgs) == 0:
		return ""
	case len(msgAndArgs) == 1:
		return fmt.Sprint(msgAndArgs[0]) + ": "
	}
	if format, ok := msgAndArgs[0].(string); ok {
		return fmt.Sprintf(format, msgAndArgs[1:]...) + ": "
	}
	return fmt.Sprint(msgAndArgs...) + ": "
}
