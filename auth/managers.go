package auth

import (
	"context"
	"slices"
	"sort"
	"strings"

	"gorm.io/gorm"

	"digigap/survey"
)

// OrgManagers returns the accounts side of an org import with the
// manager_email column (survey.ManagerSync). The file is the authority
// for the accounts it lists or provisioned: a listed e-mail gets exactly
// the teams it is listed on (created, re-enabled or moved as needed); an
// account the file provisioned and no longer lists is disabled. Accounts
// HR made by hand and never listed are left alone; HR accounts are never
// touched, and listing one as a manager refuses the file.
func (s *Service) OrgManagers() survey.ManagerSync { return orgManagers{} }

type orgManagers struct{}

// managerRow is a manager account with the codes of its teams.
type managerRow struct {
	ID       int64
	Email    string
	Role     string
	Disabled bool
	FromOrg  bool
	Teams    []string `gorm:"-"`
}

func loadManagers(tx *gorm.DB) (map[string]*managerRow, error) {
	var us []managerRow
	if err := tx.Table("users").Select("id, email, role, disabled, from_org").Find(&us).Error; err != nil {
		return nil, err
	}
	var links []struct {
		UserID int64
		Code   string
	}
	err := tx.Raw("SELECT ut.user_id, t.code FROM user_teams ut JOIN teams t ON t.id = ut.team_id ORDER BY t.code").Scan(&links).Error
	if err != nil {
		return nil, err
	}
	byID := map[int64]*managerRow{}
	out := map[string]*managerRow{}
	for i := range us {
		byID[us[i].ID], out[us[i].Email] = &us[i], &us[i]
	}
	for _, l := range links {
		if u := byID[l.UserID]; u != nil {
			u.Teams = append(u.Teams, l.Code)
		}
	}
	return out, nil
}

func sortedCopy(codes []string) []string {
	out := slices.Clone(codes)
	sort.Strings(out)
	return slices.Compact(out)
}

// PlanManagers compares the file's managers with the accounts.
func (orgManagers) PlanManagers(tx *gorm.DB, want map[string][]string) (*survey.ManagerPlan, error) {
	have, err := loadManagers(tx)
	if err != nil {
		return nil, err
	}
	plan := &survey.ManagerPlan{}
	emails := make([]string, 0, len(want))
	for e := range want {
		emails = append(emails, e)
	}
	sort.Strings(emails)
	for _, e := range emails {
		teams := sortedCopy(want[e])
		u := have[e]
		switch {
		case u == nil:
			plan.Create = append(plan.Create, survey.ManagerChange{Email: e, Teams: teams})
		case u.Role != RoleManager:
			return nil, survey.FieldError(survey.ECONFLICT, "file", "%s is an HR account, not a manager: remove it from manager_email", e).Keyed("org.manager_is_hr", e)
		case u.Disabled:
			plan.Enable = append(plan.Enable, survey.ManagerChange{Email: e, From: u.Teams, Teams: teams})
		case !slices.Equal(u.Teams, teams) || !u.FromOrg:
			plan.Update = append(plan.Update, survey.ManagerChange{Email: e, From: u.Teams, Teams: teams})
		default:
			plan.Kept++
		}
	}
	for e, u := range have {
		if _, listed := want[e]; !listed && u.FromOrg && !u.Disabled && u.Role == RoleManager {
			plan.Disable = append(plan.Disable, e)
		}
	}
	sort.Strings(plan.Disable)
	return plan, nil
}

// ApplyManagers carries out plan after the teams are saved, auditing each
// account it changes.
func (orgManagers) ApplyManagers(ctx context.Context, tx *gorm.DB, plan *survey.ManagerPlan) error {
	now := tx.NowFunc()
	for _, c := range plan.Create {
		u := &User{Email: c.Email, Role: RoleManager, FromOrg: true, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(u).Error; err != nil {
			return err
		}
		if err := setTeamCodes(ctx, tx, u, c.Teams, survey.AuditUserCreated, "manager_from_org", "%s, teams %s, from the org file, as manager"); err != nil {
			return err
		}
	}
	for _, list := range [][]survey.ManagerChange{plan.Enable, plan.Update} {
		for _, c := range list {
			var u User
			if err := tx.Where("email = ?", c.Email).Take(&u).Error; err != nil {
				return err
			}
			err := tx.Model(&u).Updates(map[string]any{"disabled": false, "from_org": true, "updated_at": now}).Error
			if err != nil {
				return err
			}
			if err := setTeamCodes(ctx, tx, &u, c.Teams, survey.AuditUserTeams, "teams_from_org", "%s, teams %s, from the org file"); err != nil {
				return err
			}
		}
	}
	for _, e := range plan.Disable {
		var u User
		if err := tx.Where("email = ?", e).Take(&u).Error; err != nil {
			return err
		}
		if err := tx.Model(&u).Updates(map[string]any{"disabled": true, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := endAccess(tx, u.ID, ""); err != nil {
			return err
		}
		if err := survey.RecordAudit(tx, ctx, survey.AuditUserDisabled, userObject(&u), survey.Detail("account_left_org", "%s, no longer in the org file", u.Email)); err != nil {
			return err
		}
	}
	return nil
}

// setTeamCodes gives u the teams of the org file, audited as action with
// the detail key and its English en (u's address and codes).
func setTeamCodes(ctx context.Context, tx *gorm.DB, u *User, codes []string, action, key, en string) error {
	ids, err := teamIDs(tx, codes)
	if err != nil {
		return err
	}
	if err := saveTeams(tx, u, ids); err != nil {
		return err
	}
	return survey.RecordAudit(tx, ctx, action, userObject(u), survey.Detail(key, en, u.Email, strings.Join(codes, ",")))
}
