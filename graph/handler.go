// Package graph serves the GraphQL API: schema, generated executor,
// resolvers, directives, error presentation and the HTTP glue.
package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/gatehouse/gatehouse/graph/generated"
	"github.com/gatehouse/gatehouse/graph/resolvers"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/modules/platform"
	"github.com/gatehouse/gatehouse/ports"
)

// Options shape the GraphQL endpoint.
type Options struct {
	// Introspection and the playground are for development.
	Introspection bool
	// MaxBodyBytes bounds a request body.
	MaxBodyBytes int64
	// MaxComplexity bounds the work one query may ask for.
	MaxComplexity int
	// MaxTokens bounds a query's size before it is parsed; validation of
	// repeated fields is quadratic, so this bounds its CPU time too.
	MaxTokens int
	// MaxRootFields bounds the root fields (aliases included) of one
	// operation, so one request cannot run a mutation hundreds of times.
	MaxRootFields int
	// QueryLimits bound a document's fields, depth and aliases, fragment
	// spreads expanded, before it is validated.
	QueryLimits QueryLimits
	// RequestTimeout bounds each operation's work, once its body is read.
	RequestTimeout time.Duration
	// TrustedProxies are the load balancers whose X-Forwarded-For is
	// believed; every other peer is the client itself.
	TrustedProxies []netip.Prefix
	// Uploads bounds multipart requests (files for KYC), which carry their
	// own body limit instead of MaxBodyBytes.
	Uploads Multipart
	// Authorizer is the one authorization rule (the permission rows).
	Authorizer Authorizer
	// Audit receives the admin activity of each call an AUDIT rule covers.
	Audit ports.AuditTrail
	// Metrics, when set, counts operations and their latency.
	Metrics *OperationMetrics
	// Perimeter, when set, refuses the clients staff's restrictions
	// refuse (a whitelink in perimeter.WhitelinkHeader passes).
	Perimeter Perimeter
	// Captcha, when set, asks for a captcha on the CaptchaFields its
	// configuration names.
	Captcha Captcha
}

// NewHandler returns the POST /graphql handler.
func NewHandler(opts Options, r *resolvers.Resolver, log *slog.Logger) http.Handler {
	schema := generated.NewExecutableSchema(generated.Config{Resolvers: r, Directives: directives()})
	srv := handler.New(schema)
	srv.AddTransport(jsonPOST{})
	uploads := opts.Uploads
	if opts.Perimeter != nil {
		// Judged as the root fields will be, but before the body is read.
		present := presentError(log)
		uploads.fence = func(ctx context.Context) *gqlerror.Error {
			if err := opts.Perimeter.Check(ctx, false); err != nil {
				return present(ctx, err)
			}
			return nil
		}
	}
	if uploads.Identify == nil && r.Identity.Viewer != nil {
		// The token is checked before an upload takes a slot; a token
		// that does not hold counts as anonymous here (the operation
		// answers it).
		uploads.Identify = func(ctx context.Context) string {
			c, err := r.Identity.Viewer.Caller(ctx)
			if err != nil || c == nil {
				return ""
			}
			return c.UserID.String()
		}
	}
	srv.AddTransport(uploads)
	cache := lru.New[*ast.QueryDocument](1000)
	srv.SetQueryCache(cache)
	if opts.MaxTokens > 0 {
		srv.SetParserTokenLimit(opts.MaxTokens)
	}
	// Before the executor parses and validates: see QueryLimits.
	srv.Use(queryCost{limits: opts.QueryLimits, tokenLimit: opts.MaxTokens, cache: cache})
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	} else {
		// "Did you mean …?" would rebuild the schema for a prober.
		srv.SetDisableSuggestion(true)
		srv.AroundOperations(refuseIntrospection)
	}
	if opts.MaxComplexity > 0 {
		srv.Use(extension.FixedComplexityLimit(opts.MaxComplexity))
	}
	useInputGuards(srv, opts.Authorizer)
	srv.SetErrorPresenter(presentError(log))
	srv.SetRecoverFunc(recoverPanic(log))
	srv.AroundOperations(deadline(opts.RequestTimeout, log))
	srv.AroundOperations(limitRootFields(opts.MaxRootFields))
	srv.AroundOperations(withQueryLoaders(queryLoaders(r)))
	if opts.Perimeter != nil {
		srv.AroundRootFields(perimeterGate(opts.Perimeter))
	}
	srv.AroundRootFields(maintenanceGate(r.Platform, r.Identity.Viewer))
	srv.AroundRootFields(authorize(r.Identity.Viewer, opts.Authorizer, opts.Audit, log))
	srv.AroundRootFields(forgetCallerAfterMutation(r.Identity.Viewer))
	if opts.Captcha != nil {
		srv.AroundFields(captchaGate(opts.Captcha))
	}
	srv.AroundResponses(logOperation(log))
	if opts.Metrics != nil {
		srv.AroundResponses(opts.Metrics.observe())
	}
	return withRequestContext(opts, r, srv)
}

// forgetCallerAfterMutation drops the caller's cached sessions on this
// instance once a mutation ran (it may have changed their PIN, profile or
// sessions), so their next request here reads them anew; every instance
// also learns of the change from the database's notification.
func forgetCallerAfterMutation(v *identity.ViewerService) graphql.RootFieldMiddleware {
	return func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		m := next(ctx)
		if oc := graphql.GetOperationContext(ctx); oc.Operation != nil && oc.Operation.Operation == ast.Mutation {
			v.ForgetCaller(ctx)
		}
		return m
	}
}

// limitRootFields refuses operations with more than max root fields,
// counted after fragments are expanded.
func limitRootFields(max int) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		oc := graphql.GetOperationContext(ctx)
		if max <= 0 || oc.Operation == nil {
			return next(ctx)
		}
		typ := "Query"
		if oc.Operation.Operation == ast.Mutation {
			typ = "Mutation"
		}
		if n := len(graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{typ})); n > max {
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
				Message:    fmt.Sprintf("an operation may hold at most %d root fields, this one holds %d", max, n),
				Extensions: map[string]any{"code": string(ports.CodeValidationFailed), "reason": "TOO_MANY_ROOT_FIELDS"},
			}}})
		}
		return next(ctx)
	}
}

// ReasonIntrospectionDisabled is the reason of the FORBIDDEN answer to
// __schema or __type when introspection is off (prod).
const ReasonIntrospectionDisabled = "INTROSPECTION_DISABLED"

// refuseIntrospection answers FORBIDDEN to an operation that asks for
// __schema or __type (fragments expanded) while introspection is off: a
// client's request, not a server fault, so nothing is logged as an error.
func refuseIntrospection(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Query {
		return next(ctx)
	}
	for _, f := range graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{"Query"}) {
		if f.Name == "__schema" || f.Name == "__type" {
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
				Message:    "introspection is turned off on this server",
				Extensions: map[string]any{"code": string(ports.CodeForbidden), "reason": ReasonIntrospectionDisabled},
			}}})
		}
	}
	return next(ctx)
}

// ReasonDeadlineExceeded is the reason of the UNAVAILABLE error that
// replaces an operation's server and dependency errors when it ran out of
// time: the client may try again.
const ReasonDeadlineExceeded = "DEADLINE_EXCEEDED"

// deadline runs each query and mutation under a timeout: resolvers and
// the database see the context end, and they also see it end when the
// client goes away (the request's context is the parent). An operation
// cut by the deadline answers one clear error instead of the failures
// that followed it. Subscriptions (not served over POST) are not bound.
func deadline(d time.Duration, log *slog.Logger) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		oc := graphql.GetOperationContext(ctx)
		if d <= 0 || oc.Operation == nil || oc.Operation.Operation == ast.Subscription {
			return next(ctx)
		}
		opCtx, cancel := context.WithTimeout(ctx, d)
		responses := next(opCtx)
		return func(ctx context.Context) *graphql.Response {
			// Queries and mutations answer once: the deadline ends with it.
			defer cancel()
			resp := responses(ctx)
			if !errors.Is(opCtx.Err(), context.DeadlineExceeded) {
				return resp
			}
			log.WarnContext(ctx, "operation cut at its deadline", "name", oc.OperationName,
				"root", rootFields(oc), "timeout", d.String())
			if resp == nil {
				resp = &graphql.Response{}
			}
			errs := gqlerror.List{{
				Message: "the operation took longer than the server allows and was stopped; try again",
				Extensions: map[string]any{"code": string(ports.CodeUnavailable), "reason": ReasonDeadlineExceeded,
					"retryAfterSeconds": int(ports.UnavailableRetry / time.Second)},
			}}
			for _, e := range resp.Errors {
				// The failures the cut caused (the context's end reported as
				// a server or dependency fault) give way to the one above.
				if c, _ := e.Extensions["code"].(string); c != string(ports.CodeInternal) && c != string(ports.CodeUnavailable) {
					errs = append(errs, e)
				}
			}
			resp.Errors = errs
			return resp
		}
	}
}

// maintenanceGate answers MAINTENANCE for every root field but appConfig
// (and introspection) while maintenance is on. When the state cannot be
// read (the database is down and the platform cache too old), the field
// runs: one that needs no database (serverInfo) still answers, and one
// that does reports the outage itself. Signed-in staff pass, as a
// MAINTENANCE restriction lets them (perimeter.IsStaff): the staff member
// who switched maintenance on must be able to switch it off.
func maintenanceGate(p *platform.Service, callers ports.CallerSource) graphql.RootFieldMiddleware {
	return func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		fc := graphql.GetRootFieldContext(ctx)
		if fc == nil || fc.Field.Name == "appConfig" || strings.HasPrefix(fc.Field.Name, "__") {
			return next(ctx)
		}
		on, msg, err := p.Maintenance(ctx)
		if err != nil || !on {
			return next(ctx)
		}
		if c, err := callers.Caller(ctx); err == nil && c != nil && perimeter.IsStaff(c.Role) {
			return next(ctx)
		}
		if msg == "" {
			msg = "the service is down for maintenance; try again later"
		}
		graphql.AddError(ctx, ports.Errorf(ports.CodeMaintenance, "%s", msg))
		return graphql.Null
	}
}

// logOperation writes one debug line per operation: its name, duration
// and error codes. Never the variables: they hold PINs, codes and tokens.
func logOperation(log *slog.Logger) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		start := time.Now()
		resp := next(ctx)
		// Checked first: the line's fields cost allocations on every
		// operation, and production logs at INFO.
		if !graphql.HasOperationContext(ctx) || resp == nil || !log.Enabled(ctx, slog.LevelDebug) {
			return resp
		}
		oc := graphql.GetOperationContext(ctx)
		codes := make([]string, 0, len(resp.Errors))
		for _, e := range resp.Errors {
			if c, ok := e.Extensions["code"].(string); ok {
				codes = append(codes, c)
			}
		}
		log.DebugContext(ctx, "graphql operation", "name", oc.OperationName, "root", rootFields(oc),
			"took_ms", time.Since(start).Milliseconds(), "errors", codes)
		return resp
	}
}

// rootFields names the operation's top-level fields.
func rootFields(oc *graphql.OperationContext) string {
	if oc.Operation == nil {
		return ""
	}
	var names []string
	for _, sel := range oc.Operation.SelectionSet {
		if f, ok := sel.(*ast.Field); ok {
			names = append(names, f.Name)
		}
	}
	return strings.Join(names, ",")
}

// withRequestContext bounds the body (multipart requests bound their own)
// and carries the caller's address, user agent, credentials (bearer token,
// API-key headers) and the request's dataloaders into the request context.
func withRequestContext(opts Options, res *resolvers.Resolver, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if opts.MaxBodyBytes > 0 && !opts.Uploads.Supports(r) {
			r.Body = http.MaxBytesReader(w, r.Body, opts.MaxBodyBytes)
		}
		ctx := withMeta(r, opts.TrustedProxies)
		ctx = identity.WithCredentials(ctx, credentials(r))
		ctx = perimeter.WithWhitelink(ctx, r.Header.Get(perimeter.WhitelinkHeader))
		if res.Accounts != nil {
			// Per-request batching: nested accounts and portfolios cost one
			// statement per level, whatever the number of rows.
			ctx = res.Accounts.WithLoaders(ctx)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// WithRequestMeta carries the client's address and user agent into the
// context of a route outside GraphQL (the activity log records them).
func WithRequestMeta(trusted []netip.Prefix, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(withMeta(r, trusted)))
	})
}

func withMeta(r *http.Request, trusted []netip.Prefix) context.Context {
	return ports.WithRequestMeta(r.Context(), ports.RequestMeta{IP: clientIP(r, trusted),
		UserAgent: truncate(r.UserAgent(), 256), Locale: acceptLanguage(r.Header)})
}

// API-key headers of a program's signed request (see modules/apikeys).
const (
	HeaderAPIKey       = "X-Api-Key"
	HeaderAPINonce     = "X-Api-Nonce"
	HeaderAPISignature = "X-Api-Signature"
)

// maxKeyHeader bounds each API-key header kept for the request: longer
// values are no key, nonce or signature, and are cut so that they are
// refused as such without being carried whole.
const maxKeyHeader = 256

// credentials are the request's bearer token and API-key headers; the
// viewer service refuses a request that carries both. A header sent twice
// is read as HTTP reads it, its lines joined by commas, which is no key
// id, nonce or signature: refused as malformed, rather than one of the
// two picked (a proxy in front may have picked the other).
func credentials(r *http.Request) identity.Credentials {
	h := func(name string) string {
		return truncate(strings.TrimSpace(strings.Join(r.Header.Values(name), ",")), maxKeyHeader)
	}
	return identity.Credentials{Bearer: bearer(r), APIKey: h(HeaderAPIKey), Nonce: h(HeaderAPINonce),
		Signature: h(HeaderAPISignature)}
}

func bearer(r *http.Request) string {
	h := strings.Join(r.Header.Values("Authorization"), ",")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// clientIP is the peer address, unless the peer is a trusted proxy: then
// it is the rightmost X-Forwarded-For entry that is not a trusted proxy
// (entries left of it were written by the client and prove nothing).
func clientIP(r *http.Request, trusted []netip.Prefix) string {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	ip := peer.Addr().Unmap()
	if !isTrusted(ip, trusted) {
		return ip.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := parseHop(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if hop = hop.Unmap(); !isTrusted(hop, trusted) {
			return hop.String()
		}
		ip = hop
	}
	return ip.String()
}

// parseHop reads an X-Forwarded-For entry: an address, or one with a port
// ("203.0.113.7:5000", "[2001:db8::1]:443") as some proxies write it.
func parseHop(s string) (netip.Addr, error) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr(), nil
	}
	return netip.ParseAddr(strings.Trim(s, "[]"))
}

func isTrusted(ip netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
