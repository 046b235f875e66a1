package auth

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"gorm.io/gorm"

	"digigap/survey"
)

// Users lists every account with its teams, by e-mail.
func (s *Service) Users(ctx context.Context) ([]User, error) {
	var us []User
	if err := s.read().WithContext(ctx).Order("email").Find(&us).Error; err != nil {
		return nil, translate(err)
	}
	var links []UserTeam
	if err := s.read().WithContext(ctx).Order("team_id").Find(&links).Error; err != nil {
		return nil, translate(err)
	}
	byUser := map[int64][]int64{}
	for _, l := range links {
		byUser[l.UserID] = append(byUser[l.UserID], l.TeamID)
	}
	for i := range us {
		us[i].TeamIDs = append([]int64{}, byUser[us[i].ID]...)
	}
	return us, nil
}

// User returns one account with its teams.
func (s *Service) User(ctx context.Context, id int64) (*User, error) {
	return userIn(s.read().WithContext(ctx), id)
}

func userIn(db *gorm.DB, id int64) (*User, error) {
	var u User
	if err := db.Take(&u, id).Error; err != nil {
		return nil, survey.Errorf(survey.ENOTFOUND, "user %d not found", id)
	}
	u.TeamIDs = []int64{}
	err := db.Model(&UserTeam{}).Where("user_id = ?", id).Order("team_id").Pluck("team_id", &u.TeamIDs).Error
	return &u, translate(err)
}

// UserByEmail returns the account with this e-mail.
func (s *Service) UserByEmail(ctx context.Context, email string) (*User, error) {
	e, err := normalizeEmail("email", email)
	if err != nil {
		return nil, err
	}
	var u User
	if err := s.read().WithContext(ctx).Where("email = ?", e).Take(&u).Error; err != nil {
		return nil, survey.FieldError(survey.ENOTFOUND, "email", "no account with this e-mail")
	}
	return s.User(ctx, u.ID)
}

// SetTeams replaces a manager's teams; their scope changes at their next
// request, since it is read from the database every time.
func (s *Service) SetTeams(ctx context.Context, id int64, codes []string) (*User, error) {
	var u *User
	err := s.db().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if u, err = userIn(tx, id); err != nil {
			return err
		}
		if u.Role != RoleManager {
			return survey.FieldError(survey.EINVALID, "team_codes", "only managers have teams: HR sees every team")
		}
		if len(codes) == 0 {
			return survey.FieldError(survey.EINVALID, "team_codes", "a manager needs at least one team")
		}
		ids, err := teamIDs(tx, codes)
		if err != nil {
			return err
		}
		if err := saveTeams(tx, u, ids); err != nil {
			return err
		}
		return survey.RecordAudit(tx, ctx, survey.AuditUserTeams, userObject(u), accountDetail(u, codes))
	})
	return u, translate(err)
}

// SetDisabled disables or re-enables an account. Disabling ends every
// session of the account in the same transaction, so it takes effect at
// once; its API tokens stop working too, as they act for a disabled user.
func (s *Service) SetDisabled(ctx context.Context, id int64, disabled bool) (*User, error) {
	if disabled && survey.ActorOf(ctx).ID == id {
		return nil, survey.Errorf(survey.ECONFLICT, "you cannot disable your own account")
	}
	var u *User
	err := s.db().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if u, err = userIn(tx, id); err != nil {
			return err
		}
		u.Disabled = disabled
		if err := tx.Model(u).Updates(map[string]any{"disabled": disabled, "updated_at": tx.NowFunc()}).Error; err != nil {
			return err
		}
		action := survey.AuditUserEnabled
		if disabled {
			action = survey.AuditUserDisabled
			if err := tx.Where("user_id = ?", id).Delete(&session{}).Error; err != nil {
				return err
			}
		}
		return survey.RecordAudit(tx, ctx, action, userObject(u), survey.DataDetail(u.Email))
	})
	return u, translate(err)
}

// SetPassword replaces a password its owner chose and ends every session
// of the account except keep (the caller's own, when they change their own
// password), and revokes its API tokens: whoever held the old password may
// have made one.
func (s *Service) SetPassword(ctx context.Context, id int64, pw, keepSessionID string) error {
	return s.setPassword(ctx, id, pw, keepSessionID, false)
}

// ResetPassword sets a password someone else typed (HR, the command line):
// every session ends and the owner must choose a new one at sign-in.
func (s *Service) ResetPassword(ctx context.Context, id int64, pw string) error {
	return s.setPassword(ctx, id, pw, "", true)
}

func (s *Service) setPassword(ctx context.Context, id int64, pw, keepSessionID string, typed bool) error {
	if err := CheckPassword("password", pw); err != nil {
		return err
	}
	hash := HashPassword(pw)
	err := s.db().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := userIn(tx, id)
		if err != nil {
			return err
		}
		return storePassword(tx, ctx, u, hash, keepSessionID, typed)
	})
	return translate(err)
}

// storePassword writes a new hash inside tx, ends the other access of the
// account and audits the change.
func storePassword(tx *gorm.DB, ctx context.Context, u *User, hash, keepSessionID string, typed bool) error {
	err := tx.Model(u).Updates(map[string]any{"password_hash": hash, "sso": false, "must_change_password": typed, "updated_at": tx.NowFunc()}).Error
	if err != nil {
		return err
	}
	if err := endAccess(tx, u.ID, keepSessionID); err != nil {
		return err
	}
	return survey.RecordAudit(tx, ctx, survey.AuditUserPassword, userObject(u), survey.DataDetail(u.Email))
}

// translate maps driver errors to domain errors, as survey's store does.
func translate(err error) error {
	var de *survey.Error
	switch {
	case err == nil, errors.As(err, &de):
		return err
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return survey.Errorf(survey.ECONFLICT, "it exists already")
	case errors.Is(err, gorm.ErrRecordNotFound):
		return survey.Errorf(survey.ENOTFOUND, "not found")
	}
	return fmt.Errorf("accounts: %w", err)
}

// unlessUnavailable answers refused for a failed look-up, unless the
// database itself failed: then the caller gets 503 (try again), not 401.
func unlessUnavailable(err error, refused *survey.Error) error {
	if u := survey.Unavailable(err); survey.ErrorCode(u) == survey.EUNAVAILABLE {
		return u
	}
	return refused
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// PasswordMatches checks a user's current password, for a password change.
func (s *Service) PasswordMatches(u *User, pw string) bool {
	return VerifyPassword(u.PasswordHash, pw)
}

// endAccess ends every session of an account but keepSessionID (may be
// empty) and revokes its API tokens, inside tx: after a password reset or a
// switch to SSO, nothing obtained with the old credentials still works.
func endAccess(tx *gorm.DB, userID int64, keepSessionID string) error {
	del := tx.Where("user_id = ?", userID)
	if keepSessionID != "" {
		del = del.Where("id_hash <> ?", survey.HashToken(keepSessionID))
	}
	if err := del.Delete(&session{}).Error; err != nil {
		return err
	}
	return tx.Model(&APIToken{}).Where("user_id = ? AND revoked = ?", userID, false).Update("revoked", true).Error
}
