package api

import (
	"bytes"
	"strings"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// coverageHandler serves client contact coverage: HR imports counts of
// clients per team and month; HR and managers read their subtree's sums.
type coverageHandler struct{ store *survey.Store }

func (h *coverageHandler) register(r *routes) {
	r.API.Get("/coverage", h.get)
	r.HRAPI.Post("/coverage", h.importRows)
}

// importRows takes a CSV body (text/csv, or the "file" field of a form)
// or JSON {"rows":[…]}; a bad row refuses everything.
func (h *coverageHandler) importRows(c *fiber.Ctx) error {
	var rows []survey.CoverageRow
	var err error
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
		rows, err = survey.ParseCoverageJSON(c.Body())
	} else {
		var data []byte
		if data, err = uploadedFile(c, "file"); err == nil {
			rows, err = survey.ParseCoverageCSV(bytes.NewReader(data))
		}
	}
	if err != nil {
		return err
	}
	res, err := h.store.ImportCoverage(c.UserContext(), rows)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// coverageView is a group's coverage: its sums by month and, for the
// latest month, each child group's sums.
type coverageView struct {
	Team     *survey.Team             `json:"team"`
	Periods  []survey.CoverageFigures `json:"periods"`
	Children []survey.TeamCoverage    `json:"children"`
}

func (h *coverageHandler) get(c *fiber.Ctx) error {
	ctx := c.UserContext()
	tree, err := h.store.Tree(ctx)
	if err != nil {
		return err
	}
	scope := callerScope(c)
	team, err := queryInt(c, "team", 0)
	if err != nil {
		return err
	}
	if roots := scope.Roots(tree); team == 0 && len(roots) > 0 {
		team = roots[0]
	}
	if err := scope.Check(tree, team); err != nil {
		return err
	}
	rows, err := h.store.CoverageRows(ctx)
	if err != nil {
		return err
	}
	v := coverageView{Team: tree.Team(team), Periods: survey.RollupCoverage(tree, rows, team), Children: []survey.TeamCoverage{}}
	if n := len(v.Periods); n > 0 {
		v.Children = survey.CoverageByChild(tree, rows, team, v.Periods[n-1].Period)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(v)
}
