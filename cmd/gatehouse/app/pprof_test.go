package app_test

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// get fetches url and returns its status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// freeAddr is a loopback address nobody listens on.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

var pprofPaths = []string{"/debug/pprof/", "/debug/pprof/heap?debug=1", "/debug/pprof/goroutine?debug=1",
	"/debug/pprof/cmdline", "/debug/pprof/symbol"}

// The profiles are off by default, on the metrics listener as on the main
// one (which serves /metrics itself in dev), and when turned on they are
// served by the metrics listener alone, never by the public one.
func TestPprofOnlyOnTheMetricsListenerWhenTurnedOn(t *testing.T) {
	t.Parallel()
	dev := newHarness(t)
	metrics := freeAddr(t)
	off := newHarness(t, func(c *app.Config) { c.MetricsAddr = metrics })
	for _, p := range pprofPaths {
		for _, base := range []string{dev.srv.URL, off.srv.URL, "http://" + metrics} {
			status, _ := get(t, base+p)
			must(t, status == http.StatusNotFound, "GET %s%s with pprof off: %d", base, p, status)
		}
	}

	metrics = freeAddr(t)
	on := newHarness(t, func(c *app.Config) { c.MetricsAddr, c.Pprof = metrics, true })
	for _, p := range pprofPaths {
		status, body := get(t, "http://"+metrics+p)
		must(t, status == http.StatusOK && body != "", "GET %s on the metrics listener with pprof on: %d", p, status)
		status, _ = get(t, on.srv.URL+p)
		must(t, status == http.StatusNotFound, "GET %s on the public listener with pprof on: %d", p, status)
	}
	_, body := get(t, "http://"+metrics+"/debug/pprof/heap?debug=1")
	must(t, strings.Contains(body, "heap profile"), "not a heap profile:\n%.200s", body)
	status, _ := get(t, "http://"+metrics+"/metrics")
	must(t, status == http.StatusOK, "/metrics beside the profiles: %d", status)
}

func TestPprofConfig(t *testing.T) {
	c, err := app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev"}))
	must(t, err == nil && !c.Pprof, "pprof on by default: %v %v", c.Pprof, err)
	c, err = app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev", "GATEHOUSE_PPROF": "true", "GATEHOUSE_METRICS_ADDR": "127.0.0.1:9090"}))
	must(t, err == nil && c.Pprof, "pprof with a metrics listener: %v %v", c.Pprof, err)
	for _, env := range []map[string]string{
		{"GATEHOUSE_ENV": "dev", "GATEHOUSE_PPROF": "true"},
		{"GATEHOUSE_ENV": "dev", "GATEHOUSE_PPROF": "yes please", "GATEHOUSE_METRICS_ADDR": "127.0.0.1:9090"},
	} {
		_, err = app.Load(func(k string) string { return env[k] })
		must(t, err != nil && strings.Contains(err.Error(), "GATEHOUSE_PPROF"), "%v accepted: %v", env, err)
	}
}
