// Command gatehouse-dev-idp is an OpenID provider for development only:
// it lets "sign in with an OpenID Connect provider" be tried on one
// machine, with nothing outside it (see README, "Sign in with Google or
// another OpenID Connect provider"). It serves discovery, JWKS, an
// authorization endpoint that approves at once, as the person the flags
// name, and a token endpoint that checks the client, the redirect URI and
// the PKCE verifier and returns an ES256-signed id token. It is the tests'
// provider (modules/federation/federationtest) on a port of its own.
//
// Anyone who reaches it is signed in as that person, so it listens on
// loopback only and refuses any other address.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gatehouse/gatehouse/modules/federation/federationtest"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "gatehouse-dev-idp:", err)
		os.Exit(2)
	}
}

const usage = `gatehouse-dev-idp: an OpenID provider FOR DEVELOPMENT ONLY.

Every authorization is approved at once, without asking anything, as the
person named by -email (and -verified, -name, -subject): whoever reaches it
signs in as that person. It therefore listens on loopback only (127.0.0.0/8,
::1, localhost) and refuses any other address. Never point a production
Gatehouse at it.

Gatehouse, in dev, then takes it as a provider (here named "dev"):

  GATEHOUSE_OIDC_PROVIDERS=dev
  GATEHOUSE_OIDC_DEV_ISSUER=http://127.0.0.1:9400      (the -addr, as printed)
  GATEHOUSE_OIDC_DEV_CLIENT_ID=gatehouse-dev           (-client-id)
  GATEHOUSE_OIDC_DEV_CLIENT_SECRET=dev-secret          (-client-secret)
  GATEHOUSE_OIDC_DEV_REDIRECT_URIS=http://127.0.0.1:5555/oidc/callback

Flags:
`

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gatehouse-dev-idp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:9400", "loopback `host:port` to listen on (port 0: any free one); the issuer is http://<addr>")
	email := fs.String("email", "", "the `address` of the person who signs in (required)")
	verified := fs.Bool("verified", false, "say the provider verified the email (email_verified: true)")
	name := fs.String("name", "", "the person's `name` (the name claim)")
	subject := fs.String("subject", "", "the person's `id` at this provider (the sub claim; default: derived from -email, so the same email is the same account on every start)")
	clientID := fs.String("client-id", "gatehouse-dev", "the client `id` Gatehouse must present")
	clientSecret := fs.String("client-secret", "dev-secret", "the client `secret` Gatehouse must present")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q (flags only; -h for help)", fs.Args())
	}
	var problems []string
	if err := checkLoopback(*addr); err != nil {
		problems = append(problems, err.Error())
	}
	if *email == "" {
		problems = append(problems, "-email is required: the person every authorization signs in")
	}
	if *clientID == "" || *clientSecret == "" {
		problems = append(problems, "-client-id and -client-secret must not be empty")
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	if *subject == "" {
		sum := sha256.Sum256([]byte(strings.ToLower(*email)))
		*subject = "dev-" + hex.EncodeToString(sum[:8])
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	issuer := "http://" + ln.Addr().String()
	op, err := federationtest.NewStandaloneOP(issuer, *clientID, *clientSecret)
	if err != nil {
		ln.Close()
		return err
	}
	op.SignsInAs(federationtest.Person{Subject: *subject, Email: *email, EmailVerified: *verified, Name: *name})

	logger := log.New(stderr, "gatehouse-dev-idp: ", log.LstdFlags)
	srv := &http.Server{Handler: logRequests(logger, op.Handler()), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, MaxHeaderBytes: 64 << 10}
	// The issuer line is the first on stdout, so a script (or a test)
	// that asked for port 0 learns where the provider is.
	fmt.Fprintf(stdout, "issuer %s\n", issuer)
	logger.Printf("DEVELOPMENT ONLY: every authorization signs in %s (email_verified=%t, sub=%s) for client %q",
		*email, *verified, *subject, *clientID)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-stop:
		return srv.Close()
	}
}

// checkLoopback refuses any listen address but a loopback one: the
// provider approves every authorization, so it may never be reachable
// from another machine. A name other than "localhost" is refused rather
// than resolved: what it resolves to can change.
func checkLoopback(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return fmt.Errorf("-addr %q: want host:port on loopback (e.g. 127.0.0.1:9400)", addr)
	}
	if host == "localhost" {
		return nil
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %q: not a loopback address; this development provider approves everyone, so it only listens on 127.0.0.0/8, ::1 or localhost", addr)
	}
	return nil
}

// logRequests logs each request's method, path and answer (never its
// query or body: those carry codes and the client secret).
func logRequests(l *log.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		l.Printf("%s %s → %d", r.Method, r.URL.Path, rec.status)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
