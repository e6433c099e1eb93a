package app_test

import (
	"net"
	"net/url"
	"sync"
	"testing"
	"time"
)

// dbProxy sits between Gatehouse and the test cluster so a test can make
// the database stop (connections cut, new ones refused) or freeze (bytes
// no longer forwarded, new connections accepted and left hanging), then
// come back, without touching the cluster itself.
type dbProxy struct {
	t      testing.TB
	target string // host:port of the cluster
	addr   string // host:port the proxy listens on

	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]struct{}
	frozen bool
	thaw   chan struct{} // closed when a freeze ends
}

// newDBProxy starts a proxy in front of the database of rawURL and
// returns it with the URL that goes through it.
func newDBProxy(t testing.TB, rawURL string) (*dbProxy, string) {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	p := &dbProxy{t: t, target: u.Host, conns: map[net.Conn]struct{}{}, thaw: make(chan struct{})}
	close(p.thaw)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.close)
	u.Host = p.addr
	return p, u.String()
}

func (p *dbProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.handle(c)
		}
	}()
}

func (p *dbProxy) handle(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		_ = client.Close()
		return
	}
	p.mu.Lock()
	if p.ln == nil { // stopped meanwhile
		p.mu.Unlock()
		_ = client.Close()
		_ = server.Close()
		return
	}
	p.conns[client], p.conns[server] = struct{}{}, struct{}{}
	p.mu.Unlock()
	pipe := func(dst, src net.Conn) {
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				p.waitThaw()
				if _, werr := dst.Write(buf[:n]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		_ = dst.Close()
		_ = src.Close()
	}
	go pipe(server, client)
	pipe(client, server)
	p.mu.Lock()
	delete(p.conns, client)
	delete(p.conns, server)
	p.mu.Unlock()
}

// waitThaw blocks while the proxy is frozen.
func (p *dbProxy) waitThaw() {
	p.mu.Lock()
	ch := p.thaw
	p.mu.Unlock()
	<-ch
}

// stop cuts every connection and refuses new ones, as a stopped server.
func (p *dbProxy) stop() {
	p.mu.Lock()
	ln := p.ln
	p.ln = nil
	conns := p.conns
	p.conns = map[net.Conn]struct{}{}
	p.mu.Unlock()
	if ln != nil {
		_ = ln.Close()
	}
	for c := range conns {
		_ = c.Close()
	}
}

// start listens again on the same address after stop.
func (p *dbProxy) start() {
	p.t.Helper()
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		p.t.Fatalf("proxy: listen again on %s: %v", p.addr, err)
	}
	p.serve(ln)
}

// freeze stops forwarding bytes both ways; connections stay open.
func (p *dbProxy) freeze() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.frozen {
		p.frozen, p.thaw = true, make(chan struct{})
	}
}

// unfreeze forwards again.
func (p *dbProxy) unfreeze() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.frozen {
		p.frozen = false
		close(p.thaw)
	}
}

func (p *dbProxy) close() {
	p.unfreeze()
	p.stop()
}
