package messages_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/gatehouse/gatehouse/modules/messages"
)

func TestModuleProvidesTheCatalogAndFailsTheStartOnABadOne(t *testing.T) {
	t.Parallel()
	var c *messages.Catalog
	fxtest.New(t, fx.Supply(messages.Config{ProductName: "Acme"}), messages.Module, fx.Populate(&c)).
		RequireStart().RequireStop()
	require.NotNil(t, c)
	assert.Equal(t, "Acme", c.ProductName())

	dir := operatorDir(t, map[string]string{"en/kyc_approved.sms.txt": "{{.Nope}}"})
	app := fx.New(fx.NopLogger, fx.Supply(messages.Config{ProductName: "Acme", Dir: dir}), messages.Module,
		fx.Invoke(func(*messages.Catalog) {}))
	require.Error(t, app.Err())
	assert.Contains(t, app.Err().Error(), "en/kyc_approved.sms.txt")
}
