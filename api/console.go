package api

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"digigap/analytics"
	"digigap/auth"
	"digigap/mailer"
	"digigap/survey"
)

// consoleHandler is the HR console: server-rendered pages under /hr with
// which an HR lead runs a whole wave in the browser. Every form posts to
// the same store and account calls as the JSON API, so validation and the
// audit log are the domain's, and nothing is stored when a form is wrong.
type consoleHandler struct {
	store    *survey.Store
	accounts *auth.Service
	links    *invitationHandler // the public address of respondent links
	eng      *analytics.Engine  // participation, as the dashboards show it
	mail     *mailer.Sender     // nil: no relay, the CSV of links only
}

func (h *consoleHandler) register(r *routes) {
	p := r.HRPages
	p.Get("/hr", h.home)
	p.Get("/hr/org", h.org)
	p.Post("/hr/org/preview", h.orgPreview)
	p.Post("/hr/org/apply", h.orgApply)
	p.Get("/hr/org/archive", h.archive)
	p.Post("/hr/org/archive", h.archiveTeam)
	p.Get("/hr/references", h.references)
	p.Post("/hr/references", h.referenceAdd)
	p.Post("/hr/references/:id/delete", h.referenceDelete)
	p.Get("/hr/questionnaires", h.questionnaires)
	p.Post("/hr/questionnaires", h.questionnaireUpload)
	p.Get("/hr/questionnaires/:id", h.questionnairePreview)
	p.Post("/hr/questionnaires/:id/current", h.questionnaireCurrent)
	p.Get("/hr/campaigns", h.campaigns)
	p.Get("/hr/campaigns/new", h.campaignNew)
	p.Post("/hr/campaigns", h.campaignCreate)
	p.Get("/hr/campaigns/:id", h.campaign)
	p.Get("/hr/campaigns/:id/edit", h.campaignEdit)
	p.Post("/hr/campaigns/:id", h.campaignUpdate)
	p.Post("/hr/campaigns/:id/open", h.campaignOpen)
	p.Post("/hr/campaigns/:id/close", h.campaignClose)
	p.Post("/hr/campaigns/:id/delete", h.campaignDelete)
	p.Post("/hr/campaigns/:id/invitations", h.invitations)
	p.Get("/hr/campaigns/:id/posters", h.posters)
	h.registerMail(r)
	p.Get("/hr/campaigns/:id/comments", h.comments)
	p.Get("/hr/users", h.users)
	p.Post("/hr/users", h.userCreate)
	p.Get("/hr/users/:id", h.user)
	p.Post("/hr/users/:id/teams", h.userTeams)
	p.Post("/hr/users/:id/disable", h.userDisable)
	p.Post("/hr/users/:id/enable", h.userEnable)
	p.Post("/hr/users/:id/password-link", h.userPasswordLink)
	p.Get("/hr/audit", h.audit)
	p.Get("/hr/coverage", h.coverage)
	p.Post("/hr/coverage", h.coverageImport)
}

// page draws a console page: the navigation knows the current section,
// forms get the CSRF token, and ?done= shows what the last action did.
func (h *consoleHandler) page(c *fiber.Ctx, status int, name, section, titleKey string, data fiber.Map, args ...any) error {
	lang := langOf(c)
	if data == nil {
		data = fiber.Map{}
	}
	data["Section"], data["CSRF"], data["Wide"] = section, csrfToken(c), true
	if done := c.Query("done"); done != "" && hasMessage("console.done."+done) {
		data["Done"] = translate(lang, "console.done."+done)
	}
	return render(c, status, name, translate(lang, titleKey, args...), data)
}

func (h *consoleHandler) home(c *fiber.Ctx) error {
	ctx := c.UserContext()
	tree, err := h.store.Tree(ctx)
	if err != nil {
		return err
	}
	cs, err := h.store.Campaigns(ctx)
	if err != nil {
		return err
	}
	views := make([]campaignRow, len(cs))
	for i := range cs {
		views[i] = campaignRow{Campaign: &cs[i], Phase: cs[i].Phase(h.store.Today())}
	}
	return h.page(c, fiber.StatusOK, "console/home", "home", "console.home.title", fiber.Map{
		"Teams": tree.Len(), "Campaigns": views, "User": callerUser(c).Email,
	})
}

// formErrors turns a domain validation error into messages by field, in
// the page's language where the catalogue words the field's rule, else
// the domain's own message (which names the line or the item at fault).
// An error that is not about the input is returned as is.
func formErrors(lang string, err error) (map[string]string, error) {
	var de *survey.Error
	if !errors.As(err, &de) || (de.Code != survey.EINVALID && de.Code != survey.ECONFLICT && de.Code != survey.EMALFORMED) {
		return nil, err
	}
	out := map[string]string{}
	list := de.Details
	if len(list) == 0 {
		list = []*survey.Error{de}
	}
	for _, e := range list {
		field := e.Field
		if field == "" {
			field = "form"
		}
		if _, seen := out[field]; seen {
			continue
		}
		if e.Key != "" && hasMessage("err."+e.Key) {
			out[field] = translate(lang, "err."+e.Key, e.Args...)
		} else {
			out[field] = localized(lang, field, e.Message)
		}
	}
	return out, nil
}

// errorList keeps every message of a validation error in order, for
// files whose errors name lines or items (org CSV, questionnaires).
func errorList(lang string, err error) ([]string, error) {
	var de *survey.Error
	if !errors.As(err, &de) || (de.Code != survey.EINVALID && de.Code != survey.ECONFLICT && de.Code != survey.EMALFORMED) {
		return nil, err
	}
	if len(de.Details) == 0 {
		return []string{keyedMessage(lang, de)}, nil
	}
	out := make([]string, len(de.Details))
	for i, e := range de.Details {
		out[i] = keyedMessage(lang, e)
	}
	return out, nil
}

// keyedMessage is an error in the reader's language when the catalogue
// has its key, else the domain's own wording.
func keyedMessage(lang string, e *survey.Error) string {
	if e.Key != "" && hasMessage("err."+e.Key) {
		return upperFirst(translate(lang, "err."+e.Key, e.Args...))
	}
	return fieldPrefix(e)
}

// upperFirst starts a sentence with a capital: a message may begin with
// a phrase ("the title has no text").
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func fieldPrefix(e *survey.Error) string {
	if e.Field == "" || strings.HasPrefix(e.Message, e.Field) || strings.HasPrefix(e.Field, "line ") {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

// localized prefers the catalogue's wording of a field's rule outside English.
func localized(lang, field, msg string) string {
	if key := "console.err." + field; lang != "en" && hasMessage(key) {
		return translate(lang, key)
	}
	return msg
}

func hasMessage(key string) bool {
	_, ok := catalog["en"][key]
	return ok
}

// done redirects after a successful form (post/redirect/get), saying what was done.
func done(c *fiber.Ctx, path, what string) error {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return c.Redirect(path+sep+"done="+what, fiber.StatusSeeOther)
}

// confirmed reports whether a destructive form came from its confirmation step.
func confirmed(c *fiber.Ctx) bool { return c.FormValue("confirm") == "yes" }

func formInt(c *fiber.Ctx, name string, def int) (int, bool) {
	v := strings.TrimSpace(c.FormValue(name))
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// formList returns every value of a repeated form field (checkboxes).
func formList(c *fiber.Ctx, name string) []string {
	var out []string
	if f, err := c.MultipartForm(); err == nil {
		return f.Value[name]
	}
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	return out
}
