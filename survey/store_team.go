package survey

import (
	"context"
	"sort"

	"gorm.io/gorm"
)

// OrgPlan is what an org import changes, shown to HR before it is applied.
type OrgPlan struct {
	Added     []TeamRow    `json:"added"`
	Renamed   []TeamChange `json:"renamed"`
	Moved     []TeamChange `json:"moved"`
	Headcount []TeamChange `json:"headcount_changed"`
	Removed   []Team       `json:"removed"`
	// Restored are archived teams the file lists again: the import
	// brings them back into today's tree.
	Restored  []TeamRow `json:"restored,omitempty"`
	Unchanged int       `json:"unchanged"`
	// Managers is set when the file has the manager_email column.
	Managers *ManagerPlan `json:"managers,omitempty"`
}

// TeamChange is one changed attribute of an existing team.
type TeamChange struct {
	Code string `json:"code"`
	From string `json:"from"`
	To   string `json:"to"`
}

// Teams lists the teams of today's tree (archived ones left out), ordered by code.
func (s *Store) Teams(ctx context.Context) ([]Team, error) {
	var teams []Team
	err := active(s.read.WithContext(ctx)).Order("code").Find(&teams).Error
	return teams, storeError(err, "teams")
}

// Tree loads today's org tree: archived teams are left out.
func (s *Store) Tree(ctx context.Context) (*Tree, error) {
	teams, err := s.Teams(ctx)
	if err != nil {
		return nil, err
	}
	return NewTree(teams), nil
}

// PlanOrgImport compares rows with the stored tree without changing anything.
func (s *Store) PlanOrgImport(ctx context.Context, rows []TeamRow) (*OrgPlan, error) {
	return s.PlanOrgImportWith(ctx, rows, nil)
}

// PlanOrgImportWith is PlanOrgImport with the manager accounts of a file
// that has the manager_email column, planned by sync.
func (s *Store) PlanOrgImportWith(ctx context.Context, rows []TeamRow, sync ManagerSync) (*OrgPlan, error) {
	var plan *OrgPlan
	err := s.read.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if plan, err = planOrg(tx, rows); err != nil {
			return err
		}
		return planManagers(tx, rows, sync, plan)
	})
	return plan, err
}

// ImportOrg replaces the org tree with rows in one transaction: teams are
// matched by code, so history stays attached to a code across renames and
// moves. Removing a team that has campaigns is refused, with its code;
// archived teams may be left out, and a listed one is restored.
func (s *Store) ImportOrg(ctx context.Context, rows []TeamRow) (*OrgPlan, error) {
	return s.ImportOrgWith(ctx, rows, nil)
}

// ImportOrgWith is ImportOrg that also creates, updates and disables the
// manager accounts a manager_email column lists, through sync, in the same
// transaction: a manager moved to another branch sees only the new one at
// their next request.
func (s *Store) ImportOrgWith(ctx context.Context, rows []TeamRow, sync ManagerSync) (*OrgPlan, error) {
	var plan *OrgPlan
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if plan, err = planOrg(tx, rows); err != nil {
			return err
		}
		if err := planManagers(tx, rows, sync, plan); err != nil {
			return err
		}
		if err := applyOrg(tx, rows, plan); err != nil {
			return err
		}
		if err := restoreArchived(tx, ctx, plan.Restored, tx.NowFunc()); err != nil {
			return err
		}
		if plan.Managers != nil {
			if err := sync.ApplyManagers(ctx, tx, plan.Managers); err != nil {
				return err
			}
		}
		detail := Detail("org_imported", "%d teams: %d new, %d renamed, %d moved, %d headcount changes, %d removed, %d restored",
			len(rows), len(plan.Added), len(plan.Renamed), len(plan.Moved), len(plan.Headcount), len(plan.Removed), len(plan.Restored))
		return RecordAudit(tx, ctx, AuditOrgImported, "org tree", detail)
	})
	return plan, storeError(err, "org import")
}

func planOrg(tx *gorm.DB, rows []TeamRow) (*OrgPlan, error) {
	var existing []Team
	if err := tx.Find(&existing).Error; err != nil {
		return nil, err
	}
	old := NewTree(existing)
	plan := &OrgPlan{}
	inFile := map[string]bool{}
	for _, r := range rows {
		inFile[r.Code] = true
		t := old.ByCode(r.Code)
		if t == nil {
			plan.Added = append(plan.Added, r)
			continue
		}
		changed := t.ArchivedAt != nil
		if changed {
			plan.Restored = append(plan.Restored, r)
		}
		if t.Name != r.Name {
			plan.Renamed = append(plan.Renamed, TeamChange{r.Code, t.Name, r.Name})
			changed = true
		}
		if oldParent := parentCode(old, t); oldParent != r.ParentCode {
			plan.Moved = append(plan.Moved, TeamChange{r.Code, oldParent, r.ParentCode})
			changed = true
		}
		if t.Headcount != r.Headcount {
			plan.Headcount = append(plan.Headcount, TeamChange{r.Code, itoa(t.Headcount), itoa(r.Headcount)})
			changed = true
		}
		if !changed {
			plan.Unchanged++
		}
	}
	for _, t := range existing {
		if !inFile[t.Code] && t.ArchivedAt == nil {
			plan.Removed = append(plan.Removed, t)
		}
	}
	sort.Slice(plan.Removed, func(i, j int) bool { return plan.Removed[i].Code < plan.Removed[j].Code })
	return plan, refuseRemovingHistory(tx, plan.Removed)
}

func parentCode(tree *Tree, t *Team) string {
	if t.ParentID == nil || tree.Team(*t.ParentID) == nil {
		return ""
	}
	return tree.Team(*t.ParentID).Code
}

// refuseRemovingHistory keeps every team some campaign covered: its
// responses and figures stay attached to its code.
func refuseRemovingHistory(tx *gorm.DB, removed []Team) error {
	if len(removed) == 0 {
		return nil
	}
	ids := make([]int64, len(removed))
	for i, t := range removed {
		ids[i] = t.ID
	}
	var used []string
	err := tx.Raw(`SELECT DISTINCT t.code FROM teams t JOIN campaign_teams ct ON ct.team_id = t.id WHERE t.id IN ? ORDER BY t.code`, ids).Scan(&used).Error
	if err != nil {
		return err
	}
	if len(used) > 0 {
		return FieldError(ECONFLICT, "code", "team %s is part of a campaign and cannot be removed: keep it in the file, or archive it once its campaigns are closed (%d such teams missing)", used[0], len(used)).Keyed("org.history", used[0], len(used))
	}
	return nil
}

func applyOrg(tx *gorm.DB, rows []TeamRow, plan *OrgPlan) error {
	now := tx.NowFunc()
	for _, r := range plan.Added {
		t := Team{Code: r.Code, Name: r.Name, Headcount: r.Headcount, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
	}
	var all []Team
	if err := tx.Find(&all).Error; err != nil {
		return err
	}
	idOf := map[string]int64{}
	for _, t := range all {
		idOf[t.Code] = t.ID
	}
	removedIDs := make([]int64, 0, len(plan.Removed))
	for _, t := range plan.Removed {
		removedIDs = append(removedIDs, t.ID)
	}
	if len(removedIDs) > 0 {
		// Detach first so a removed parent and its removed children go in
		// any order; an archived team under a removed one keeps its place
		// in the frozen trees, and hangs from no one today.
		if err := tx.Model(&Team{}).Where("id IN ? OR parent_id IN ?", removedIDs, removedIDs).Update("parent_id", nil).Error; err != nil {
			return err
		}
		if err := tx.Where("id IN ?", removedIDs).Delete(&Team{}).Error; err != nil {
			return err
		}
	}
	for _, r := range rows {
		var parent *int64
		if r.ParentCode != "" {
			p := idOf[r.ParentCode]
			parent = &p
		}
		err := tx.Model(&Team{}).Where("code = ?", r.Code).Updates(map[string]any{
			"name": r.Name, "headcount": r.Headcount, "parent_id": parent, "updated_at": now,
		}).Error
		if err != nil {
			return err
		}
	}
	return nil
}

// TeamByCode returns the team with code.
func (s *Store) TeamByCode(ctx context.Context, code string) (*Team, error) {
	var t Team
	err := s.read.WithContext(ctx).Where("code = ?", code).Take(&t).Error
	if err != nil {
		return nil, storeError(err, "team "+code)
	}
	return &t, nil
}
