package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// The archive page: HR archives a team (with everything under it) once
// every campaign it took part in is closed. Its history stays — closed
// campaigns keep their frozen trees and figures — while today's tree,
// imports, pickers and new campaigns leave it out (survey/team_archive.go).

// archiveRow is a team of today's tree as the page lists it.
type archiveRow struct {
	survey.ArchiveCandidate
	Depth int
	Why   string // why it cannot be archived yet; "" when it can
}

// archivedRow is an archived team with the day it left, in the
// organisation's time zone and the reader's words.
type archivedRow struct {
	survey.Team
	On string
}

func (h *consoleHandler) archive(c *fiber.Ctx) error {
	return h.archivePage(c, fiber.StatusOK, "", "")
}

// archivePage lists the teams and the archived ones; failed names the team
// a refused archiving was about and errMsg says why, next to its row.
func (h *consoleHandler) archivePage(c *fiber.Ctx, status int, failed, errMsg string) error {
	lang := langOf(c)
	ctx := c.UserContext()
	cands, err := h.store.ArchiveCandidates(ctx)
	if err != nil {
		return err
	}
	archived, err := h.store.ArchivedTeams(ctx)
	if err != nil {
		return err
	}
	tree, err := h.store.Tree(ctx)
	if err != nil {
		return err
	}
	rows := make([]archiveRow, len(cands))
	for i, a := range cands {
		rows[i] = archiveRow{ArchiveCandidate: a, Depth: min(depthOf(tree, a.ID), 4)}
		switch {
		case a.Blocking != "":
			rows[i].Why = translate(lang, "console.archive.blocked", a.Blocking)
		case a.Campaigns == 0:
			rows[i].Why = translate(lang, "console.archive.no_history")
		}
	}
	gone := make([]archivedRow, len(archived))
	for i, t := range archived {
		gone[i] = archivedRow{Team: t, On: formatDate(lang, survey.DayOf(*t.ArchivedAt, h.store.Location()))}
	}
	return h.page(c, status, "console/archive", "org", "console.archive.title", fiber.Map{
		"Rows": rows, "Archived": gone, "Failed": failed, "Error": errMsg,
	})
}

// archiveTeam asks first (naming how many teams go), then archives.
func (h *consoleHandler) archiveTeam(c *fiber.Ctx) error {
	lang := langOf(c)
	code := strings.Clone(strings.TrimSpace(c.FormValue("code")))
	if !confirmed(c) {
		cands, err := h.store.ArchiveCandidates(c.UserContext())
		if err != nil {
			return err
		}
		for _, a := range cands {
			if a.Code == code && a.Archivable() {
				return h.page(c, fiber.StatusOK, "console/archive_confirm", "org", "console.archive.confirm_title", fiber.Map{
					"Heading": translate(lang, "console.archive.confirm_title", a.Name),
					"Message": translate(lang, "console.archive.confirm_text", a.Teams, a.Campaigns),
					"Code":    code,
				}, a.Name)
			}
		}
	}
	if _, err := h.store.ArchiveTeam(c.UserContext(), code); err != nil {
		status := fiber.StatusConflict
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			status = fiber.StatusNotFound
		}
		errs, err := fieldMessages(lang, err)
		if err != nil {
			return err
		}
		return h.archivePage(c, status, code, errs["code"])
	}
	return done(c, "/hr/org/archive", "team_archived")
}

// depthOf is how far below a root id sits in tree.
func depthOf(tree *survey.Tree, id int64) int {
	d := 0
	for t := tree.Team(id); t != nil && t.ParentID != nil; t = tree.Team(*t.ParentID) {
		d++
	}
	return d
}
