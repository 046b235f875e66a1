package api

import (
	"bytes"
	"io"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// orgHandler serves the org tree and its CSV import.
type orgHandler struct {
	store    *survey.Store
	managers survey.ManagerSync // accounts from the manager_email column
}

func (h *orgHandler) register(r *routes) {
	r.API.Get("/teams", h.list)
	r.HRAPI.Post("/org/import", h.importCSV)
}

// teamView is a team as the API shows it, with its place in the tree.
type teamView struct {
	survey.Team
	ParentCode string `json:"parent_code"`
	Depth      int    `json:"depth"`
}

func (h *orgHandler) list(c *fiber.Ctx) error {
	tree, err := h.store.Tree(c.UserContext())
	if err != nil {
		return err
	}
	scope := callerScope(c)
	out := []teamView{}
	for _, root := range scope.Roots(tree) {
		for _, id := range tree.Subtree(root) {
			t := tree.Team(id)
			v := teamView{Team: *t, Depth: tree.Depth(id)}
			if t.ParentID != nil && tree.Team(*t.ParentID) != nil {
				v.ParentCode = tree.Team(*t.ParentID).Code
			}
			out = append(out, v)
		}
	}
	return c.JSON(fiber.Map{"teams": out})
}

// importCSV takes the org file as the raw body (text/csv) or as the "file"
// field of a form; ?dry_run=true only returns what would change.
func (h *orgHandler) importCSV(c *fiber.Ctx) error {
	data, err := uploadedFile(c, "file")
	if err != nil {
		return err
	}
	rows, err := survey.ParseOrgCSV(bytes.NewReader(data))
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	if c.QueryBool("dry_run") {
		plan, err := h.store.PlanOrgImportWith(ctx, rows, h.managers)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"applied": false, "plan": plan})
	}
	plan, err := h.store.ImportOrgWith(ctx, rows, h.managers)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"applied": true, "plan": plan})
}

// uploadedFile returns a multipart file field, or else the raw body.
func uploadedFile(c *fiber.Ctx, field string) ([]byte, error) {
	if fh, err := c.FormFile(field); err == nil {
		f, err := fh.Open()
		if err != nil {
			return nil, survey.Errorf(survey.EMALFORMED, "cannot read the uploaded file")
		}
		defer f.Close()
		return io.ReadAll(f)
	}
	if len(c.Body()) == 0 {
		return nil, survey.FieldError(survey.EMALFORMED, field, "send the file as the request body or as the form field %q", field)
	}
	return c.Body(), nil
}
