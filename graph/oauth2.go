package graph

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/modules/partners"
	"github.com/gatehouse/gatehouse/ports"
)

// TokenIssuer issues partner apps their access tokens (partners.Tokens).
type TokenIssuer interface {
	Issue(ctx context.Context, r partners.TokenRequest) (partners.Token, error)
}

// tokenBodyLimit bounds a token request's body: its few form fields fit
// in a fraction of it.
const tokenBodyLimit = 8 << 10

// tokenRealm is the realm of the WWW-Authenticate challenge.
const tokenRealm = `Basic realm="gatehouse", charset="UTF-8"`

// OAuth2Token serves /oauth2/token (other methods than POST are 405): the client credentials grant of
// RFC 6749 §4.4, the client authenticating with HTTP Basic
// (client_secret_basic) or with client_id and client_secret in the form
// (client_secret_post), never both. Errors are §5.2's JSON; a failed Basic
// authentication is 401 with a WWW-Authenticate challenge.
func OAuth2Token(issuer TokenIssuer, trusted []netip.Prefix, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// §5.1: tokens and errors are never cached.
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Pragma", "no-cache")
		if r.Method != http.MethodPost {
			// §3.2: the client MUST use POST. Answered here, in §5.2's
			// JSON, rather than by the router's plain text.
			w.Header().Set("Allow", http.MethodPost)
			writeOAuthError(w, http.StatusMethodNotAllowed, "invalid_request", "use POST", false)
			return
		}
		ctx := withMeta(r, trusted)
		form, basic, err := readTokenRequest(w, r)
		if err != nil {
			writeOAuthError(w, err.status, err.code, err.description, basic)
			return
		}
		tok, ierr := issuer.Issue(ctx, form)
		if ierr != nil {
			writeIssueError(ctx, w, ierr, basic, log)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(struct {
			AccessToken string `json:"access_token"`
			TokenType   string `json:"token_type"`
			ExpiresIn   int    `json:"expires_in"`
			Scope       string `json:"scope"`
		}{tok.AccessToken, "Bearer", int(tok.ExpiresIn.Seconds()), strings.Join(tok.Scopes, " ")})
	})
}

// oauthError is a refusal before the issuer is asked.
type oauthError struct {
	status            int
	code, description string
}

func badRequest(description string) *oauthError {
	return &oauthError{http.StatusBadRequest, "invalid_request", description}
}

// readTokenRequest reads and checks the form and the client's credentials;
// basic says the client used (or tried) HTTP Basic.
func readTokenRequest(w http.ResponseWriter, r *http.Request) (partners.TokenRequest, bool, *oauthError) {
	auth, hasAuth := r.Header["Authorization"]
	if len(auth) > 1 {
		// Which of two would be the client? Neither: Go's BasicAuth reads
		// the first, a proxy may read the last.
		return partners.TokenRequest{}, false, badRequest("the Authorization header is repeated")
	}
	id, secret, basic := r.BasicAuth()
	if hasAuth && !basic {
		return partners.TokenRequest{}, true, &oauthError{http.StatusUnauthorized, "invalid_client",
			"the Authorization header is not HTTP Basic"}
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return partners.TokenRequest{}, basic, badRequest("the body must be application/x-www-form-urlencoded")
	}
	r.Body = http.MaxBytesReader(w, r.Body, tokenBodyLimit)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return partners.TokenRequest{}, basic, &oauthError{http.StatusRequestEntityTooLarge, "invalid_request",
				"the body is larger than " + strconv.Itoa(tokenBodyLimit) + " bytes"}
		}
		return partners.TokenRequest{}, basic, badRequest("the body is not a form")
	}
	// Only the body counts: a secret in the URL would end up in logs.
	f := r.PostForm
	for k, v := range f {
		if len(v) > 1 {
			// §3.2: a parameter must not be sent more than once.
			return partners.TokenRequest{}, basic, badRequest("the parameter " + safeText(k) + " is repeated")
		}
	}
	switch gt := f.Get("grant_type"); gt {
	case "client_credentials":
	case "":
		return partners.TokenRequest{}, basic, badRequest("grant_type is missing")
	default:
		return partners.TokenRequest{}, basic, &oauthError{http.StatusBadRequest, "unsupported_grant_type",
			"only client_credentials is supported"}
	}
	if basic {
		// §2.3.1: the Basic id and secret are form-encoded first.
		uid, e1 := url.QueryUnescape(id)
		usec, e2 := url.QueryUnescape(secret)
		if e1 != nil || e2 != nil {
			return partners.TokenRequest{}, true, &oauthError{http.StatusUnauthorized, "invalid_client",
				"the Basic credentials are not form-encoded"}
		}
		if f.Has("client_secret") || (f.Has("client_id") && f.Get("client_id") != uid) {
			return partners.TokenRequest{}, true, badRequest("use one client authentication method, not two")
		}
		return partners.TokenRequest{ClientID: uid, ClientSecret: usec, Scope: f.Get("scope")}, true, nil
	}
	if !f.Has("client_id") || !f.Has("client_secret") {
		// No credentials at all: challenge for the method we prefer.
		return partners.TokenRequest{}, true, &oauthError{http.StatusUnauthorized, "invalid_client",
			"client authentication is required"}
	}
	return partners.TokenRequest{ClientID: f.Get("client_id"), ClientSecret: f.Get("client_secret"),
		Scope: f.Get("scope")}, false, nil
}

// writeIssueError maps the issuer's refusal onto §5.2.
func writeIssueError(ctx context.Context, w http.ResponseWriter, err error, basic bool, log *slog.Logger) {
	var pe *ports.Error
	errors.As(err, &pe)
	switch {
	case pe != nil && pe.Reason == partners.ReasonInvalidClient:
		status := http.StatusBadRequest
		if basic {
			status = http.StatusUnauthorized
		}
		writeOAuthError(w, status, "invalid_client", pe.Message, basic)
	case pe != nil && pe.Reason == partners.ReasonInvalidScope:
		writeOAuthError(w, http.StatusBadRequest, "invalid_scope", pe.Message, false)
	case pe != nil && pe.Code == ports.CodeValidationFailed:
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "the scope parameter is too long", false)
	case pe != nil && pe.Code == ports.CodeRateLimited:
		w.Header().Set("Retry-After", strconv.Itoa(retrySeconds(pe)))
		writeOAuthError(w, http.StatusTooManyRequests, "rate_limited", "too many token requests, try again later", false)
	case pe != nil && pe.Code == ports.CodeUnavailable:
		// serverFaultLevel: a client that hung up cut the call itself.
		log.Log(ctx, serverFaultLevel(ctx), "token not issued: dependency unavailable", "request_id",
			ports.RequestID(ctx), "err", err)
		w.Header().Set("Retry-After", strconv.Itoa(retrySeconds(pe)))
		writeOAuthError(w, http.StatusServiceUnavailable, "temporarily_unavailable", "try again shortly", false)
	default:
		log.Log(ctx, serverFaultLevel(ctx), "token not issued", "request_id", ports.RequestID(ctx), "err", err)
		writeOAuthError(w, http.StatusInternalServerError, "server_error", "internal error", false)
	}
}

func retrySeconds(e *ports.Error) int {
	s := int(e.RetryAfter.Seconds() + 0.999)
	if s < 1 {
		s = 1
	}
	return s
}

// writeOAuthError writes §5.2's JSON error, with the Basic challenge when
// the client used (or should use) HTTP Basic and is refused as a client.
func writeOAuthError(w http.ResponseWriter, status int, code, description string, challenge bool) {
	if status == http.StatusUnauthorized || (challenge && code == "invalid_client") {
		w.Header().Set("WWW-Authenticate", tokenRealm)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}{code, safeText(description)})
}

// safeText keeps what §5.2 allows in error_description (printable ASCII
// but " and \), so a parameter name echoed back cannot break it.
func safeText(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' {
			b.WriteRune(c)
		}
		if b.Len() >= 200 {
			break
		}
	}
	return b.String()
}
