package secrets_test

import (
	"bytes"
	"testing"

	"github.com/alexedwards/argon2id"

	"github.com/gatehouse/gatehouse/adapters/secrets"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// The suites portsfake's hasher and box also pass, so the fakes the
// module tests run on cannot drift from these.

func TestSecretHasherContract(t *testing.T) {
	cheap := &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	portstest.RunSecretHasher(t, func(t *testing.T) ports.SecretHasher { return secrets.NewArgon2Hasher(cheap, 1) })
}

func TestSecretBoxContract(t *testing.T) {
	portstest.RunSecretBox(t, func(t *testing.T) ports.SecretBox {
		b, err := secrets.NewBox(bytes.Repeat([]byte{7}, 32), "test-1")
		if err != nil {
			t.Fatal(err)
		}
		return b
	})
}
