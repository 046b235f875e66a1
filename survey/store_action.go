package survey

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// AddAction records an action for team, which must lie inside scope: a
// manager records actions for the teams they lead only.
func (s *Store) AddAction(ctx context.Context, scope Scope, teamID int64, in ActionInput) (*Action, error) {
	if err := s.checkTeam(ctx, scope, teamID); err != nil {
		return nil, err
	}
	channels, err := s.knownChannels(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.normalize(channels); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	a := &Action{TeamID: teamID, Title: in.Title, Channels: in.Channels, StartsOn: in.StartsOn, OwnerRole: in.OwnerRole, Status: in.Status, CreatedAt: now, UpdatedAt: now}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(a).Error; err != nil {
			return err
		}
		// The team by its code, as HR knows it, not its row number.
		var code string
		if err := tx.Model(&Team{}).Where("id = ?", teamID).Pluck("code", &code).Error; err != nil {
			return err
		}
		return RecordAudit(tx, ctx, AuditActionCreated, actionObject(a), Detail("action_created", "team %s: %s (%s, from %s)", code, a.Title, strings.Join(a.Channels, ","), Day(a.StartsOn)))
	})
	return a, storeError(err, "action")
}

// Actions lists the actions of team's group (the team and its
// descendants), newest start first.
func (s *Store) Actions(ctx context.Context, scope Scope, teamID int64) ([]Action, error) {
	tree, err := s.Tree(ctx)
	if err != nil {
		return nil, err
	}
	if err := scope.Check(tree, teamID); err != nil {
		return nil, err
	}
	out := []Action{}
	err = s.read.WithContext(ctx).Where("team_id IN ?", tree.Subtree(teamID)).Order("starts_on DESC, id DESC").Find(&out).Error
	return out, storeError(err, "actions")
}

// SetActionStatus moves an action to status; the action's team must lie
// inside scope.
func (s *Store) SetActionStatus(ctx context.Context, scope Scope, id int64, status string) (*Action, error) {
	if !validStatus(status) {
		return nil, FieldError(EINVALID, "status", "the status is one of %s", strings.Join(ActionStatuses, ", "))
	}
	var a Action
	if err := s.read.WithContext(ctx).Take(&a, id).Error; err != nil {
		return nil, storeError(err, fmt.Sprintf("action %d", id))
	}
	if err := s.checkTeam(ctx, scope, a.TeamID); err != nil {
		return nil, err
	}
	from := a.Status
	a.Status, a.UpdatedAt = status, s.now().UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&a).Select("status", "updated_at").Updates(&a).Error; err != nil {
			return err
		}
		return RecordAudit(tx, ctx, AuditActionStatus, actionObject(&a), Detail("action_status", "%s → %s", actionStatus(from), actionStatus(status)))
	})
	return &a, storeError(err, "action")
}

func (s *Store) checkTeam(ctx context.Context, scope Scope, teamID int64) error {
	tree, err := s.Tree(ctx)
	if err != nil {
		return err
	}
	return scope.Check(tree, teamID)
}

func actionObject(a *Action) string { return "action " + itoa(int(a.ID)) }

// actionStatus is an action's status as a word of an audit detail.
func actionStatus(status string) Term { return Term{Key: "action.status." + status, Code: status} }
