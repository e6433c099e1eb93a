package standin_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/adapters/standin"
	"github.com/gatehouse/gatehouse/ports"
)

// TestEveryCallIsRefused: a stand-in never pretends to have done the work.
func TestEveryCallIsRefused(t *testing.T) {
	r := standin.Refusing{What: "SMS sending"}
	ctx := context.Background()
	_, signErr := r.Sign(ports.AccessClaims{})
	_, verifyErr := r.Verify("eyJ.x.y", time.Now())
	_, sealErr := r.Seal([]byte("secret"), nil)
	_, openErr := r.Open([]byte("sealed"), nil)
	_, getErr := r.Get(ctx, "k")
	_, addrErr := r.Address(ctx, uuid.New())
	for name, err := range map[string]error{
		"SendSMS": r.SendSMS(ctx, "+447911123456", "hi"), "SendEmail": r.SendEmail(ctx, ports.Email{}),
		"Sign": signErr, "Verify": verifyErr, "Seal": sealErr, "Open": openErr,
		"Put": r.Put(ctx, "k", strings.NewReader("v"), 1), "Get": getErr, "Delete": r.Delete(ctx, "k"), "Address": addrErr,
	} {
		if err == nil || !strings.Contains(err.Error(), "SMS sending is not configured") {
			t.Errorf("%s: %v, want a refusal naming what is missing", name, err)
		}
	}
	if string(r.JWKS()) != `{"keys":[]}` {
		t.Errorf("JWKS publishes %s, want no keys", r.JWKS())
	}
}
