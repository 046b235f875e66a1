package api

import (
	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// questionnaireHandler serves questionnaire versions.
type questionnaireHandler struct{ store *survey.Store }

// register: every signed-in user reads questionnaires (their wording is
// not confidential and labels the charts); only HR loads or switches them.
func (h *questionnaireHandler) register(r *routes) {
	r.API.Get("/questionnaires", h.list)
	r.HRAPI.Post("/questionnaires", h.create)
	r.API.Get("/questionnaires/:id", h.get)
	r.HRAPI.Post("/questionnaires/:id/current", h.makeCurrent)
}

func (h *questionnaireHandler) list(c *fiber.Ctx) error {
	qs, err := h.store.Questionnaires(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"questionnaires": qs})
}

func (h *questionnaireHandler) get(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	q, err := h.store.Questionnaire(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(q)
}

// create loads a new version from a YAML or JSON definition (the body or
// the form field "file"); ?current=true makes it the default for new campaigns.
func (h *questionnaireHandler) create(c *fiber.Ctx) error {
	data, err := uploadedFile(c, "file")
	if err != nil {
		return err
	}
	def, err := survey.ParseDefinition(data)
	if err != nil {
		return err
	}
	q, err := h.store.SaveQuestionnaire(c.UserContext(), def, c.QueryBool("current"))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(q)
}

func (h *questionnaireHandler) makeCurrent(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := h.store.SetCurrentQuestionnaire(c.UserContext(), id); err != nil {
		return err
	}
	q, err := h.store.Questionnaire(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(q)
}
