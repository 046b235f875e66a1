package analytics

import (
	"context"

	"digigap/survey"
)

// BandTable breaks a group down by one profile item: one row per band
// (e.g. each tenure band), each a group under the same threshold.
type BandTable struct {
	Header
	Item     *survey.Item
	Channels []string
	Rows     []BandRow
}

// BandRow is the group of respondents of one band.
type BandRow struct {
	Option survey.Option
	GapRow
}

// Bands computes the breakdown of team's group by profile item itemID.
//
// Band groups follow the campaign's disclosure decision (disclose.go).
// Without one (raw answers purged before this release), they are withheld
// in three steps, for every team at once so that
// any two answers agree: (1) a band needs k respondents in a shown group;
// (2) within each group, the respondents not in a shown band (who did not
// answer the item, or whose band is withheld) must number 0 or at least k,
// else the smallest shown band is withheld too; (3) across the tree, each
// band obeys the residual rule of suppress. Step 3 only withholds more,
// which keeps step 2 true.
func (e *Engine) Bands(ctx context.Context, scope survey.Scope, campaignID, teamID int64, itemID string) (*BandTable, error) {
	v, err := e.open(ctx, scope, campaignID, "", true)
	if err != nil {
		return nil, err
	}
	if v.snapshot {
		return nil, survey.Errorf(survey.EFORBIDDEN, "breakdowns by profile band appear when campaign %q closes", v.camp.Name)
	}
	i, err := v.node(teamID)
	if err != nil {
		return nil, err
	}
	item := profileItem(v.layout, itemID)
	if item == nil {
		return nil, survey.FieldError(survey.EINVALID, "item", "%q is not a profile question of this questionnaire", itemID)
	}
	opts := v.def.ItemOptions(item)
	bands := make([]*view, len(opts))
	for b, o := range opts {
		bv := *v
		bv.channels, bv.designs, bv.idxDesigns, bv.noFPC = nil, nil, nil, true
		bv.shownU, bv.unanimousU = nil, nil
		if bv.total, err = v.org.rollUp(ctx, e.counters, v.camp.ID, v.def, survey.Band(item.ID, o.Value), false); err != nil {
			return nil, err
		}
		bands[b] = &bv
	}
	if _, legacy := v.dec.(*legacyDecision); legacy {
		decideBands(v, bands)
		for _, bv := range bands {
			bv.dec = &legacyDecision{v: bv, cache: map[string][]bool{filterAll: bv.groups}}
		}
	} else {
		for b, o := range opts {
			band := bandFilter(survey.Band(item.ID, o.Value))
			bands[b].groups = v.dec.shown(band)
			bands[b].channels = make([][]bool, len(v.layout.Channels))
			for c, ch := range v.layout.Channels {
				bands[b].channels[c] = v.dec.shown(band + "|" + channelFilter(ch))
				if rule, ok := v.unanimousRuleOf(channelFilter(ch)); ok && v.camp.Unanimous != survey.UnanimousDisclose {
					bands[b].channels[c], _ = withholdUnanimous(v.org, bands[b].total, bands[b].channels[c], rule, 2*v.k)
				}
			}
		}
	}
	unanimousAcrossBands(v, bands)
	t := &BandTable{Header: v.header(i), Item: item, Channels: v.layout.Channels}
	for b, o := range opts {
		// A band has no headcount of its own, hence no participation rate.
		row := BandRow{Option: o, GapRow: GapRow{Team: t.Team, Cells: make([]GapCell, len(t.Channels))}}
		shown := make([][]bool, len(t.Channels))
		for c := range shown {
			shown[c] = bands[b].channelShown(c)
		}
		bands[b].fillRow(&row.GapRow, i, shown)
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

func profileItem(l *survey.CounterLayout, id string) *survey.Item {
	for _, it := range l.Profiles {
		if it.ID == id {
			return it
		}
	}
	return nil
}

// decideBands sets the groups of each band view (steps 1 to 3 of Bands).
func decideBands(v *view, bands []*view) {
	n := make([][]int64, len(bands))
	eligible := make([][]bool, len(bands))
	for b, bv := range bands {
		n[b] = bv.measure(survey.CountResponses)
		eligible[b] = make([]bool, v.org.len())
		for i := range eligible[b] {
			eligible[b][i] = v.groups[i] && n[b][i] >= v.k
		}
	}
	for i := range v.org.ids {
		for {
			r, smallest := v.total[i][survey.CountResponses], -1
			for b := range bands {
				if eligible[b][i] {
					r -= n[b][i]
					if smallest < 0 || n[b][i] < n[smallest][i] {
						smallest = b
					}
				}
			}
			if r == 0 || r >= v.k || smallest < 0 {
				break
			}
			eligible[smallest][i] = false
		}
	}
	for b, bv := range bands {
		bv.groups = suppress(v.org, n[b], v.k, eligible[b])
	}
}
