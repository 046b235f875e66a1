package analytics

import (
	"context"

	"digigap/survey"
)

// Header describes the campaign a set of figures comes from.
type Header struct {
	Campaign *survey.Campaign
	Phase    string
	Live     bool
	K        int
	Team     *survey.Team
	Def      *survey.Definition
}

// GroupSummary is one group's headline: participation, the adoption gap
// index, all-channel users and its gap row.
type GroupSummary struct {
	Header
	Row         GapRow
	AllChannels AllChannels
}

// AllChannels are the shares of respondents who use every channel at all
// (frequency ≥ 1), privately and at work, over the N respondents who
// answered every frequency question (issue 15, point 4). "Enough channels"
// is all of them: whoever skipped one cannot be said to use every channel,
// nor not to, and a lower minimum would count skipped channels as used or
// unused. So the figure reads "x % of the N who answered every channel",
// N printed beside it and the group's respondents (GroupSummary.Row) next
// to N, never "x % of staff".
type AllChannels struct {
	Shown         bool
	Unanimous     bool // withheld for the unanimous-cell policy (unanimous.go)
	N             int
	Private, Work Share
}

func (v *view) header(i int) Header {
	return Header{Campaign: v.camp, Phase: v.phase, Live: v.snapshot, K: int(v.k), Team: v.org.tree.Team(v.org.ids[i]), Def: v.def}
}

// openGroup opens the campaign's figures for scope and finds team's group
// in them (a team outside the scope is refused by node).
func (e *Engine) openGroup(ctx context.Context, scope survey.Scope, campaignID, teamID int64) (*view, int, error) {
	v, err := e.open(ctx, scope, campaignID, "", true)
	if err != nil {
		return nil, 0, err
	}
	i, err := v.node(teamID)
	return v, i, err
}

// Summary computes the summary of team's group for scope.
func (e *Engine) Summary(ctx context.Context, scope survey.Scope, campaignID, teamID int64) (*GroupSummary, error) {
	v, i, err := e.openGroup(ctx, scope, campaignID, teamID)
	if err != nil {
		return nil, err
	}
	s := &GroupSummary{Header: v.header(i)}
	s.Row = GapRow{Team: s.Team, Headcount: v.population()[i], Cells: make([]GapCell, len(v.layout.Channels))}
	shown := make([][]bool, len(v.layout.Channels))
	for c := range shown {
		shown[c] = v.channelShown(c)
	}
	v.fillRow(&s.Row, i, shown)
	shownAll, unanimous := v.shownUnanimous(filterAllChannels)
	s.AllChannels.Unanimous = unanimous != nil && unanimous[i]
	if shownAll[i] {
		t := v.total[i]
		s.AllChannels = AllChannels{Shown: true, N: int(t[survey.CountAllAnswered]),
			Private: share(t[survey.CountAllPrivate], t[survey.CountAllAnswered]),
			Work:    share(t[survey.CountAllWork], t[survey.CountAllAnswered])}
	}
	return s, nil
}

// Barriers are the shares of respondents choosing each barrier, over the
// respondents of the group who answered the barrier question (issue 15,
// point 7: skipping it is not "no barrier") and over those of them with a
// Gap on some channel (regular private use and no regular work use of at
// least one channel). The question has no "none" option: answering it is
// ticking at least one barrier, so the shares read "among those who named
// a barrier"; the item's N says how many did, next to the group's.
type Barriers struct {
	Header
	Shown, GapShown bool
	N, GapN         int // respondents; respondents with a Gap (the group's)
	Items           []BarrierItem
}

// BarrierItem is one barrier question's options, with its own
// denominators: N who answered it, GapN of them with a Gap.
type BarrierItem struct {
	Item            *survey.Item
	Shown, GapShown bool
	// Unanimous and GapUnanimous: withheld for the unanimous-cell policy.
	Unanimous, GapUnanimous bool
	N, GapN                 int
	Options                 []BarrierOption
}

// BarrierOption is one barrier: Overall over its item's N, AmongGap over
// its item's GapN.
type BarrierOption struct {
	Option            survey.Option
	Overall, AmongGap Share
}

// Barriers computes the barriers of team's group for scope.
func (e *Engine) Barriers(ctx context.Context, scope survey.Scope, campaignID, teamID int64) (*Barriers, error) {
	v, i, err := e.openGroup(ctx, scope, campaignID, teamID)
	if err != nil {
		return nil, err
	}
	t := v.total[i]
	b := &Barriers{Header: v.header(i), Shown: v.groups[i]}
	b.GapShown = v.dec.shown(filterGap)[i]
	if b.Shown {
		b.N = int(t[survey.CountResponses])
	}
	if b.GapShown {
		b.GapN = int(t[survey.CountGapRespondents])
	}
	for _, blk := range v.layout.Barriers {
		item := BarrierItem{Item: blk.Item}
		shown, u := v.shownUnanimous(barrierFilter(blk.Item.ID))
		gapShown, gu := v.shownUnanimous(barrierGapFilter(blk.Item.ID))
		item.Shown, item.GapShown = b.Shown && shown[i], b.GapShown && gapShown[i]
		item.Unanimous, item.GapUnanimous = u != nil && u[i], gu != nil && gu[i]
		if item.Shown {
			item.N = int(t[blk.Answered])
		}
		if item.GapShown {
			item.GapN = int(t[blk.AnsweredGap])
		}
		for o, opt := range blk.Options {
			bo := BarrierOption{Option: opt}
			if item.Shown {
				bo.Overall = share(t[blk.Base+2*o], t[blk.Answered])
			}
			if item.GapShown {
				bo.AmongGap = share(t[blk.Base+2*o+1], t[blk.AnsweredGap])
			}
			item.Options = append(item.Options, bo)
		}
		b.Items = append(b.Items, item)
	}
	return b, nil
}

// Culture is the distribution and mean of each agreement item.
type Culture struct {
	Header
	Items []CultureItem
}

// CultureItem is one item's figures, withheld below k answers.
type CultureItem struct {
	Item      *survey.Item
	Shown     bool
	Unanimous bool // withheld for the unanimous-cell policy (unanimous.go)
	CultureFigures
}

// Culture computes the culture items of team's group for scope.
func (e *Engine) Culture(ctx context.Context, scope survey.Scope, campaignID, teamID int64) (*Culture, error) {
	v, i, err := e.openGroup(ctx, scope, campaignID, teamID)
	if err != nil {
		return nil, err
	}
	c := &Culture{Header: v.header(i)}
	for _, blk := range v.layout.Culture {
		shown, u := v.shownUnanimous(cultureFilter(blk.Item.ID))
		item := CultureItem{Item: blk.Item, Shown: shown[i], Unanimous: u != nil && u[i]}
		if item.Shown {
			item.CultureFigures = cultureFigures(blk, v.total[i])
		}
		c.Items = append(c.Items, item)
	}
	return c, nil
}
