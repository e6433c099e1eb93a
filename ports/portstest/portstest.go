// Package portstest holds what the modules' contract suites share.
package portstest

import "time"

// T0 is the suites' fixed "now".
var T0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
