package analytics

import (
	"context"
	"math/rand/v2"

	"digigap/survey"
)

// Participation is responses / population per group (population.go: the
// headcount of the covered teams frozen when the campaign opened): what
// everyone may see of a campaign, open or closed.
type Participation struct {
	Header
	Rows []ParticipationRow
}

// ParticipationRow is one group; Responses and Rate are withheld like any
// count below the threshold.
type ParticipationRow struct {
	Team      *survey.Team
	Depth     int
	Headcount int
	Shown     bool
	Responses int
	Rate      float64 // only when Shown and Headcount > 0
	// Over flags a rate above 100 %: the headcount was out of date.
	Over bool
}

// Participation lists team (0: the caller's top teams) and its
// descendants down to depth levels (negative: all).
func (e *Engine) Participation(ctx context.Context, scope survey.Scope, campaignID, teamID int64, depth int) (*Participation, error) {
	v, err := e.open(ctx, scope, campaignID, "", false)
	if err != nil {
		return nil, err
	}
	starts, err := v.starts(teamID)
	if err != nil {
		return nil, err
	}
	p := &Participation{Header: Header{Campaign: v.camp, Phase: v.phase, K: int(v.k), Def: v.def}}
	nodes, levels := v.listing(starts, depth)
	hc := v.population()
	for r, i := range nodes {
		row := ParticipationRow{Team: v.org.tree.Team(v.org.ids[i]), Depth: levels[r], Headcount: hc[i], Shown: v.groups[i]}
		if row.Shown {
			row.Responses = int(v.total[i][survey.CountResponses])
			if row.Headcount > 0 {
				row.Rate = float64(row.Responses) / float64(row.Headcount)
			}
			row.Over = OverHeadcount(true, row.Responses, row.Headcount)
		}
		p.Rows = append(p.Rows, row)
	}
	return p, nil
}

// MinCommentGroup is the smallest group whose free-text comments are shown
// (DESIGN.md), or k when the campaign's threshold is higher.
const MinCommentGroup = 10

// Comments are a group's free-text answers, in random order.
type Comments struct {
	Header
	Shown    bool
	Comments []string
}

// Comments returns the comments of team's group: to HR only, once the
// campaign is closed, for groups of at least MinCommentGroup respondents,
// shuffled so that their order says nothing about who wrote them.
func (e *Engine) Comments(ctx context.Context, scope survey.Scope, campaignID, teamID int64) (*Comments, error) {
	if !scope.All {
		return nil, survey.Errorf(survey.EFORBIDDEN, "free-text comments are shown to HR only")
	}
	v, err := e.open(ctx, scope, campaignID, "", true)
	if err != nil {
		return nil, err
	}
	if v.snapshot {
		return nil, survey.Errorf(survey.EFORBIDDEN, "comments appear when campaign %q closes", v.camp.Name)
	}
	i, err := v.node(teamID)
	if err != nil {
		return nil, err
	}
	c := &Comments{Header: v.header(i), Comments: []string{}}
	if !v.dec.shown(filterComments)[i] {
		return c, nil
	}
	c.Shown = true
	teams := v.org.tree.Subtree(v.org.ids[i])
	err = e.st.ReadDB().WithContext(ctx).Raw(`SELECT comment FROM responses WHERE campaign_id = ? AND team_id IN ? AND comment <> ''`,
		campaignID, teams).Scan(&c.Comments).Error
	if err != nil {
		return nil, err
	}
	rand.Shuffle(len(c.Comments), func(a, b int) { c.Comments[a], c.Comments[b] = c.Comments[b], c.Comments[a] })
	return c, nil
}
