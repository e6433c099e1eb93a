package graph

import (
	"context"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/ast"
)

// Label values the operation metrics use besides root field names.
const (
	opUnknown       = "unknown"       // no parsed operation, or a field the schema lacks
	opMultiple      = "multiple"      // more than one distinct root field
	opIntrospection = "introspection" // __schema, __type, __typename
	outcomeOK       = "ok"
	outcomeError    = "error" // an error without a well-formed code
)

// OperationMetrics counts GraphQL operations by name and outcome, with
// their latency. The operation label is the operation's root field, or
// "multiple" when it has several: one value per root field whatever
// combinations clients send (combinations of even three fields of ninety
// would be a hundred thousand series). Only names the schema defines are
// used, never the client-chosen operation name.
type OperationMetrics struct {
	known    map[string]bool
	total    *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewOperationMetrics registers gatehouse_graphql_operations_total and
// gatehouse_graphql_operation_duration_seconds on reg.
func NewOperationMetrics(reg prometheus.Registerer) *OperationMetrics {
	m := &OperationMetrics{
		known: map[string]bool{},
		total: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gatehouse_graphql_operations_total",
			Help: "GraphQL operations by root fields and outcome (ok, or the first error's code).",
		}, []string{"operation", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gatehouse_graphql_operation_duration_seconds",
			Help:    "Time to answer a GraphQL operation, by root fields.",
			Buckets: prometheus.DefBuckets,
		}, []string{"operation"}),
	}
	for _, n := range RootFieldNames() {
		m.known[n] = true
	}
	reg.MustRegister(m.total, m.duration)
	return m
}

func (m *OperationMetrics) observe() graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		start := time.Now()
		resp := next(ctx)
		if resp == nil {
			return resp // the end of a stream, not an operation
		}
		op := opUnknown
		if graphql.HasOperationContext(ctx) {
			op = m.operation(graphql.GetOperationContext(ctx))
		}
		m.duration.WithLabelValues(op).Observe(time.Since(start).Seconds())
		m.total.WithLabelValues(op, outcome(resp)).Inc()
		return resp
	}
}

// operation names oc's root fields for the label.
func (m *OperationMetrics) operation(oc *graphql.OperationContext) string {
	if oc == nil || oc.Operation == nil {
		return opUnknown
	}
	op := ""
	for _, sel := range oc.Operation.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok {
			// Fragments at the root are rare; their fields are not read
			// here, so the label does not depend on fragment contents.
			return opUnknown
		}
		name := f.Name
		switch {
		case strings.HasPrefix(name, "__"):
			name = opIntrospection
		case !m.known[name]:
			return opUnknown
		}
		if op != "" && op != name {
			return opMultiple
		}
		op = name
	}
	if op == "" {
		return opUnknown
	}
	return op
}

// outcome is "ok", or the first error's extensions.code.
func outcome(resp *graphql.Response) string {
	if len(resp.Errors) == 0 {
		return outcomeOK
	}
	code, _ := resp.Errors[0].Extensions["code"].(string)
	if !isCode(code) {
		return outcomeError
	}
	return code
}

// isCode reports whether s looks like an error code (A-Z and _, short),
// so that no free text becomes a label value.
func isCode(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && r != '_' {
			return false
		}
	}
	return true
}
