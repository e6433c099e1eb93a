package email

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/adapters/internal/delivery"
	"github.com/gatehouse/gatehouse/ports"
)

const (
	smtpMaxAttempts     = 3                      // attempts for one message, first included
	smtpFirstBackoff    = 200 * time.Millisecond // wait after the first failed attempt, doubled each time
	smtpMaxMessageRunes = 256                    // a server's reply text is cut to this length
)

// ErrInvalidMessage is wrapped by the error SendEmail returns when the
// message itself is unfit to send (bad recipient, line break in a header).
// Retrying the same message cannot help.
var ErrInvalidMessage = errors.New("invalid email")

// ErrSTARTTLSUnavailable is wrapped by the error SendEmail returns when, in
// starttls mode, the server does not offer STARTTLS. Nothing (credentials
// included) was sent.
var ErrSTARTTLSUnavailable = errors.New("the SMTP server does not offer STARTTLS, which GATEHOUSE_SMTP_TLS=starttls requires; nothing was sent")

// errNoTLSForAuth guards the credentials should a connection reach AUTH
// without TLS (it cannot in the configurations Validate accepts).
var errNoTLSForAuth = errors.New("refusing to send credentials over a connection without TLS")

// errNoAuthPlain: the server does not offer the one mechanism we use.
var errNoAuthPlain = errors.New("the SMTP server does not offer AUTH PLAIN")

// SMTP delivers messages to a mail relay (submission server) with the
// standard library's SMTP client: one connection per message, STARTTLS or
// implicit TLS, AUTH PLAIN when credentials are configured. A failure
// before the message was handed over (network error or 4xx reply) is
// retried twice with a short backoff; anything from DATA on is not, so a
// message is never sent twice by this adapter. It logs a masked recipient,
// never the text (it holds one-time codes) nor the password.
type SMTP struct {
	cfg        SMTPConfig
	addr       string        // host:port
	from       *mail.Address // parsed cfg.From
	fromDomain string        // right of the last @ in from, for Message-IDs
	tlsConfig  *tls.Config
	secrets    []string // what must never show in an error: the password and its AUTH PLAIN forms
	log        *slog.Logger

	now   func() time.Time                                 // tests replace it
	sleep func(ctx context.Context, d time.Duration) error // waits d or until ctx is done; tests replace it
}

var _ ports.EmailSender = (*SMTP)(nil)

// NewSMTP validates cfg, fills its defaults and returns the adapter. A nil
// log discards.
func NewSMTP(cfg SMTPConfig, log *slog.Logger) (*SMTP, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("smtp email: %w", err)
	}
	cfg = cfg.withDefaults()
	from, err := parseFrom(cfg.From)
	if err != nil { // unreachable after Validate
		return nil, fmt.Errorf("smtp email: GATEHOUSE_SMTP_FROM %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &SMTP{
		cfg:        cfg,
		addr:       net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)),
		from:       from,
		fromDomain: from.Address[strings.LastIndexByte(from.Address, '@')+1:],
		tlsConfig: &tls.Config{
			ServerName: cfg.Host,
			RootCAs:    cfg.RootCAs,
			MinVersion: tls.VersionTLS12,
		},
		log:   log,
		now:   time.Now,
		sleep: delivery.Sleep,
	}
	if cfg.Password != "" {
		plain := "\x00" + cfg.Username + "\x00" + cfg.Password
		s.secrets = []string{
			cfg.Password,
			base64.StdEncoding.EncodeToString([]byte(plain)),
			base64.StdEncoding.EncodeToString([]byte(cfg.Password)),
		}
	}
	return s, nil
}

// SMTPError is a failed attempt to deliver: either the server's reply
// (Code is its 3-digit code) or a failure on the way (network, TLS, a
// refusal of ours; Code is 0 and Unwrap gives the cause).
type SMTPError struct {
	// Stage is the step that failed: "connect", "greeting", "ehlo",
	// "starttls", "auth", "mail from", "rcpt to" or "data".
	Stage string
	// Code is the server's reply code (e.g. 535), 0 if there was no reply.
	Code int
	// Message is the server's reply text, cut short, with our message
	// text, the password and the full recipient removed should it echo
	// them.
	Message string

	stage stage
	err   error // the cause when Code is 0
}

func (e *SMTPError) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("smtp %s: server answered %d %s", e.Stage, e.Code, e.Message)
	}
	return fmt.Sprintf("smtp %s: %v", e.Stage, e.err)
}

// Unwrap gives the cause of a failure that was not a server reply.
func (e *SMTPError) Unwrap() error { return e.err }

// Temporary reports whether the server answered with a transient (4xx)
// failure.
func (e *SMTPError) Temporary() bool { return e.Code >= 400 && e.Code < 500 }

// retryable reports whether a new attempt may succeed and cannot deliver
// the message twice: the failure is transient and came before DATA.
func (e *SMTPError) retryable() bool {
	if e.stage >= stageData {
		return false
	}
	if e.Code != 0 {
		return e.Temporary()
	}
	var ne net.Error
	return errors.As(e.err, &ne) || errors.Is(e.err, io.EOF) || errors.Is(e.err, io.ErrUnexpectedEOF)
}

var _ ports.SendFailure = (*SMTPError)(nil)

// SendReason sorts the failure into one of the ports.Send* reasons.
//
// With a reply: 530, 534 and 535 (and 454 while authenticating) mean the
// relay refused our credentials; 421 and 452 ask us to slow down
// (THROTTLED), any other 4xx is PROVIDER_UNAVAILABLE; at RCPT, 501, 510,
// 511, 550, 551 and 553 say the mailbox is wrong (INVALID_DESTINATION);
// any other reply is REJECTED.
//
// Without a reply: from DATA on the message may have been taken before the
// connection failed, so it is UNCONFIRMED; before DATA, a refusal of ours
// (the relay lacks STARTTLS or AUTH PLAIN) is REJECTED, and anything else
// (network, TLS, timeout) is PROVIDER_UNAVAILABLE.
func (e *SMTPError) SendReason() string {
	if e.Code == 0 {
		switch {
		case e.stage >= stageData:
			return ports.SendUnconfirmed
		case errors.Is(e.err, ErrSTARTTLSUnavailable), errors.Is(e.err, errNoTLSForAuth),
			errors.Is(e.err, errNoAuthPlain):
			return ports.SendRejected
		default:
			return ports.SendUnavailable
		}
	}
	switch e.Code {
	case 530, 534, 535:
		return ports.SendBadCredentials
	case 454:
		if e.stage == stageAuth {
			return ports.SendBadCredentials
		}
	}
	switch {
	case e.Code == 421 || e.Code == 452:
		return ports.SendThrottled
	case e.Temporary():
		return ports.SendUnavailable
	case e.stage == stageRcpt && isBadMailboxCode(e.Code):
		return ports.SendInvalidDestination
	default:
		return ports.SendRejected
	}
}

// Permanent reports whether sending the same message again cannot help:
// true for every reason but THROTTLED and PROVIDER_UNAVAILABLE. A 454 while
// authenticating is permanent too: a relay that cannot take our
// credentials now seldom takes them later.
func (e *SMTPError) Permanent() bool {
	switch e.SendReason() {
	case ports.SendThrottled, ports.SendUnavailable:
		return false
	default:
		return true
	}
}

// isBadMailboxCode reports whether a 5xx reply to RCPT says the mailbox
// does not exist or its address is wrong.
func isBadMailboxCode(code int) bool {
	switch code {
	case 501, 510, 511, 550, 551, 553:
		return true
	}
	return false
}

// stage is a step of one SMTP conversation, in order.
type stage int

const (
	stageConnect stage = iota
	stageGreeting
	stageEHLO
	stageSTARTTLS
	stageAuth
	stageMail
	stageRcpt
	stageData
)

var stageNames = [...]string{"connect", "greeting", "ehlo", "starttls", "auth", "mail from", "rcpt to", "data"}

func (s stage) String() string { return stageNames[s] }

// SendEmail delivers m to the relay. The error names the masked recipient
// and never holds the text or the password.
func (s *SMTP) SendEmail(ctx context.Context, m ports.Email) error {
	to, err := parseRecipient(m.To)
	if err != nil {
		return fmt.Errorf("smtp email: %w", refused(err))
	}
	masked := delivery.MaskEmail(to.Address)
	if err := checkSubject(m.Subject); err != nil {
		return fmt.Errorf("smtp email to %s: %w", masked, refused(err))
	}
	msg, err := s.buildMessage(to, m.Subject, m.Text, m.HTML)
	if err != nil {
		return fmt.Errorf("smtp email to %s: %w", masked, refused(err))
	}

	var last error // the last attempt's failure
	attempts, err := delivery.Retry(ctx, delivery.Policy{
		Attempts:  smtpMaxAttempts,
		FirstWait: smtpFirstBackoff,
		Transient: func(err error) bool {
			var se *SMTPError
			return errors.As(err, &se) && se.retryable()
		},
		Sleep: s.sleep,
		Retrying: func(attempt int, wait time.Duration, err error) {
			s.log.WarnContext(ctx, "email attempt failed, retrying", "provider", "smtp", "to", masked,
				"attempt", attempt, "wait", wait, "err", err)
		},
	}, func(ctx context.Context) (time.Duration, error) {
		last = s.attempt(ctx, to.Address, msg, m.Text)
		return 0, last
	})
	if err != nil {
		err = keepUnconfirmed(err, last)
		s.log.WarnContext(ctx, "email not sent", "provider", "smtp", "to", masked, "attempts", attempts, "err", err)
		return fmt.Errorf("smtp email to %s: %w", masked, err)
	}
	s.log.InfoContext(ctx, "email sent", "provider", "smtp", "to", masked, "attempts", attempts)
	return nil
}

// refusedError is a message SendEmail refused before connecting (it wraps
// ErrInvalidMessage): REJECTED, permanently. Its text is the cause's.
type refusedError struct{ err error }

func (e *refusedError) Error() string { return e.err.Error() }
func (e *refusedError) Unwrap() error { return e.err }

// SendReason is REJECTED: the message itself is unfit to send.
func (e *refusedError) SendReason() string { return ports.SendRejected }

// Permanent is true: the same message would be refused again.
func (e *refusedError) Permanent() bool { return true }

// refused marks err as a permanent refusal of ours when it wraps
// ErrInvalidMessage, and returns any other error as it is.
func refused(err error) error {
	if errors.Is(err, ErrInvalidMessage) {
		return &refusedError{err}
	}
	return err
}

// unconfirmedError is what SendEmail returns when ctx ended while the last
// attempt had failed after DATA without a reply: Retry then reports ctx's
// error alone, but a caller must still learn the message may have gone.
// Its text is Retry's; it unwraps to both errors.
type unconfirmedError struct {
	err  error
	last *SMTPError
}

func (e *unconfirmedError) Error() string   { return e.err.Error() }
func (e *unconfirmedError) Unwrap() []error { return []error{e.err, e.last} }

// keepUnconfirmed returns err, joined to last when last is an UNCONFIRMED
// failure that err (ctx's error, from Retry) no longer carries.
func keepUnconfirmed(err, last error) error {
	var se *SMTPError
	if !errors.As(last, &se) || se.SendReason() != ports.SendUnconfirmed || errors.As(err, new(*SMTPError)) {
		return err
	}
	return &unconfirmedError{err: err, last: se}
}

// attempt runs one SMTP conversation, dial to QUIT, within cfg.Timeout and
// ctx. Errors are *SMTPError.
func (s *SMTP) attempt(ctx context.Context, rcpt string, msg []byte, text string) error {
	deadline := time.Now().Add(s.cfg.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	actx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()

	fail := func(st stage, err error) error { return s.newError(st, err, rcpt, text) }

	conn, err := s.dial(actx)
	if err != nil {
		return fail(stageConnect, err)
	}
	defer conn.Close()
	// net/smtp knows no context: bound every read and write by the
	// deadline, and cut them short when ctx is cancelled.
	if err := conn.SetDeadline(deadline); err != nil {
		return fail(stageConnect, err)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		return fail(stageGreeting, err)
	}
	if err := c.Hello(s.cfg.HeloName); err != nil {
		return fail(stageEHLO, err)
	}
	if s.cfg.TLS == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			_ = c.Quit()
			return fail(stageSTARTTLS, ErrSTARTTLSUnavailable)
		}
		if err := c.StartTLS(s.tlsConfig); err != nil {
			return fail(stageSTARTTLS, err)
		}
	}
	if s.cfg.Username != "" {
		// Belt and braces: PlainAuth itself would send the password in
		// clear to a loopback host.
		if _, ok := c.TLSConnectionState(); !ok {
			return fail(stageAuth, errNoTLSForAuth)
		}
		ok, mechs := c.Extension("AUTH")
		if !ok || !hasField(mechs, "PLAIN") {
			_ = c.Quit()
			return fail(stageAuth, errNoAuthPlain)
		}
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host)); err != nil {
			return fail(stageAuth, err)
		}
	}
	if err := c.Mail(s.from.Address); err != nil {
		return fail(stageMail, err)
	}
	if err := c.Rcpt(rcpt); err != nil {
		return fail(stageRcpt, err)
	}
	w, err := c.Data()
	if err != nil {
		return fail(stageData, err)
	}
	if _, err := w.Write(msg); err != nil {
		return fail(stageData, err)
	}
	if err := w.Close(); err != nil {
		return fail(stageData, err)
	}
	// The message is accepted; a failed QUIT changes nothing.
	if err := c.Quit(); err != nil {
		s.log.DebugContext(ctx, "smtp quit failed after the message was accepted", "err", s.newError(stageData, err, rcpt, text))
	}
	return nil
}

func (s *SMTP) dial(ctx context.Context) (net.Conn, error) {
	d := &net.Dialer{}
	if s.cfg.TLS == TLSImplicit {
		td := &tls.Dialer{NetDialer: d, Config: s.tlsConfig}
		return td.DialContext(ctx, "tcp", s.addr)
	}
	return d.DialContext(ctx, "tcp", s.addr)
}

// newError wraps err as an *SMTPError, keeping a server's reply text only
// after scrubbing it.
func (s *SMTP) newError(st stage, err error, rcpt, text string) *SMTPError {
	e := &SMTPError{Stage: st.String(), stage: st}
	var te *textproto.Error
	if errors.As(err, &te) {
		e.Code = te.Code
		e.Message = s.scrub(te.Msg, rcpt, text)
		return e
	}
	if msg := err.Error(); s.scrub(msg, rcpt, text) != msg {
		// Our own errors hold none of these; should one ever, keep only
		// the scrubbed text.
		err = errors.New(s.scrub(msg, rcpt, text))
	}
	e.err = err
	return e
}

// scrub shortens a server's text and removes what it may echo of ours: the
// password (and its AUTH PLAIN encodings), the text (it holds the code) and
// the full recipient.
func (s *SMTP) scrub(msg, rcpt, text string) string {
	oldnew := make([]string, 0, 2*len(s.secrets)+4)
	for _, secret := range s.secrets {
		oldnew = append(oldnew, secret, delivery.Redacted(secret))
	}
	oldnew = append(oldnew, text, "[text]", rcpt, delivery.MaskEmail(rcpt))
	return delivery.Scrub(msg, smtpMaxMessageRunes, oldnew...)
}

func hasField(list, want string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, want) {
			return true
		}
	}
	return false
}
