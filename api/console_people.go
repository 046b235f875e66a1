package api

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"digigap/auth"
	"digigap/survey"
)

// Questionnaires, users and the audit log in the HR console.

func (h *consoleHandler) questionnaires(c *fiber.Ctx) error {
	return h.questionnaireList(c, fiber.StatusOK, nil)
}

func (h *consoleHandler) questionnaireList(c *fiber.Ctx, status int, errs []string) error {
	qs, err := h.store.Questionnaires(c.UserContext())
	if err != nil {
		return err
	}
	return h.page(c, status, "console/questionnaires", "questionnaires", "console.questionnaires.title", fiber.Map{
		"Questionnaires": qs, "Errors": errs,
	})
}

// questionnaireUpload loads a new version; the validation errors, which
// name the item at fault, are listed above the form.
func (h *consoleHandler) questionnaireUpload(c *fiber.Ctx) error {
	data, err := formFile(c, "file")
	if err != nil || len(strings.TrimSpace(string(data))) == 0 {
		return h.questionnaireList(c, fiber.StatusUnprocessableEntity, []string{translate(langOf(c), "console.questionnaires.no_file")})
	}
	def, err := survey.ParseDefinition(data)
	if err == nil {
		_, err = h.store.SaveQuestionnaire(c.UserContext(), def, c.FormValue("current") == "true")
	}
	if err != nil {
		list, err := errorList(langOf(c), err)
		if err != nil {
			return err
		}
		return h.questionnaireList(c, fiber.StatusUnprocessableEntity, list)
	}
	return done(c, "/hr/questionnaires", "questionnaire_loaded")
}

// questionnairePreview draws a version exactly as respondents see it, in
// the language of ?show= (the page's own by default), answers disabled.
func (h *consoleHandler) questionnairePreview(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	q, err := h.store.Questionnaire(c.UserContext(), id)
	if err != nil {
		return err
	}
	show := c.Query("show")
	if !supported(show) {
		show = langOf(c)
	}
	var shows []languageLink
	for _, tag := range languages {
		code := tag.String()
		shows = append(shows, languageLink{Code: code, Name: languageNames[code], URL: "/hr/questionnaires/" + strconv.FormatInt(id, 10) + "?show=" + code})
	}
	return h.page(c, fiber.StatusOK, "console/questionnaire", "questionnaires", "console.questionnaires.preview_title", fiber.Map{
		"Q": q, "Show": show, "Shows": shows, "Heading": q.Def.Title.In(show), "Intro": q.Def.Intro.In(show),
		"Form": buildForm(q.Def, show, nil, nil),
	}, q.Key, q.Version)
}

func (h *consoleHandler) questionnaireCurrent(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := h.store.SetCurrentQuestionnaire(c.UserContext(), id); err != nil {
		return err
	}
	return done(c, "/hr/questionnaires", "questionnaire_current")
}

// userRow is an account as the users page lists it.
type userRow struct {
	auth.User
	Teams string
}

func (h *consoleHandler) users(c *fiber.Ctx) error {
	return h.userList(c, fiber.StatusOK, auth.UserInput{Role: auth.RoleManager}, nil)
}

func (h *consoleHandler) userList(c *fiber.Ctx, status int, in auth.UserInput, errs map[string]string) error {
	ctx := c.UserContext()
	us, err := h.accounts.Users(ctx)
	if err != nil {
		return err
	}
	tree, err := h.store.Tree(ctx)
	if err != nil {
		return err
	}
	rows := make([]userRow, len(us))
	for i, u := range us {
		rows[i] = userRow{User: u, Teams: teamNames(tree, u.TeamIDs)}
	}
	return h.page(c, status, "console/users", "users", "console.users.title", fiber.Map{
		"Users": rows, "In": in, "Errors": errs, "Tree": treeNodes(tree, codeSet(tree, in.TeamCodes)),
		"MinPassword": auth.MinPasswordLength,
	})
}

func teamNames(tree *survey.Tree, ids []int64) string {
	var names []string
	for _, id := range ids {
		if t := tree.Team(id); t != nil {
			names = append(names, t.Name)
		}
	}
	return strings.Join(names, ", ")
}

func codeSet(tree *survey.Tree, codes []string) map[int64]bool {
	out := map[int64]bool{}
	for _, code := range codes {
		if t := tree.ByCode(code); t != nil {
			out[t.ID] = true
		}
	}
	return out
}

// userCreate creates an account; the password is never shown again.
func (h *consoleHandler) userCreate(c *fiber.Ctx) error {
	in := auth.UserInput{Email: c.FormValue("email"), Role: c.FormValue("role"), TeamCodes: formList(c, "team_codes"), Password: c.FormValue("password"), Typed: true}
	u, err := h.accounts.CreateUser(c.UserContext(), in)
	if err != nil {
		errs, err := formErrors(langOf(c), err)
		if err != nil {
			return err
		}
		in.Password = ""
		return h.userList(c, fiber.StatusUnprocessableEntity, in, errs)
	}
	return done(c, "/hr/users/"+strconv.FormatInt(u.ID, 10), "user_created")
}

func (h *consoleHandler) user(c *fiber.Ctx) error {
	return h.userPage(c, fiber.StatusOK, nil, nil, nil)
}

// userPage shows an account; extra adds to the page's data (a new
// set-password link, shown once).
func (h *consoleHandler) userPage(c *fiber.Ctx, status int, codes []string, errs map[string]string, extra fiber.Map) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	u, err := h.accounts.User(ctx, id)
	if err != nil {
		return err
	}
	tree, err := h.store.Tree(ctx)
	if err != nil {
		return err
	}
	checked := codeSet(tree, codes)
	if codes == nil {
		for _, tid := range u.TeamIDs {
			checked[tid] = true
		}
	}
	data := fiber.Map{
		"U": u, "Tree": treeNodes(tree, checked), "Errors": errs, "Self": callerUser(c).ID == u.ID,
		"LinkHours": int(auth.PasswordLinkTTL.Hours()),
	}
	for k, v := range extra {
		data[k] = v
	}
	return h.page(c, status, "console/user", "users", "console.user.title", data, u.Email)
}

func (h *consoleHandler) userTeams(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	codes := formList(c, "team_codes")
	if _, err := h.accounts.SetTeams(c.UserContext(), id, codes); err != nil {
		errs, err := formErrors(langOf(c), err)
		if err != nil {
			return err
		}
		if codes == nil {
			codes = []string{}
		}
		return h.userPage(c, fiber.StatusUnprocessableEntity, codes, errs, nil)
	}
	return done(c, "/hr/users/"+strconv.FormatInt(id, 10), "user_teams")
}

// userDisable asks first: the account's sessions end at once.
func (h *consoleHandler) userDisable(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	u, err := h.accounts.User(c.UserContext(), id)
	if err != nil {
		return err
	}
	path := "/hr/users/" + strconv.FormatInt(id, 10)
	if !confirmed(c) {
		lang := langOf(c)
		return h.page(c, fiber.StatusOK, "console/confirm", "users", "console.confirm.disable_title", fiber.Map{
			"Heading": translate(lang, "console.confirm.disable_title", u.Email), "Message": translate(lang, "console.confirm.disable_text"),
			"Action": path + "/disable", "Button": "console.confirm.disable", "Back": path,
		}, u.Email)
	}
	if _, err := h.accounts.SetDisabled(c.UserContext(), id, true); err != nil {
		return err
	}
	return done(c, path, "user_disabled")
}

func (h *consoleHandler) userEnable(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := h.accounts.SetDisabled(c.UserContext(), id, false); err != nil {
		return err
	}
	return done(c, "/hr/users/"+strconv.FormatInt(id, 10), "user_enabled")
}

// audit shows the audit log, newest first, 50 entries a page.
func (h *consoleHandler) audit(c *fiber.Ctx) error {
	page, err := h.store.AuditLog(c.UserContext(), int64(c.QueryInt("before", 0)), 50)
	if err != nil {
		return err
	}
	return h.page(c, fiber.StatusOK, "console/audit", "audit", "console.audit.title", fiber.Map{
		"Entries": auditRows(langOf(c), h.store.Location(), page.Entries), "Zone": h.store.Location().String(), "Next": page.Next, "First": c.QueryInt("before", 0) == 0,
	})
}
