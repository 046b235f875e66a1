package api

import (
	"bytes"
	"encoding/base64"
	"io"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// teamNode is one line of the org tree as the console draws it: indented
// by depth, with its own headcount and its subtree's.
type teamNode struct {
	ID        int64
	Code      string
	Name      string
	Depth     int
	Headcount int
	Subtotal  int
	Checked   bool
	Issued    int // invitations not revoked, on a campaign page
}

// treeNodes lists the whole tree in display order, checking the given ids.
func treeNodes(tree *survey.Tree, checked map[int64]bool) []teamNode {
	var out []teamNode
	var walk func(id int64)
	walk = func(id int64) {
		t := tree.Team(id)
		out = append(out, teamNode{ID: id, Code: t.Code, Name: t.Name, Depth: min(tree.Depth(id), 6),
			Headcount: t.Headcount, Subtotal: tree.Headcount(id), Checked: checked[id]})
		for _, ch := range tree.Children(id) {
			walk(ch)
		}
	}
	for _, r := range tree.Roots() {
		walk(r)
	}
	return out
}

func (h *consoleHandler) org(c *fiber.Ctx) error {
	return h.orgPage(c, fiber.StatusOK, nil)
}

func (h *consoleHandler) orgPage(c *fiber.Ctx, status int, errs []string) error {
	tree, err := h.store.Tree(c.UserContext())
	if err != nil {
		return err
	}
	return h.page(c, status, "console/org", "org", "console.org.title", fiber.Map{
		"Tree": treeNodes(tree, nil), "Errors": errs,
	})
}

// orgPreview reads the uploaded file and shows what importing it would
// change; nothing is stored. The file travels on in a hidden field.
func (h *consoleHandler) orgPreview(c *fiber.Ctx) error {
	data, err := formFile(c, "file")
	if err != nil || len(bytes.TrimSpace(data)) == 0 {
		return h.orgPage(c, fiber.StatusUnprocessableEntity, []string{translate(langOf(c), "console.org.no_file")})
	}
	return h.preview(c, data, nil)
}

func (h *consoleHandler) preview(c *fiber.Ctx, data []byte, applyErr error) error {
	rows, err := survey.ParseOrgCSV(bytes.NewReader(data))
	if err != nil {
		return h.orgRefused(c, err)
	}
	plan, err := h.store.PlanOrgImportWith(c.UserContext(), rows, h.accounts.OrgManagers())
	if err == nil {
		err = applyErr
	}
	refusal, err := errorList(langOf(c), err)
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if refusal != nil {
		status = fiber.StatusConflict
	}
	return h.page(c, status, "console/org_preview", "org", "console.org.preview_title", fiber.Map{
		"Plan": plan, "Rows": len(rows), "Refusal": refusal, "File": base64.StdEncoding.EncodeToString(data),
	})
}

func (h *consoleHandler) orgRefused(c *fiber.Ctx, err error) error {
	list, err := errorList(langOf(c), err)
	if err != nil {
		return err
	}
	return h.orgPage(c, fiber.StatusUnprocessableEntity, list)
}

// orgApply imports the previewed file in one transaction (audited by the
// store); a refusal, such as removing a team some campaign covered, shows
// the preview again with the store's message.
func (h *consoleHandler) orgApply(c *fiber.Ctx) error {
	data, err := base64.StdEncoding.DecodeString(c.FormValue("file"))
	if err != nil || len(data) == 0 {
		return h.orgPage(c, fiber.StatusUnprocessableEntity, []string{translate(langOf(c), "console.org.no_file")})
	}
	rows, err := survey.ParseOrgCSV(bytes.NewReader(data))
	if err != nil {
		return h.orgRefused(c, err)
	}
	if _, err := h.store.ImportOrgWith(c.UserContext(), rows, h.accounts.OrgManagers()); err != nil {
		return h.preview(c, data, err)
	}
	return done(c, "/hr/org", "org")
}

// formFile reads an uploaded file of a multipart form; a console form
// never takes the raw body as the file.
func formFile(c *fiber.Ctx, field string) ([]byte, error) {
	fh, err := c.FormFile(field)
	if err != nil {
		return nil, survey.FieldError(survey.EINVALID, field, "choose a file")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, survey.FieldError(survey.EMALFORMED, field, "cannot read the uploaded file")
	}
	defer f.Close()
	return io.ReadAll(f)
}
