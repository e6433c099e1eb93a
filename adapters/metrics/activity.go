package metrics

import (
	"context"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// signInMethods maps the activity actions of a sign-in step that opens a
// session (and of its refusals) to the method label. The steps that only
// ask for more (sign_in.second_factor_asked, sign_in.new_device_challenge)
// open nothing and are not counted.
var signInMethods = map[string]string{
	"sign_in.pin":             "pin",
	"sign_in.password":        "password",
	"sign_in.device_verified": "device",
	"sign_in.second_factor":   "second_factor",
	"sign_in.oidc":            "oidc",
}

var (
	otpChannels = []string{string(otp.ChannelSMS), string(otp.ChannelEmail)}
	otpPurposes = []string{string(otp.PurposeSignup), string(otp.PurposeSignInNewDevice), string(otp.PurposePinSetup),
		string(otp.PurposeEmailSignup), string(otp.PurposeSignInMFA), string(otp.PurposePasswordReset),
		string(otp.PurposeContactChange), string(otp.PurposePhoneAdd), string(otp.PurposePINReset)}
)

// ActivityLog decorates a ports.ActivityLog: every activity recorded
// passes through unchanged, and those that are sign-ins or OTP sends move
// gatehouse_sign_ins_total{method,result} and
// gatehouse_otp_sends_total{channel,purpose,result}. An activity counts
// once its row is written (a row written inside a transaction that later
// rolls back still counted: these are operations metrics, the product
// metrics read the table).
type ActivityLog struct {
	ports.ActivityLog
	signIns  *prometheus.CounterVec
	otpSends *prometheus.CounterVec
}

// NewActivityLog wraps next and registers its counters on reg.
func NewActivityLog(next ports.ActivityLog, reg prometheus.Registerer) *ActivityLog {
	l := &ActivityLog{
		ActivityLog: next,
		signIns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gatehouse_sign_ins_total",
			Help: "Sign-in steps that open a session (result succeeded) or were refused (failed, denied), by method; rate-limited attempts have method any.",
		}, []string{"method", "result"}),
		otpSends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gatehouse_otp_sends_total",
			Help: "One-time codes queued for delivery, by channel, purpose and result (what the providers then did is gatehouse_deliveries_total).",
		}, []string{"channel", "purpose", "result"}),
	}
	reg.MustRegister(l.signIns, l.otpSends)
	// The usual series exist from the start, at zero.
	for _, m := range signInMethods {
		l.signIns.WithLabelValues(m, "succeeded")
		l.signIns.WithLabelValues(m, "failed")
	}
	for _, c := range otpChannels {
		l.otpSends.WithLabelValues(c, string(otp.PurposeSignup), "succeeded")
	}
	return l
}

// Record records a and counts it once written.
func (l *ActivityLog) Record(ctx context.Context, a ports.Activity) error {
	err := l.ActivityLog.Record(ctx, a)
	if err == nil {
		l.count(a)
	}
	return err
}

func (l *ActivityLog) count(a ports.Activity) {
	result := strings.ToLower(string(a.Result))
	switch result {
	case "succeeded", "failed", "denied":
	default:
		result = "other"
	}
	switch {
	case a.Action == "otp.queued":
		l.otpSends.WithLabelValues(oneOf(a.Details["channel"], otpChannels), oneOf(a.Details["purpose"], otpPurposes),
			result).Inc()
	case a.Topic == "RATE_LIMIT" && a.Action == "sign_in":
		l.signIns.WithLabelValues("any", "rate_limited").Inc()
	default:
		if m, ok := signInMethods[a.Action]; ok {
			l.signIns.WithLabelValues(m, result).Inc()
		}
	}
}

// oneOf is v when it is one of known, else "other": label values stay a
// known set whatever a row holds.
func oneOf(v string, known []string) string {
	for _, k := range known {
		if v == k {
			return v
		}
	}
	return "other"
}
