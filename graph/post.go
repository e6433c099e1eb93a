package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// jsonPOST is gqlgen's POST transport, except that a body it cannot read
// or decode is answered without repeating it: gqlgen's own answer quotes
// the whole body, and a body holds PINs, passwords and codes.
type jsonPOST struct{ transport.POST }

var _ graphql.Transport = jsonPOST{}

func (t jsonPOST) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
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
	// Decoded as gqlgen decodes it, to learn whether it will fail.
	var params graphql.RawParams
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&params); err != nil {
		refuseBody(w, r, exec, http.StatusBadRequest,
			`the request body is not a GraphQL request: send JSON such as {"query": "…", "variables": {…}}`)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	t.POST.Do(w, r, exec)
}

// refuseBody answers VALIDATION_FAILED (reason BAD_REQUEST) with msg,
// which never quotes the body.
func refuseBody(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	resp := exec.DispatchError(r.Context(), gqlerror.List{{Message: msg}})
	_ = json.NewEncoder(w).Encode(resp)
}
