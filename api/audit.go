package api

import (
	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// auditHandler shows HR the audit log, newest first, a page at a time.
type auditHandler struct{ store *survey.Store }

func (h *auditHandler) register(r *routes) {
	r.HRAPI.Get("/audit", h.list)
}

// list takes ?limit= (1–500, default 100) and ?before= (the next_before of
// the previous page).
func (h *auditHandler) list(c *fiber.Ctx) error {
	before := int64(c.QueryInt("before", 0))
	page, err := h.store.AuditLog(c.UserContext(), before, c.QueryInt("limit", 100))
	if err != nil {
		return err
	}
	return c.JSON(page)
}
