package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	smsadapter "github.com/gatehouse/gatehouse/adapters/sms"
)

// consoleDir is web/console, from this package's folder.
var consoleDir = filepath.Join("..", "..", "..", "web", "console")

// consoleArtifacts is where the browser test leaves its screenshots:
// $GATEHOUSE_TEST_ARTIFACTS/console, else web/console/test-output
// (git-ignored), kept after the test so that a person can look at them.
func consoleArtifacts(t *testing.T) string {
	dir := filepath.Join(consoleDir, "test-output")
	if a := os.Getenv("GATEHOUSE_TEST_ARTIFACTS"); a != "" {
		dir = filepath.Join(a, "console")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// needBrowser fails (never skips: CI must run it) when node, the console's
// node_modules or chromium are missing, saying how to get them.
func needBrowser(t *testing.T) (node, chromium string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed: the console's browser test needs Node.js 20 (.ci/run installs what CI needs)")
	}
	if _, err := os.Stat(filepath.Join(consoleDir, "node_modules", "playwright-core")); err != nil {
		t.Fatal("web/console/node_modules is missing: run make web")
	}
	chromium = os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("no chromium at %s: apt-get install chromium (as .ci/run does)", chromium)
	}
	return node, chromium
}

// TestConsoleInBrowser drives the built console (the embedded dist/, as
// the binary serves it) in headless chromium against a real Gatehouse with
// seeded users: a COMPLIANCE reviewer signs in by keyboard, finds a user
// and approves their KYC submission and a PIN reset; an ADMIN (whom the
// default rows give the rule table) edits a SUPPORT permission and is
// shown the refusal of an ADMIN one (see admin.Permissions); a SUPERADMIN
// adds a feature flag. The ADMIN also opens the dead letters: sending
// again one whose code expired is refused (CONFLICT, shown in its row);
// one whose number was fixed is sent again and leaves the list. Then the
// test checks through GraphQL that the server did what the pages showed.
func TestConsoleInBrowser(t *testing.T) {
	node, chromium := needBrowser(t)
	out := consoleArtifacts(t)
	h := newHarness(t)
	now := time.Now().UTC().Truncate(time.Second)
	// A dead letter whose code has expired by the time staff see it: the
	// provider refused it an hour ago.
	const unsubscribed, refused = "+447911129006", "+447911129007"
	h.clock.Set(now.Add(-time.Hour))
	h.sms.refuseTo(unsubscribed, &smsadapter.TwilioError{HTTPStatus: 400, Code: 21610, Message: "unsubscribed recipient"})
	staleChallenge := h.startSignup(unsubscribed)
	h.waitDelivery(staleChallenge, "FAILED")
	// Real time: the browser's clock picks the metrics range.
	h.clock.Set(now)
	// A dead letter of a number the provider refused, fixed since (say,
	// ported): the browser sends it again.
	h.sms.refuseTo(refused, &smsadapter.TwilioError{HTTPStatus: 400, Code: 21211, Message: "invalid To"})
	refusedChallenge := h.startSignup(refused)
	h.waitDelivery(refusedChallenge, "FAILED")
	h.sms.refuseTo(refused, nil)
	ctx := context.Background()
	if err := postgres.Seed(ctx, h.db, 40, nil); err != nil {
		t.Fatalf("seed: %v", err)
	}
	// As `gatehouse dev seed` does: the seeded pending submissions in the
	// review queue show their files (the page fails on a 404).
	if _, err := postgres.StoreSeedFiles(ctx, h.db, h.blobs, 100); err != nil {
		t.Fatalf("seed files: %v", err)
	}

	applicant := h.signUp("+447911129001", "4831", "device-9001")
	h.submitKYC(applicant.AccessToken, "Zenobia", newKYCFiles(t, 77))
	// A user who forgot their PIN waits in the PIN-reset queue.
	const forgetful = "+447911129004"
	h.approvedUser(forgetful, h.staff("COMPLIANCE", "+447911129005"), 78)
	reset := h.startVerifiedPinReset(forgetful)
	h.submitPinResetSelfie(reset.Ticket, newKYCFiles(t, 79).selfie)

	const reviewerEmail, adminEmail = "reviewer@example.com", "admin@example.com"
	var adminID string
	for email, role := range map[string]string{reviewerEmail: "COMPLIANCE", adminEmail: "ADMIN"} {
		u, _, err := h.ids.CreateUserWithEmail(ctx, email, role, strongPassword)
		if err != nil {
			t.Fatalf("create %s: %v", role, err)
		}
		if role == "ADMIN" {
			adminID = u.ID.String()
		}
	}
	super := h.staff("SUPERADMIN", "+447911129002")
	// The browser's SUPERADMIN is made as `make run` makes the dev one: a
	// phone and a PIN, and a code by SMS on a new device.
	devSuper, devPIN, _, err := h.ids.CreateUser(ctx, "+447911129003", "SUPERADMIN")
	if err != nil {
		t.Fatal(err)
	}

	var letters deadLetters
	h.ok(super.token, qDeadLetters, vars("first", 10), &letters)
	letter := map[string]deadLetter{}
	for _, e := range letters.FailedDeliveries.Edges {
		letter[e.Node.About] = e.Node
	}
	fixed, stale := letter["otp:"+refusedChallenge], letter["otp:"+staleChallenge]
	must(t, fixed.Reason == "INVALID_DESTINATION" && stale.Reason == "UNSUBSCRIBED", "dead letters: %+v", letters)
	must(t, !strings.Contains(fixed.Destination, refused[4:]), "destination not masked: %q", fixed.Destination)

	codes := httptest.NewServer(emailCodes(h))
	defer codes.Close()
	cfg, _ := json.Marshal(map[string]any{
		"helper":    codes.URL,
		"reviewer":  map[string]string{"email": reviewerEmail, "password": strongPassword},
		"admin":     map[string]string{"email": adminEmail, "password": strongPassword},
		"super":     map[string]string{"phone": devSuper.Phone, "pin": devPIN},
		"applicant": map[string]string{"firstName": "Zenobia", "lastName": "Lovelace"},
		"reset":     map[string]string{"phone": forgetful},
		"edit": map[string]string{"role": "SUPPORT", "operation": "labelKeys", "action": "DENY",
			"reason": "support reads labels through users only"},
		// A rule of ADMIN's own: the service refuses it to an ADMIN.
		"above": map[string]string{"role": "ADMIN", "operation": "users", "action": "DENY",
			"reason": "try to change my own role"},
		"flag": map[string]string{"key": "new_home", "description": "The new home screen", "reason": "launch, ticket 77"},
		"deadLetter": map[string]string{"id": fixed.ID, "phone": refused, "masked": fixed.Destination,
			"reason": fixed.Reason, "detail": "21211"},
		"expiredLetter": map[string]string{"id": stale.ID, "reason": stale.Reason},
	})

	cctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(cctx, node, filepath.Join(consoleDir, "tests", "console.mjs"), h.srv.URL, out)
	cmd.Env = append(os.Environ(), "GATEHOUSE_CONSOLE_TEST="+string(cfg), "CHROMIUM="+chromium)
	output, err := cmd.CombinedOutput()
	t.Logf("browser (screenshots in %s):\n%s", out, output)
	if err != nil {
		t.Fatalf("the browser test failed: %v", err)
	}

	// What the pages showed happened on the server.
	var sub struct {
		KycSubmissions struct {
			Edges []struct{ Node gqlSubmission }
		}
	}
	h.ok(super.token, qKycSubmissions, vars("filter", map[string]any{"status": "APPROVED"}, "first", 100), &sub)
	approved := slices.ContainsFunc(sub.KycSubmissions.Edges, func(e struct{ Node gqlSubmission }) bool {
		return e.Node.User.ID == applicant.User.ID
	})
	must(t, approved, "the applicant's submission is not APPROVED: %+v", sub.KycSubmissions.Edges)

	must(t, h.pinResetStatus(reset.Ticket).Status == "APPROVED", "the PIN reset approved in the browser: %+v",
		h.pinResetStatus(reset.Ticket))

	var rows struct{ Permissions []permRow }
	h.ok(super.token, permList, nil, &rows)
	i := slices.IndexFunc(rows.Permissions, func(r permRow) bool { return r.Role == "SUPPORT" && r.Operation == "labelKeys" })
	must(t, i >= 0 && rows.Permissions[i].Action == "DENY", "SUPPORT labelKeys after the edit: %+v", rows.Permissions)
	i = slices.IndexFunc(rows.Permissions, func(r permRow) bool { return r.Role == "ADMIN" && r.Operation == "users" })
	must(t, i >= 0 && rows.Permissions[i].Action == "AUDIT", "ADMIN users after the refusal: %+v", rows.Permissions[i])
	// The edit and the refusal each left their row, by the ADMIN.
	trail := h.adminRows("updatePermission")
	must(t, slices.ContainsFunc(trail, func(r adminRow) bool {
		return r.Reason == "support reads labels through users only" && r.Result == "SUCCEEDED" && r.AdminID == adminID
	}), "updatePermission audit rows: %+v", trail)
	must(t, !slices.ContainsFunc(trail, func(r adminRow) bool { return r.Result == "SUCCEEDED" && r.Reason == "try to change my own role" }),
		"the refused edit succeeded: %+v", trail)

	// The dead letter sent again from the page went out; the expired one
	// did not.
	h.waitDelivery(refusedChallenge, "SENT")
	must(t, h.sms.count(refused) == 1 && h.sms.count(unsubscribed) == 0, "texts after the retries: %d to the fixed number, %d to the expired one",
		h.sms.count(refused), h.sms.count(unsubscribed))
	retries := h.adminRows("retryDelivery")
	must(t, slices.ContainsFunc(retries, func(r adminRow) bool { return r.Result == "SUCCEEDED" && r.AdminID == adminID }),
		"retryDelivery audit rows: %+v", retries)

	var settings struct {
		OperatorSettings struct {
			FeatureFlags []struct {
				Key     string
				Enabled bool
			}
		}
	}
	h.ok(super.token, `query { operatorSettings { featureFlags { key enabled } } }`, nil, &settings)
	must(t, slices.ContainsFunc(settings.OperatorSettings.FeatureFlags, func(f struct {
		Key     string
		Enabled bool
	}) bool {
		return f.Key == "new_home" && f.Enabled
	}), "the flag set in the browser: %+v", settings.OperatorSettings.FeatureFlags)

	for _, name := range []string{"01-sign-in", "02-users", "03-user", "04-kyc-review", "05-pin-resets", "06-metrics",
		"07-permissions-edit", "08-permissions-refusal", "09-admin-activities", "10-settings", "11-levels",
		"12-dead-letters", "13-dead-letters-conflict", "14-dead-letters-sent"} {
		if st, err := os.Stat(filepath.Join(out, name+".png")); err != nil || st.Size() == 0 {
			t.Errorf("screenshot %s: %v", name, err)
		}
	}
}

// emailCodes answers the browser script with the codes Gatehouse sent, by
// e-mail or SMS: /count?to= is how many messages an address or phone has
// had, /code?to=&before= waits (up to 10 s) for a message beyond before
// and returns its code.
func emailCodes(h *harness) http.Handler {
	mux := http.NewServeMux()
	reply := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("GET /count", func(w http.ResponseWriter, r *http.Request) {
		to := r.URL.Query().Get("to")
		if strings.HasPrefix(to, "+") {
			reply(w, map[string]int{"count": h.sms.count(to)})
			return
		}
		reply(w, map[string]int{"count": h.mailCount(to)})
	})
	mux.HandleFunc("GET /code", func(w http.ResponseWriter, r *http.Request) {
		to := r.URL.Query().Get("to")
		before, err := strconv.Atoi(r.URL.Query().Get("before"))
		if err != nil {
			http.Error(w, "before: "+err.Error(), http.StatusBadRequest)
			return
		}
		code, err := waitEmailCode(h, to, before, 10*time.Second)
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		reply(w, map[string]string{"code": code})
	})
	return mux
}

func waitEmailCode(h *harness, to string, before int, wait time.Duration) (string, error) {
	deadline := time.Now().Add(wait)
	if strings.HasPrefix(to, "+") {
		for h.sms.count(to) <= before {
			if time.Now().After(deadline) {
				return "", fmt.Errorf("no new text to %s", to)
			}
			time.Sleep(10 * time.Millisecond)
		}
		return h.sms.lastCode(h.t, to), nil
	}
	for h.mailCount(to) <= before {
		if time.Now().After(deadline) {
			return "", fmt.Errorf("no new email to %s", to)
		}
		time.Sleep(10 * time.Millisecond)
	}
	code, ok := h.emails.LastCode(to)
	if !ok {
		return "", errors.New("the newest email to " + strings.ToLower(to) + " holds no code")
	}
	return code, nil
}
