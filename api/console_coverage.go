package api

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// coverageMonths is how many of the latest imported months the page lists.
const coverageMonths = 6

// coverage shows the upload form, what the last import stored (from the
// redirect's query) and the latest imported months.
func (h *consoleHandler) coverage(c *fiber.Ctx) error {
	return h.coveragePage(c, fiber.StatusOK, nil)
}

func (h *consoleHandler) coveragePage(c *fiber.Ctx, status int, errs []string) error {
	rows, err := h.store.CoverageRows(c.UserContext())
	if err != nil {
		return err
	}
	return h.page(c, status, "console/coverage", "coverage", "console.coverage.title", fiber.Map{
		"Errors": errs, "Months": latestMonths(rows, coverageMonths), "Imported": importedText(c),
	})
}

// coverageImport reads the uploaded file with the parser the API and the
// CLI use and imports it through the same store call (one transaction,
// audited). Every bad line is listed with its reason; nothing is stored.
func (h *consoleHandler) coverageImport(c *fiber.Ctx) error {
	lang := langOf(c)
	data, err := formFile(c, "file")
	if err != nil || len(bytes.TrimSpace(data)) == 0 {
		return h.coveragePage(c, fiber.StatusUnprocessableEntity, []string{translate(lang, "console.coverage.no_file")})
	}
	rows, err := survey.ParseCoverageCSV(bytes.NewReader(data))
	var res *survey.CoverageImport
	if err == nil {
		res, err = h.store.ImportCoverage(c.UserContext(), rows)
	}
	if err != nil {
		list, err := errorList(langOf(c), err)
		if err != nil {
			return err
		}
		return h.coveragePage(c, fiber.StatusUnprocessableEntity, list)
	}
	return done(c, "/hr/coverage?rows="+strconv.Itoa(res.Rows)+"&months="+strings.Join(res.Periods, ","), "coverage")
}

var monthList = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}(,[0-9]{4}-[0-9]{2})*$`)

// importedText says what the import just stored, from the redirect's
// query; anything else in the query is ignored.
func importedText(c *fiber.Ctx) string {
	n, err := strconv.Atoi(c.Query("rows"))
	months := c.Query("months")
	if c.Query("done") != "coverage" || err != nil || n <= 0 || !monthList.MatchString(months) {
		return ""
	}
	return translate(langOf(c), "console.coverage.imported", strconv.Itoa(n), strings.ReplaceAll(months, ",", ", "))
}

// latestMonths sums the rows by month, newest first, keeping n months.
func latestMonths(rows []survey.CoverageRow, n int) []survey.CoverageFigures {
	by := map[string]*survey.CoverageFigures{}
	for _, r := range rows {
		m := by[r.Period]
		if m == nil {
			m = &survey.CoverageFigures{Period: r.Period}
			by[r.Period] = m
		}
		m.Teams++
		m.Clients += r.Clients
		m.WithMobile += r.WithMobile
		m.WithEmail += r.WithEmail
		m.SMSConsent += r.SMSConsent
		m.EmailConsent += r.EmailConsent
	}
	out := make([]survey.CoverageFigures, 0, len(by))
	for _, m := range by {
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b survey.CoverageFigures) int { return strings.Compare(b.Period, a.Period) })
	return out[:min(n, len(out))]
}
