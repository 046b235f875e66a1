package api_test

import (
	"net"
	"sync"
	"testing"
)

// partitionProxy forwards TCP connections to PostgreSQL until partition
// is called; then it keeps every connection open but forwards nothing
// (bytes are dropped, new connections wait), as a network partition does,
// until heal.
type partitionProxy struct {
	ln       net.Listener
	upstream string
	mu       sync.Mutex
	open     chan struct{} // closed while forwarding
	conns    []net.Conn
}

func startProxy(t *testing.T, upstream string) *partitionProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &partitionProxy{ln: ln, upstream: upstream, open: make(chan struct{})}
	close(p.open)
	go p.accept()
	t.Cleanup(func() {
		p.heal()
		ln.Close()
		p.mu.Lock()
		for _, c := range p.conns {
			c.Close()
		}
		p.mu.Unlock()
	})
	return p
}

func (p *partitionProxy) forwarding() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.open
}

func (p *partitionProxy) partition() {
	p.mu.Lock()
	p.open = make(chan struct{})
	p.mu.Unlock()
}

func (p *partitionProxy) heal() {
	p.mu.Lock()
	select {
	case <-p.open:
	default:
		close(p.open)
	}
	p.mu.Unlock()
}

func (p *partitionProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go func() {
			<-p.forwarding() // a new connection waits out the partition
			up, err := net.Dial("tcp", p.upstream)
			if err != nil {
				c.Close()
				return
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go p.pipe(up, c)
			go p.pipe(c, up)
		}()
	}
}

// pipe copies src to dst, dropping what arrives while partitioned.
func (p *partitionProxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if err != nil {
			return
		}
		select {
		case <-p.forwarding():
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		default: // partitioned: the bytes are lost
		}
	}
}
