package auth

import (
	"context"

	"gorm.io/gorm"

	"digigap/survey"
)

// AuditSwitchedToSSO marks the first sign-in of an account through the
// identity provider: its password, second factor, sessions and tokens end.
const AuditSwitchedToSSO = "user.switched_to_sso"

// Refusals of a single sign-on, each with its own page. The provider has
// vouched for the person; digigap still decides whether they get in.
var (
	// ErrSSOUnknown: no account has this e-mail. digigap never creates an
	// account from a sign-in: HR creates them, or the org file does.
	ErrSSOUnknown = survey.Errorf(survey.EFORBIDDEN, "no digigap account has this e-mail address")
	// ErrSSODisabled: the account exists and is disabled.
	ErrSSODisabled = survey.Errorf(survey.EFORBIDDEN, "this digigap account is disabled")
	// ErrSSONotHR: an HR account whose person is no longer in an HR group
	// of the provider (groups are checked at every sign-in).
	ErrSSONotHR = survey.Errorf(survey.EFORBIDDEN, "this HR account needs membership of an HR group at the identity provider")
)

// SSOIdentity is what the identity provider vouched for, from a verified
// ID token: a verified e-mail, and whether a group makes the person HR.
type SSOIdentity struct {
	Email string
	// InHRGroup tells whether the token names one of the HR groups;
	// HRGroupsChecked whether any HR group is configured at all.
	InHRGroup, HRGroupsChecked bool
}

// SSOSignIn opens a session for the account with the identity's e-mail.
// On an account's first sign-in through the provider, it switches to SSO
// in one transaction: password and second factor removed (the provider
// does both now), every session and API token ended, audited.
func (s *Service) SSOSignIn(ctx context.Context, id SSOIdentity) (string, *User, error) {
	u, err := s.UserByEmail(ctx, id.Email)
	switch {
	case err != nil && survey.ErrorCode(err) != survey.ENOTFOUND && survey.ErrorCode(err) != survey.EINVALID:
		return "", nil, err
	case err != nil:
		return "", nil, ErrSSOUnknown
	case u.Disabled:
		return "", nil, ErrSSODisabled
	case u.Role == RoleHR && id.HRGroupsChecked && !id.InHRGroup:
		return "", nil, ErrSSONotHR
	}
	if !u.SSO {
		if err := s.switchToSSO(ctx, u); err != nil {
			return "", nil, err
		}
	}
	sid, err := s.OpenSession(ctx, u, "sso")
	return sid, u, err
}

func (s *Service) switchToSSO(ctx context.Context, u *User) error {
	err := s.db().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"sso": true, "password_hash": "",
			"totp_secret": "", "totp_enabled": false, "updated_at": tx.NowFunc()}).Error
		if err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", u.ID).Delete(&recoveryCode{}).Error; err != nil {
			return err
		}
		if err := endAccess(tx, u.ID, ""); err != nil {
			return err
		}
		return survey.RecordAudit(tx, survey.WithActor(ctx, u.Actor()), AuditSwitchedToSSO, userObject(u), survey.DataDetail(u.Email))
	})
	u.SSO, u.PasswordHash, u.TOTPEnabled = true, "", false
	return translate(err)
}
