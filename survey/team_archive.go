package survey

import (
	"context"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Archiving a team (issue 16): a branch that closed, or a team merged
// into another, took part in campaigns whose answers and figures must stay
// as they were, so it cannot be deleted. Archived, it keeps its row (the
// frozen trees, responses and counters of closed campaigns still point to
// it) but leaves today's tree: org imports no longer need it in the file,
// and menus, team pickers, new campaigns, mail lists, team links and the
// coverage import no longer offer it. An import that lists its code again
// restores it (OrgPlan.Restored): the HR file is the source of truth.

// Audit actions of archiving and restoring teams.
const (
	AuditTeamArchived = "team.archived"
	AuditTeamRestored = "team.restored"
)

// ArchiveCandidate is a team of today's tree as the archive page lists it:
// Campaigns is how many campaigns its subtree took part in, Blocking the
// name of a draft or open one among them (then it cannot be archived yet).
type ArchiveCandidate struct {
	Team
	Teams     int    // teams in its subtree, itself included
	Campaigns int    // campaigns its subtree took part in
	Blocking  string // a draft or open campaign of its subtree, if any
}

// Archivable reports whether HR may archive the team now.
func (a ArchiveCandidate) Archivable() bool { return a.Campaigns > 0 && a.Blocking == "" }

// active restricts a query on teams to today's tree.
func active(tx *gorm.DB) *gorm.DB { return tx.Where("archived_at IS NULL") }

// ArchivedTeams lists the archived teams, ordered by code.
func (s *Store) ArchivedTeams(ctx context.Context) ([]Team, error) {
	var teams []Team
	err := s.read.WithContext(ctx).Where("archived_at IS NOT NULL").Order("code").Find(&teams).Error
	return teams, storeError(err, "archived teams")
}

// ArchiveCandidates lists every team of today's tree with what archiving
// it would need: each is listed in tree order (parents before children).
func (s *Store) ArchiveCandidates(ctx context.Context) ([]ArchiveCandidate, error) {
	var out []ArchiveCandidate
	err := s.read.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var teams []Team
		if err := active(tx).Find(&teams).Error; err != nil {
			return err
		}
		usage, err := campaignUsage(tx)
		if err != nil {
			return err
		}
		tree := NewTree(teams)
		var walk func(id int64)
		walk = func(id int64) {
			sub := tree.Subtree(id)
			c := ArchiveCandidate{Team: *tree.Team(id), Teams: len(sub)}
			c.Campaigns, c.Blocking = usage.of(sub)
			out = append(out, c)
			for _, ch := range tree.Children(id) {
				walk(ch)
			}
		}
		for _, r := range tree.Roots() {
			walk(r)
		}
		return nil
	})
	return out, storeError(err, "teams")
}

// ArchiveTeam archives the team with code and every team under it, in one
// transaction with its audit entry. It refuses a team whose subtree took
// part in no campaign (an import removes it) or is part of a draft or open
// campaign (close or delete that campaign first).
func (s *Store) ArchiveTeam(ctx context.Context, code string) ([]Team, error) {
	var archived []Team
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var teams []Team
		if err := active(tx).Find(&teams).Error; err != nil {
			return err
		}
		tree := NewTree(teams)
		t := tree.ByCode(strings.TrimSpace(code))
		if t == nil {
			return FieldError(ENOTFOUND, "code", "team %q is not in today's org tree", short(code)).Keyed("archive.unknown", short(code))
		}
		usage, err := campaignUsage(tx)
		if err != nil {
			return err
		}
		sub := tree.Subtree(t.ID)
		n, blocking := usage.of(sub)
		switch {
		case blocking != "":
			return FieldError(ECONFLICT, "code", "team %s is part of campaign %q, which is not closed: close or delete it first", t.Code, blocking).Keyed("archive.blocking", t.Code, blocking)
		case n == 0:
			return FieldError(ECONFLICT, "code", "team %s took part in no campaign: remove it from the org file instead", t.Code).Keyed("archive.no_history", t.Code)
		}
		now := s.now().UTC()
		if err := tx.Model(&Team{}).Where("id IN ?", sub).Updates(map[string]any{"archived_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
		codes := make([]string, len(sub))
		for i, id := range sub {
			archived = append(archived, *tree.Team(id))
			codes[i] = tree.Team(id).Code
		}
		sort.Strings(codes)
		return RecordAudit(tx, ctx, AuditTeamArchived, "team "+t.Code, DataDetail(strings.Join(codes, " ")))
	})
	if err != nil {
		return nil, storeError(err, "team")
	}
	return archived, nil
}

// usage maps each team to the campaigns it took part in.
type usage map[int64][]campaignState

type campaignState struct {
	id          int64
	name, state string
}

func campaignUsage(tx *gorm.DB) (usage, error) {
	var rows []struct {
		TeamID int64
		ID     int64
		Name   string
		State  string
	}
	err := tx.Raw(`SELECT ct.team_id, c.id, c.name, c.state FROM campaign_teams ct JOIN campaigns c ON c.id = ct.campaign_id ORDER BY c.id`).Scan(&rows).Error
	u := usage{}
	for _, r := range rows {
		u[r.TeamID] = append(u[r.TeamID], campaignState{r.ID, r.Name, r.State})
	}
	return u, err
}

// of counts the distinct campaigns of teams and names one not closed.
func (u usage) of(teams []int64) (int, string) {
	seen := map[int64]bool{}
	blocking := ""
	for _, id := range teams {
		for _, c := range u[id] {
			seen[c.id] = true
			if c.state != StateClosed && blocking == "" {
				blocking = c.name
			}
		}
	}
	return len(seen), blocking
}

// restoreArchived clears archived_at of the archived teams an import
// lists again, with one audit entry naming them.
func restoreArchived(tx *gorm.DB, ctx context.Context, restored []TeamRow, now time.Time) error {
	if len(restored) == 0 {
		return nil
	}
	codes := make([]string, len(restored))
	for i, r := range restored {
		codes[i] = r.Code
	}
	if err := tx.Model(&Team{}).Where("code IN ?", codes).Updates(map[string]any{"archived_at": nil, "updated_at": now}).Error; err != nil {
		return err
	}
	return RecordAudit(tx, ctx, AuditTeamRestored, "org tree", DataDetail(strings.Join(codes, " ")))
}

// HistoryTree is the org tree with its archived teams: what access to past
// campaigns is checked on, so a reader keeps the history they could see.
func (s *Store) HistoryTree(ctx context.Context) (*Tree, error) {
	var teams []Team
	err := s.read.WithContext(ctx).Find(&teams).Error
	if err != nil {
		return nil, storeError(err, "teams")
	}
	return NewTree(teams), nil
}

// CampaignTree is the tree a campaign's pages list its teams on: the tree
// it froze when it opened (archived teams included), named as today, or
// today's tree for a draft.
func (s *Store) CampaignTree(ctx context.Context, c *Campaign) (*Tree, error) {
	if c.State == StateDraft {
		return s.Tree(ctx)
	}
	frozen, err := s.FrozenTree(ctx, c.ID)
	if err != nil || frozen == nil {
		if err == nil {
			return s.Tree(ctx)
		}
		return nil, err
	}
	all, err := s.HistoryTree(ctx)
	if err != nil {
		return nil, err
	}
	var teams []Team
	for _, root := range frozen.Roots() {
		for _, id := range frozen.Subtree(root) {
			t := *frozen.Team(id)
			if now := all.Team(id); now != nil {
				t.Name, t.Code, t.Headcount = now.Name, now.Code, now.Headcount
			}
			teams = append(teams, t)
		}
	}
	return NewTree(teams), nil
}
