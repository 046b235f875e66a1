package api

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"digigap/analytics"
	"digigap/survey"
)

// notOpenError stops a respondent whose campaign takes no answers today.
type notOpenError struct{ campaign *survey.Campaign }

func (e *notOpenError) Error() string { return "campaign not open" }

// errAlreadyAnswered stops a second answer through a team link from one
// browser, until someone says they are another colleague (see another).
var errAlreadyAnswered = survey.FieldError(survey.ECONFLICT, "team_link", "this survey has already been answered from this browser: another colleague on this computer clears the mark at POST /s/another")

// intro is the first page: purpose, anonymity, threshold, what is stored.
func (h *respondentHandler) intro(c *fiber.Ctx, a *access) error {
	ctx := c.UserContext()
	def, err := h.store.Definition(ctx, a.Campaign.QuestionnaireID)
	if err != nil {
		return err
	}
	lang := langOf(c)
	team := ""
	if tree, err := h.store.Tree(ctx); err == nil && tree.Team(a.TeamID) != nil {
		team = tree.Team(a.TeamID).Name
	}
	data := fiber.Map{
		"Access": a,
		"Intro":  def.Intro.In(lang),
		"Team":   team,
		"K":      a.Campaign.MinGroup,
		// How a group where everyone gave the same answer is shown (point 9).
		"Unanimous": a.Campaign.Unanimous,
		"K2":        2 * a.Campaign.MinGroup,
		"Minutes":   def.Minutes,
		"Until":     formatDate(lang, a.Campaign.ClosesOn),
	}
	if a.Token != "" { // drawn by a POST: the language switch posts the token again
		data["LangForm"], data["LangAction"] = "start", "/s/"
	}
	return render(c, fiber.StatusOK, "survey/intro", def.Title.In(lang), data)
}

// questionnaire draws the questions; a language switch posts here too,
// with the answers given so far.
func (h *respondentHandler) questionnaire(c *fiber.Ctx) error {
	a, err := h.accessOf(c)
	if err != nil {
		return h.refuse(c, err)
	}
	return h.form(c, fiber.StatusOK, a, postedValues(c), nil)
}

func (h *respondentHandler) form(c *fiber.Ctx, status int, a *access, values map[string][]string, errs map[string]string) error {
	def, err := h.store.Definition(c.UserContext(), a.Campaign.QuestionnaireID)
	if err != nil {
		return err
	}
	lang := langOf(c)
	f := buildForm(def, lang, values, errs)
	title := def.Title.In(lang)
	switch {
	case f.Empty != "":
		title = translate(lang, "survey.form.nothing") + " · " + title
	case len(f.Errors) > 0:
		title = translate(lang, "survey.form.summary") + " · " + title
	}
	return render(c, status, "survey/form", title, fiber.Map{
		"Access":     a,
		"Heading":    def.Title.In(lang),
		"Form":       f,
		"LangForm":   "answers",
		"LangAction": "/s/questionnaire",
		"DraftKey":   draftKey(a),
	})
}

// draftKey names a respondent's draft in their browser: a hash of the
// campaign and the credential (invitation token or team link), never the
// token itself nor the hash the database keeps, so that a draft is never
// restored under another invitation or link.
func draftKey(a *access) string {
	credential := "token\x00" + a.Token
	if a.Token == "" {
		credential = "link\x00" + a.TeamLink
	}
	sum := sha256.Sum256([]byte("digigap draft\x00" + strconv.FormatInt(a.Campaign.ID, 10) + "\x00" + credential))
	return hex.EncodeToString(sum[:12])
}

// submit stores the answers through survey.Store.Submit, the one
// validation path, then sends the respondent to the thank-you page.
func (h *respondentHandler) submit(c *fiber.Ctx) error {
	a, err := h.accessOf(c)
	if err != nil {
		return h.refuse(c, err)
	}
	values := postedValues(c)
	def, err := h.store.Definition(c.UserContext(), a.Campaign.QuestionnaireID)
	if err != nil {
		return err
	}
	if a.TeamLink != "" {
		if err := h.links.take(a.Campaign.ID, a.TeamID); err != nil {
			// Keep the answers: the respondent submits again in a minute.
			return h.form(c, fiber.StatusTooManyRequests, a, values, map[string]string{formNotice: translate(langOf(c), "err.teamlink.busy")})
		}
	}
	sub := survey.Submission{CampaignID: a.Campaign.ID, Token: a.Token, TeamLink: a.TeamLink, Answers: def.AnswersFromForm(values)}
	if _, err := h.store.Submit(c.UserContext(), sub); err != nil {
		if errs, ok := answerErrors(def, err, langOf(c)); ok {
			return h.form(c, fiber.StatusUnprocessableEntity, a, values, errs)
		}
		if de := toDomainError(err); de.Code == survey.ECONFLICT && de.Field == "" && de.Key == "" {
			err = &notOpenError{a.Campaign}
		}
		return h.refuse(c, err)
	}
	if a.TeamLink != "" {
		setAnsweredCookie(c, a.Campaign, h.store.Now())
		return c.Redirect("/s/thanks?link="+url.QueryEscape(a.TeamLink), fiber.StatusSeeOther)
	}
	return c.Redirect("/s/thanks", fiber.StatusSeeOther)
}

// refuse answers a page request that cannot go on with a clear page in the
// respondent's language: the survey's dates, or what is wrong with the link.
func (h *respondentHandler) refuse(c *fiber.Ctx, err error) error {
	lang := langOf(c)
	var closed *notOpenError
	if errors.As(err, &closed) {
		heading := translate(lang, "survey.state.heading")
		if closed.campaign.Phase(h.store.Today()) == survey.PhaseClosed {
			heading = translate(lang, "survey.state.heading_closed")
		}
		return render(c, fiber.StatusConflict, "survey/notice", heading, fiber.Map{
			"Heading": heading,
			"Message": h.stateMessage(lang, closed.campaign),
		})
	}
	de := toDomainError(err)
	status := statusOf[de.Code]
	if err == errAlreadyAnswered {
		// Not a lock: the next colleague on a shared PC starts afresh from here.
		return render(c, status, "survey/notice", translate(lang, "survey.teamlink.answered_heading"), fiber.Map{
			"Heading": translate(lang, "survey.teamlink.answered_heading"), "Message": translate(lang, "survey.teamlink.answered"),
			"TeamLink": strings.Clone(c.Params("key", c.FormValue("team_link"))),
		})
	}
	if de.Key != "" && hasMessage("err."+de.Key) && status >= 400 && status < 500 {
		// A refusal the server words itself (a used invitation, a team link
		// that takes no more answers…), in the respondent's language.
		heading := translate(lang, "error."+strconv.Itoa(status))
		if hasMessage("err." + de.Key + ".heading") {
			heading = translate(lang, "err."+de.Key+".heading")
		}
		return render(c, status, "survey/notice", heading, fiber.Map{"Heading": heading, "Message": translate(lang, "err."+de.Key, de.Args...)})
	}
	key := ""
	switch {
	case de.Field == "token" || (de.Field == "campaign_id" && c.FormValue("token") != ""):
		key = "survey.invite.invalid"
	case de.Field == "campaign_id" || (de.Field == "team_link" && (de.Code == survey.ENOTFOUND || de.Code == survey.EINVALID)):
		key = "survey.teamlink.invalid"
	case de.Field == "team_link":
		key = "survey.teamlink.refused"
	}
	if key == "" {
		return err
	}
	if c.Method() == fiber.MethodPost && c.Path() == "/s/" && de.Code == survey.ENOTFOUND {
		// A pasted code that is wrong: show the form again with the message next to it.
		return render(c, fiber.StatusUnprocessableEntity, "survey/landing", translate(lang, "survey.landing.heading"), fiber.Map{"CodeError": translate(lang, key)})
	}
	return render(c, status, "survey/notice", translate(lang, "error.title"), fiber.Map{
		"Heading": translate(lang, "error."+strconv.Itoa(status)), "Message": translate(lang, key),
	})
}

// stateMessage says when a campaign that takes no answers opens or closed.
func (h *respondentHandler) stateMessage(lang string, c *survey.Campaign) string {
	today := h.store.Today()
	switch c.Phase(today) {
	case survey.PhaseClosed:
		closed := analytics.ClosedOn(c, h.store.Location()) // or the day HR closed it early
		return translate(lang, "survey.state.closed", formatDate(lang, closed))
	case survey.PhaseDraft:
		if c.OpensOn <= today {
			return translate(lang, "survey.state.heading") + "."
		}
	}
	return translate(lang, "survey.state.opens", formatDate(lang, c.OpensOn))
}

// formatDate writes a campaign day as "2 March 2026" or "1er mars 2026".
func formatDate(lang, day string) string {
	t, err := time.Parse(survey.DateLayout, day)
	if err != nil {
		return day
	}
	months := strings.Fields(translate(lang, "date.months"))
	d := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		d = translate(lang, "date.first_day")
	}
	if len(months) != 12 {
		return day
	}
	return d + " " + months[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// postedValues reads an url-encoded form, keeping repeated fields.
func postedValues(c *fiber.Ctx) map[string][]string {
	out := map[string][]string{}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		out[string(k)] = append(out[string(k)], string(v))
	})
	return out
}

// answeredCookie names the cookie that marks a campaign answered through a
// team link in this browser; it holds no id, only the campaign's.
func answeredCookie(campaignID int64) string {
	return "dg_answered_" + strconv.FormatInt(campaignID, 10)
}

// clearAnsweredCookie removes the mark, for the next colleague on a shared PC.
func clearAnsweredCookie(c *fiber.Ctx, campaignID int64) {
	c.Cookie(&fiber.Cookie{
		Name: answeredCookie(campaignID), Value: "", Path: "/", Expires: time.Unix(0, 0),
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https",
	})
}

// setAnsweredCookie keeps the mark until a week after the campaign closes.
// Its lifetime is a Max-Age counted from now by the store's clock, so the
// browser's own clock decides nothing (and tests with a fixed day hold).
func setAnsweredCookie(c *fiber.Ctx, camp *survey.Campaign, now time.Time) {
	closes, _ := time.Parse(survey.DateLayout, camp.ClosesOn)
	age := int(closes.AddDate(0, 0, 8).Sub(now) / time.Second)
	if age <= 0 {
		return
	}
	c.Cookie(&fiber.Cookie{
		Name: answeredCookie(camp.ID), Value: "1", Path: "/", MaxAge: age,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https",
	})
}
