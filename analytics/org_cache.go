package analytics

import (
	"context"
	"fmt"
	"sync/atomic"

	"digigap/survey"
)

// orgCache keeps the last org tree read, with the fingerprint of the
// teams table it was read from. Every read checks the fingerprint (one
// aggregate over the teams, a fraction of reading them), so an import
// made by any instance is seen at once; the cache only spares re-reading
// and re-indexing thousands of unchanged teams on every request.
type orgCache struct {
	last atomic.Pointer[cachedOrg]
}

type cachedOrg struct {
	fingerprint string
	org         *org
}

// fingerprintSQL changes whenever a team is added, removed, renamed, moved
// or given another headcount: imports stamp updated_at on every row, and
// the sums catch a change made without it.
const fingerprintSQL = `SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(headcount), 0),
	COALESCE(SUM(COALESCE(parent_id, 0) * (id % 1000 + 1)), 0), COALESCE(SUM(LENGTH(name) + LENGTH(code) * 7), 0),
	COALESCE(CAST(MAX(updated_at) AS TEXT), '') FROM teams`

// org returns the org tree, from the cache when the teams did not change.
func (e *Engine) org(ctx context.Context) (*org, error) {
	db, err := e.st.ReadDB().DB()
	if err != nil {
		return nil, err
	}
	var n, maxID, hc, parents, names int64
	var stamp string
	if err := db.QueryRowContext(ctx, fingerprintSQL).Scan(&n, &maxID, &hc, &parents, &names, &stamp); err != nil {
		return nil, err
	}
	fp := fmt.Sprint(n, maxID, hc, parents, names, stamp)
	if c := e.orgs.last.Load(); c != nil && c.fingerprint == fp {
		return c.org, nil
	}
	tree, err := loadTree(ctx, e.st)
	if err != nil {
		return nil, err
	}
	o := newOrg(tree)
	e.orgs.last.Store(&cachedOrg{fingerprint: fp, org: o})
	return o, nil
}

// campaignOrg returns the tree campaign c's figures are computed on: the
// structure it froze when it opened, labelled (name, code, headcount) as
// today where a team still exists, so navigation follows today's names;
// today's tree for a draft, or when the FrozenTree protection is off.
func (e *Engine) campaignOrg(ctx context.Context, c *survey.Campaign) (*org, error) {
	today, err := e.org(ctx)
	if err != nil || !protections().FrozenTree || c.State == survey.StateDraft {
		return today, err
	}
	if f, ok := e.frozen.Load(c.ID); ok && f.(*frozenOrg).today == today {
		return f.(*frozenOrg).org, nil
	}
	tree, err := e.st.FrozenTree(ctx, c.ID)
	if err != nil || tree == nil {
		return today, err
	}
	var teams []survey.Team
	frozenHC := map[int64]int{}
	for _, root := range tree.Roots() {
		for _, id := range tree.Subtree(root) {
			t := *tree.Team(id)
			frozenHC[id] = t.Headcount
			if now := today.tree.Team(id); now != nil {
				t.Name, t.Code, t.Headcount = now.Name, now.Code, now.Headcount
			}
			teams = append(teams, t)
		}
	}
	o := newOrg(survey.NewTree(teams))
	o.frozenHC, o.frozenOwn = make([]int, o.len()), make([]int, o.len())
	for i, id := range o.ids {
		o.frozenOwn[i] = frozenHC[id]
	}
	for k := len(o.pre) - 1; k >= 0; k-- { // children before parents
		i := o.pre[k]
		o.frozenHC[i] += frozenHC[o.ids[i]]
		if p := o.parent[i]; p >= 0 {
			o.frozenHC[p] += o.frozenHC[i]
		}
	}
	e.frozen.Store(c.ID, &frozenOrg{today: today, org: o})
	return o, nil
}

// frozenOrg is a campaign's frozen tree labelled as the today org.
type frozenOrg struct {
	today, org *org
}
