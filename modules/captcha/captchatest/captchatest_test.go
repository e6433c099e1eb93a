package captchatest_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/modules/captcha"
	"github.com/gatehouse/gatehouse/modules/captcha/captchatest"
	"github.com/gatehouse/gatehouse/ports"
)

func TestFakeFailuresContract(t *testing.T) {
	captchatest.RunFailures(t, func(t *testing.T, clock ports.Clock) captcha.Failures {
		return captchatest.NewFailures(clock)
	})
}
