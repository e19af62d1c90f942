package graphtest

import (
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"probity/graph"
)

// Proxy forwards TCP to the test Neo4j and can be cut and restored, so a test
// sees the real server go away mid-work and come back on the same address.
type Proxy struct {
	Addr   string // host:port to connect to; fixed after the first Up
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

// NewProxy starts a proxy to the test server and stops it when t ends.
func NewProxy(t testing.TB) *Proxy {
	p := &Proxy{Addr: "127.0.0.1:0", target: strings.TrimPrefix(Config().URI, "bolt://")}
	p.Up(t)
	t.Cleanup(p.Down)
	return p
}

// URI is the Bolt URI of the proxy.
func (p *Proxy) URI() string { return "bolt://" + p.Addr }

// Up (re)opens the proxy's listener.
func (p *Proxy) Up(t testing.TB) {
	t.Helper()
	ln, err := net.Listen("tcp", p.Addr)
	if err != nil {
		t.Fatalf("proxy listen: %v", err)
	}
	p.mu.Lock()
	p.ln, p.Addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
}

// Down closes the listener and cuts every open connection.
func (p *Proxy) Down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// Open opens a store on the test server through the proxy, each query
// given timeout, closed when t ends (the data as it is: Open resets it).
func (p *Proxy) Open(t testing.TB, timeout time.Duration) *graph.Store {
	t.Helper()
	cfg := Config()
	cfg.URI, cfg.Timeout = p.URI(), timeout
	s, err := graph.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}
