package app_test

import (
	"strconv"
	"testing"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// One user uploading documents and selfies at once (an app sending the
// set in parallel, or retrying): every upload succeeds, none fails with
// INTERNAL (as a deadlock between the user-row lock and the files'
// references to the user would), and the set ends up waiting for review.
func TestParallelUploadsOfOneUserDoNotDeadlock(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *app.Config) { c.KYCMaxUploads, c.KYCMaxUploadsPerUser = 64, 64 })
	a := h.signUp("+447911124201", "4831", "device-4201")
	h.ok(a.AccessToken, `mutation($in: UpsertProfileInput!) { upsertMyProfile(input: $in) { confirmed } }`,
		vars("in", profileInput("Ada", true)), &struct{ UpsertMyProfile struct{ Confirmed bool } }{})
	f := newKYCFiles(t, 77)

	for round := range 3 {
		n := 0
		codes := race(6, func() string {
			h.mu.Lock()
			n++
			i := n
			h.mu.Unlock()
			var r gqlResponse
			if i%2 == 0 {
				r = h.upload(a.AccessToken, mUploadSelfie, vars("input", map[string]any{}),
					file("variables.input.image", "me.jpg", f.selfie))
			} else {
				r = h.upload(a.AccessToken, mUploadDocument, vars("input", map[string]any{"type": "PASSPORT",
					"number": "P" + strconv.Itoa(round*10+i)}), file("variables.input.front", "front.jpg", f.front))
			}
			return r.code()
		})
		must(t, successes(codes) == len(codes), "round %d: parallel uploads of one user: %v", round, codes)
	}
	me := h.kycMe(a.AccessToken)
	must(t, me.KycStatus == "PENDING", "after the uploads: %+v", me)
}
