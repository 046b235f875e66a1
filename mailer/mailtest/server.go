// Package mailtest is an in-process SMTP relay for tests: it keeps every
// message it accepts and can refuse recipients or message ends on demand,
// so tests send real SMTP without a mail server on the machine.
package mailtest

import (
	"bytes"
	"crypto/tls"
	"io"
	"log"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Received is one accepted message.
type Received struct {
	From string
	To   []string
	Data []byte
}

// Server is a running test relay.
type Server struct {
	Addr string
	// Rcpt and End, when set, may refuse a recipient (at RCPT) or a
	// message (at its end) by returning an *smtp.SMTPError.
	Rcpt func(to string) error
	End  func(to []string) error
	// Accepted, when set, runs once a message is kept, before the relay
	// says so; returning true drops the connection instead of replying,
	// as when a reply is lost: the relay has the message, the client
	// cannot know it.
	Accepted func(to []string) (drop bool)

	mu       sync.Mutex
	received []Received
	srv      *smtp.Server
}

// Start runs a relay on a loopback port until the test ends.
func Start(tb testing.TB) *Server { return StartTLS(tb, nil) }

// StartTLS runs a relay that offers STARTTLS with config (none when nil).
func StartTLS(tb testing.TB, config *tls.Config) *Server {
	tb.Helper()
	s := &Server{}
	s.srv = smtp.NewServer(backend{s})
	s.srv.TLSConfig = config
	s.srv.Domain = "relay.test"
	s.srv.ErrorLog = log.New(io.Discard, "", 0) // clients killed on purpose are no news
	s.srv.AllowInsecureAuth = true
	s.srv.EnableSMTPUTF8 = true
	s.srv.ReadTimeout = 30 * time.Second
	s.srv.WriteTimeout = 30 * time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	go func() { _ = s.srv.Serve(ln) }()
	tb.Cleanup(func() { _ = s.srv.Close() })
	return s
}

// URL is the --smtp-url of the relay: plain SMTP, explicitly without TLS.
func (s *Server) URL() string { return "smtp+insecure://" + s.Addr }

// Messages returns a copy of what was accepted so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// Wait waits until n messages were accepted, failing the test after timeout.
func (s *Server) Wait(tb testing.TB, n int, timeout time.Duration) []Received {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := s.Messages()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			tb.Fatalf("relay: %d messages after %v, want %d", len(got), timeout, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, conn: c}, nil
}

type session struct {
	s    *Server
	conn *smtp.Conn
	from string
	to   []string
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

func (x *session) Mail(from string, _ *smtp.MailOptions) error { x.from = from; return nil }

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if x.s.Rcpt != nil {
		if err := x.s.Rcpt(to); err != nil {
			return err
		}
	}
	x.to = append(x.to, to)
	return nil
}

// Data keeps the message only when it arrived whole: a client that drops
// the connection before the final dot delivers nothing, as with any relay.
func (x *session) Data(r io.Reader) error {
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, r); err != nil {
		return err
	}
	if x.s.End != nil {
		if err := x.s.End(x.to); err != nil {
			return err
		}
	}
	x.s.mu.Lock()
	x.s.received = append(x.s.received, Received{From: x.from, To: append([]string(nil), x.to...), Data: buf.Bytes()})
	x.s.mu.Unlock()
	if x.s.Accepted != nil && x.s.Accepted(x.to) {
		_ = x.conn.Conn().Close()
	}
	return nil
}

// WaitFor waits until cond holds of the accepted messages, failing the
// test after timeout.
func (s *Server) WaitFor(tb testing.TB, what string, timeout time.Duration, cond func([]Received) bool) []Received {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := s.Messages()
		if cond(got) {
			return got
		}
		if time.Now().After(deadline) {
			tb.Fatalf("relay: %d messages after %v, still waiting for %s", len(got), timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
