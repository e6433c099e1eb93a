package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// jsonPOST is gqlgen's POST transport, except that a body it cannot read
// or decode is answered without repeating it (gqlgen's own answer quotes
// the whole body, and a body holds PINs, passwords and codes), and that
// the body is read and decoded once: gqlgen's Do would read and decode it
// again after the check.
type jsonPOST struct{ transport.POST }

var _ graphql.Transport = jsonPOST{}

// Media types of a response.
const (
	mediaJSON        = "application/json"
	mediaGraphQLJSON = "application/graphql-response+json"
)

func (t jsonPOST) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		status, msg := http.StatusBadRequest, "the request body could not be read"
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			status = http.StatusRequestEntityTooLarge
			msg = fmt.Sprintf("the request body is larger than the %d bytes the server accepts", tooLarge.Limit)
		}
		refuseBody(w, r, exec, status, msg)
		return
	}
	// Decoded as gqlgen decodes it (numbers kept as json.Number).
	var params graphql.RawParams
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&params); err != nil {
		refuseBody(w, r, exec, http.StatusBadRequest,
			`the request body is not a GraphQL request: send JSON such as {"query": "…", "variables": {…}}`)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	// From here on as gqlgen's POST.Do: the response's media type by the
	// Accept header, 422 (400 for graphql-response+json) for a request
	// that does not parse or validate.
	ctx := r.Context()
	media := responseMedia(r)
	w.Header().Set("Content-Type", media)
	rc, opErr := exec.CreateOperationContext(ctx, &params)
	if opErr != nil {
		if errcode.GetErrorKind(opErr) == errcode.KindProtocol {
			status := http.StatusUnprocessableEntity
			if media == mediaGraphQLJSON {
				status = http.StatusBadRequest
			}
			w.WriteHeader(status)
		}
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, rc), opErr))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	writeResponse(w, responses(ctx))
}

// responseMedia is the media type gqlgen's POST answers with: JSON when
// the client names no type or accepts it first, graphql-response+json
// when it asks for that first or names neither.
func responseMedia(r *http.Request) string {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return mediaJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mediaType {
		case "*/*", "application/*", mediaJSON:
			return mediaJSON
		case mediaGraphQLJSON:
			return mediaGraphQLJSON
		}
	}
	return mediaGraphQLJSON
}

// writeResponse writes resp as JSON; a response that cannot be encoded is
// a bug (gqlgen panics too, and the recovery answers INTERNAL).
func writeResponse(w io.Writer, resp *graphql.Response) {
	b, err := json.Marshal(resp)
	if err != nil {
		panic(fmt.Errorf("encode the GraphQL response: %w", err))
	}
	_, _ = w.Write(b)
}

// refuseBody answers VALIDATION_FAILED (reason BAD_REQUEST) with msg,
// which never quotes the body.
func refuseBody(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	resp := exec.DispatchError(r.Context(), gqlerror.List{{Message: msg}})
	_ = json.NewEncoder(w).Encode(resp)
}
