package errtest_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

// recorder stands in for a test: it records a failure and ends the
// goroutine, as Fatalf does.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	panic(r)
}

// run calls check with a recorder and gives its failure, "" if none.
func run(check func(t testing.TB)) (failed string) {
	r := &recorder{}
	defer func() {
		if p := recover(); p != nil && p != r {
			panic(p)
		}
		failed = r.failed
	}()
	check(r)
	return ""
}

func TestCode(t *testing.T) {
	forbidden := fmt.Errorf("wrapped: %w", ports.Errorf(ports.CodeForbidden, "no"))
	for _, c := range []struct {
		name string
		err  error
		want ports.ErrorCode
		fail string
	}{
		{"the code", forbidden, ports.CodeForbidden, ""},
		{"another code", forbidden, ports.CodeNotFound, "want a NOT_FOUND error, got FORBIDDEN: wrapped: FORBIDDEN: no"},
		{"no error", nil, ports.CodeForbidden, "want a FORBIDDEN error, got none"},
		{"no error wanted", nil, "", ""},
		{"an error not wanted", forbidden, "", "want no error, got FORBIDDEN: wrapped: FORBIDDEN: no"},
		{"a plain error is INTERNAL", errors.New("boom"), ports.CodeInternal, ""},
	} {
		got := run(func(tb testing.TB) { errtest.Code(tb, c.err, c.want) })
		if got != c.fail {
			t.Errorf("%s: failure %q, want %q", c.name, got, c.fail)
		}
	}
	if got := run(func(tb testing.TB) { errtest.Code(tb, nil, ports.CodeConflict, "try %d", 2) }); got != "try 2: want a CONFLICT error, got none" {
		t.Errorf("message: %q", got)
	}
	if e := errtest.Code(t, forbidden, ports.CodeForbidden); e == nil || e.Message != "no" {
		t.Errorf("want the *ports.Error back, got %#v", e)
	}
}

func TestFields(t *testing.T) {
	err := ports.MergeInvalid(ports.InvalidField("first", "is too big"))
	if got := errtest.Fields(t, err); got["first"] != "is too big" {
		t.Errorf("fields %v", got)
	}
	if got := run(func(tb testing.TB) { errtest.Fields(tb, ports.Errorf(ports.CodeForbidden, "no")) }); got != "want a VALIDATION_FAILED error, got FORBIDDEN: FORBIDDEN: no" {
		t.Errorf("failure %q", got)
	}
}
