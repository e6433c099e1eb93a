package otp_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gatehouse/gatehouse/modules/otp"
)

func TestMaskPhone(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"+447911123456", "+447*******56"},
		{"+8801712345678", "+880********78"},
		{"+12025550123", "+120******23"},
		{"+12345", "******"},
		{"+123456", "+123*56"},
		{"+1234567", "+123**67"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := otp.MaskPhone(tc.in)
			assert.Equal(t, tc.want, got)
			assert.Len(t, got, len(tc.in), "masking keeps the length")
		})
	}
}

func TestConfigValidate(t *testing.T) {
	valid := otp.DefaultConfig()
	valid.HMACKey = testKey
	tests := []struct {
		name   string
		change func(*otp.Config)
		ok     bool
	}{
		{"defaults with a key", func(*otp.Config) {}, true},
		{"no key", func(c *otp.Config) { c.HMACKey = nil }, false},
		{"short key", func(c *otp.Config) { c.HMACKey = testKey[:31] }, false},
		{"3 digits", func(c *otp.Config) { c.Digits = 3 }, false},
		{"11 digits", func(c *otp.Config) { c.Digits = 11 }, false},
		{"ttl 9s", func(c *otp.Config) { c.TTL = 9 * time.Second }, false},
		{"no attempts", func(c *otp.Config) { c.MaxAttempts = 0 }, false},
		{"no sends", func(c *otp.Config) { c.SendsPerHour = 0 }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := valid
			tc.change(&c)
			if tc.ok {
				assert.NoError(t, c.Validate())
			} else {
				assert.Error(t, c.Validate())
			}
		})
	}
}

func TestDefaultConfigMatchesDesign(t *testing.T) {
	c := otp.DefaultConfig()
	assert.Equal(t, 6, c.Digits)
	assert.Equal(t, 120*time.Second, c.TTL)
	assert.Equal(t, 5, c.MaxAttempts)
	assert.Equal(t, 60*time.Second, c.ResendAfter)
	assert.Equal(t, 5, c.SendsPerHour)
}
