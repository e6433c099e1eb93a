package graph

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// jsonPOST decodes the body once and runs the operation itself; it must
// answer a good body exactly as gqlgen's POST transport does: the same
// status, media type and body, for each Accept header and for requests
// that run, fail to parse or fail to validate.
func TestJSONPostAnswersAsGqlgensPost(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `type Query { ping(n: Int): String }`})
	runs := 0
	server := func(tr graphql.Transport) http.Handler {
		srv := handler.New(&graphql.ExecutableSchemaMock{
			SchemaFunc: func() *ast.Schema { return schema },
			ComplexityFunc: func(context.Context, string, string, int, map[string]any) (int, bool) {
				return 1, true
			},
			ExecFunc: func(ctx context.Context) graphql.ResponseHandler {
				runs++
				n := graphql.GetOperationContext(ctx).Variables["n"]
				return graphql.OneShot(&graphql.Response{Data: []byte(fmt.Sprintf(`{"ping":"%v"}`, n))})
			},
		})
		srv.AddTransport(tr)
		srv.SetErrorPresenter(presentError(slog.New(slog.NewTextHandler(io.Discard, nil))))
		return srv
	}
	ours, theirs := server(jsonPOST{}), server(transport.POST{})
	bodies := []string{
		`{"query":"query($n: Int) { ping(n: $n) }","variables":{"n":12345678901234567}}`,
		`{"query":"{ nope }"}`,
		`{"query":"{ ping"}`,
		`{"query":"query($n: Int!) { ping(n: $n) }","variables":{}}`,
	}
	accepts := []string{"", "application/json", "application/graphql-response+json", "*/*", "text/html",
		"application/graphql-response+json, application/json;q=0.9", "nonsense;;, application/json"}
	for _, body := range bodies {
		for _, accept := range accepts {
			answer := func(h http.Handler) *httptest.ResponseRecorder {
				req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				if accept != "" {
					req.Header.Set("Accept", accept)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				return rec
			}
			runs = 0
			got := answer(ours)
			ourRuns := runs
			runs = 0
			want := answer(theirs)
			if got.Code != want.Code || got.Header().Get("Content-Type") != want.Header().Get("Content-Type") ||
				got.Body.String() != want.Body.String() || ourRuns != runs {
				t.Errorf("body %s, Accept %q:\n got %d %q %s (%d runs)\nwant %d %q %s (%d runs)", body, accept,
					got.Code, got.Header().Get("Content-Type"), got.Body, ourRuns,
					want.Code, want.Header().Get("Content-Type"), want.Body, runs)
			}
		}
	}
}
