package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"digigap/mailer"
	"digigap/survey"
)

// mailConfig holds the mail relay settings of serve.
type mailConfig struct {
	SMTPURL      string
	PasswordFile string
	From         string
	Rate         int
}

// mailFlags declares the relay settings. The password is never a flag:
// it comes from DIGIGAP_SMTP_PASSWORD or --smtp-password-file.
func mailFlags(fs *flag.FlagSet, m *mailConfig) {
	fs.StringVar(&m.SMTPURL, "smtp-url", "", "mail relay for e-mailed invitations: smtp://user@host:587 (STARTTLS required), smtps://user@host:465, or smtp+insecure://localhost:1025 for a local test server; empty: HR downloads the CSV of links instead")
	fs.StringVar(&m.PasswordFile, "smtp-password-file", "", "file holding the relay password (else DIGIGAP_SMTP_PASSWORD)")
	fs.StringVar(&m.From, "mail-from", "", "From address of invitations, e.g. enquete@bank.example")
	fs.IntVar(&m.Rate, "smtp-rate", mailer.DefaultRate, "most messages a minute this instance sends to the relay")
}

// relay checks the settings and returns the relay, nil when none is set.
func (m *mailConfig) relay(env *Env, cfg *Config) (*mailer.Relay, error) {
	if m.SMTPURL == "" {
		return nil, nil
	}
	password := env.Getenv(EnvPrefix + "SMTP_PASSWORD")
	if m.PasswordFile != "" {
		b, err := os.ReadFile(m.PasswordFile)
		if err != nil {
			return nil, fmt.Errorf("--smtp-password-file: %v", err)
		}
		password = strings.TrimRight(string(b), "\r\n")
	}
	r, err := mailer.ParseRelay(m.SMTPURL, password)
	if err != nil {
		return nil, fmt.Errorf("--smtp-url: %v", err)
	}
	if !survey.ValidAddress(m.From) {
		return nil, fmt.Errorf("--mail-from must be one address such as enquete@bank.example, not %q", m.From)
	}
	if cfg.BaseURL == "" {
		return nil, fmt.Errorf("--smtp-url needs --base-url: the links in the messages are built on it")
	}
	if m.Rate < 1 || m.Rate > 100000 {
		return nil, fmt.Errorf("--smtp-rate must be between 1 and 100000 messages a minute, not %d", m.Rate)
	}
	return r, nil
}

// startMail runs the sender until ctx ends; the returned channel closes
// when it has stopped. Without a relay it returns a nil sender.
func startMail(ctx context.Context, st *survey.Store, r *mailer.Relay, m *mailConfig, cfg *Config, log *slog.Logger) (*mailer.Sender, <-chan struct{}) {
	done := make(chan struct{})
	if r == nil {
		close(done)
		return nil, done
	}
	s := mailer.New(st, mailer.Options{Relay: r, From: m.From, BaseURL: cfg.BaseURL, Rate: m.Rate, Logger: log})
	go func() { s.Run(ctx); close(done) }()
	log.Info("mail: invitations are e-mailed", "relay", r.Address(), "tls", r.TLS, "rate_per_minute", m.Rate)
	return s, done
}
