package portsfake_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// The suites below are the ones the real adapters also pass (the stores'
// in adapters/postgres/contract_test.go, the hasher's and box's in
// adapters/secrets, the signer's in adapters/token), so the fakes cannot
// drift from them.

func TestActivityLogContract(t *testing.T) {
	portstest.RunActivityLog(t, func(t *testing.T) portstest.ActivityStores {
		return portstest.ActivityStores{NewUser: func(*testing.T, string) uuid.UUID { return uuid.New() },
			Activities: portsfake.NewActivityLog()}
	})
}

func TestRateLimiterContract(t *testing.T) {
	portstest.RunRateLimiter(t, func(t *testing.T, clock ports.Clock) ports.RateLimiter {
		return portsfake.NewRateLimiter(clock)
	})
}

func TestTxRunnerContract(t *testing.T) {
	portstest.RunTxRunner(t, func(t *testing.T) ports.TxRunner { return portsfake.NewTxRunner() })
}

func TestSecretHasherContract(t *testing.T) {
	portstest.RunSecretHasher(t, func(t *testing.T) ports.SecretHasher { return portsfake.NewSecretHasher() })
}

func TestSecretBoxContract(t *testing.T) {
	portstest.RunSecretBox(t, func(t *testing.T) ports.SecretBox { return portsfake.NewSecretBox() })
}

func TestTokenSignerContract(t *testing.T) {
	portstest.RunTokenSigner(t, func(t *testing.T) ports.TokenSigner { return portsfake.NewTokenSigner() })
}
