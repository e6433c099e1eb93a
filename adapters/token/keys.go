package token

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MinSecretSize is the shortest HMAC key DecodeSecret accepts (256 bits).
const MinSecretSize = 32

// LoadOrCreateKey reads an Ed25519 private key from a PEM "PRIVATE KEY"
// (PKCS#8) file. If the file does not exist and create is true, it
// generates a key and writes it there (mode 0600, parent dirs 0700), which
// suits development; production should set create to false so a missing
// key is an error rather than a silent new key that invalidates every
// issued token.
func LoadOrCreateKey(path string, create bool) (ed25519.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		_, priv, gerr := ed25519.GenerateKey(rand.Reader)
		if gerr != nil {
			return nil, fmt.Errorf("token: generate key: %w", gerr)
		}
		der, merr := x509.MarshalPKCS8PrivateKey(priv)
		if merr != nil {
			return nil, fmt.Errorf("token: encode key: %w", merr)
		}
		data = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
		if data, err = createFile(path, data); err != nil {
			return nil, fmt.Errorf("token: create signing key %s: %w", path, err)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("token: read signing key %s: %w", path, err)
	}
	der, err := pemBytes(data, "PRIVATE KEY")
	if err != nil {
		return nil, fmt.Errorf("token: signing key %s: %w", path, err)
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("token: signing key %s: %w", path, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("token: signing key %s: want Ed25519, got %T", path, k)
	}
	return priv, nil
}

// LoadPublicKeys reads Ed25519 public keys from PEM "PUBLIC KEY" (PKIX)
// files: retired signing keys whose tokens must still verify.
func LoadPublicKeys(paths []string) ([]ed25519.PublicKey, error) {
	keys := make([]ed25519.PublicKey, 0, len(paths))
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("token: read public key: %w", err)
		}
		der, err := pemBytes(data, "PUBLIC KEY")
		if err != nil {
			return nil, fmt.Errorf("token: public key %s: %w", path, err)
		}
		k, err := x509.ParsePKIXPublicKey(der)
		if err != nil {
			return nil, fmt.Errorf("token: public key %s: %w", path, err)
		}
		pub, ok := k.(ed25519.PublicKey)
		if !ok {
			return nil, fmt.Errorf("token: public key %s: want Ed25519, got %T", path, k)
		}
		keys = append(keys, pub)
	}
	return keys, nil
}

// LoadOrCreateSecret reads a hex-encoded secret of at least size bytes
// (e.g. the OTP HMAC key). If the file does not exist and create is true it
// writes size fresh random bytes, with the same permissions as
// LoadOrCreateKey.
func LoadOrCreateSecret(path string, create bool, size int) ([]byte, error) {
	if size <= 0 {
		return nil, fmt.Errorf("token: secret %s: size must be positive", path)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		b := make([]byte, size)
		if _, rerr := rand.Read(b); rerr != nil {
			return nil, fmt.Errorf("token: generate secret: %w", rerr)
		}
		if data, err = createFile(path, []byte(hex.EncodeToString(b)+"\n")); err != nil {
			return nil, fmt.Errorf("token: create secret %s: %w", path, err)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("token: read secret %s: %w", path, err)
	}
	b, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil {
		return nil, fmt.Errorf("token: secret %s: not hex: %w", path, err)
	}
	if len(b) < size {
		return nil, fmt.Errorf("token: secret %s: %d bytes, need at least %d", path, len(b), size)
	}
	return b, nil
}

// DecodeSecret decodes a secret given inline (e.g. from an environment
// variable) as hex or base64 (standard or URL alphabet, padded or not) and
// requires at least MinSecretSize bytes. Hex is tried first: a string that
// is valid hex is meant as hex.
func DecodeSecret(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	b, err := hex.DecodeString(s)
	if err != nil {
		b, err = decodeBase64(s)
	}
	if err != nil {
		return nil, errors.New("token: secret is neither hex nor base64")
	}
	if len(b) < MinSecretSize {
		return nil, fmt.Errorf("token: secret is %d bytes, need at least %d", len(b), MinSecretSize)
	}
	return b, nil
}

func decodeBase64(s string) ([]byte, error) {
	var err error
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
	} {
		var b []byte
		if b, err = enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, err
}

// pemBytes returns the DER of the first PEM block, which must have type typ.
func pemBytes(data []byte, typ string) ([]byte, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM data")
	}
	if block.Type != typ {
		return nil, fmt.Errorf("PEM type %q, want %q", block.Type, typ)
	}
	return block.Bytes, nil
}

// createFile writes data to path (mode 0600, parent dirs 0700) so that no
// reader ever sees a partial file: it writes a temp file in the same
// directory, then links it into place. Linking fails if path appeared in the
// meantime (another instance starting at the same time), in which case that
// instance's file wins and is returned, so all instances share one key.
func createFile(path string, data []byte) ([]byte, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	// CreateTemp already uses 0600; Chmod states the requirement outright.
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	switch err := os.Link(tmp.Name(), path); {
	case err == nil:
		return data, nil
	case errors.Is(err, fs.ErrExist):
		return os.ReadFile(path)
	default:
		// Some filesystems lack hard links; rename is still atomic, it
		// just cannot detect a concurrent creator.
		if err := os.Rename(tmp.Name(), path); err != nil {
			return nil, err
		}
		return data, nil
	}
}
