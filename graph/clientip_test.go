package graph

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientIP(t *testing.T) {
	lb := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	cases := []struct {
		name, remote, xff string
		trusted           []netip.Prefix
		want              string
	}{
		{"direct client", "203.0.113.7:5000", "", nil, "203.0.113.7"},
		{"direct client cannot spoof", "203.0.113.7:5000", "1.2.3.4", nil, "203.0.113.7"},
		{"untrusted proxy is the client", "198.51.100.1:5000", "1.2.3.4", lb, "198.51.100.1"},
		{"behind the load balancer", "10.0.0.5:5000", "203.0.113.7", lb, "203.0.113.7"},
		{"spoofed hop left of the real one", "10.0.0.5:5000", "1.2.3.4, 203.0.113.7", lb, "203.0.113.7"},
		{"two trusted hops", "10.0.0.5:5000", "203.0.113.7, 10.0.0.9", lb, "203.0.113.7"},
		{"garbage header", "10.0.0.5:5000", "not-an-ip", lb, "10.0.0.5"},
		{"hop with a port", "10.0.0.5:5000", "203.0.113.7:41000", lb, "203.0.113.7"},
		{"bracketed ipv6 hop with a port", "10.0.0.5:5000", "[2001:db8::7]:443", lb, "2001:db8::7"},
		{"bracketed ipv6 hop", "10.0.0.5:5000", "[2001:db8::7]", lb, "2001:db8::7"},
		{"ipv6 peer", "[2001:db8::1]:443", "", nil, "2001:db8::1"},
		{"v4-mapped peer", "[::ffff:203.0.113.7]:443", "", nil, "203.0.113.7"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/graphql", nil)
			r.RemoteAddr = c.remote
			if c.xff != "" {
				r.Header.Set("X-Forwarded-For", c.xff)
			}
			if got := clientIP(r, c.trusted); got != c.want {
				t.Fatalf("clientIP = %s, want %s", got, c.want)
			}
		})
	}
}
