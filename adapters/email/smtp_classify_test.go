package email

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/ports"
)

func smtpReply(code int, enhanced gosmtp.EnhancedCode, msg string) *gosmtp.SMTPError {
	return &gosmtp.SMTPError{Code: code, EnhancedCode: enhanced, Message: msg}
}

// TestSMTPClassifiesFailures makes the fake relay answer as real ones do
// and checks how the error SendEmail returns is classified.
func TestSMTPClassifiesFailures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		opts      fakeOptions
		password  string // sent instead of testPassword when set
		startTLS  bool   // demand STARTTLS of a server without it
		untrusted bool   // trust no certificate
		reason    string
		permanent bool
		code      int    // the SMTPError's reply code, 0: none expected
		stage     string // the SMTPError's stage, "": no SMTPError expected
		conns     int    // connections made
		delivered int    // messages the relay took
	}{
		{name: "535 wrong password", password: "not-the-password",
			reason: ports.SendBadCredentials, permanent: true, code: 535, stage: "auth", conns: 1},
		{name: "534 auth mechanism too weak", opts: fakeOptions{authErr: smtpReply(534, gosmtp.EnhancedCode{5, 7, 9}, "Authentication mechanism is too weak")},
			reason: ports.SendBadCredentials, permanent: true, code: 534, stage: "auth", conns: 1},
		{name: "454 at auth", opts: fakeOptions{authErr: smtpReply(454, gosmtp.EnhancedCode{4, 7, 0}, "Temporary authentication failure")},
			reason: ports.SendBadCredentials, permanent: true, code: 454, stage: "auth", conns: 3},
		{name: "550 no such user at RCPT", opts: fakeOptions{rcptErr: smtpReply(550, gosmtp.EnhancedCode{5, 1, 1}, "No such user here")},
			reason: ports.SendInvalidDestination, permanent: true, code: 550, stage: "rcpt to", conns: 1},
		{name: "553 mailbox name not allowed at RCPT", opts: fakeOptions{rcptErr: smtpReply(553, gosmtp.EnhancedCode{5, 1, 3}, "Bad recipient address syntax")},
			reason: ports.SendInvalidDestination, permanent: true, code: 553, stage: "rcpt to", conns: 1},
		{name: "554 policy at RCPT", opts: fakeOptions{rcptErr: smtpReply(554, gosmtp.EnhancedCode{5, 7, 1}, "Recipient address rejected: Access denied")},
			reason: ports.SendRejected, permanent: true, code: 554, stage: "rcpt to", conns: 1},
		{name: "552 message too big at DATA", opts: fakeOptions{dataErr: smtpReply(552, gosmtp.EnhancedCode{5, 3, 4}, "Message size exceeds fixed limit")},
			reason: ports.SendRejected, permanent: true, code: 552, stage: "data", conns: 1},
		{name: "450 mailbox busy at RCPT", opts: fakeOptions{rcptErr: smtpReply(450, gosmtp.EnhancedCode{4, 2, 0}, "Mailbox busy")},
			reason: ports.SendUnavailable, permanent: false, code: 450, stage: "rcpt to", conns: 3},
		{name: "452 too many recipients at RCPT", opts: fakeOptions{rcptErr: smtpReply(452, gosmtp.EnhancedCode{4, 5, 3}, "Too many recipients, slow down")},
			reason: ports.SendThrottled, permanent: false, code: 452, stage: "rcpt to", conns: 3},
		{name: "421 at greeting", opts: fakeOptions{rejectConns: 10},
			reason: ports.SendThrottled, permanent: false, code: 421, stage: "greeting", conns: 3},
		{name: "451 at DATA", opts: fakeOptions{dataErr: smtpReply(451, gosmtp.EnhancedCode{4, 3, 0}, "Local error in processing")},
			reason: ports.SendUnavailable, permanent: false, code: 451, stage: "data", conns: 1},
		{name: "connection cut after DATA", opts: fakeOptions{afterData: func(c net.Conn) { _ = c.Close() }},
			reason: ports.SendUnconfirmed, permanent: true, stage: "data", conns: 1, delivered: 1},
		{name: "no STARTTLS offered", opts: fakeOptions{tls: noTLS}, startTLS: true,
			reason: ports.SendRejected, permanent: true, stage: "starttls", conns: 1},
		{name: "untrusted certificate", untrusted: true,
			reason: ports.SendUnavailable, permanent: false, stage: "starttls", conns: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := tc.opts
			opts.user, opts.password = testUser, testPassword
			if opts.tls == noTLS {
				opts.allowInsecureAuth = true
			}
			srv := newFakeSMTP(t, opts)
			cfg := srv.config()
			if tc.password != "" {
				cfg.Password = tc.password
			}
			if tc.startTLS {
				cfg.TLS = TLSStartTLS
			}
			if tc.untrusted {
				cfg.RootCAs = x509.NewCertPool()
			}
			s, _, _ := newTestSMTP(t, cfg)

			err := s.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "Code", Text: "Code " + testCode})
			require.Error(t, err)
			reason, permanent := ports.ClassifySend(err)
			assert.Equal(t, tc.reason, reason, "reason of %v", err)
			assert.Equal(t, tc.permanent, permanent, "permanence of %v", err)

			var f ports.SendFailure
			require.ErrorAs(t, err, &f, "the error classifies itself")
			var se *SMTPError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tc.stage, se.Stage)
			assert.Equal(t, tc.code, se.Code)

			conns, _, _, _, msgs := srv.snapshot()
			assert.Equal(t, tc.conns, conns, "connections")
			assert.Len(t, msgs, tc.delivered, "messages the relay took")
		})
	}
}

func TestSMTPClassifiesLocalRefusalAsRejected(t *testing.T) {
	t.Parallel()
	srv := newFakeSMTP(t, fakeOptions{tls: offerSTARTTLS, user: testUser, password: testPassword})
	s, _, _ := newTestSMTP(t, srv.config())
	for name, m := range map[string]ports.Email{
		"not an address":  {To: "alice", Subject: "Code", Text: testCode},
		"CRLF in To":      {To: testTo + "\r\nBcc: mallory@example.net", Subject: "Code", Text: testCode},
		"CRLF in Subject": {To: testTo, Subject: "Code\r\nBcc: mallory@example.net", Text: testCode},
	} {
		err := s.SendEmail(context.Background(), m)
		require.ErrorIs(t, err, ErrInvalidMessage, name)
		reason, permanent := ports.ClassifySend(err)
		assert.Equal(t, ports.SendRejected, reason, name)
		assert.True(t, permanent, name)
	}
	conns, _, _, _, _ := srv.snapshot()
	assert.Zero(t, conns, "nothing was sent")
}

// A relay that is not there (its listener closed): connection refused on
// every attempt, PROVIDER_UNAVAILABLE and transient.
func TestSMTPClassifiesServerGoneAsUnavailable(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())

	s, _, waits := newTestSMTP(t, SMTPConfig{Host: "127.0.0.1", Port: port, From: testFrom})
	err = s.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "Code", Text: testCode})
	require.Error(t, err)
	reason, permanent := ports.ClassifySend(err)
	assert.Equal(t, ports.SendUnavailable, reason)
	assert.False(t, permanent)
	var se *SMTPError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "connect", se.Stage)
	assert.Len(t, *waits, 2, "retried")
}

// A relay that accepts connections and never answers: each attempt times
// out, PROVIDER_UNAVAILABLE and transient.
func TestSMTPClassifiesTimeoutAsUnavailable(t *testing.T) {
	t.Parallel()
	host, port, _ := silentListener(t)
	s, _, _ := newTestSMTP(t, SMTPConfig{Host: host, Port: port, From: testFrom, Timeout: 50 * time.Millisecond})
	err := s.SendEmail(context.Background(), ports.Email{To: testTo, Subject: "Code", Text: testCode})
	require.Error(t, err)
	reason, permanent := ports.ClassifySend(err)
	assert.Equal(t, ports.SendUnavailable, reason)
	assert.False(t, permanent)
}

// When ctx ends while the relay holds back its reply to the message, Retry
// reports ctx's error; the error must still say the message may have gone.
func TestSMTPCancelAfterDataStaysUnconfirmed(t *testing.T) {
	t.Parallel()
	taken := make(chan struct{})
	release := make(chan struct{})
	defer close(release)
	srv := newFakeSMTP(t, fakeOptions{tls: offerSTARTTLS, user: testUser, password: testPassword,
		afterData: func(net.Conn) {
			close(taken)
			<-release
		}})
	s, _, waits := newTestSMTP(t, srv.config())

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-taken
		cancel()
	}()
	err := s.SendEmail(ctx, ports.Email{To: testTo, Subject: "Code", Text: testCode})
	require.ErrorIs(t, err, context.Canceled)
	reason, permanent := ports.ClassifySend(err)
	assert.Equal(t, ports.SendUnconfirmed, reason)
	assert.True(t, permanent)
	assert.Contains(t, err.Error(), "context canceled (last error: smtp data: ", "the text is Retry's")
	assert.Empty(t, *waits)

	// A cancel before anything was handed over stays transient.
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	err = s.SendEmail(ctx, ports.Email{To: testTo, Subject: "Code", Text: testCode})
	require.Error(t, err)
	reason, permanent = ports.ClassifySend(err)
	assert.Equal(t, ports.SendUnavailable, reason)
	assert.False(t, permanent)
	assert.False(t, errors.As(err, new(*unconfirmedError)))
}
