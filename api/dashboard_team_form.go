package api

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// actionForm is the state of the branch page's action forms: what the
// reader typed and, when the store refused it, the message by field.
// StatusErrors holds a refused status change, by action id.
type actionForm struct {
	In           survey.ActionInput
	Channels     []channelChoice
	Errors       map[string]string
	StatusErrors map[int64]string
}

func newActionForm() *actionForm {
	return &actionForm{In: survey.ActionInput{Status: survey.ActionPlanned}, Errors: map[string]string{}, StatusErrors: map[int64]string{}}
}

// Checked reports whether channel id was ticked.
func (f *actionForm) Checked(id string) bool { return slices.Contains(f.In.Channels, id) }

// Refused reports whether one of the forms needs a correction.
func (f *actionForm) Refused() bool { return len(f.Errors) > 0 || len(f.StatusErrors) > 0 }

// teamActionsAnchor brings the reader back to the actions after a form.
const teamActionsAnchor = "#actions"

// addAction records an action from the branch page's form, through the
// store call the API uses (scope check, validation and audit included).
func (h *dashboardHandler) addAction(c *fiber.Ctx) error {
	team, err := idParam(c, "team")
	if err != nil {
		return err
	}
	form := newActionForm()
	form.In = survey.ActionInput{Title: c.FormValue("title"), Channels: formList(c, "channels"),
		StartsOn: c.FormValue("starts_on"), OwnerRole: c.FormValue("owner_role"), Status: c.FormValue("status")}
	if _, err := h.store.AddAction(c.UserContext(), callerScope(c), team, form.In); err != nil {
		if form.Errors, err = formErrors(langOf(c), err); err != nil {
			return err
		}
		return h.teamView(c, fiber.StatusUnprocessableEntity, team, form)
	}
	return teamDone(c, team, "action_added")
}

// setActionStatus moves one listed action to the status chosen in its
// form; the action must belong to the page's group.
func (h *dashboardHandler) setActionStatus(c *fiber.Ctx) error {
	team, err := idParam(c, "team")
	if err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx, scope := c.UserContext(), callerScope(c)
	list, err := h.store.Actions(ctx, scope, team)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(list, func(a survey.Action) bool { return a.ID == id }) {
		return survey.Errorf(survey.ENOTFOUND, "action %d is not an action of this group", id)
	}
	if _, err := h.store.SetActionStatus(ctx, scope, id, strings.TrimSpace(c.FormValue("status"))); err != nil {
		errs, err := formErrors(langOf(c), err)
		if err != nil {
			return err
		}
		form := newActionForm()
		form.StatusErrors[id] = errs["status"]
		return h.teamView(c, fiber.StatusUnprocessableEntity, team, form)
	}
	return teamDone(c, team, "action_status")
}

// teamDone redirects back to the branch page's actions (post/redirect/get).
func teamDone(c *fiber.Ctx, team int64, what string) error {
	return c.Redirect(teamURL(team)+"?done="+what+teamActionsAnchor, fiber.StatusSeeOther)
}

// doneMessage is what the last form did, from ?done=, in the page's language.
func doneMessage(c *fiber.Ctx) string {
	if done := c.Query("done"); done != "" && hasMessage("console.done."+done) {
		return translate(langOf(c), "console.done."+done)
	}
	return ""
}
