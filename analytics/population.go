package analytics

import (
	"context"

	"digigap/survey"
)

// Population (issue 15, point 6): participation is responses over the
// people the campaign asked, not over whoever sits under a team today.
// A group's population is the headcount of the teams the campaign covered
// in its subtree, as frozen in campaign_trees when the campaign opened;
// re-importing headcounts later never moves a rate. Campaigns opened
// before frozen trees existed (schema 8) keep the headcounts of the day
// the database was upgraded: the nearest record of their opening there is.
// A draft, which has no frozen tree, uses today's headcounts.

// coveredTeams reads the ids of the teams campaign id covers.
func (e *Engine) coveredTeams(ctx context.Context, id int64) (map[int64]bool, error) {
	var ids []int64
	err := e.st.ReadDB().WithContext(ctx).Model(&survey.CampaignTeam{}).Where("campaign_id = ?", id).Pluck("team_id", &ids).Error
	out := make(map[int64]bool, len(ids))
	for _, t := range ids {
		out[t] = true
	}
	return out, err
}

// population returns, per node, the frozen headcount of the covered teams
// of its subtree (today's for a draft), computed once per view.
func (v *view) population() []int {
	if v.pop != nil {
		return v.pop
	}
	own := v.org.frozenOwn
	v.pop = make([]int, v.org.len())
	for k := len(v.org.pre) - 1; k >= 0; k-- { // children before parents
		i := v.org.pre[k]
		if v.covered[v.org.ids[i]] {
			if own != nil {
				v.pop[i] += own[i]
			} else {
				v.pop[i] += v.org.tree.Team(v.org.ids[i]).Headcount
			}
		}
		if p := v.org.parent[i]; p >= 0 {
			v.pop[p] += v.pop[i]
		}
	}
	return v.pop
}

// OverHeadcount reports a rate above 100 %: more answers than the frozen
// headcount, which means the headcount HR imported was out of date when
// the campaign opened (or the open links took colleagues of other teams).
func OverHeadcount(shown bool, responses, headcount int) bool {
	return shown && responses > headcount
}

// FlagHeadcountOutOfDate is the reason given with a rate above 100 %, in
// the API's participation_flag and beside the rate on pages and exports.
const FlagHeadcountOutOfDate = "headcount_out_of_date"
