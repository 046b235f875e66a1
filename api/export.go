package api

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"digigap/analytics"
	"digigap/survey"
)

// export serves the tables of the figure routes as CSV or XLSX, under the
// same scope and anonymity rules: withheld cells are blank and the first
// row states the threshold. Headers follow ?lang=fr|en.
func (h *figuresHandler) export(c *fiber.Ctx) error {
	q, err := gapQuery(c)
	if err != nil {
		return err
	}
	lang := langOf(c)
	tr := func(key string, args ...any) string { return translate(lang, key, args...) }
	format := c.Query("format", "csv")
	if format != "csv" && format != "xlsx" {
		return survey.FieldError(survey.EINVALID, "format", "format must be csv or xlsx")
	}
	sheet, err := h.sheet(c, c.Params("table"), q, tr, lang)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("digigap-%d-%s.%s", q.CampaignID, c.Params("table"), format)
	if err := h.store.Audit(c.UserContext(), survey.AuditExport, name, survey.DataDetail(c.Request().URI().QueryArgs().String())); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	if format == "csv" {
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		return c.Send(sheet.WriteCSV(lang))
	}
	body, err := sheet.WriteXLSX()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return c.Send(body)
}

// sheet computes one exportable table.
func (h *figuresHandler) sheet(c *fiber.Ctx, table string, q analytics.GapQuery, tr analytics.Translator, lang string) (*analytics.Sheet, error) {
	ctx, scope := c.UserContext(), callerScope(c)
	switch table {
	case "gaps":
		t, err := h.eng.GapTable(ctx, scope, q)
		if err != nil {
			return nil, err
		}
		return t.GapSheet(tr, lang), nil
	case "participation":
		p, err := h.eng.Participation(ctx, scope, q.CampaignID, q.TeamID, q.Depth)
		if err != nil {
			return nil, err
		}
		return p.ParticipationSheet(tr), nil
	case "barriers", "culture", "all_channels":
		if q.TeamID == 0 {
			return nil, survey.FieldError(survey.EINVALID, "team", "choose a team (?team=ID) for the %s table", table)
		}
		if table == "all_channels" {
			s, err := h.eng.Summary(ctx, scope, q.CampaignID, q.TeamID)
			if err != nil {
				return nil, err
			}
			return s.AllChannelsSheet(tr), nil
		}
		if table == "barriers" {
			b, err := h.eng.Barriers(ctx, scope, q.CampaignID, q.TeamID)
			if err != nil {
				return nil, err
			}
			return b.BarrierSheet(tr, lang), nil
		}
		cu, err := h.eng.Culture(ctx, scope, q.CampaignID, q.TeamID)
		if err != nil {
			return nil, err
		}
		return cu.CultureSheet(tr, lang), nil
	}
	return nil, survey.FieldError(survey.ENOTFOUND, "table", "no table %q: choose gaps, participation, barriers, culture or all_channels", table)
}
