package ports

import "time"

// Clock tells the time. Services read time only through it so that tests
// can move time forward (OTP expiry, lockouts, token lifetimes).
type Clock interface {
	Now() time.Time
}
