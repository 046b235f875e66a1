package mailer_test

import (
	"crypto/tls"
	"crypto/x509"
	"net/http/httptest"
	"testing"
	"time"

	"digigap/mailer"
	"digigap/mailer/mailtest"
	"digigap/survey"
)

func TestParseRelay(t *testing.T) {
	for _, tt := range []struct {
		url, tls string
		port     int
		bad      bool
	}{
		{url: "smtp://hr@mail.bank.example", tls: "starttls", port: 587},
		{url: "smtp://hr@mail.bank.example:25", tls: "starttls", port: 25},
		{url: "smtps://hr@mail.bank.example", tls: "implicit", port: 465},
		{url: "smtp+insecure://localhost:1025", tls: "none", port: 1025},
		{url: "smtp://localhost:1025?tls=none", tls: "none", port: 1025},
		{url: "smtp://hr:secret@mail.bank.example", bad: true}, // the password never goes in the URL
		{url: "smtps://mail.bank.example?tls=none", bad: true},
		{url: "smtp://mail.bank.example?tls=maybe", bad: true},
		{url: "http://mail.bank.example", bad: true},
		{url: "mail.bank.example", bad: true},
	} {
		r, err := mailer.ParseRelay(tt.url, "pw")
		if tt.bad {
			if err == nil {
				t.Errorf("%s: accepted, want refused", tt.url)
			}
			continue
		}
		if err != nil || r.TLS != tt.tls || r.Port != tt.port || r.Password != "pw" {
			t.Errorf("%s: %+v, %v; want tls %s port %d", tt.url, r, err, tt.tls, tt.port)
		}
	}
}

// TestSend_StartTLSIsRequiredAndTheCertificateChecked: smtp:// never sends
// in clear, nor to a relay whose certificate it cannot trust.
func TestSend_StartTLSIsRequiredAndTheCertificateChecked(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	f.upload(t, 1)
	cert := httptest.NewUnstartedServer(nil) // a self-signed certificate for 127.0.0.1
	cert.StartTLS()
	defer cert.Close()
	tlsRelay := startTLSRelay(t, cert.TLS.Certificates)

	for _, tt := range []struct {
		name  string
		url   string
		roots *x509.CertPool
		sent  bool
	}{
		{"plain relay", "smtp://" + f.smtp.Addr, nil, false},
		{"untrusted certificate", "smtp://" + tlsRelay.Addr, nil, false},
		{"trusted certificate", "smtp://" + tlsRelay.Addr, certPool(cert.Certificate().Raw), true},
	} {
		opt := f.options(t)
		r, err := mailer.ParseRelay(tt.url, "")
		if err != nil {
			t.Fatal(err)
		}
		r.TLSConfig = &tls.Config{RootCAs: tt.roots}
		opt.Relay, opt.Backoff = r, func(int) time.Duration { return time.Hour }
		stop := runUntil(t, f.st, opt)
		if tt.sent {
			tlsRelay.Wait(t, 1, time.Minute)
		} else {
			waitFor(t, "a refused attempt", time.Minute, func() bool {
				var n int64
				f.st.DB().Raw("SELECT COUNT(*) FROM mail_outbox WHERE state = 'queued' AND attempts > 0").Scan(&n)
				return n == 1
			})
		}
		stop()
		f.st.DB().Exec("UPDATE mail_outbox SET due_at = ?", f.clk.Now().Add(-time.Minute)) // due again for the next case
		if got := len(f.smtp.Messages()) + len(tlsRelay.Messages()); (got == 1) != tt.sent {
			t.Errorf("%s: %d messages delivered, want sent=%v", tt.name, got, tt.sent)
		}
	}
}

func startTLSRelay(t *testing.T, certs []tls.Certificate) *mailtest.Server {
	return mailtest.StartTLS(t, &tls.Config{Certificates: certs})
}

func certPool(der []byte) *x509.CertPool {
	c, _ := x509.ParseCertificate(der)
	p := x509.NewCertPool()
	p.AddCert(c)
	return p
}
