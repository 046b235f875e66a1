package analytics

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"

	"digigap/survey"
)

// Figure filters of a decision (disclose.go): a decision answers, per
// filter name and node, whether the figure over that set may be shown.
const (
	filterAll         = "all"
	filterGap         = "gap"
	filterAllChannels = "all_channels"
	filterComments    = "comments"
)

// snapPrefix names the filters of live snapshot n: a filter over the
// answers of epoch 1..n.
func snapPrefix(n int64) string { return "snap" + strconv.FormatInt(n, 10) + "|" }

func channelFilter(id string) string { return "ch:" + id }
func cultureFilter(id string) string { return "culture:" + id }
func bandFilter(band string) string  { return "band:" + band }

// barrierFilter is the respondents who answered barrier item id (ticked
// at least one option), barrierGapFilter those of them with a Gap: the
// denominators of the barrier shares.
func barrierFilter(id string) string    { return "barrier:" + id }
func barrierGapFilter(id string) string { return "barrier_gap:" + id }

// disclosure is what a view asks before showing a figure: whether the
// figure over filter's set is shown, per node of the view's org.
type disclosure interface {
	shown(filter string) []bool
}

// decision is a disclosure decided once (disclose.go) and stored.
type decision struct {
	n     int
	byKey map[string][]bool
}

func (d *decision) shown(filter string) []bool {
	if s, ok := d.byKey[filter]; ok {
		return s
	}
	return make([]bool, d.n) // a set the decision did not release
}

// storedDecision is a decision as stored: per filter, the shown teams.
type storedDecision struct {
	Teams []int64          `json:"teams"`
	Shown map[string][]int `json:"shown"` // filter → positions in Teams
}

func (d *decision) encode(o *org) []byte {
	s := storedDecision{Teams: o.ids, Shown: map[string][]int{}}
	for f, shown := range d.byKey {
		if strings.HasPrefix(f, "snap") {
			continue
		}
		s.Shown[f] = []int{}
		for i, ok := range shown {
			if ok {
				s.Shown[f] = append(s.Shown[f], i)
			}
		}
	}
	b, _ := json.Marshal(s) // plain types: cannot fail
	return b
}

func decodeDecision(o *org, blob []byte) (*decision, error) {
	var s storedDecision
	if err := json.NewDecoder(bytes.NewReader(blob)).Decode(&s); err != nil {
		return nil, err
	}
	d := &decision{n: o.len(), byKey: map[string][]bool{}}
	for f, pos := range s.Shown {
		shown := make([]bool, o.len())
		for _, p := range pos {
			if p < len(s.Teams) {
				if i, ok := o.pos[s.Teams[p]]; ok {
					shown[i] = true
				}
			}
		}
		d.byKey[f] = shown
	}
	return d, nil
}

// filters lists the filters a campaign's figures are released over:
// base ones (served live too), then bands (closed only).
func filters(def *survey.Definition, withBands bool) []string {
	l := survey.LayoutOf(def)
	out := []string{filterAll, filterGap, filterAllChannels}
	for _, c := range l.Channels {
		out = append(out, channelFilter(c))
	}
	for _, b := range l.Culture {
		out = append(out, cultureFilter(b.Item.ID))
	}
	for _, b := range l.Barriers {
		out = append(out, barrierFilter(b.Item.ID), barrierGapFilter(b.Item.ID))
	}
	if !withBands {
		return out
	}
	for _, it := range l.Profiles {
		for _, o := range def.ItemOptions(it) {
			band := bandFilter(survey.Band(it.ID, o.Value))
			out = append(out, band)
			for _, c := range l.Channels {
				out = append(out, band+"|"+channelFilter(c))
			}
		}
	}
	return out
}

// personFilters returns the filters one response satisfies; v is scratch
// of the layout's length.
func personFilters(l *survey.CounterLayout, codes []byte, v []int64, withBands bool) []string {
	clear(v)
	l.TallyCodes(v, codes)
	out := []string{filterAll}
	if v[survey.CountGapRespondents] > 0 {
		out = append(out, filterGap)
	}
	if v[survey.CountAllAnswered] > 0 {
		out = append(out, filterAllChannels)
	}
	var answered []string
	for c, id := range l.Channels {
		if channelN(v, l.ChannelBase(c)) > 0 {
			answered = append(answered, channelFilter(id))
		}
	}
	out = append(out, answered...)
	for _, b := range l.Culture {
		if cultureN(b, v) > 0 {
			out = append(out, cultureFilter(b.Item.ID))
		}
	}
	for _, b := range l.Barriers {
		if v[b.Answered] > 0 {
			out = append(out, barrierFilter(b.Item.ID))
		}
		if v[b.AnsweredGap] > 0 {
			out = append(out, barrierGapFilter(b.Item.ID))
		}
	}
	if withBands {
		for _, b := range l.Bands(codes)[1:] {
			out = append(out, bandFilter(b))
			for _, ch := range answered {
				out = append(out, bandFilter(b)+"|"+ch)
			}
		}
	}
	return out
}

// dependsOn is the filter a figure's page needs shown beside it: a
// channel, culture item or subset inside a shown group, a band's channel
// inside its shown band.
func dependsOn(f string) string {
	if band, _, ok := strings.Cut(f, "|"); ok && strings.HasPrefix(f, "band:") {
		return band
	}
	if f == filterAll || strings.HasPrefix(f, "band:") || f == filterComments {
		return ""
	}
	return filterAll
}

// errNoAnswers says a decision cannot be computed from raw answers.
var errNoAnswers = survey.ErrNoRawAnswers

// answer is one response reduced to what a decision needs.
type answer struct {
	node      int
	filters   []string
	commented bool
	epoch     int64 // live snapshot epoch (disclose.go), 0 for none
}

// readAnswers reads the raw answers of a campaign placed on o.
func (e *Engine) readAnswers(ctx context.Context, c *survey.Campaign, def *survey.Definition, o *org) ([]answer, error) {
	l := survey.LayoutOf(def)
	v := make([]int64, l.Len)
	var out []answer
	err := e.st.EachRawAnswer(ctx, c.ID, func(a survey.RawAnswer) {
		i, ok := o.pos[a.TeamID]
		if !ok || len(a.Codes) == 0 {
			return
		}
		out = append(out, answer{node: i, filters: personFilters(l, a.Codes, v, true), commented: a.Commented, epoch: a.SnapshotEpoch})
	})
	if errors.Is(err, survey.ErrNoRawAnswers) {
		return nil, errNoAnswers
	}
	return out, err
}

// basisClosed and basisLive name the campaign states a decision is kept
// for, with the number of answers (a closed campaign's answers no longer
// change; the number keeps a restored or reopened one honest).
func basisClosed(answers int64) string { return "closed:" + strconv.FormatInt(answers, 10) }

func basisLive(snapshotAnswers int64) string { return "live:" + strconv.FormatInt(snapshotAnswers, 10) }

// sortedFilters is a stable order of filter names, for bit positions.
func sortedFilters(names []string) []string {
	out := slices.Clone(names)
	slices.Sort(out)
	return slices.Compact(out)
}
