package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatehouse/gatehouse/modules/delivery"
	"github.com/gatehouse/gatehouse/ports"
)

// Deliveries counts the delivery workers' tries:
// gatehouse_deliveries_total{channel,provider,result,reason}, result sent,
// retry (a transient failure, tried again) or failed (a dead letter).
type Deliveries struct{ tries *prometheus.CounterVec }

var _ delivery.Recorder = (*Deliveries)(nil)

// deliveryReasons are the reason label's values; any other is "other".
var deliveryReasons = []string{"", ports.SendInvalidDestination, ports.SendUnsubscribed, ports.SendBadCredentials,
	ports.SendRejected, ports.SendUnconfirmed, ports.SendThrottled, ports.SendUnavailable, delivery.ReasonExpired,
	delivery.ReasonLost}

// NewDeliveries registers the counter on reg.
func NewDeliveries(reg prometheus.Registerer) *Deliveries {
	d := &Deliveries{tries: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gatehouse_deliveries_total",
		Help: "Tries of queued SMS and e-mail by channel, provider, result (sent; retry: failed for now, tried again; failed: a dead letter) and the provider's classified reason.",
	}, []string{"channel", "provider", "result", "reason"})}
	reg.MustRegister(d.tries)
	return d
}

// Delivery implements delivery.Recorder.
func (d *Deliveries) Delivery(channel, provider, result, reason string) {
	d.tries.WithLabelValues(oneOf(channel, []string{ports.ChannelSMS, ports.ChannelEmail}), provider,
		oneOf(result, []string{"sent", "retry", "failed"}), oneOf(reason, deliveryReasons)).Inc()
}
