package auth

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"digigap/survey"
)

// TokenPrefix starts every API token, so that secret scanners and people
// recognise one in a log or a paste.
const TokenPrefix = "dgt_"

// Token lifetimes, in days: a token always expires.
const (
	DefaultTokenDays = 90
	MaxTokenDays     = 365
)

// APIToken is a credential for automation, acting as the HR user who made
// it; only the hash of the secret is stored.
type APIToken struct {
	ID          int64     `json:"id" gorm:"primaryKey"`
	UserID      int64     `json:"user_id"`
	Name        string    `json:"name"`
	TokenHash   string    `json:"-"`
	CreatedAt   time.Time `json:"created_at"`
	ExpiresUnix int64     `json:"-"`
	ExpiresAt   time.Time `json:"expires_at" gorm:"-"`
	Revoked     bool      `json:"revoked"`
}

func (t *APIToken) fill() { t.ExpiresAt = time.Unix(t.ExpiresUnix, 0).UTC() }

// TokenInput is what HR sends to create a token.
type TokenInput struct {
	Name          string `json:"name"`
	ExpiresInDays int    `json:"expires_in_days"`
}

// CreateToken makes a token for owner, who must be HR. The secret is
// returned once and never again.
func (s *Service) CreateToken(ctx context.Context, owner *User, in TokenInput) (string, *APIToken, error) {
	if !owner.IsHR() {
		return "", nil, survey.Errorf(survey.EFORBIDDEN, "only HR may create API tokens")
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.ExpiresInDays == 0 {
		in.ExpiresInDays = DefaultTokenDays
	}
	var errs survey.FieldErrors
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 100 {
		errs.Add("name", "a name of 1 to 100 characters is required, saying what the token is for")
	}
	if in.ExpiresInDays < 1 || in.ExpiresInDays > MaxTokenDays {
		errs.Add("expires_in_days", "a token lives 1 to %d days", MaxTokenDays)
	}
	if err := errs.Err(); err != nil {
		return "", nil, err
	}
	secret := TokenPrefix + randomSecret(32)
	now := s.now()
	t := &APIToken{UserID: owner.ID, Name: in.Name, TokenHash: survey.HashToken(secret),
		ExpiresUnix: now.AddDate(0, 0, in.ExpiresInDays).Unix()}
	err := s.db().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(t).Error; err != nil {
			return err
		}
		return survey.RecordAudit(tx, ctx, survey.AuditTokenCreated, "token "+itoa(t.ID), survey.DataDetail(t.Name))
	})
	t.fill()
	return secret, t, translate(err)
}

// Tokens lists every token, newest first, without secrets.
func (s *Service) Tokens(ctx context.Context) ([]APIToken, error) {
	ts := []APIToken{}
	if err := s.read().WithContext(ctx).Order("id DESC").Find(&ts).Error; err != nil {
		return nil, translate(err)
	}
	for i := range ts {
		ts[i].fill()
	}
	return ts, nil
}

// RevokeToken stops a token for good.
func (s *Service) RevokeToken(ctx context.Context, id int64) (*APIToken, error) {
	var t APIToken
	err := s.db().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Take(&t, id).Error; err != nil {
			return survey.Errorf(survey.ENOTFOUND, "token %d not found", id)
		}
		t.Revoked = true
		if err := tx.Model(&t).Update("revoked", true).Error; err != nil {
			return err
		}
		return survey.RecordAudit(tx, ctx, survey.AuditTokenRevoked, "token "+itoa(t.ID), survey.DataDetail(t.Name))
	})
	t.fill()
	return &t, translate(err)
}

// AuthenticateToken returns the user a bearer token acts for; a revoked or
// expired token, or one whose owner is disabled or no longer HR, is EUNAUTH.
func (s *Service) AuthenticateToken(ctx context.Context, secret string) (*User, error) {
	bad := survey.Errorf(survey.EUNAUTH, "this API token is not valid: it may have expired or been revoked")
	if !strings.HasPrefix(secret, TokenPrefix) {
		return nil, bad
	}
	var t APIToken
	if err := s.read().WithContext(ctx).Where("token_hash = ?", survey.HashToken(secret)).Take(&t).Error; err != nil {
		return nil, unlessUnavailable(err, bad)
	}
	if t.Revoked || s.now().Unix() >= t.ExpiresUnix {
		return nil, bad
	}
	u, err := s.User(ctx, t.UserID)
	if err != nil {
		return nil, unlessUnavailable(err, bad)
	}
	if !u.IsHR() {
		return nil, bad
	}
	return u, nil
}
