// Package otp issues and checks one-time codes sent to a phone, per purpose.
package otp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Config holds the OTP parameters (DESIGN.md "Security parameters").
type Config struct {
	Digits      int
	TTL         time.Duration
	MaxAttempts int
	ResendAfter time.Duration
	// SendsPerHour bounds the codes per destination and hour: of the
	// owner's budget, and of the strangers' (all clients' budgets together,
	// see ports.SendBudget).
	SendsPerHour int
	// ClientSendsPerHour bounds the codes one client (IPv4 address or IPv6
	// /64) may have sent without a proof of ownership per hour, whatever
	// the destinations; 0 leaves it unbounded.
	ClientSendsPerHour int
	// HMACKey keys the stored code digests (at least 32 bytes).
	HMACKey []byte
	// AppName opens every message so the user knows who sent it.
	AppName string
}

// DefaultConfig returns the DESIGN.md defaults (the key must still be set).
func DefaultConfig() Config {
	return Config{Digits: 6, TTL: 120 * time.Second, MaxAttempts: 5, ResendAfter: 60 * time.Second,
		SendsPerHour: 5, ClientSendsPerHour: 10, AppName: "Gatehouse"}
}

// Validate reports the first bad parameter.
func (c Config) Validate() error {
	switch {
	case c.Digits < 4 || c.Digits > 10:
		return fmt.Errorf("OTP digits must be between 4 and 10, got %d", c.Digits)
	case c.TTL < 10*time.Second:
		return fmt.Errorf("OTP lifetime must be at least 10s, got %s", c.TTL)
	case c.MaxAttempts < 1:
		return fmt.Errorf("OTP max attempts must be at least 1")
	case c.SendsPerHour < 1:
		return fmt.Errorf("OTP sends per hour must be at least 1")
	case c.ClientSendsPerHour < 0:
		return fmt.Errorf("OTP client sends per hour must not be negative")
	case len(c.HMACKey) < 32:
		return fmt.Errorf("OTP HMAC key must be at least 32 bytes")
	}
	return nil
}

func publicView(c ports.Challenge) ports.OTPChallenge {
	dest := MaskPhone(c.Destination)
	switch c.Channel {
	case ports.ChannelEmail:
		dest = MaskEmail(c.Destination)
	case ports.ChannelTOTP:
		dest = "authenticator app"
	}
	return ports.OTPChallenge{ID: c.ID, Purpose: c.Purpose, Channel: c.Channel, Destination: dest,
		ExpiresAt: c.ExpiresAt, ResendAfter: c.ResendAfter}
}

// newCode draws a uniformly random numeric code from crypto/rand.
func newCode(digits int) (string, error) {
	max := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil)
	n, err := rand.Int(rand.Reader, max)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%0*d", digits, n), nil
}

// mac binds the code to its challenge, so a digest can't be replayed
// against another challenge.
func mac(key []byte, id uuid.UUID, code string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(id[:])
	h.Write([]byte(code))
	return h.Sum(nil)
}

// wellFormed reports whether code looks like one of our codes, so that
// junk is refused without counting as a try.
func wellFormed(code string, digits int) bool {
	if len(code) != digits {
		return false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// MaskPhone keeps the country prefix and the last two digits: +4479******23.
func MaskPhone(e164 string) string {
	if len(e164) < 7 {
		return strings.Repeat("*", len(e164))
	}
	head, tail := e164[:4], e164[len(e164)-2:]
	return head + strings.Repeat("*", len(e164)-6) + tail
}

// MaskEmail keeps the first character of the local part and the domain:
// j***@example.com.
func MaskEmail(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 1 {
		return "***"
	}
	return email[:1] + "***" + email[at:]
}

func emailSubject(appName string) string { return appName + " verification code" }

func emailText(appName, code string, ttl time.Duration) string {
	return fmt.Sprintf("Your %s verification code is %s.\r\n\r\nIt expires in %d minutes. "+
		"If you did not ask for it, ignore this message; never share the code with anyone.\r\n",
		appName, code, int((ttl+time.Minute-1)/time.Minute))
}

func message(appName, code string, ttl time.Duration) string {
	return fmt.Sprintf("%s: your code is %s. It expires in %d minutes. Never share it with anyone.",
		appName, code, int((ttl+time.Minute-1)/time.Minute))
}
