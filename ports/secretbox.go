package ports

// SecretBox encrypts small secrets kept at rest (TOTP seeds) with a
// server key. aad binds a sealed value to its owner (e.g. the user id), so
// a sealed value copied to another row does not open.
type SecretBox interface {
	Seal(plaintext, aad []byte) ([]byte, error)
	Open(sealed, aad []byte) ([]byte, error)
}
