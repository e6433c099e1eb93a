// Package portstest holds the contract suites of the shared ports, run on
// portsfake's fakes and on the real adapters, and what the modules'
// fakes and contract suites share.
package portstest

import (
	"testing"
	"time"
)

// T0 is the suites' fixed "now".
var T0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func check(t *testing.T, cond bool, format string, args ...any) {
	t.Helper()
	if !cond {
		t.Fatalf(format, args...)
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Clone returns a copy of *p (nil for nil): the fakes keep and hand out
// copies of optional fields, as a database row would.
func Clone[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}
