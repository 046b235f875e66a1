// Package mailer sends digigap's invitations and reminders through the
// organisation's mail relay: it claims prepared messages from the store's
// outbox (each with its invitation, token, Message-ID and date fixed
// before the relay is reached) and records a message sent once the relay
// accepted it, so that a crash or a second instance never loses one and
// never sends a second working link: at worst the same message arrives
// twice, with one Message-ID.
package mailer

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Relay is the parsed --smtp-url: where to connect and how to protect it.
type Relay struct {
	Host     string
	Port     int
	User     string
	Password string
	// TLS is "starttls" (required, the default), "implicit" (smtps://) or
	// "none" (a local test server only, asked for explicitly).
	TLS string
	// TLSConfig, when set, supplies the trusted roots instead of the system's (tests).
	TLSConfig *tls.Config
}

// ParseRelay reads smtp://user@host:587 (STARTTLS required),
// smtps://user@host:465 (TLS from the first byte) or, for a local test
// server, smtp+insecure://host:1025 or smtp://host:1025?tls=none. The
// password never comes from the URL: it is given apart (from the
// environment or a file).
func ParseRelay(raw, password string) (*Relay, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("must look like smtp://user@mail.example.com:587 or smtps://user@mail.example.com:465")
	}
	if _, set := u.User.Password(); set {
		return nil, fmt.Errorf("must not hold the password: give it in DIGIGAP_SMTP_PASSWORD or --smtp-password-file")
	}
	r := &Relay{Host: u.Hostname(), User: u.User.Username(), Password: password}
	port := 587
	switch u.Scheme {
	case "smtp":
		r.TLS = "starttls"
	case "smtps":
		r.TLS, port = "implicit", 465
	case "smtp+insecure":
		r.TLS, port = "none", 25
	default:
		return nil, fmt.Errorf("scheme must be smtp, smtps or smtp+insecure, not %q", u.Scheme)
	}
	switch q := u.Query().Get("tls"); q {
	case "":
	case "none":
		if r.TLS == "implicit" {
			return nil, fmt.Errorf("smtps:// is TLS: tls=none contradicts it")
		}
		r.TLS = "none"
	default:
		return nil, fmt.Errorf("tls=%q: the only setting is tls=none, for a local test server", q)
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("port %q is not a port number", p)
		}
	}
	r.Port = port
	return r, nil
}

// Address is host:port, for messages to the operator.
func (r *Relay) Address() string { return net.JoinHostPort(r.Host, strconv.Itoa(r.Port)) }

// client builds the go-mail client for the relay: the certificate is
// checked against the host name, and STARTTLS is mandatory unless the
// URL asked for none.
func (r *Relay) client(timeout time.Duration) (*gomail.Client, error) {
	tc := &tls.Config{ServerName: r.Host, MinVersion: tls.VersionTLS12}
	if r.TLSConfig != nil {
		tc = r.TLSConfig.Clone()
		tc.ServerName = r.Host
	}
	opts := []gomail.Option{gomail.WithPort(r.Port), gomail.WithTimeout(timeout), gomail.WithTLSConfig(tc)}
	switch r.TLS {
	case "implicit":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if r.User != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(r.User), gomail.WithPassword(r.Password))
	}
	return gomail.NewClient(r.Host, opts...)
}
