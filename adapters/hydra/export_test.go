package hydra

import "time"

// SetTimeouts shortens the call deadline and the retry's wait for tests.
func (a *Admin) SetTimeouts(call, retry time.Duration) { a.timeout, a.retryDelay = call, retry }
