package app_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
	"github.com/gatehouse/gatehouse/modules/federation"
)

func TestOIDCProvidersAreReadFromTheirOwnVariables(t *testing.T) {
	c, err := app.Load(env(map[string]string{
		"GATEHOUSE_ENV":                         "dev",
		"GATEHOUSE_OIDC_PROVIDERS":              "google, acme-sso",
		"GATEHOUSE_OIDC_GOOGLE_ISSUER":          "https://accounts.google.com",
		"GATEHOUSE_OIDC_GOOGLE_CLIENT_ID":       "123.apps.googleusercontent.com",
		"GATEHOUSE_OIDC_GOOGLE_CLIENT_SECRET":   "GOCSPX-secret",
		"GATEHOUSE_OIDC_GOOGLE_REDIRECT_URIS":   "https://app.example.com/cb, com.example.app:/oauth2redirect",
		"GATEHOUSE_OIDC_ACME_SSO_ISSUER":        "http://localhost:9000/realms/acme",
		"GATEHOUSE_OIDC_ACME_SSO_CLIENT_ID":     "gatehouse",
		"GATEHOUSE_OIDC_ACME_SSO_CLIENT_SECRET": "s3",
		"GATEHOUSE_OIDC_ACME_SSO_REDIRECT_URIS": "http://localhost:3000/cb",
		"GATEHOUSE_OIDC_ACME_SSO_SCOPES":        "email profile groups",
	}))
	if err != nil {
		t.Fatal(err)
	}
	must(t, len(c.OIDCProviders) == 2, "providers: %+v", c.OIDCProviders)
	g, a := c.OIDCProviders[0], c.OIDCProviders[1]
	must(t, g.Name == "google" && g.Issuer == "https://accounts.google.com" && string(g.ClientSecret) == "GOCSPX-secret" &&
		len(g.RedirectURIs) == 2 && g.RedirectURIs[1] == "com.example.app:/oauth2redirect" && len(g.Scopes) == 0,
		"google: %+v", g)
	must(t, a.Name == "acme-sso" && strings.Join(a.Scopes, ",") == "email,profile,groups", "acme-sso: %+v", a)
	// The secret does not print.
	must(t, !strings.Contains(fmt.Sprintf("%v %+v %#v", g, g, g), "GOCSPX"), "the client secret printed")
}

func TestOIDCProviderProblemsAreListedAtOnceWithoutSecrets(t *testing.T) {
	_, err := app.Load(env(map[string]string{
		"GATEHOUSE_ENV":                   "prod",
		"GATEHOUSE_OIDC_PROVIDERS":        "Google,ok,ok",
		"GATEHOUSE_OIDC_OK_ISSUER":        "http://idp.example.com",
		"GATEHOUSE_OIDC_OK_CLIENT_SECRET": "very-secret-value",
		"GATEHOUSE_OIDC_OK_REDIRECT_URIS": "javascript:alert(1),https://app.example.com/cb#frag",
	}))
	must(t, err != nil, "bad providers accepted")
	msg := err.Error()
	for _, want := range []string{
		`provider "Google": the name must be 1 to 32 of a-z`,
		`provider "ok": is configured twice`,
		`provider "ok": issuer must use https outside development`,
		`provider "ok": the client id is required`,
		`provider "ok": redirect URI "javascript:alert(1)" must not use the javascript scheme`,
		`redirect URI "https://app.example.com/cb#frag" must be an absolute URI without a fragment`,
	} {
		must(t, strings.Contains(msg, want), "the error does not say %q:\n%s", want, msg)
	}
	must(t, !strings.Contains(msg, "very-secret-value"), "the error shows a client secret:\n%s", msg)
}

func TestOIDCProvidersNeedRedirectURIs(t *testing.T) {
	problems := federation.CheckProviders([]federation.Provider{{Name: "x", Issuer: "https://x.example.com",
		ClientID: "id", ClientSecret: "s"}}, false)
	must(t, len(problems) == 1 && strings.Contains(problems[0], "redirect URIs are required"), "problems: %v", problems)
}
