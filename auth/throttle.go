package auth

import (
	"context"
	"errors"
	"strings"
	"time"

	"digigap/survey"
)

// Login throttling (OWASP ASVS 2.2.1): at most MaxFailures failed logins
// per (account, client address) in ThrottleWindow. Counting per pair, not
// per account, means an attacker cannot lock the real user out.
const (
	MaxFailures    = 10
	ThrottleWindow = 15 * time.Minute
)

// loginFailure is one failed login; only a hash of the pair is kept, so
// the table names neither the account nor the address.
type loginFailure struct {
	PairHash string
	AtUnix   int64
}

func pairKey(email, client string) string {
	return survey.HashToken(strings.ToLower(strings.TrimSpace(email)) + "\x00" + client)
}

func (s *Service) checkThrottle(ctx context.Context, key string) error {
	var n int64
	since := s.now().Add(-ThrottleWindow).Unix()
	err := s.db().WithContext(ctx).Model(&loginFailure{}).Where("pair_hash = ? AND at_unix > ?", key, since).Count(&n).Error
	if err != nil {
		return translate(err)
	}
	if n >= MaxFailures {
		return survey.Errorf(survey.ETOOMANY, "too many failed sign-ins: wait %d minutes and try again", int(ThrottleWindow.Minutes()))
	}
	return nil
}

func (s *Service) recordFailure(ctx context.Context, key string) error {
	return translate(s.db().WithContext(ctx).Create(&loginFailure{PairHash: key, AtUnix: s.now().Unix()}).Error)
}

// VerifyPassword checks a signed-in user's current password (before a
// change of password) under the same throttle as sign-in, so a stolen
// session cannot be used to guess it.
func (s *Service) VerifyPassword(ctx context.Context, u *User, pw, client string) error {
	key := pairKey(u.Email, client)
	if err := s.checkThrottle(ctx, key); err != nil {
		return err
	}
	if !s.PasswordMatches(u, pw) {
		return errors.Join(survey.FieldError(survey.EINVALID, "current_password", "the current password is wrong").Keyed("password_current_wrong"), s.recordFailure(ctx, key))
	}
	return nil
}
