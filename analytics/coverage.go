package analytics

import (
	"context"

	"digigap/survey"
)

// ScatterPoint is one branch: its clients' contact coverage in the latest
// month and its staff's regular professional use (Q) of SMS and e-mail in
// a campaign. A Q the engine withholds has its Shown false: the point is
// left out of the chart, never drawn from a withheld figure.
type ScatterPoint struct {
	Team                   *survey.Team
	Coverage               survey.CoverageFigures
	SMS, Email             GapCell
	SMSAsked, EmailAsked   bool
	MobileShare, MailShare float64
}

// Scatter is the branches of a group set against their client coverage:
// whether branches where staff use the channels also collect the contacts.
type Scatter struct {
	Campaign *survey.Campaign
	K        int
	Period   string
	Points   []ScatterPoint
	// Highlight is the reader's own branch among the others (0: none).
	Highlight int64
}

// BranchScatter builds the scatter of the branches under team (the teams
// of its subtree that report coverage in the latest month) from campaign
// campaignID, for scope. Staff figures come from GapTable: the same
// suppression as every other view.
func (e *Engine) BranchScatter(ctx context.Context, scope survey.Scope, campaignID, teamID int64, rows []survey.CoverageRow) (*Scatter, error) {
	t, err := e.GapTable(ctx, scope, GapQuery{CampaignID: campaignID, TeamID: teamID, Depth: -1})
	if err != nil {
		return nil, err
	}
	org, err := e.org(ctx)
	if err != nil {
		return nil, err
	}
	s := &Scatter{Campaign: t.Campaign, K: t.K}
	reporting := map[int64]bool{}
	for _, r := range rows {
		if r.Period > s.Period {
			s.Period, reporting = r.Period, map[int64]bool{}
		}
		if r.Period == s.Period {
			reporting[r.TeamID] = true
		}
	}
	var latest []survey.CoverageRow
	for _, r := range rows {
		if r.Period == s.Period {
			latest = append(latest, r)
		}
	}
	for i := range t.Rows {
		row := &t.Rows[i]
		if !reporting[row.Team.ID] {
			continue
		}
		p := ScatterPoint{Team: row.Team}
		for _, f := range survey.RollupCoverage(org.tree, latest, row.Team.ID) {
			if f.Period == s.Period {
				p.Coverage = f
			}
		}
		p.MobileShare, p.MailShare = p.Coverage.Share(p.Coverage.WithMobile), p.Coverage.Share(p.Coverage.WithEmail)
		p.SMS, p.SMSAsked = rowCell(t, row, "sms")
		p.Email, p.EmailAsked = rowCell(t, row, "email")
		s.Points = append(s.Points, p)
	}
	return s, nil
}

// rowCell is channel id's cell of a gap table row.
func rowCell(t *GapTable, row *GapRow, id string) (GapCell, bool) {
	for i, ch := range t.Channels {
		if ch == id && i < len(row.Cells) {
			return row.Cells[i], true
		}
	}
	return GapCell{}, false
}
