// An in-process SMTP relay built on github.com/emersion/go-smtp, speaking
// the real protocol (EHLO, STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA), for the
// adapter's tests. It records what it was told and whether TLS was in
// effect at each step.

package email

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"
	"github.com/stretchr/testify/require"
)

const (
	testUser     = "relay-user@example.com"
	testPassword = "s3cr3t-Pa55word!"
	testFrom     = "Gatehouse <no-reply@example.com>"
	testFromAddr = "no-reply@example.com"
	testTo       = "alice@example.org"
	testCode     = "482913"
)

// testTLS is a self-signed ECDSA certificate for 127.0.0.1, ::1 and
// localhost, made once per test binary, and a pool trusting it.
var testTLS = sync.OnceValues(func() (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "gatehouse test smtp"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
})

// serverTLS is how the fake offers TLS.
type serverTLS int

const (
	offerSTARTTLS serverTLS = iota // plain listener, STARTTLS advertised
	implicitTLS                    // TLS from the first byte
	noTLS                          // plain text only
)

type fakeOptions struct {
	tls serverTLS
	// allowInsecureAuth lets the server take AUTH without TLS, to prove
	// the client does not offer it.
	allowInsecureAuth bool
	// user and password are the accepted credentials; empty user: no AUTH
	// advertised and none required.
	user, password string
	// rejectConns connections are greeted with 421 and closed first.
	rejectConns int
	// rcptErr and dataErr, when set, answer RCPT and DATA.
	rcptErr, dataErr error
	// authErr, when set, answers AUTH whatever the credentials (they are
	// still recorded).
	authErr error
	// afterData, when set, is called with the connection once a message
	// has been taken (and recorded), before the 250 reply: it may close
	// the connection or hold the reply back.
	afterData func(net.Conn)
}

// authCall is one AUTH PLAIN exchange as the server saw it.
type authCall struct {
	Identity, Username, Password string
	TLS                          bool
	TLSVersion                   uint16
}

// received is one message accepted by DATA.
type received struct {
	From    string
	To      []string
	Data    []byte
	TLS     bool // TLS in effect at DATA
	Authed  bool
	Helo    string
	TLSAtRM bool // TLS in effect at MAIL and RCPT
}

type fakeSMTP struct {
	opts fakeOptions
	Host string
	Port int

	mu       sync.Mutex
	conns    int        // connections accepted, rejected ones included
	sessions int        // sessions created (one per EHLO/HELO greeting)
	auths    []authCall // every AUTH attempt
	mails    int        // MAIL commands
	msgs     []received
}

func newFakeSMTP(t *testing.T, opts fakeOptions) *fakeSMTP {
	t.Helper()
	f := &fakeSMTP{opts: opts}
	cert, _ := testTLS()
	tlsCfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}

	s := gosmtp.NewServer(gosmtp.BackendFunc(f.newSession))
	s.Domain = "localhost"
	s.AllowInsecureAuth = opts.allowInsecureAuth
	s.MaxMessageBytes = 1 << 20
	s.MaxRecipients = 10
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	s.ErrorLog = log.New(io.Discard, "", 0)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var ln net.Listener = &rejectingListener{Listener: l, f: f}
	switch opts.tls {
	case offerSTARTTLS:
		s.TLSConfig = tlsCfg
	case implicitTLS:
		ln = tls.NewListener(ln, tlsCfg)
	}
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(func() { _ = s.Close() })

	addr := l.Addr().(*net.TCPAddr)
	f.Host, f.Port = addr.IP.String(), addr.Port
	return f
}

// rejectingListener counts connections and greets the first
// opts.rejectConns of them with 421 before closing them.
type rejectingListener struct {
	net.Listener
	f *fakeSMTP
}

func (l *rejectingListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		l.f.mu.Lock()
		l.f.conns++
		reject := l.f.conns <= l.f.opts.rejectConns
		l.f.mu.Unlock()
		if !reject {
			return c, nil
		}
		_, _ = io.WriteString(c, "421 4.3.2 Service not available, try again later\r\n")
		_ = c.Close()
	}
}

func (f *fakeSMTP) newSession(c *gosmtp.Conn) (gosmtp.Session, error) {
	f.mu.Lock()
	f.sessions++
	f.mu.Unlock()
	return &fakeSession{f: f, c: c}, nil
}

// snapshot returns copies of what was recorded.
func (f *fakeSMTP) snapshot() (conns, sessions, mails int, auths []authCall, msgs []received) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.conns, f.sessions, f.mails, append([]authCall(nil), f.auths...), append([]received(nil), f.msgs...)
}

func (f *fakeSMTP) config() SMTPConfig {
	_, pool := testTLS()
	cfg := SMTPConfig{
		Host:     f.Host,
		Port:     f.Port,
		Username: f.opts.user,
		Password: f.opts.password,
		From:     testFrom,
		RootCAs:  pool,
		HeloName: "gatehouse.test",
		Timeout:  5 * time.Second,
	}
	switch f.opts.tls {
	case implicitTLS:
		cfg.TLS = TLSImplicit
	case noTLS:
		cfg.TLS = TLSNone
	}
	return cfg
}

type fakeSession struct {
	f      *fakeSMTP
	c      *gosmtp.Conn
	authed bool
	from   string
	to     []string
	tlsRM  bool
}

var _ gosmtp.AuthSession = (*fakeSession)(nil)

func (s *fakeSession) isTLS() (bool, uint16) {
	st, ok := s.c.TLSConnectionState()
	return ok && st.HandshakeComplete, st.Version
}

func (s *fakeSession) AuthMechanisms() []string {
	if s.f.opts.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *fakeSession) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, gosmtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		isTLS, version := s.isTLS()
		s.f.mu.Lock()
		s.f.auths = append(s.f.auths, authCall{identity, username, password, isTLS, version})
		s.f.mu.Unlock()
		if s.f.opts.authErr != nil {
			return s.f.opts.authErr
		}
		if username != s.f.opts.user || password != s.f.opts.password {
			return gosmtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *fakeSession) Mail(from string, _ *gosmtp.MailOptions) error {
	s.f.mu.Lock()
	s.f.mails++
	s.f.mu.Unlock()
	if s.f.opts.user != "" && !s.authed {
		return gosmtp.ErrAuthRequired
	}
	s.from = from
	s.tlsRM, _ = s.isTLS()
	return nil
}

func (s *fakeSession) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	if s.f.opts.rcptErr != nil {
		return s.f.opts.rcptErr
	}
	s.to = append(s.to, to)
	isTLS, _ := s.isTLS()
	s.tlsRM = s.tlsRM && isTLS
	return nil
}

func (s *fakeSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.f.opts.dataErr != nil {
		return s.f.opts.dataErr
	}
	isTLS, _ := s.isTLS()
	s.f.mu.Lock()
	s.f.msgs = append(s.f.msgs, received{
		From: s.from, To: append([]string(nil), s.to...), Data: data,
		TLS: isTLS, Authed: s.authed, Helo: s.c.Hostname(), TLSAtRM: s.tlsRM,
	})
	s.f.mu.Unlock()
	if s.f.opts.afterData != nil {
		s.f.opts.afterData(s.c.Conn())
	}
	return nil
}

func (s *fakeSession) Reset() { s.from, s.to = "", nil }

func (s *fakeSession) Logout() error { return nil }
