package metrics_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatehouse/gatehouse/adapters/metrics"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// value is the value of the counter (or the count of the histogram) name
// whose labels include every pair of labels ("k=v").
func value(t *testing.T, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			for _, want := range labels {
				k, v, _ := strings.Cut(want, "=")
				found := false
				for _, lp := range m.GetLabel() {
					found = found || (lp.GetName() == k && lp.GetValue() == v)
				}
				if !found {
					continue next
				}
			}
			if h := m.GetHistogram(); h != nil {
				return float64(h.GetSampleCount())
			}
			return m.GetCounter().GetValue()
		}
	}
	return -1
}

func TestActivityLogCountsSignInsAndCodes(t *testing.T) {
	reg := prometheus.NewRegistry()
	inner := portsfake.NewActivityLog()
	log := metrics.NewActivityLog(inner, reg)
	ctx := context.Background()
	if got := value(t, reg, "gatehouse_sign_ins_total", "method=pin", "result=succeeded"); got != 0 {
		t.Fatalf("pin/succeeded is not there at zero from the start: %v", got)
	}
	rec := func(topic, action string, result ports.ActivityResult, details map[string]string) {
		if err := log.Record(ctx, ports.Activity{Topic: topic, Action: action, Result: result, Details: details}); err != nil {
			t.Fatal(err)
		}
	}
	rec("SESSION", "sign_in.pin", ports.ActivitySucceeded, nil)
	rec("PIN", "sign_in.pin", ports.ActivityFailed, nil)
	rec("PIN", "sign_in.pin", ports.ActivityFailed, nil)
	rec("SESSION", "sign_in.second_factor", ports.ActivitySucceeded, nil)
	rec("SESSION", "sign_in.second_factor_asked", ports.ActivitySucceeded, nil)
	rec("RATE_LIMIT", "sign_in", ports.ActivityFailed, nil)
	rec("OTP", "otp.queued", ports.ActivitySucceeded, map[string]string{"channel": "SMS", "purpose": "SIGN_IN_NEW_DEVICE"})
	rec("OTP", "otp.queued", ports.ActivityFailed, map[string]string{"channel": "EMAIL", "purpose": "made-up"})
	rec("OTP", "otp.verify", ports.ActivitySucceeded, map[string]string{"channel": "SMS", "purpose": "SIGNUP"})

	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"gatehouse_sign_ins_total", []string{"method=pin", "result=succeeded"}, 1},
		{"gatehouse_sign_ins_total", []string{"method=pin", "result=failed"}, 2},
		{"gatehouse_sign_ins_total", []string{"method=second_factor", "result=succeeded"}, 1},
		{"gatehouse_sign_ins_total", []string{"method=any", "result=rate_limited"}, 1},
		{"gatehouse_otp_sends_total", []string{"channel=SMS", "purpose=SIGN_IN_NEW_DEVICE", "result=succeeded"}, 1},
		{"gatehouse_otp_sends_total", []string{"channel=EMAIL", "purpose=other", "result=failed"}, 1},
		{"gatehouse_otp_sends_total", []string{"channel=SMS", "purpose=SIGNUP", "result=succeeded"}, 0},
	} {
		if got := value(t, reg, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if n := len(inner.Activities()); n != 9 {
		t.Errorf("the decorated log holds %d rows, want 9", n)
	}
}

func TestArgon2Wait(t *testing.T) {
	reg := prometheus.NewRegistry()
	w := metrics.NewArgon2Wait(reg)
	w.Observe(0)
	w.Observe(3 * time.Millisecond)
	if got := value(t, reg, "gatehouse_argon2_wait_seconds"); got != 2 {
		t.Fatalf("argon2 waits observed: %v", got)
	}
}
