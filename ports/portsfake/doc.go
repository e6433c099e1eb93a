// Package portsfake holds in-memory implementations of the ports for the
// modules' unit tests. Each mirrors the semantics documented on its port
// (and, where the doc is silent, those of the PostgreSQL adapter), so a
// service that passes against the fakes should behave alike on the
// database.
//
// What they cannot mirror is transactions: TxRunner only calls fn, so a
// store write made before fn fails stays written (nothing rolls back), and
// "for update" reads and destination locks do not block. Every fake is
// safe for concurrent use. Never use them in production: SecretHasher,
// TokenSigner and SecretBox (a fixed, public key) in particular offer no
// security at all.
//
// The fakes of identity's stores (users, credentials, sessions, sign-up
// tickets) are in modules/identity/identitytest. Senders (SMSSender, EmailSender) record what they
// send, with LastCode helpers for tests.
package portsfake

import "maps"

// cloneMap copies m and never returns nil, like the adapters that store
// metadata as a non-null jsonb column.
func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	maps.Copy(out, m)
	return out
}
