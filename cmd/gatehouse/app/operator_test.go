package app_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

const (
	mSetMaintenance    = `mutation($input: SetMaintenanceInput!) { setMaintenance(input: $input) { maintenance { enabled message } } }`
	mSetAppVersion     = `mutation($input: SetAppVersionInput!) { setAppVersion(input: $input) { appVersion { platform minimumVersion currentVersion storeUrl storeAppId } } }`
	mSetFeatureFlag    = `mutation($input: SetFeatureFlagInput!) { setFeatureFlag(input: $input) { featureFlag { key enabled description } } }`
	mRemoveFeatureFlag = `mutation($input: RemoveFeatureFlagInput!) { removeFeatureFlag(input: $input) { removed } }`
	mSetClientRules    = `mutation($input: SetClientRulesInput!) { setClientRules(input: $input) { rules { idleTimeSeconds otpLifetimeSeconds serverOtpLifetimeSeconds } } }`
	mSetAppContents    = `mutation($input: SetAppContentsInput!) { setAppContents(input: $input) { appContents } }`
	mSetPushChannels   = `mutation($input: SetPushChannelsInput!) { setPushChannels(input: $input) { pushChannels } }`
	mPublishTerms      = `mutation($input: PublishTermsInput!) { publishTerms(input: $input) { document { kind version title publishedAt } } }`
	mAcceptTerms       = `mutation($input: AcceptTermsInput!) { acceptTerms(input: $input) { document { kind version } } }`
	qOperatorSettings  = `{ operatorSettings { maintenance { enabled message } appVersions { platform minimumVersion currentVersion storeUrl storeAppId }
		featureFlags { key enabled description } rules { idleTimeSeconds otpLifetimeSeconds serverOtpLifetimeSeconds } appContents pushChannels updatedAt } }`
	qAppConfigAll = `query($v: String) { appConfig(platform: ANDROID, version: $v) { minimumVersion currentVersion storeUrl storeAppId updateRequired
		updateAvailable maintenance { enabled message } features { key description } rules { idleTimeSeconds otpLifetimeSeconds } contents pushChannels } }`
	qPendingTerms = `{ pendingTerms { kind version title } }`
)

type gqlAppConfig struct {
	MinimumVersion, CurrentVersion  string
	StoreURL, StoreAppID            *string
	UpdateRequired, UpdateAvailable bool
	Maintenance                     struct {
		Enabled bool
		Message *string
	}
	Features     []struct{ Key, Description string }
	Rules        struct{ IdleTimeSeconds, OtpLifetimeSeconds int }
	Contents     map[string]any
	PushChannels []string
}

func (h *harness) appConfig(version string) gqlAppConfig {
	h.t.Helper()
	var d struct{ AppConfig gqlAppConfig }
	h.ok("", qAppConfigAll, vars("v", version), &d)
	return d.AppConfig
}

// operatorMutations are one valid call of each operator mutation.
func operatorMutations() []struct {
	name, query string
	vars        map[string]any
} {
	return []struct {
		name, query string
		vars        map[string]any
	}{
		{"setMaintenance", mSetMaintenance, in("enabled", false, "reason", "test")},
		{"setAppVersion", mSetAppVersion, in("platform", "WEB", "minimumVersion", "1.0.0", "currentVersion", "1.0.0", "reason", "test")},
		{"setFeatureFlag", mSetFeatureFlag, in("key", "probe", "enabled", false, "reason", "test")},
		{"removeFeatureFlag", mRemoveFeatureFlag, in("key", "probe", "reason", "test")},
		{"setClientRules", mSetClientRules, in("idleTimeSeconds", 300, "reason", "test")},
		{"setAppContents", mSetAppContents, in("contents", map[string]any{}, "reason", "test")},
		{"setPushChannels", mSetPushChannels, in("channels", []string{}, "reason", "test")},
		{"publishTerms", mPublishTerms, in("kind", "PROBE", "version", "1", "title", "t", "body", "b", "reason", "test")},
	}
}

// TestOperatorChangesReachAppConfig: an ADMIN changes each setting through
// GraphQL, each change leaves one admin activity with its reason, and
// appConfig (served from the cache) shows it at once; MEMBER and SUPPORT
// are refused every operator field.
func TestOperatorChangesReachAppConfig(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911125001")
	support := h.staff("SUPPORT", "+447911125002")
	member := h.signUp("+447911125003", "4831", "device-A")

	for _, m := range operatorMutations() {
		for who, tok := range map[string]string{"MEMBER": member.AccessToken, "SUPPORT": support.token} {
			r := h.post(tok, m.query, m.vars)
			must(t, r.code() == "FORBIDDEN", "%s as %s: %+v", m.name, who, r.Errors)
		}
	}
	for _, q := range []string{qOperatorSettings, `{ termsKinds { kind } }`, `{ termsVersions(kind: GENERAL) { version } }`} {
		h.fails(member.AccessToken, q, nil, "FORBIDDEN")
		h.fails(support.token, q, nil, "FORBIDDEN")
	}
	// Warm the cache: every change below must drop it.
	before := h.appConfig("1.0.0")
	must(t, !before.Maintenance.Enabled && before.Rules.IdleTimeSeconds == 300 && len(before.Contents) == 0 &&
		len(before.PushChannels) == 0, "fresh appConfig: %+v", before)

	row := h.audited("setMaintenance", func() {
		var d struct {
			SetMaintenance struct {
				Maintenance struct {
					Enabled bool
					Message *string
				}
			}
		}
		h.ok(admin.token, mSetMaintenance, in("enabled", true, "message", "Back at 11:00 UTC", "reason", "database upgrade"), &d)
		must(t, d.SetMaintenance.Maintenance.Enabled && str(d.SetMaintenance.Maintenance.Message) == "Back at 11:00 UTC",
			"payload: %+v", d)
	})
	must(t, row.AdminID == admin.id && row.Reason == "database upgrade" && row.Result == "SUCCEEDED", "row: %+v", row)
	c := h.appConfig("1.0.0")
	must(t, c.Maintenance.Enabled && str(c.Maintenance.Message) == "Back at 11:00 UTC", "maintenance: %+v", c.Maintenance)
	r := h.fails(member.AccessToken, qMe, nil, "MAINTENANCE")
	must(t, r.Errors[0].Message == "Back at 11:00 UTC", "message %q", r.Errors[0].Message)
	// The staff member who switched it on is not shut out: they switch it off.
	h.audited("setMaintenance", func() {
		var d struct {
			SetMaintenance struct{ Maintenance struct{ Enabled bool } }
		}
		h.ok(admin.token, mSetMaintenance, in("enabled", false, "reason", "upgrade done"), &d)
		must(t, !d.SetMaintenance.Maintenance.Enabled, "off: %+v", d)
	})
	must(t, !h.appConfig("").Maintenance.Enabled, "maintenance still on")
	var me struct{ Me struct{ ID string } }
	h.ok(member.AccessToken, qMe, nil, &me)

	h.audited("setAppVersion", func() {
		var d struct {
			SetAppVersion struct{ AppVersion map[string]any }
		}
		h.ok(admin.token, mSetAppVersion, in("platform", "ANDROID", "minimumVersion", "2.0.0", "currentVersion", "2.10.1",
			"storeUrl", "https://play.google.com/store/apps/details?id=com.example.wallet", "storeAppId", "com.example.wallet",
			"reason", "force the 2.x upgrade"), &d)
		must(t, d.SetAppVersion.AppVersion["storeAppId"] == "com.example.wallet", "payload: %+v", d)
	})
	c = h.appConfig("1.9.9")
	must(t, c.MinimumVersion == "2.0.0" && c.CurrentVersion == "2.10.1" && c.UpdateRequired && c.UpdateAvailable &&
		str(c.StoreAppID) == "com.example.wallet" && strings.HasPrefix(str(c.StoreURL), "https://play.google.com/"),
		"versions in appConfig: %+v", c)
	c = h.appConfig("2.9.0")
	must(t, !c.UpdateRequired && c.UpdateAvailable, "2.9.0 against 2.10.1: %+v", c)

	h.audited("setFeatureFlag", func() {
		h.ok(admin.token, mSetFeatureFlag, in("key", "send_money", "enabled", true, "description", "Send money to a contact",
			"reason", "launch"), &struct{}{})
	})
	h.audited("setFeatureFlag", func() {
		h.ok(admin.token, mSetFeatureFlag, in("key", "pin_sign_in", "enabled", false, "reason", "incident 42"), &struct{}{})
	})
	keys := func() []string {
		var out []string
		for _, f := range h.appConfig("").Features {
			out = append(out, f.Key)
		}
		return out
	}
	must(t, slices.Equal(keys(), []string{"phone_signup", "send_money"}), "features: %v", keys())
	h.audited("removeFeatureFlag", func() {
		var d struct{ RemoveFeatureFlag struct{ Removed bool } }
		h.ok(admin.token, mRemoveFeatureFlag, in("key", "send_money", "reason", "rolled back"), &d)
		must(t, d.RemoveFeatureFlag.Removed, "removed: %+v", d)
	})
	must(t, slices.Equal(keys(), []string{"phone_signup"}), "features after removal: %v", keys())

	h.audited("setClientRules", func() {
		var d struct {
			SetClientRules struct {
				Rules struct{ IdleTimeSeconds, OtpLifetimeSeconds, ServerOtpLifetimeSeconds int }
			}
		}
		h.ok(admin.token, mSetClientRules, in("idleTimeSeconds", 600, "otpLifetimeSeconds", 90, "reason", "longer idle"), &d)
		must(t, d.SetClientRules.Rules.ServerOtpLifetimeSeconds == int(h.cfg.OTPTTL.Seconds()), "rules: %+v", d)
	})
	c = h.appConfig("")
	must(t, c.Rules.IdleTimeSeconds == 600 && c.Rules.OtpLifetimeSeconds == 90, "rules in appConfig: %+v", c.Rules)

	layout := map[string]any{"mobile": map[string]any{
		"left_menu": map[string]any{"contact_us": "show", "limit": "hide"},
		"home":      map[string]any{"wallet_service": map[string]any{"add": map[string]any{"status": "active", "order": 1}}},
	}}
	h.audited("setAppContents", func() {
		h.ok(admin.token, mSetAppContents, in("contents", layout, "reason", "new home screen"), &struct{}{})
	})
	c = h.appConfig("")
	got, _ := json.Marshal(c.Contents)
	want, _ := json.Marshal(layout)
	must(t, string(got) == string(want), "contents in appConfig:\n got %s\nwant %s", got, want)

	h.audited("setPushChannels", func() {
		h.ok(admin.token, mSetPushChannels, in("channels", []string{"prod-all", "prod-promotional"}, "reason", "topics"), &struct{}{})
	})
	must(t, slices.Equal(h.appConfig("").PushChannels, []string{"prod-all", "prod-promotional"}), "channels in appConfig")

	var s struct {
		OperatorSettings struct {
			Maintenance  struct{ Enabled bool }
			AppVersions  []struct{ Platform, MinimumVersion, StoreAppID string }
			FeatureFlags []struct {
				Key     string
				Enabled bool
			}
			Rules struct {
				IdleTimeSeconds    int
				OtpLifetimeSeconds *int
			}
			AppContents  map[string]any
			PushChannels []string
		}
	}
	h.ok(admin.token, qOperatorSettings, nil, &s)
	os := s.OperatorSettings
	must(t, len(os.AppVersions) == 3 && os.AppVersions[0].Platform == "ANDROID" && os.AppVersions[0].StoreAppID == "com.example.wallet",
		"versions: %+v", os.AppVersions)
	must(t, slices.ContainsFunc(os.FeatureFlags, func(f struct {
		Key     string
		Enabled bool
	}) bool {
		return f.Key == "pin_sign_in" && !f.Enabled
	}), "a disabled flag is listed for staff: %+v", os.FeatureFlags)
	must(t, os.Rules.IdleTimeSeconds == 600 && os.Rules.OtpLifetimeSeconds != nil && *os.Rules.OtpLifetimeSeconds == 90 &&
		len(os.PushChannels) == 2 && os.AppContents["mobile"] != nil, "settings: %+v", os)
	// The SUPERADMIN's rows allow the operator's fields too.
	root := h.staff("SUPERADMIN", "+447911125004")
	h.ok(root.token, qOperatorSettings, nil, &s)
	h.audited("setClientRules", func() {
		h.ok(root.token, mSetClientRules, in("idleTimeSeconds", 300, "reason", "back to default"), &struct{}{})
	})
	must(t, h.appConfig("").Rules.OtpLifetimeSeconds == int(h.cfg.OTPTTL.Seconds()), "OTP lifetime back to the server's")
}

// TestOperatorInputsAreValidated: each rule refuses with
// VALIDATION_FAILED naming its field, writes nothing, and leaves a FAILED
// admin activity.
func TestOperatorInputsAreValidated(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911125101")
	deep := map[string]any{}
	cur := deep
	for range 16 {
		next := map[string]any{}
		cur["n"] = next
		cur = next
	}
	cases := []struct {
		name, query string
		vars        map[string]any
		field       string
	}{
		{"no reason", mSetMaintenance, in("enabled", true, "reason", ""), "reason"},
		{"long reason", mSetMaintenance, in("enabled", true, "reason", strings.Repeat("r", 501)), "reason"},
		{"long message", mSetMaintenance, in("enabled", true, "message", strings.Repeat("m", 501), "reason", "x"), "message"},
		{"control in message", mSetMaintenance, in("enabled", true, "message", "a\x01b", "reason", "x"), "message"},
		{"NUL in message", mSetMaintenance, in("enabled", true, "message", "a\x00b", "reason", "x"), "message"},
		{"not semver", mSetAppVersion, in("platform", "IOS", "minimumVersion", "2.0", "currentVersion", "2.0.0", "reason", "x"), "minimumVersion"},
		{"leading zero", mSetAppVersion, in("platform", "IOS", "minimumVersion", "1.0.0", "currentVersion", "01.0.0", "reason", "x"), "currentVersion"},
		{"minimum above current", mSetAppVersion, in("platform", "IOS", "minimumVersion", "3.0.0", "currentVersion", "2.9.9", "reason", "x"), "minimumVersion"},
		{"store url not https", mSetAppVersion, in("platform", "IOS", "minimumVersion", "1.0.0", "currentVersion", "1.0.0",
			"storeUrl", "http://apps.example/app", "reason", "x"), "storeUrl"},
		{"store url too long", mSetAppVersion, in("platform", "IOS", "minimumVersion", "1.0.0", "currentVersion", "1.0.0",
			"storeUrl", "https://a.example/"+strings.Repeat("a", 500), "reason", "x"), "storeUrl"},
		{"store app id", mSetAppVersion, in("platform", "IOS", "minimumVersion", "1.0.0", "currentVersion", "1.0.0",
			"storeAppId", "com example", "reason", "x"), "storeAppId"},
		{"flag key", mSetFeatureFlag, in("key", "Send-Money", "enabled", true, "reason", "x"), "key"},
		{"flag key too long", mSetFeatureFlag, in("key", strings.Repeat("k", 65), "enabled", true, "reason", "x"), "key"},
		{"flag description", mSetFeatureFlag, in("key", "k", "enabled", true, "description", strings.Repeat("d", 201), "reason", "x"), "description"},
		{"remove flag key", mRemoveFeatureFlag, in("key", "", "reason", "x"), "key"},
		{"idle too short", mSetClientRules, in("idleTimeSeconds", 29, "reason", "x"), "idleTimeSeconds"},
		{"idle too long", mSetClientRules, in("idleTimeSeconds", 86401, "reason", "x"), "idleTimeSeconds"},
		{"otp above the server's", mSetClientRules, in("idleTimeSeconds", 300, "otpLifetimeSeconds", int(h.cfg.OTPTTL.Seconds())+1, "reason", "x"), "otpLifetimeSeconds"},
		{"otp too short", mSetClientRules, in("idleTimeSeconds", 300, "otpLifetimeSeconds", 29, "reason", "x"), "otpLifetimeSeconds"},
		{"contents too deep", mSetAppContents, in("contents", deep, "reason", "x"), "contents"},
		{"contents too big", mSetAppContents, in("contents", map[string]any{"a": strings.Repeat("x", 4000),
			"b": bigObject(8)}, "reason", "x"), "contents"},
		{"contents long string", mSetAppContents, in("contents", map[string]any{"a": strings.Repeat("x", 4097)}, "reason", "x"), "contents"},
		{"contents long key", mSetAppContents, in("contents", map[string]any{strings.Repeat("k", 129): 1}, "reason", "x"), "contents"},
		{"contents NUL", mSetAppContents, in("contents", map[string]any{"a": "x\x00"}, "reason", "x"), "contents"},
		{"bad channel", mSetPushChannels, in("channels", []string{"ok", "not ok"}, "reason", "x"), "channels.1"},
		{"duplicate channel", mSetPushChannels, in("channels", []string{"a", "a"}, "reason", "x"), "channels.1"},
		{"too many channels", mSetPushChannels, in("channels", manyChannels(51), "reason", "x"), "channels"},
		{"terms kind", mPublishTerms, in("kind", "konnect", "version", "1", "title", "t", "body", "b", "reason", "x"), "kind"},
		{"terms kind long", mPublishTerms, in("kind", "K"+strings.Repeat("A", 32), "version", "1", "title", "t", "body", "b", "reason", "x"), "kind"},
		{"terms version", mPublishTerms, in("kind", "KONNECT", "version", "v 1", "title", "t", "body", "b", "reason", "x"), "version"},
		{"terms title", mPublishTerms, in("kind", "KONNECT", "version", "1", "title", "", "body", "b", "reason", "x"), "title"},
		{"terms body", mPublishTerms, in("kind", "KONNECT", "version", "1", "title", "t", "body", "", "reason", "x"), "body"},
		{"terms body long", mPublishTerms, in("kind", "KONNECT", "version", "1", "title", "t", "body", strings.Repeat("b", 16001), "reason", "x"), "body"},
		{"terms url", mPublishTerms, in("kind", "KONNECT", "version", "1", "title", "t", "body", "b", "url", "javascript:alert(1)", "reason", "x"), "url"},
		{"terms in the past", mPublishTerms, in("kind", "KONNECT", "version", "1", "title", "t", "body", "b",
			"publishAt", h.clock.Now().Add(-time.Hour).Format(time.RFC3339), "reason", "x"), "publishAt"},
	}
	for _, tc := range cases {
		action := tc.query[strings.Index(tc.query, "{")+2:]
		action = action[:strings.Index(action, "(")]
		before := len(h.adminRows(action))
		r := h.post(admin.token, tc.query, tc.vars)
		if r.code() != "VALIDATION_FAILED" {
			t.Fatalf("%s: %+v", tc.name, r.Errors)
		}
		fields, _ := r.Errors[0].Extensions["fields"].(map[string]any)
		if _, ok := fields[tc.field]; !ok {
			t.Errorf("%s: fields %v lack %s", tc.name, fields, tc.field)
		}
		rows := h.adminRows(action)
		if strings.Contains(tc.name, "NUL") {
			// Refused by the schema's input guard before the field runs.
			must(t, len(rows) == before, "%s: admin rows %+v", tc.name, rows[before:])
			continue
		}
		must(t, len(rows) == before+1 && rows[len(rows)-1].Result == "FAILED", "%s: admin rows %+v", tc.name, rows[before:])
	}
	var s struct {
		OperatorSettings struct {
			PushChannels []string
			AppContents  map[string]any
		}
	}
	h.ok(admin.token, qOperatorSettings, nil, &s)
	must(t, len(s.OperatorSettings.PushChannels) == 0 && len(s.OperatorSettings.AppContents) == 0, "nothing written: %+v", s)
	var k struct{ TermsKinds []struct{ Kind string } }
	h.ok(admin.token, `{ termsKinds { kind } }`, nil, &k)
	must(t, !slices.ContainsFunc(k.TermsKinds, func(x struct{ Kind string }) bool { return x.Kind == "KONNECT" }),
		"no kind created: %+v", k)
}

func bigObject(n int) map[string]any {
	m := map[string]any{}
	for i := range n {
		m[fmt.Sprintf("k%d", i)] = strings.Repeat("v", 4000)
	}
	return m
}

func manyChannels(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("c%d", i)
	}
	return out
}

// TestANewTermsKindIsPublishedAndAccepted: a KONNECT kind needs no code:
// staff publish it, members are asked to accept it, accept it, and the
// enum-style literal of older queries still reads the terms.
func TestANewTermsKindIsPublishedAndAccepted(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911125201")
	member := h.signUp("+447911125202", "4831", "device-A")

	pending := func(tok string) []string {
		t.Helper()
		var d struct {
			PendingTerms []struct{ Kind, Version string }
		}
		h.ok(tok, qPendingTerms, nil, &d)
		var out []string
		for _, p := range d.PendingTerms {
			out = append(out, p.Kind+"/"+p.Version)
		}
		return out
	}
	// Sign-up accepted GENERAL; the other seeded kinds are not asked.
	must(t, len(pending(member.AccessToken)) == 0, "pending after sign-up: %v", pending(member.AccessToken))
	h.fails("", qPendingTerms, nil, "UNAUTHENTICATED")
	h.fails(member.AccessToken, `{ termsAndConditions(kind: KONNECT) { version } }`, nil, "NOT_FOUND")

	row := h.audited("publishTerms", func() {
		var d struct {
			PublishTerms struct {
				Document struct{ Kind, Version string }
			}
		}
		h.ok(admin.token, mPublishTerms, in("kind", "KONNECT", "version", "2026-12", "title", "Konnect terms",
			"url", "https://example.com/konnect/2026-12", "body", "Linking accounts with Konnect.\nSection 2.", "askUsers", true,
			"reason", "Konnect launch"), &d)
		must(t, d.PublishTerms.Document.Kind == "KONNECT" && d.PublishTerms.Document.Version == "2026-12", "payload %+v", d)
	})
	must(t, row.Reason == "Konnect launch" && row.Result == "SUCCEEDED", "row %+v", row)
	var doc struct {
		TermsAndConditions struct{ Kind, Version, Body string }
	}
	h.ok("", `{ termsAndConditions(kind: KONNECT) { kind version body } }`, nil, &doc)
	must(t, doc.TermsAndConditions.Version == "2026-12" && strings.Contains(doc.TermsAndConditions.Body, "\n"), "read: %+v", doc)
	// The enum literal and a string both work, as do variables of the type.
	h.ok("", `{ termsAndConditions(kind: GENERAL) { kind version } }`, nil, &doc)
	must(t, doc.TermsAndConditions.Kind == "GENERAL", "enum literal: %+v", doc)
	h.ok("", `{ termsAndConditions(kind: "PRIVACY") { kind version } }`, nil, &doc)
	must(t, doc.TermsAndConditions.Kind == "PRIVACY", "string: %+v", doc)
	h.ok("", `query($k: TermsKind!) { termsAndConditions(kind: $k) { kind version } }`, vars("k", "KONNECT"), &doc)
	must(t, doc.TermsAndConditions.Kind == "KONNECT", "variable: %+v", doc)

	must(t, slices.Equal(pending(member.AccessToken), []string{"KONNECT/2026-12"}), "asked: %v", pending(member.AccessToken))
	r := h.fails(admin.token, mPublishTerms, in("kind", "KONNECT", "version", "2026-12", "title", "again", "body", "b",
		"reason", "x"), "CONFLICT")
	must(t, r.Errors[0].Extensions["reason"] == "TERMS_VERSION_EXISTS", "reason %v", r.Errors[0].Extensions)

	h.fails(member.AccessToken, mAcceptTerms, in("kind", "KONNECT", "version", "2026-11"), "CONFLICT")
	h.fails(member.AccessToken, mAcceptTerms, in("kind", "NOPE", "version", "1"), "NOT_FOUND")
	h.fails(member.AccessToken, mAcceptTerms, in("kind", "bad kind", "version", "1"), "VALIDATION_FAILED")
	var acc struct {
		AcceptTerms struct {
			Document struct{ Kind, Version string }
		}
	}
	h.ok(member.AccessToken, mAcceptTerms, in("kind", "KONNECT", "version", "2026-12"), &acc)
	must(t, acc.AcceptTerms.Document.Version == "2026-12", "accepted %+v", acc)
	h.ok(member.AccessToken, mAcceptTerms, in("kind", "KONNECT", "version", "2026-12"), &acc) // again: harmless
	must(t, len(pending(member.AccessToken)) == 0, "after accepting: %v", pending(member.AccessToken))
	var n int
	must(t, h.db.NewRaw(`SELECT count(*) FROM terms_acceptances WHERE kind = 'KONNECT' AND version = '2026-12'`).
		Scan(t.Context(), &n) == nil && n == 1, "acceptances recorded: %d", n)
	must(t, h.db.NewRaw(`SELECT count(*) FROM activities WHERE user_id = ? AND action = 'terms.accept'
		AND details->>'terms' = 'KONNECT/2026-12'`, member.User.ID).Scan(t.Context(), &n) == nil && n == 1,
		"one line in the member's security log: %d", n)

	// A version scheduled for later is not current until then, and then
	// is asked again; accepting the older one is refused once it is.
	at := h.clock.Now().Add(5 * time.Minute)
	h.ok(admin.token, mPublishTerms, in("kind", "KONNECT", "version", "2027-01", "title", "Konnect terms", "body", "v2",
		"publishAt", at.Format(time.RFC3339), "reason", "yearly update"), &struct{}{})
	must(t, len(pending(member.AccessToken)) == 0, "scheduled is not pending yet")
	h.clock.Advance(5 * time.Minute)
	must(t, slices.Equal(pending(member.AccessToken), []string{"KONNECT/2027-01"}), "asked again: %v", pending(member.AccessToken))
	r = h.fails(member.AccessToken, mAcceptTerms, in("kind", "KONNECT", "version", "2026-12"), "CONFLICT")
	must(t, r.Errors[0].Extensions["reason"] == "TERMS_NOT_CURRENT", "reason %v", r.Errors[0].Extensions)

	var hist struct{ TermsVersions []struct{ Version string } }
	h.ok(admin.token, `{ termsVersions(kind: KONNECT, first: 5) { version } }`, nil, &hist)
	must(t, len(hist.TermsVersions) == 2 && hist.TermsVersions[0].Version == "2027-01", "history: %+v", hist)
	var kinds struct {
		TermsKinds []struct {
			Kind     string
			AskUsers bool
			Current  *struct{ Version string }
		}
	}
	h.ok(admin.token, `{ termsKinds { kind askUsers current { version } } }`, nil, &kinds)
	i := slices.IndexFunc(kinds.TermsKinds, func(k struct {
		Kind     string
		AskUsers bool
		Current  *struct{ Version string }
	}) bool {
		return k.Kind == "KONNECT"
	})
	must(t, i >= 0 && kinds.TermsKinds[i].AskUsers && kinds.TermsKinds[i].Current.Version == "2027-01", "kinds: %+v", kinds)
}

// TestConcurrentOperatorEditsKeepEachOther: staff changing different
// settings at the same moment all find their change in place.
func TestConcurrentOperatorEditsKeepEachOther(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.staff("ADMIN", "+447911125401")
	b := h.staff("SUPERADMIN", "+447911125402")
	calls := []struct {
		tok, query string
		vars       map[string]any
	}{
		{a.token, mSetMaintenance, in("enabled", false, "message", "m", "reason", "r")},
		{b.token, mSetClientRules, in("idleTimeSeconds", 777, "reason", "r")},
		{a.token, mSetPushChannels, in("channels", []string{"c1"}, "reason", "r")},
		{b.token, mSetAppContents, in("contents", map[string]any{"k": "v"}, "reason", "r")},
		{a.token, mSetAppVersion, in("platform", "IOS", "minimumVersion", "3.0.0", "currentVersion", "3.1.0", "reason", "r")},
		{b.token, mSetAppVersion, in("platform", "WEB", "minimumVersion", "4.0.0", "currentVersion", "4.0.0", "reason", "r")},
	}
	for i := range 8 {
		calls = append(calls, struct {
			tok, query string
			vars       map[string]any
		}{a.token, mSetFeatureFlag, in("key", fmt.Sprintf("flag_%d", i), "enabled", true, "reason", "r")})
	}
	done := make(chan gqlResponse, len(calls))
	for _, c := range calls {
		go func() { done <- h.post(c.tok, c.query, c.vars) }()
	}
	for range calls {
		r := <-done
		must(t, len(r.Errors) == 0, "a concurrent edit failed: %+v", r.Errors)
	}
	var s struct {
		OperatorSettings struct {
			Maintenance  struct{ Message *string }
			AppVersions  []struct{ Platform, MinimumVersion string }
			FeatureFlags []struct{ Key string }
			Rules        struct{ IdleTimeSeconds int }
			AppContents  map[string]any
			PushChannels []string
		}
	}
	h.ok(a.token, qOperatorSettings, nil, &s)
	o := s.OperatorSettings
	must(t, str(o.Maintenance.Message) == "m" && o.Rules.IdleTimeSeconds == 777 && slices.Equal(o.PushChannels, []string{"c1"}) &&
		o.AppContents["k"] == "v" && len(o.FeatureFlags) == 3+8, "every edit kept: %+v", o)
	for _, v := range o.AppVersions {
		want := map[string]string{"ANDROID": "1.0.0", "IOS": "3.0.0", "WEB": "4.0.0"}[v.Platform]
		must(t, v.MinimumVersion == want, "%s at %s", v.Platform, v.MinimumVersion)
	}
}

// TestAChangeReachesAnotherInstanceAtOnce: two instances on one database,
// each keeping appConfig for a minute; a change made through one is
// answered by the other within a second, through the database's
// notification, not the cache's TTL.
func TestAChangeReachesAnotherInstanceAtOnce(t *testing.T) {
	t.Parallel()
	long := func(c *app.Config) { c.PlatformCacheTTL = time.Minute }
	a := newHarness(t, long)
	b := newHarness(t, long, func(c *app.Config) {
		c.DatabaseURL, c.SigningKeyFile = a.cfg.DatabaseURL, a.cfg.SigningKeyFile
	})
	admin := a.staff("ADMIN", "+447911125501")
	must(t, b.appConfig("").Rules.IdleTimeSeconds == 300, "b caches the fresh settings")
	// b's listener may still be starting: a change before its first
	// LISTEN is only bounded by the TTL, so wait until b hears one.
	deadline := time.Now().Add(10 * time.Second)
	for n := 301; ; n++ {
		a.ok(admin.token, mSetClientRules, in("idleTimeSeconds", n, "reason", "probe"), &struct{}{})
		if b.appConfig("").Rules.IdleTimeSeconds == n {
			break
		}
		must(t, time.Now().Before(deadline), "b never heard a change")
		time.Sleep(50 * time.Millisecond)
	}
	a.ok(admin.token, mSetMaintenance, in("enabled", true, "message", "from a", "reason", "r"), &struct{}{})
	a.ok(admin.token, mSetFeatureFlag, in("key", "from_a", "enabled", true, "reason", "r"), &struct{}{})
	deadline = time.Now().Add(time.Second)
	for {
		c := b.appConfig("")
		if c.Maintenance.Enabled && str(c.Maintenance.Message) == "from a" &&
			slices.ContainsFunc(c.Features, func(f struct{ Key, Description string }) bool { return f.Key == "from_a" }) {
			break
		}
		must(t, time.Now().Before(deadline), "b still answers %+v a second after the change", c)
		time.Sleep(10 * time.Millisecond)
	}
}
