package survey

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
)

// Response is one submitted questionnaire. It holds no name, address,
// agent, token or time: its id is random and Day is the date at most.
type Response struct {
	ID         string `gorm:"primaryKey"`
	CampaignID int64
	TeamID     int64
	Day        string
	Codes      []byte // answers encoded by the campaign's Definition
	Comment    string
}

// Invitation is a single-use personal link, known only by its token's hash.
// Used records that it was used, never when.
type Invitation struct {
	TokenHash  string `gorm:"primaryKey"`
	CampaignID int64
	TeamID     int64
	Used       bool
	Revoked    bool
}

// Submission is one respondent's answers as received: for a personal
// invitation Token is set, for an open team link TeamLink (its key) or,
// for trusted callers such as the demo data, TeamID.
type Submission struct {
	CampaignID int64
	TeamID     int64
	Token      string
	TeamLink   string
	Answers    Answers
}

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewResponseID returns a random id (128 bits), so ids reveal nothing
// about the order or time of answers.
func NewResponseID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return idEncoding.EncodeToString(b)
}

// NewToken returns an unguessable invitation token (160 bits).
func NewToken() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return idEncoding.EncodeToString(b)
}

// HashToken is the only form in which a token is stored.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
