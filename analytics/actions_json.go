package analytics

import "digigap/survey"

// AppendActionsJSON writes actions with their before and after Gaps as
// the API's JSON answer: a campaign is null when none qualifies yet, a
// channel's cell null when that campaign did not ask about the channel,
// and a withheld cell carries "suppressed": true and no figure.
func AppendActionsJSON(b []byte, effects []ActionEffect) []byte {
	w := &jw{b: b}
	w.raw(`{"actions":[`)
	for i := range effects {
		if i > 0 {
			w.raw(",")
		}
		writeEffect(w, &effects[i])
	}
	w.raw("]}")
	return w.b
}

func writeEffect(w *jw, ef *ActionEffect) {
	writeAction(w, &ef.Action)
	for _, side := range []struct {
		name string
		c    *survey.Campaign
	}{{"before", ef.Before}, {"after", ef.After}} {
		w.key(side.name)
		if side.c == nil {
			w.null()
		} else {
			writeCampaign(w, side.c, "")
		}
	}
	w.key("gaps")
	w.raw("[")
	for i, ch := range ef.Channels {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"channel":`)
		w.str(ch.Channel)
		w.key("before")
		optCell(w, ch.Channel, ch.BeforeAsked, &ch.Before)
		w.key("after")
		optCell(w, ch.Channel, ch.AfterAsked, &ch.After)
		w.raw("}")
	}
	w.raw("]}")
}

// writeAction writes the action's own fields, leaving its object open.
func writeAction(w *jw, a *survey.Action) {
	w.raw("{")
	w.key("id")
	w.int(a.ID)
	w.key("team_id")
	w.int(a.TeamID)
	w.key("title")
	w.str(a.Title)
	w.key("channels")
	w.strs(a.Channels)
	w.key("starts_on")
	w.str(a.StartsOn)
	w.key("owner_role")
	w.str(a.OwnerRole)
	w.key("status")
	w.str(a.Status)
}

func optCell(w *jw, channel string, asked bool, c *GapCell) {
	if !asked {
		w.null()
		return
	}
	writeCell(w, channel, c)
}
