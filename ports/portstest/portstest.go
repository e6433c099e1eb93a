// Package portstest holds the contract suites of the shared ports, run on
// portsfake's fakes and on the real adapters, and what the modules'
// contract suites share.
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
