package api

import (
	"bytes"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"digigap/analytics"
	"digigap/survey"
)

// participationRow is one team's participation as the campaign page shows
// it: counts below k read "< k", like any other figure.
type participationRow struct {
	survey.TeamParticipation
	Shown string
	Rate  string // responses / headcount, only when the count is shown
	Over  bool   // rate above 100 %: the frozen headcount was out of date
}

// teamLinkRow is a team's open link with its poster.
type teamLinkRow struct {
	Code, Name, URL, QR string
}

// campaign is the page HR follows a wave on: its settings, its next step,
// participation by team, invitations and team links.
func (h *consoleHandler) campaign(c *fiber.Ctx) error {
	camp, err := h.campaignParam(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	data := fiber.Map{"C": camp, "Phase": camp.Phase(h.store.Today())}
	if q, err := h.store.Questionnaire(ctx, camp.QuestionnaireID); err == nil {
		data["Questionnaire"] = q
	}
	if err := h.participation(c, camp, data); err != nil {
		return err
	}
	if err := h.teamLinkWarning(c, camp, data); err != nil {
		return err
	}
	if camp.Phase(h.store.Today()) != survey.PhaseClosed && camp.State != survey.StateClosed {
		if err := h.handOut(c, camp, data); err != nil {
			return err
		}
	}
	return h.page(c, fiber.StatusOK, "console/campaign", "campaigns", "console.campaign.title", data, camp.Name)
}

// participation is the engine's participation figure, the same the
// dashboards show: each team's group (the team and its teams), withheld
// ("< k") by the anonymity rules, residual rule included, so that no
// difference of two counts isolates a team under k. The total is the
// engine's figure for the campaign's common ancestor (whose group holds
// every answer of the campaign), exact only where the engine shows it.
func (h *consoleHandler) participation(c *fiber.Ctx, camp *survey.Campaign, data fiber.Map) error {
	ctx := c.UserContext()
	p, err := h.eng.Participation(ctx, survey.FullScope(), camp.ID, 0, -1)
	if err != nil {
		return err
	}
	tree, err := h.store.CampaignTree(ctx, camp)
	if err != nil {
		return err
	}
	byTeam := map[int64]analytics.ParticipationRow{}
	for _, r := range p.Rows {
		byTeam[r.Team.ID] = r
	}
	k := camp.MinGroup
	var rows []participationRow
	tops, headcount := campaignTops(tree, camp.TeamIDs), 0
	for _, id := range survey.TreeOrder(tree, camp.TeamIDs) {
		rows = append(rows, consoleRow(byTeam[id], tree.Depth(id), k))
	}
	for _, id := range tops {
		headcount += byTeam[id].Headcount
	}
	total := analytics.ParticipationRow{Headcount: headcount}
	if top, ok := commonAncestor(tree, tops); ok && byTeam[top].Shown {
		total.Shown, total.Responses = true, byTeam[top].Responses
	}
	totalRow := consoleRow(total, 0, k)
	data["Participation"], data["Total"] = rows, totalRow
	return nil
}

// consoleRow writes one engine row as the console table shows it.
func consoleRow(r analytics.ParticipationRow, depth, k int) participationRow {
	row := participationRow{TeamParticipation: survey.TeamParticipation{Depth: depth, Headcount: r.Headcount}, Shown: "< " + strconv.Itoa(k)}
	if r.Team != nil {
		row.TeamID, row.Code, row.Name = r.Team.ID, r.Team.Code, r.Team.Name
	}
	if r.Shown {
		row.Responses, row.Shown = r.Responses, strconv.Itoa(r.Responses)
		row.Rate = percent(r.Responses, r.Headcount)
		row.Over = analytics.OverHeadcount(true, r.Responses, r.Headcount)
	}
	return row
}

// campaignTops are the campaign's teams whose parent it did not cover.
func campaignTops(tree *survey.Tree, ids []int64) []int64 {
	var out []int64
	for _, id := range ids {
		if !slices.ContainsFunc(ids, func(other int64) bool { return other != id && tree.IsWithin(id, other) }) {
			out = append(out, id)
		}
	}
	return out
}

// commonAncestor is the lowest team whose group holds every team of ids;
// false when they sit under different roots.
func commonAncestor(tree *survey.Tree, ids []int64) (int64, bool) {
	if len(ids) == 0 {
		return 0, false
	}
	path := tree.Path(ids[0])
	for i := len(path) - 1; i >= 0; i-- {
		if !slices.ContainsFunc(ids, func(id int64) bool { return !tree.IsWithin(id, path[i].ID) }) {
			return path[i].ID, true
		}
	}
	return 0, false
}

func percent(n, of int) string {
	if of <= 0 {
		return ""
	}
	return strconv.Itoa((n*100+of/2)/of) + " %"
}

// handOut lists the teams for invitations and their open links.
func (h *consoleHandler) handOut(c *fiber.Ctx, camp *survey.Campaign, data fiber.Map) error {
	ctx := c.UserContext()
	tree, err := h.store.Tree(ctx)
	if err != nil {
		return err
	}
	if camp.AllowsInvitations() {
		issued, err := h.store.IssuedInvitations(ctx, camp.ID)
		if err != nil {
			return err
		}
		var teams []teamNode
		for _, id := range survey.TreeOrder(tree, camp.TeamIDs) {
			t := tree.Team(id)
			teams = append(teams, teamNode{ID: id, Code: t.Code, Name: t.Name, Depth: min(tree.Depth(id), 6), Headcount: t.Headcount, Issued: issued[id]})
		}
		data["InviteTeams"] = teams
	}
	if camp.AllowsTeamLinks() {
		links, err := h.store.TeamLinks(ctx, camp.ID)
		if err != nil {
			return err
		}
		rows := make([]teamLinkRow, len(links))
		for i, l := range links {
			rows[i] = teamLinkRow{Code: l.TeamCode, Name: l.TeamName, URL: survey.TeamLinkURL(h.links.base(c), l.Key)}
		}
		data["TeamLinks"] = rows
	}
	return nil
}

// invitations issues personal invitations for the chosen teams and sends
// them as the CSV download, the only time the links exist. A team that
// already has invitations is replaced only after a confirmation step,
// since its unused ones are revoked.
func (h *consoleHandler) invitations(c *fiber.Ctx) error {
	camp, err := h.campaignParam(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	req := survey.InvitationRequest{TeamCodes: formList(c, "team_codes")}
	count, ok := formInt(c, "count", 0)
	if !ok {
		count = -1
	}
	req.Count = count
	if !confirmed(c) {
		if again, err := h.reissued(c, camp, req.TeamCodes); err != nil || len(again) > 0 {
			if err != nil {
				return err
			}
			return h.page(c, fiber.StatusOK, "console/confirm_invitations", "campaigns", "console.invite.confirm_title", fiber.Map{
				"C": camp, "Again": again, "Codes": req.TeamCodes, "Count": c.FormValue("count"),
			})
		}
	}
	issued, err := h.store.GenerateInvitations(ctx, camp.ID, req)
	if err != nil {
		errs, err := formErrors(langOf(c), err)
		if err != nil {
			return err
		}
		return h.page(c, fiber.StatusUnprocessableEntity, "console/notice", "campaigns", "console.invite.refused", fiber.Map{
			"Errors": errs, "Back": campaignPath(camp.ID),
		})
	}
	var buf bytes.Buffer
	if err := survey.WriteInvitationsCSV(&buf, h.links.base(c), issued); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="invitations-campaign-`+strconv.FormatInt(camp.ID, 10)+`.csv"`)
	return c.Send(buf.Bytes())
}

// reissued names the chosen teams (every team of the campaign when none is
// chosen) that already hold invitations.
func (h *consoleHandler) reissued(c *fiber.Ctx, camp *survey.Campaign, codes []string) ([]string, error) {
	ctx := c.UserContext()
	issued, err := h.store.IssuedInvitations(ctx, camp.ID)
	if err != nil {
		return nil, err
	}
	tree, err := h.store.Tree(ctx)
	if err != nil {
		return nil, err
	}
	chosen := map[string]bool{}
	for _, code := range codes {
		chosen[code] = true
	}
	var out []string
	for _, id := range survey.TreeOrder(tree, camp.TeamIDs) {
		t := tree.Team(id)
		if issued[id] > 0 && (len(codes) == 0 || chosen[t.Code]) {
			out = append(out, t.Name+" ("+t.Code+")")
		}
	}
	return out, nil
}

// posters is the printable A4 page of team links: one poster per team
// (or the one of ?team=), with the QR code, the link and the privacy promise.
func (h *consoleHandler) posters(c *fiber.Ctx) error {
	camp, err := h.campaignParam(c)
	if err != nil {
		return err
	}
	links, err := h.store.TeamLinks(c.UserContext(), camp.ID)
	if err != nil {
		return err
	}
	var rows []teamLinkRow
	for _, l := range links {
		if code := c.Query("team"); code != "" && code != l.TeamCode {
			continue
		}
		rows = append(rows, teamLinkRow{Code: l.TeamCode, Name: l.TeamName, URL: survey.TeamLinkURL(h.links.base(c), l.Key),
			QR: "/api/v1/campaigns/" + strconv.FormatInt(camp.ID, 10) + "/team-links/" + l.TeamCode + "/qr.png"})
	}
	if len(rows) == 0 {
		return survey.Errorf(survey.ENOTFOUND, "no team link %q in this campaign", c.Query("team"))
	}
	return h.page(c, fiber.StatusOK, "console/posters", "campaigns", "console.poster.title", fiber.Map{"C": camp, "Posters": rows, "Until": formatDate(langOf(c), camp.ClosesOn)}, camp.Name)
}
