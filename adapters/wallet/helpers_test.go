package wallet

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
)

func hmacSHA256(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

func errMismatch(got string) error { return fmt.Errorf("concurrent call got %s", got) }
