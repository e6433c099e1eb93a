// Package hydra binds the login, consent and logout provider (modules/consent)
// to Ory Hydra's admin API, with github.com/ory/hydra-client-go/v2.
package hydra

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"time"

	hydra "github.com/ory/hydra-client-go/v2"

	"github.com/gatehouse/gatehouse/modules/consent"
	"github.com/gatehouse/gatehouse/ports"
)

const (
	// callTimeout bounds one call to the admin API, its retry included: a
	// page waits for Hydra while a person looks at a spinner.
	callTimeout = 10 * time.Second
	// retryDelay: a call that did not reach Hydra (refused, reset, 502-504)
	// is tried once more after this, which rides over Hydra restarting.
	retryDelay = 250 * time.Millisecond
	// consentPageSize and maxConsentPages bound the consent sessions read
	// for one person (Hydra's largest page is 500).
	consentPageSize = 500
	maxConsentPages = 10
	// maxChallengeLen: Hydra's challenges are encrypted flows of a few
	// hundred bytes; anything longer is not one of them.
	maxChallengeLen = 4096
)

// Admin is consent.Challenges and consent.Grants on Hydra's admin API.
// Hydra's answers never reach a person: a challenge Hydra no longer knows
// is consent.ErrChallengeGone, Hydra unreachable, too slow or failing is
// ports.Error UNAVAILABLE, anything else an error whose text is for the
// logs only.
type Admin struct {
	api        hydra.OAuth2API
	timeout    time.Duration // callTimeout; tests shorten it
	retryDelay time.Duration
}

var (
	_ consent.Challenges = (*Admin)(nil)
	_ consent.Grants     = (*Admin)(nil)
)

// New returns an Admin on the admin API at adminURL (e.g.
// http://127.0.0.1:4445). A nil httpClient is a bounded one of our own;
// either way redirects are not followed and each call is bounded by
// callTimeout.
func New(adminURL string, httpClient *http.Client) (*Admin, error) {
	u, err := url.Parse(adminURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("hydra: the admin URL must be an absolute http(s) URL such as http://127.0.0.1:4445")
	}
	var c http.Client
	if httpClient != nil {
		c = *httpClient // shallow copy: the caller's client keeps its own redirect policy
	} else {
		c.Transport = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 3 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: callTimeout,
			MaxIdleConnsPerHost:   16,
			IdleConnTimeout:       90 * time.Second,
		}
	}
	if c.Timeout == 0 || c.Timeout > callTimeout {
		c.Timeout = callTimeout
	}
	// The admin API answers; it does not redirect. A redirect would be a
	// proxy in the way: an unexpected answer, not something to follow.
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	cfg := hydra.NewConfiguration()
	cfg.Servers = hydra.ServerConfigurations{{URL: strings.TrimRight(u.String(), "/")}}
	cfg.HTTPClient = &c
	cfg.UserAgent = "gatehouse"
	return &Admin{api: hydra.NewAPIClient(cfg).OAuth2API, timeout: callTimeout, retryDelay: retryDelay}, nil
}

// call runs one admin API request with the deadline and the retry, and
// maps its failure. get says the request only reads, so it may be retried
// even when Hydra may have seen it.
func call[T any](ctx context.Context, a *Admin, what string, get bool, do func(context.Context) (T, *http.Response, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	v, res, err := do(ctx)
	closeBody(res)
	if err != nil && retryable(res, err, get) && ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-time.After(a.retryDelay):
			v, res, err = do(ctx)
			closeBody(res)
		}
	}
	if err != nil {
		var zero T
		return zero, mapErr(what, res, err)
	}
	return v, nil
}

func closeBody(res *http.Response) {
	if res != nil && res.Body != nil {
		res.Body.Close()
	}
}

// retryable: the request did not reach Hydra (refused, reset before an
// answer), or Hydra's proxy said it is not there (502, 503, 504). Only a
// read is retried after a timeout or a reset, where Hydra may have acted.
func retryable(res *http.Response, err error, get bool) bool {
	if res != nil {
		switch res.StatusCode {
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
		return false
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	return get && !errors.Is(err, context.Canceled)
}

// mapErr turns a failed call into what the contract says. Of Hydra's
// answer only its status and error code (e.g. invalid_request) are kept,
// for the logs: its descriptions can carry request details, and nothing of
// it is for a person to read.
func mapErr(what string, res *http.Response, err error) error {
	if res == nil {
		// No answer: refused, reset, a timeout, DNS.
		return ports.Unavailable(fmt.Errorf("hydra: %s: %w", what, err))
	}
	code := oauthError(err)
	switch {
	case res.StatusCode == http.StatusNotFound, res.StatusCode == http.StatusGone, res.StatusCode == http.StatusConflict:
		return fmt.Errorf("hydra: %s: %d %s: %w", what, res.StatusCode, code, consent.ErrChallengeGone)
	case res.StatusCode == http.StatusUnauthorized && code == "request_unauthorized":
		// Hydra's answer to a login, consent or logout request older
		// than its ttl.login_consent_request ("The login request has
		// expired").
		return fmt.Errorf("hydra: %s: expired: %w", what, consent.ErrChallengeGone)
	case res.StatusCode == http.StatusTooManyRequests || res.StatusCode >= 500:
		return ports.Unavailable(fmt.Errorf("hydra: %s: %d %s", what, res.StatusCode, code))
	}
	return fmt.Errorf("hydra: %s: unexpected answer %d %s", what, res.StatusCode, code)
}

// oauthError is the "error" field of Hydra's JSON answer, for the logs.
func oauthError(err error) string {
	var e interface{ Body() []byte }
	if !errors.As(err, &e) {
		return ""
	}
	var body struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(e.Body(), &body) != nil || len(body.Error) > 64 {
		return ""
	}
	return body.Error
}

// checkChallenge refuses what cannot be a challenge before asking Hydra.
func checkChallenge(challenge string) error {
	if challenge == "" || len(challenge) > maxChallengeLen {
		return consent.ErrChallengeGone
	}
	return nil
}

func client(c *hydra.OAuth2Client) consent.Client {
	if c == nil {
		return consent.Client{}
	}
	return consent.Client{ID: c.GetClientId(), Name: c.GetClientName(), URI: c.GetClientUri(), Logo: c.GetLogoUri()}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (a *Admin) LoginRequest(ctx context.Context, challenge string) (consent.LoginRequest, error) {
	if err := checkChallenge(challenge); err != nil {
		return consent.LoginRequest{}, err
	}
	r, err := call(ctx, a, "get login request", true, func(ctx context.Context) (*hydra.OAuth2LoginRequest, *http.Response, error) {
		return a.api.GetOAuth2LoginRequest(ctx).LoginChallenge(challenge).Execute()
	})
	if err != nil {
		return consent.LoginRequest{}, err
	}
	out := consent.LoginRequest{Challenge: challenge, Client: client(&r.Client), Skip: r.Skip,
		RequestedScopes: nonNil(r.RequestedScope), RequestURL: r.RequestUrl}
	if r.Skip {
		out.Subject = r.Subject
	}
	if oc := r.OidcContext; oc != nil {
		out.LoginHint, out.UILocales = oc.GetLoginHint(), oc.UiLocales
	}
	return out, nil
}

func (a *Admin) AcceptLogin(ctx context.Context, challenge string, acc consent.LoginAcceptance) (string, error) {
	if err := checkChallenge(challenge); err != nil {
		return "", err
	}
	if acc.Subject == "" {
		return "", errors.New("hydra: accept login: no subject")
	}
	body := hydra.NewAcceptOAuth2LoginRequest(acc.Subject)
	if len(acc.AMR) > 0 {
		body.Amr = acc.AMR
	}
	if acc.Browser != "" {
		// Hydra hands the login's context back with the consent request.
		body.Context = map[string]any{browserContextKey: acc.Browser}
	}
	if acc.Remember {
		body.SetRemember(true)
		body.SetRememberFor(int64(acc.RememberFor / time.Second))
	}
	return redirect(call(ctx, a, "accept login", false, func(ctx context.Context) (*hydra.OAuth2RedirectTo, *http.Response, error) {
		return a.api.AcceptOAuth2LoginRequest(ctx).LoginChallenge(challenge).AcceptOAuth2LoginRequest(*body).Execute()
	}))
}

func (a *Admin) RejectLogin(ctx context.Context, challenge string, r consent.Refusal) (string, error) {
	if err := checkChallenge(challenge); err != nil {
		return "", err
	}
	body := refusal(r)
	return redirect(call(ctx, a, "reject login", false, func(ctx context.Context) (*hydra.OAuth2RedirectTo, *http.Response, error) {
		return a.api.RejectOAuth2LoginRequest(ctx).LoginChallenge(challenge).RejectOAuth2Request(body).Execute()
	}))
}

func refusal(r consent.Refusal) hydra.RejectOAuth2Request {
	var body hydra.RejectOAuth2Request
	if r.Error == "" {
		r.Error = "access_denied"
	}
	body.SetError(r.Error)
	if r.Description != "" {
		body.SetErrorDescription(r.Description)
	}
	return body
}

func redirect(r *hydra.OAuth2RedirectTo, err error) (string, error) {
	if err != nil {
		return "", err
	}
	if r.RedirectTo == "" {
		return "", errors.New("hydra: an answer without redirect_to")
	}
	return r.RedirectTo, nil
}

func (a *Admin) ConsentRequest(ctx context.Context, challenge string) (consent.ConsentRequest, error) {
	if err := checkChallenge(challenge); err != nil {
		return consent.ConsentRequest{}, err
	}
	r, err := call(ctx, a, "get consent request", true, func(ctx context.Context) (*hydra.OAuth2ConsentRequest, *http.Response, error) {
		return a.api.GetOAuth2ConsentRequest(ctx).ConsentChallenge(challenge).Execute()
	})
	if err != nil {
		return consent.ConsentRequest{}, err
	}
	out := consent.ConsentRequest{Challenge: challenge, Client: client(r.Client), Skip: r.GetSkip(), Subject: r.GetSubject(),
		RequestedScopes: nonNil(r.RequestedScope), RequestedAudience: nonNil(r.RequestedAccessTokenAudience)}
	if c, ok := r.GetContext().(map[string]any); ok {
		out.Browser, _ = c[browserContextKey].(string)
	}
	return out, nil
}

// browserContextKey holds LoginAcceptance.Browser in Hydra's login context.
const browserContextKey = "gatehouse_browser"

func (a *Admin) AcceptConsent(ctx context.Context, challenge string, acc consent.ConsentAcceptance) (string, error) {
	if err := checkChallenge(challenge); err != nil {
		return "", err
	}
	body := hydra.AcceptOAuth2ConsentRequest{GrantScope: nonNil(acc.GrantScopes), GrantAccessTokenAudience: acc.GrantAudience}
	if acc.Remember {
		body.SetRemember(true)
		body.SetRememberFor(int64(acc.RememberFor / time.Second))
	}
	if len(acc.IDToken) > 0 || len(acc.AccessToken) > 0 {
		s := hydra.AcceptOAuth2ConsentRequestSession{}
		if len(acc.IDToken) > 0 {
			s.IdToken = acc.IDToken
		}
		if len(acc.AccessToken) > 0 {
			s.AccessToken = acc.AccessToken
		}
		body.Session = &s
	}
	return redirect(call(ctx, a, "accept consent", false, func(ctx context.Context) (*hydra.OAuth2RedirectTo, *http.Response, error) {
		return a.api.AcceptOAuth2ConsentRequest(ctx).ConsentChallenge(challenge).AcceptOAuth2ConsentRequest(body).Execute()
	}))
}

func (a *Admin) RejectConsent(ctx context.Context, challenge string, r consent.Refusal) (string, error) {
	if err := checkChallenge(challenge); err != nil {
		return "", err
	}
	body := refusal(r)
	return redirect(call(ctx, a, "reject consent", false, func(ctx context.Context) (*hydra.OAuth2RedirectTo, *http.Response, error) {
		return a.api.RejectOAuth2ConsentRequest(ctx).ConsentChallenge(challenge).RejectOAuth2Request(body).Execute()
	}))
}

func (a *Admin) LogoutRequest(ctx context.Context, challenge string) (consent.LogoutRequest, error) {
	if err := checkChallenge(challenge); err != nil {
		return consent.LogoutRequest{}, err
	}
	r, err := call(ctx, a, "get logout request", true, func(ctx context.Context) (*hydra.OAuth2LogoutRequest, *http.Response, error) {
		return a.api.GetOAuth2LogoutRequest(ctx).LogoutChallenge(challenge).Execute()
	})
	if err != nil {
		return consent.LogoutRequest{}, err
	}
	out := consent.LogoutRequest{Challenge: challenge, Subject: r.GetSubject(), SessionID: r.GetSid(), RPInitiated: r.GetRpInitiated()}
	if out.RPInitiated && r.Client != nil {
		c := client(r.Client)
		out.Client = &c
	}
	return out, nil
}

func (a *Admin) AcceptLogout(ctx context.Context, challenge string) (string, error) {
	if err := checkChallenge(challenge); err != nil {
		return "", err
	}
	return redirect(call(ctx, a, "accept logout", false, func(ctx context.Context) (*hydra.OAuth2RedirectTo, *http.Response, error) {
		return a.api.AcceptOAuth2LogoutRequest(ctx).LogoutChallenge(challenge).Execute()
	}))
}

func (a *Admin) RejectLogout(ctx context.Context, challenge string) error {
	if err := checkChallenge(challenge); err != nil {
		return err
	}
	_, err := call(ctx, a, "reject logout", false, func(ctx context.Context) (struct{}, *http.Response, error) {
		res, err := a.api.RejectOAuth2LogoutRequest(ctx).LogoutChallenge(challenge).Execute()
		return struct{}{}, res, err
	})
	return err
}

// Consents reads the subject's consent sessions and keeps the newest of
// each app: a person thinks of "the apps I allowed", and revoking is per
// app. Hydra lists a session per consent given (remembered ones reused are
// not listed), in no order to rely on: they are sorted here.
func (a *Admin) Consents(ctx context.Context, subject string) ([]consent.AppConsent, error) {
	out := []consent.AppConsent{}
	if subject == "" {
		return out, nil
	}
	var all []consent.AppConsent
	token := ""
	for range maxConsentPages {
		page, err := call(ctx, a, "list consent sessions", true, func(ctx context.Context) (consentPage, *http.Response, error) {
			req := a.api.ListOAuth2ConsentSessions(ctx).Subject(subject).PageSize(consentPageSize)
			if token != "" {
				req = req.PageToken(token)
			}
			s, res, err := req.Execute()
			var next string
			if res != nil {
				next = nextPageToken(res.Header)
			}
			return consentPage{s, next}, res, err
		})
		if err != nil {
			return nil, err
		}
		for _, s := range page.sessions {
			all = append(all, appConsent(s))
		}
		if page.next == "" || page.next == token || len(page.sessions) < consentPageSize {
			break
		}
		token = page.next
	}
	slices.SortStableFunc(all, func(x, y consent.AppConsent) int { return y.GrantedAt.Compare(x.GrantedAt) })
	seen := map[string]bool{}
	for _, c := range all {
		if c.Client.ID == "" || seen[c.Client.ID] {
			continue
		}
		seen[c.Client.ID] = true
		out = append(out, c)
	}
	return out, nil
}

type consentPage struct {
	sessions []hydra.OAuth2ConsentSession
	next     string
}

func appConsent(s hydra.OAuth2ConsentSession) consent.AppConsent {
	var c consent.AppConsent
	if s.ConsentRequest != nil {
		c.Client = client(s.ConsentRequest.Client)
	}
	c.Scopes, c.Audience = nonNil(s.GrantScope), nonNil(s.GrantAccessTokenAudience)
	c.GrantedAt = s.GetHandledAt()
	c.Remembered = s.GetRemember()
	if c.Remembered && s.GetRememberFor() > 0 && !c.GrantedAt.IsZero() {
		c.ExpiresAt = c.GrantedAt.Add(time.Duration(s.GetRememberFor()) * time.Second)
	}
	return c
}

// nextPageToken reads the page_token of the Link header's rel="next".
func nextPageToken(h http.Header) string {
	for _, link := range h.Values("Link") {
		for _, part := range strings.Split(link, ",") {
			target, params, ok := strings.Cut(strings.TrimSpace(part), ";")
			if !ok || !slices.ContainsFunc(strings.Split(params, ";"), func(p string) bool {
				return strings.ReplaceAll(strings.TrimSpace(p), " ", "") == `rel="next"`
			}) {
				continue
			}
			u, err := url.Parse(strings.Trim(strings.TrimSpace(target), "<>"))
			if err == nil {
				return u.Query().Get("page_token")
			}
		}
	}
	return ""
}

// Revoke withdraws the subject's consents to the app; Hydra revokes the
// tokens issued under them too.
func (a *Admin) Revoke(ctx context.Context, subject, clientID string) error {
	if subject == "" || clientID == "" {
		return errors.New("hydra: revoke consent: subject and client are required")
	}
	_, err := call(ctx, a, "revoke consent sessions", false, func(ctx context.Context) (struct{}, *http.Response, error) {
		res, err := a.api.RevokeOAuth2ConsentSessions(ctx).Subject(subject).Client(clientID).Execute()
		return struct{}{}, res, err
	})
	if errors.Is(err, consent.ErrChallengeGone) {
		return nil // nothing there: not an error
	}
	return err
}
