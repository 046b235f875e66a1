// Package auth holds the staff's accounts: users and their roles, password
// hashing, server-side sessions, API tokens and login throttling.
//
// It lives apart from survey on purpose. survey is about respondents, who
// never log in and must never be linked to anyone; auth is about the people
// who read the results. Keeping credentials out of survey means no query of
// the survey domain can join a response to a person, and the security-
// sensitive code sits in one small package a reviewer can read on its own.
// It shares survey's store (one database, one clock) and audit log.
package auth

import (
	"crypto/rand"
	"encoding/base64"
	"time"

	"gorm.io/gorm"

	"digigap/survey"
)

// Roles: HR sees and manages everything; a manager reads the subtrees of
// their teams.
const (
	RoleHR      = "hr"
	RoleManager = "manager"
)

// Session and token lifetimes (OWASP ASVS 3.3: idle and absolute timeouts).
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
	// touchEvery limits how often a busy session's last-seen time is
	// written: at most once a minute per session.
	touchEvery = time.Minute
)

// Service manages accounts over survey's database.
type Service struct {
	st *survey.Store
}

// New returns the account service over st; it keeps no state of its own,
// so every instance behind a load balancer sees the same sessions.
func New(st *survey.Store) *Service { return &Service{st: st} }

func (s *Service) db() *gorm.DB   { return s.st.DB() }
func (s *Service) read() *gorm.DB { return s.st.ReadDB() }
func (s *Service) now() time.Time { return s.st.Now() }

// randomSecret returns n random bytes, URL-safe base64 encoded.
func randomSecret(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// Now is the store's clock, for callers that time a sign-in step.
func (s *Service) Now() time.Time { return s.now() }
