package api

import (
	"github.com/gofiber/fiber/v2"

	"digigap/analytics"
	"digigap/survey"
)

// actionRow is one action as the branch page lists it, its texts ready.
type actionRow struct {
	ID                                       int64
	StatusValue                              string // the status id, for the status form
	Title, Team, StartsOn, OwnerRole, Status string
	Before, After                            *survey.Campaign
	BeforeURL, AfterURL                      string
	Gaps                                     []gapPair
}

// gapPair is a targeted channel's Gap before and after the action, as
// text: a figure with its interval, the withheld label, or a dash when
// there is no such campaign or it did not ask about the channel.
type gapPair struct {
	Channel                          string
	Before, BeforeCI, After, AfterCI string
}

// actionRows lists the actions of team's group with their before and
// after Gaps, computed by the analytics engine for the caller's scope.
func (h *dashboardHandler) actionRows(c *fiber.Ctx, team int64) ([]actionRow, error) {
	ctx, scope, loc := c.UserContext(), callerScope(c), locale(c)
	actions, err := h.store.Actions(ctx, scope, team)
	if err != nil {
		return nil, err
	}
	effects, err := h.engine.ActionEffects(ctx, scope, actions)
	if err != nil {
		return nil, err
	}
	labels, err := h.channelLabels(c)
	if err != nil {
		return nil, err
	}
	tree, err := h.store.Tree(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]actionRow, len(effects))
	for i, ef := range effects {
		a := ef.Action
		r := actionRow{ID: a.ID, StatusValue: a.Status, Title: a.Title, Team: tree.Team(a.TeamID).Name, StartsOn: a.StartsOn, OwnerRole: a.OwnerRole,
			Status: translate(loc.Lang, "action.status."+a.Status), Before: ef.Before, After: ef.After}
		if ef.Before != nil {
			r.BeforeURL = groupURL(ef.Before.ID, a.TeamID)
		}
		if ef.After != nil {
			r.AfterURL = groupURL(ef.After.ID, a.TeamID)
		}
		for _, ch := range ef.Channels {
			g := gapPair{Channel: labels[ch.Channel]}
			g.Before, g.BeforeCI = gapText(ch.Before, ch.BeforeAsked, ef.Before, loc)
			g.After, g.AfterCI = gapText(ch.After, ch.AfterAsked, ef.After, loc)
			if g.Channel == "" {
				g.Channel = ch.Channel
			}
			r.Gaps = append(r.Gaps, g)
		}
		out[i] = r
	}
	return out, nil
}

func gapText(cell analytics.GapCell, asked bool, c *survey.Campaign, l analytics.Locale) (string, string) {
	switch {
	case c == nil || !asked:
		return "—", ""
	case !cell.Shown:
		return translate(l.Lang, "chart.withheld_short", c.MinGroup), ""
	}
	return l.PP(cell.Gap), l.CI(cell.GapCI, true)
}

// channelLabels names every channel of the stored questionnaires in the
// reader's language.
func (h *dashboardHandler) channelLabels(c *fiber.Ctx) (map[string]string, error) {
	choices, err := h.channelChoices(c)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, ch := range choices {
		out[ch.ID] = ch.Label
	}
	return out, nil
}

// channelChoice is a channel an action may target, named in the reader's language.
type channelChoice struct{ ID, Label string }

// channelChoices lists the channels of the stored questionnaires, each
// once, in questionnaire order.
func (h *dashboardHandler) channelChoices(c *fiber.Ctx) ([]channelChoice, error) {
	return channelChoicesOf(c, h.store)
}

// channelChoicesOf is channelChoices for any handler holding the store.
func channelChoicesOf(c *fiber.Ctx, store *survey.Store) ([]channelChoice, error) {
	qs, err := store.Questionnaires(c.UserContext())
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []channelChoice
	for _, q := range qs {
		def, err := store.Definition(c.UserContext(), q.ID)
		if err != nil {
			return nil, err
		}
		for _, ch := range def.Channels {
			if !seen[ch.ID] {
				seen[ch.ID] = true
				out = append(out, channelChoice{ID: ch.ID, Label: ch.Label.In(langOf(c))})
			}
		}
	}
	return out, nil
}
