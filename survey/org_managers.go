package survey

import (
	"context"

	"gorm.io/gorm"
)

// ManagerPlan is what an org file's manager_email column changes in the
// accounts: shown in the import preview, applied with the teams in one
// transaction. The file decides for every account it provisioned.
type ManagerPlan struct {
	Create  []ManagerChange `json:"create"`
	Update  []ManagerChange `json:"update"`
	Enable  []ManagerChange `json:"enable"`
	Disable []string        `json:"disable"`
	// Kept counts listed managers whose teams do not change.
	Kept int `json:"kept"`
}

// ManagerChange is one manager account and the teams it will lead.
type ManagerChange struct {
	Email string   `json:"email"`
	From  []string `json:"from,omitempty"`
	Teams []string `json:"teams"`
}

// Empty tells whether the plan changes no account.
func (p *ManagerPlan) Empty() bool {
	return p == nil || len(p.Create)+len(p.Update)+len(p.Enable)+len(p.Disable) == 0
}

// ManagerSync plans and applies the accounts side of an org import. The
// accounts package implements it: survey knows teams, not accounts.
type ManagerSync interface {
	// PlanManagers compares want (e-mail → team codes) with the accounts.
	PlanManagers(tx *gorm.DB, want map[string][]string) (*ManagerPlan, error)
	// ApplyManagers carries out plan inside tx, after the teams are saved.
	ApplyManagers(ctx context.Context, tx *gorm.DB, plan *ManagerPlan) error
}

// wantedManagers maps each listed e-mail to the codes of its teams, in
// file order.
func wantedManagers(rows []TeamRow) map[string][]string {
	want := map[string][]string{}
	for _, r := range rows {
		for _, e := range r.Managers {
			want[e] = append(want[e], r.Code)
		}
	}
	return want
}

// planManagers adds the accounts' side to plan when rows list managers.
func planManagers(tx *gorm.DB, rows []TeamRow, sync ManagerSync, plan *OrgPlan) error {
	if !ManagersListed(rows) {
		return nil
	}
	if sync == nil {
		return FieldError(EINVALID, "file", "this import cannot manage accounts: remove the manager_email column").Keyed("org.no_accounts")
	}
	var err error
	plan.Managers, err = sync.PlanManagers(tx, wantedManagers(rows))
	return err
}
