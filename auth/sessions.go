package auth

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"

	"digigap/survey"
)

// session is one server-side session row, known by the SHA-256 of its id:
// a stolen database copy holds no usable session id.
type session struct {
	IDHash      string `gorm:"primaryKey"`
	UserID      *int64
	Data        []byte // the csrf middleware's data (its token), gob-encoded by Fiber's session store
	CreatedUnix int64
	SeenUnix    int64
}

// live reports whether the session is within both timeouts at unix time now.
func (r *session) live(now int64) bool {
	return now-r.SeenUnix < int64(IdleTimeout.Seconds()) && now-r.CreatedUnix < int64(AbsoluteTimeout.Seconds())
}

// NewSessionID returns a fresh session id: 256 random bits.
func NewSessionID() string { return randomSecret(32) }

// ErrBadCredentials is the one answer to a wrong e-mail or password, so
// the login form does not reveal which accounts exist.
var ErrBadCredentials = survey.FieldError(survey.EUNAUTH, "password", "e-mail or password is wrong")

// Login checks a password and opens a new session under a new id (the
// caller then drops any id the browser had before). client is the client
// address, for throttling only: after too many failures from one address
// for one account, that pair is refused for a while, while the real user
// elsewhere still gets in. A caller that asks for a second factor uses
// CheckCredentials and OpenSession instead.
func (s *Service) Login(ctx context.Context, email, password, client string) (string, *User, error) {
	u, err := s.CheckCredentials(ctx, email, password, client)
	if err != nil {
		return "", nil, err
	}
	id, err := s.OpenSession(ctx, u, "password")
	return id, u, err
}

// CheckCredentials is the first step of a local sign-in: the account, under
// the throttle, without opening a session. An SSO account has no password
// and is refused like a wrong one.
func (s *Service) CheckCredentials(ctx context.Context, email, password, client string) (*User, error) {
	key := pairKey(email, client)
	if err := s.checkThrottle(ctx, key); err != nil {
		return nil, err
	}
	u, err := s.UserByEmail(ctx, email)
	if err != nil || u.Disabled || u.PasswordHash == "" {
		VerifyPassword(dummyHash(), password)
		return nil, errors.Join(ErrBadCredentials, s.recordFailure(ctx, key))
	}
	if !VerifyPassword(u.PasswordHash, password) {
		return nil, errors.Join(ErrBadCredentials, s.recordFailure(ctx, key))
	}
	if err := s.db().WithContext(ctx).Where("pair_hash = ?", key).Delete(&loginFailure{}).Error; err != nil {
		return nil, translate(err)
	}
	return u, nil
}

// OpenSession opens a session for u, signed in by method (password,
// totp, recovery code, sso), audited for HR; the account is read again so
// that one disabled meanwhile gets none.
func (s *Service) OpenSession(ctx context.Context, u *User, method string) (string, error) {
	id := NewSessionID()
	now := s.now().Unix()
	err := s.db().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := userIn(tx, u.ID)
		if err != nil || cur.Disabled {
			return survey.Errorf(survey.EUNAUTH, "this account is disabled")
		}
		if err := tx.Create(&session{IDHash: survey.HashToken(id), UserID: &u.ID, CreatedUnix: now, SeenUnix: now}).Error; err != nil {
			return err
		}
		if u.Role != RoleHR {
			return nil
		}
		return survey.RecordAudit(tx, survey.WithActor(ctx, u.Actor()), survey.AuditLogin, userObject(u), loginDetail(method))
	})
	if err != nil {
		return "", translate(err)
	}
	return id, nil
}

// Authenticate returns the user of a live session and marks it used; an
// unknown, expired or anonymous session, or a disabled user, is EUNAUTH.
func (s *Service) Authenticate(ctx context.Context, id string) (*User, error) {
	if id == "" {
		return nil, survey.Errorf(survey.EUNAUTH, "sign in first")
	}
	var r session
	err := s.db().WithContext(ctx).Where("id_hash = ?", survey.HashToken(id)).Take(&r).Error
	now := s.now().Unix()
	ended := survey.Errorf(survey.EUNAUTH, "your session has ended: sign in again")
	if err != nil {
		return nil, unlessUnavailable(err, ended)
	}
	if r.UserID == nil || !r.live(now) {
		return nil, ended
	}
	u, err := s.User(ctx, *r.UserID)
	if err != nil {
		return nil, unlessUnavailable(err, ended)
	}
	if u.Disabled {
		return nil, ended
	}
	if now-r.SeenUnix >= int64(touchEvery.Seconds()) {
		err := s.db().WithContext(ctx).Model(&session{}).Where("id_hash = ?", r.IDHash).Update("seen_unix", now).Error
		if err != nil {
			return nil, translate(err)
		}
	}
	return u, nil
}

// Logout ends a session at once; ending an unknown session is no error.
func (s *Service) Logout(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	err := s.db().WithContext(ctx).Where("id_hash = ?", survey.HashToken(id)).Delete(&session{}).Error
	return translate(err)
}

// Cleanup deletes expired sessions and old login failures; serve runs it daily.
func (s *Service) Cleanup(ctx context.Context) error {
	now := s.now().Unix()
	return translate(s.db().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Where("seen_unix <= ? OR created_unix <= ?", now-int64(IdleTimeout.Seconds()), now-int64(AbsoluteTimeout.Seconds())).
			Delete(&session{}).Error
		if err != nil {
			return err
		}
		return tx.Where("at_unix <= ?", now-int64(ThrottleWindow.Seconds())).Delete(&loginFailure{}).Error
	}))
}

// loginDetail names how an HR account signed in (password, sso, password
// and totp) as a word of the audit log.
func loginDetail(method string) survey.AuditDetail {
	return survey.Detail("login", "%s", survey.Term{Key: "audit.method." + strings.ReplaceAll(method, " ", "_"), Code: method})
}
