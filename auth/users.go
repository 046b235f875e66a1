package auth

import (
	"context"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm"

	"digigap/survey"
)

// User is a staff account: HR, or a manager of one or more teams.
type User struct {
	ID           int64  `json:"id" gorm:"primaryKey"`
	Email        string `json:"email"`
	Role         string `json:"role"`
	PasswordHash string `json:"-"`
	Disabled     bool   `json:"disabled"`
	// SSO accounts sign in through the identity provider only.
	SSO bool `json:"sso" gorm:"column:sso"`
	// FromOrg accounts are managed by the org file's manager_email column.
	FromOrg      bool   `json:"from_org" gorm:"column:from_org"`
	TOTPSecret   string `json:"-" gorm:"column:totp_secret"`
	TOTPEnabled  bool   `json:"totp_enabled" gorm:"column:totp_enabled"`
	TOTPLastStep int64  `json:"-" gorm:"column:totp_last_step"`
	// MustChangePassword marks a password someone else typed (HR, the
	// command line): pages ask its owner for a new one before anything else.
	MustChangePassword bool      `json:"must_change_password" gorm:"column:must_change_password"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"-"`
	TeamIDs            []int64   `json:"team_ids" gorm:"-"`
}

// UserTeam links a manager to the root of a subtree they lead.
type UserTeam struct {
	UserID int64 `gorm:"primaryKey"`
	TeamID int64 `gorm:"primaryKey"`
}

// Scope is what the user may read: everything for HR, their subtrees for
// a manager, nothing for a disabled account.
func (u *User) Scope() survey.Scope {
	switch {
	case u.Disabled:
		return survey.Scope{}
	case u.Role == RoleHR:
		return survey.FullScope()
	}
	return survey.TeamScope(u.TeamIDs...)
}

// IsHR reports whether the user holds the HR role.
func (u *User) IsHR() bool { return u.Role == RoleHR && !u.Disabled }

// Actor is the user as the audit log names them.
func (u *User) Actor() survey.Actor { return survey.Actor{ID: u.ID, Email: u.Email} }

// UserInput is what HR sends to create an account; request bodies decode
// into it, never into User, so no id, state or hash can be set.
type UserInput struct {
	Email     string   `json:"email"`
	Role      string   `json:"role"`
	TeamCodes []string `json:"team_codes"`
	Password  string   `json:"password"`
	// Typed by someone else (HR): its owner must replace it at first sign-in.
	Typed bool `json:"-"`
}

// normalizeEmail lowercases and checks an address, as the login key.
func normalizeEmail(field, raw string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(raw))
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || len(e) > 254 {
		return "", survey.FieldError(survey.EINVALID, field, "give an e-mail address like name@bank.example")
	}
	return e, nil
}

func (in *UserInput) check() error {
	var errs survey.FieldErrors
	email, err := normalizeEmail("email", in.Email)
	if err != nil {
		errs.Add("email", "%s", survey.ErrorMessage(err))
	}
	in.Email = email
	switch in.Role {
	case RoleHR:
		if len(in.TeamCodes) > 0 {
			errs.Add("team_codes", "HR sees every team: give teams only to managers")
		}
	case RoleManager:
		if len(in.TeamCodes) == 0 {
			errs.Add("team_codes", "a manager needs at least one team")
		}
	default:
		errs.Add("role", "role must be hr or manager")
	}
	if err := CheckPassword("password", in.Password); err != nil {
		errs.AddError("password", err)
	}
	return errs.Err()
}

// CreateUser stores a new account with its teams, and its audit entry, in
// one transaction; an e-mail already in use is a conflict.
func (s *Service) CreateUser(ctx context.Context, in UserInput) (*User, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	u := &User{Email: in.Email, Role: in.Role, PasswordHash: HashPassword(in.Password), MustChangePassword: in.Typed}
	err := s.db().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ids, err := teamIDs(tx, in.TeamCodes)
		if err != nil {
			return err
		}
		if err := tx.Create(u).Error; err != nil {
			return err
		}
		if err := saveTeams(tx, u, ids); err != nil {
			return err
		}
		return survey.RecordAudit(tx, ctx, survey.AuditUserCreated, userObject(u), createdDetail(u, in.TeamCodes))
	})
	if survey.ErrorCode(translate(err)) == survey.ECONFLICT {
		return nil, survey.FieldError(survey.ECONFLICT, "email", "an account with this e-mail exists already")
	}
	return u, translate(err)
}

func teamIDs(tx *gorm.DB, codes []string) ([]int64, error) {
	var ids []int64
	for _, code := range codes {
		var id int64
		err := tx.Table("teams").Where("code = ?", strings.TrimSpace(code)).Pluck("id", &id).Error
		if err != nil {
			return nil, err
		}
		if id == 0 {
			return nil, survey.FieldError(survey.EINVALID, "team_codes", "team %q does not exist", code)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func saveTeams(tx *gorm.DB, u *User, ids []int64) error {
	if err := tx.Where("user_id = ?", u.ID).Delete(&UserTeam{}).Error; err != nil {
		return err
	}
	u.TeamIDs = []int64{}
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if err := tx.Create(&UserTeam{UserID: u.ID, TeamID: id}).Error; err != nil {
			return err
		}
		u.TeamIDs = append(u.TeamIDs, id)
	}
	return nil
}

// accountDetail is the audit detail of an account's change: its address,
// with its teams when it has some.
func accountDetail(u *User, codes []string) survey.AuditDetail {
	if len(codes) == 0 {
		return survey.DataDetail(u.Email)
	}
	return survey.Detail("account_teams", "%s, teams %s", u.Email, strings.Join(codes, ","))
}

// createdDetail is the audit detail of a new account: its address, its
// role and its teams when it has some.
func createdDetail(u *User, codes []string) survey.AuditDetail {
	role := survey.Term{Key: "account.role." + u.Role, Code: u.Role}
	if len(codes) == 0 {
		return survey.Detail("account_created", "%s as %s", u.Email, role)
	}
	return survey.Detail("account_created_teams", "%s as %s, teams %s", u.Email, role, strings.Join(codes, ","))
}

func userObject(u *User) string { return "user " + itoa(u.ID) }
