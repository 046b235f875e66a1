package auth

import (
	"context"
	"time"

	"gorm.io/gorm"

	"digigap/survey"
)

// PasswordLinkTTL is how long a set-password link works: long enough for HR
// to hand it over and its owner to open it, short enough that a forgotten
// one in a mailbox soon expires.
const PasswordLinkTTL = 72 * time.Hour

// passwordLink is a one-time set-password link: HR hands it over instead
// of a password it would have to invent and read out. Only a hash of the
// token is stored; using it deletes the row.
type passwordLink struct {
	TokenHash   string `gorm:"primaryKey"`
	UserID      int64
	CreatedUnix int64
	ExpiresUnix int64
}

// errLinkInvalid is the one answer to an unknown, used or expired link, so
// the page does not reveal which tokens once existed.
var errLinkInvalid = survey.Errorf(survey.ENOTFOUND, "this set-password link is not valid: it was used, replaced or has expired").Keyed("password_link_invalid")

// CreatePasswordLink makes a new link for an active account, replacing any
// earlier one, and returns the token (shown once) and when it expires.
func (s *Service) CreatePasswordLink(ctx context.Context, id int64) (string, time.Time, error) {
	token := randomSecret(32)
	now := s.now()
	expires := now.Add(PasswordLinkTTL)
	err := s.db().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := userIn(tx, id)
		if err != nil {
			return err
		}
		if u.Disabled {
			return survey.Errorf(survey.ECONFLICT, "this account is disabled: enable it first").Keyed("password_link_disabled")
		}
		if err := tx.Where("user_id = ?", id).Delete(&passwordLink{}).Error; err != nil {
			return err
		}
		link := passwordLink{TokenHash: survey.HashToken(token), UserID: id, CreatedUnix: now.Unix(), ExpiresUnix: expires.Unix()}
		if err := tx.Create(&link).Error; err != nil {
			return err
		}
		return survey.RecordAudit(tx, ctx, survey.AuditUserPasswordLink, userObject(u), survey.DataDetail(u.Email))
	})
	if err != nil {
		return "", time.Time{}, translate(err)
	}
	return token, expires, nil
}

// PasswordLinkUser returns the account a live link is for, without using it,
// so the page can say whose password is being set.
func (s *Service) PasswordLinkUser(ctx context.Context, token string) (*User, error) {
	var u *User
	err := s.db().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		u, err = s.linkedUser(tx, token)
		return err
	})
	return u, err
}

// UsePasswordLink sets the password its owner chose through a link, once:
// the link is deleted, every session of the account ends.
func (s *Service) UsePasswordLink(ctx context.Context, token, pw string) (*User, error) {
	if err := CheckPassword("password", pw); err != nil {
		return nil, err
	}
	hash := HashPassword(pw)
	var u *User
	err := s.db().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if u, err = s.linkedUser(tx, token); err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", u.ID).Delete(&passwordLink{}).Error; err != nil {
			return err
		}
		return storePassword(tx, survey.WithActor(ctx, u.Actor()), u, hash, "", false)
	})
	return u, translate(err)
}

func (s *Service) linkedUser(tx *gorm.DB, token string) (*User, error) {
	var link passwordLink
	err := tx.Where("token_hash = ?", survey.HashToken(token)).Take(&link).Error
	if err != nil || link.ExpiresUnix <= s.now().Unix() {
		return nil, unlessUnavailable(err, errLinkInvalid)
	}
	u, err := userIn(tx, link.UserID)
	if err != nil || u.Disabled {
		return nil, unlessUnavailable(err, errLinkInvalid)
	}
	return u, nil
}
