package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The provider approves everyone, so no address but a loopback one is
// ever listened on.
func TestRefusesNonLoopbackAddresses(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:9400", ":9400", "[::]:9400", "192.168.1.10:9400", "example.com:9400",
		"localhost.example.com:9400", "127.0.0.1", ""} {
		var out bytes.Buffer
		err := run([]string{"-addr", addr, "-email", "a@example.com"}, &out, &out)
		if err == nil || !strings.Contains(err.Error(), "-addr") {
			t.Errorf("-addr %q: got %v, want a refusal naming -addr", addr, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:9400", "127.0.0.2:1", "[::1]:9400", "localhost:9400"} {
		if err := checkLoopback(addr); err != nil {
			t.Errorf("-addr %q refused: %v", addr, err)
		}
	}
}

func TestNeedsAnEmail(t *testing.T) {
	var out bytes.Buffer
	err := run([]string{"-addr", "127.0.0.1:0"}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "-email is required") {
		t.Fatalf("got %v, want -email required", err)
	}
}

func TestHelpSaysDevelopmentOnly(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-h"}, &out, &out); err == nil {
		t.Fatal("-h: no flag.ErrHelp")
	}
	for _, want := range []string{"DEVELOPMENT ONLY", "loopback only", "-email", "GATEHOUSE_OIDC_DEV_ISSUER"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
}

// Started on port 0, it prints its issuer first and serves a discovery
// document naming that issuer.
func TestServesDiscoveryAtItsIssuer(t *testing.T) {
	pr, pw := io.Pipe()
	go func() {
		_ = run([]string{"-addr", "127.0.0.1:0", "-email", "a@example.com", "-verified"}, pw, io.Discard)
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	issuer, ok := strings.CutPrefix(strings.TrimSpace(line), "issuer ")
	if !ok || !strings.HasPrefix(issuer, "http://127.0.0.1:") {
		t.Fatalf("first line %q, want the issuer on loopback", line)
	}
	c := &http.Client{Timeout: 5 * time.Second}
	res, err := c.Get(issuer + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var doc struct {
		Issuer        string `json:"issuer"`
		Authorization string `json:"authorization_endpoint"`
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil || doc.Issuer != issuer || doc.Authorization != issuer+"/authorize" {
		t.Fatalf("discovery %+v (%v), want issuer %s", doc, err, issuer)
	}
}
