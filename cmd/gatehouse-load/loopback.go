package main

import (
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/jackc/pgx/v5"
)

// checkLoopback refuses any listen address but a loopback one. The tool
// starts a dev server (which prints codes and holds made-up users) and
// drives it as hard as it can: neither may ever be reachable from, or
// aimed at, another machine. A name other than "localhost" is refused
// rather than resolved: what it resolves to can change under the run.
func checkLoopback(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: want host:port on loopback (e.g. 127.0.0.1:0): %v", addr, err)
	}
	if port == "" {
		return fmt.Errorf("-addr %q: no port (0 picks a free one)", addr)
	}
	if host == "localhost" {
		return nil
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %q: not a loopback address; the load tool only runs against 127.0.0.0/8, ::1 or localhost", addr)
	}
	return nil
}

// checkDatabaseURL refuses a DATABASE_URL whose server is not on this
// machine (loopback or a Unix socket): the run writes made-up users into
// it and drives it as hard as the server can, which no shared or
// production database should meet by a stray environment variable.
func checkDatabaseURL(url string) error {
	if url == "" {
		return nil
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("DATABASE_URL does not parse: %v", err)
	}
	hosts := []string{cfg.Host}
	for _, f := range cfg.Fallbacks {
		hosts = append(hosts, f.Host)
	}
	for _, h := range hosts {
		if strings.HasPrefix(h, "/") {
			continue // a Unix socket
		}
		if err := checkLoopback(net.JoinHostPort(h, "5432")); err != nil {
			return fmt.Errorf("DATABASE_URL names host %q: the load tool only uses a database on this machine (loopback or a Unix socket)", h)
		}
	}
	return nil
}

// listenAddr turns addr into one the server can be given: a port of 0 is
// replaced by a port free now, as the server is started by address.
func listenAddr(addr string) (string, error) {
	host, port, _ := net.SplitHostPort(addr)
	if port != "0" {
		return addr, nil
	}
	if host == "localhost" {
		host = "127.0.0.1"
	}
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
