package identity_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestValidatePIN(t *testing.T) {
	tests := []struct {
		name, pin, phone string
		ok               bool
	}{
		{"4 digits", "4831", phone, true},
		{"5 digits", "27196", phone, true},
		{"6 digits", "902714", phone, true},
		{"no phone to compare", "4831", "", true},
		{"wrap-around is no run", "8901", "", true},
		{"pairs that are no pattern", "1122", "", true},
		{"digits of the phone, not its end", "9111", "+447911123456", true},

		{"empty", "", "", false},
		{"too short", "483", "", false},
		{"too long", "4831907", "", false},
		{"letters", "48a1", "", false},
		{"space", "48 31", "", false},
		{"sign", "-4831", "", false},
		{"non-ASCII digits", "٤٨٣١", "", false},
		{"all zero", "0000", "", false},
		{"one digit repeated", "111111", "", false},
		{"ascending", "1234", "", false},
		{"descending", "4321", "", false},
		{"ascending 6", "123456", "", false},
		{"descending 6", "654321", "", false},
		{"ascending from 0", "0123", "", false},
		{"descending to 0", "9876543210"[6:], "", false},
		{"pattern of 2", "1212", "", false},
		{"pattern of 3", "123123", "", false},
		{"pattern of 2 in 6", "383838", "", false},
		{"keypad column", "2580", "", false},
		{"keypad column down", "0852", "", false},
		{"well-known", "6969", "", false},
		{"end of the phone, 4", "4831", "+447911124831", false},
		{"end of the phone, 6", "124831", "+447911124831", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := identity.ValidatePIN("pin", tc.pin, tc.phone)
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			errtest.Code(t, err, ports.CodeValidationFailed, "%q must be refused", tc.pin)
			fields := errtest.Fields(t, err)
			assert.Len(t, fields, 1)
			assert.NotEmpty(t, fields["pin"], "the problem is reported on the given field")
		})
	}
}

func TestValidatePINReportsTheGivenField(t *testing.T) {
	err := identity.ValidatePIN("newPin", "1234", "")
	assert.Contains(t, errtest.Fields(t, err), "newPin")
}

func TestValidateDeviceKey(t *testing.T) {
	tests := []struct {
		name, key string
		ok        bool
	}{
		{"uuid", "5f0c6a4e-2b7d-4c1e-9a53-0d8f7b1e2c3a", true},
		{"128 chars", strings.Repeat("k", 128), true},
		{"empty", "", false},
		{"129 chars", strings.Repeat("k", 129), false},
		{"control character", "abc\n", false},
		{"non-ASCII", "désolé", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := identity.ValidateDeviceKey("deviceId", tc.key)
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			assert.Contains(t, errtest.Fields(t, err), "deviceId")
		})
	}
}
