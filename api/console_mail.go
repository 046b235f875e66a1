package api

import (
	"bytes"
	"context"
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// The e-mail page of a campaign: HR uploads addresses, edits and previews
// the message, sends the invitations and reminds those who have not
// answered. It shows counts only: an address is never shown back.

func (h *consoleHandler) registerMail(r *routes) {
	p := r.HRPages
	p.Get("/hr/campaigns/:id/mail", h.mailPage)
	p.Post("/hr/campaigns/:id/mail/recipients", h.mailRecipients)
	p.Post("/hr/campaigns/:id/mail/template", h.mailTemplate)
	p.Post("/hr/campaigns/:id/mail/send", h.mailSend)
	p.Post("/hr/campaigns/:id/mail/remind", h.mailRemind)
}

func mailPath(id int64) string { return campaignPath(id) + "/mail" }

// previewToken stands for a personal link in previews: it opens nothing.
const previewToken = "exemple-example"

func (h *consoleHandler) mailPage(c *fiber.Ctx) error {
	camp, err := h.campaignParam(c)
	if err != nil {
		return err
	}
	m, err := h.store.MailSettingsOf(c.UserContext(), camp.ID)
	if err != nil {
		return err
	}
	return h.mailView(c, fiber.StatusOK, camp, m, fiber.Map{})
}

// mailView draws the page with the settings m (saved or being previewed).
func (h *consoleHandler) mailView(c *fiber.Ctx, status int, camp *survey.Campaign, m *survey.MailSettings, data fiber.Map) error {
	counts, err := h.store.MailCountsOf(c.UserContext(), camp.ID)
	if err != nil {
		return err
	}
	data["C"], data["Phase"], data["M"], data["Counts"] = camp, camp.Phase(h.store.Today()), m, counts
	data["Enabled"] = h.mail != nil
	data["Preview"] = m.Render(camp, survey.InvitationLink(h.links.base(c), previewToken))
	return h.page(c, status, "console/mail", "campaigns", "console.mail.title", data, camp.Name)
}

func (h *consoleHandler) mailRecipients(c *fiber.Ctx) error {
	camp, err := h.campaignParam(c)
	if err != nil {
		return err
	}
	data, err := formFile(c, "file")
	if err == nil && len(bytes.TrimSpace(data)) == 0 {
		err = survey.FieldError(survey.EINVALID, "file", "choose a file").Keyed("mail.empty")
	}
	var added int
	if err == nil {
		added, err = h.store.AddRecipients(c.UserContext(), camp.ID, bytes.NewReader(data))
	}
	if err != nil {
		return h.mailRefused(c, camp, "UploadErrors", err)
	}
	return done(c, mailPath(camp.ID)+"?added="+strconv.Itoa(added), "mail_recipients")
}

// mailTemplate previews the posted message, or saves it.
func (h *consoleHandler) mailTemplate(c *fiber.Ctx) error {
	camp, err := h.campaignParam(c)
	if err != nil {
		return err
	}
	maxR, _ := formInt(c, "max_reminders", -1)
	days, _ := formInt(c, "reminder_days", 0)
	m := &survey.MailSettings{CampaignID: camp.ID, Subject: c.FormValue("subject"), BodyText: c.FormValue("body_text"),
		BodyHTML: c.FormValue("body_html"), MaxReminders: maxR, ReminderDays: days}
	if c.FormValue("action") == "preview" {
		saved, err := h.store.MailSettingsOf(c.UserContext(), camp.ID)
		if err != nil {
			return err
		}
		m.RemindersSent, m.LastReminderOn = saved.RemindersSent, saved.LastReminderOn
		return h.mailView(c, fiber.StatusOK, camp, m, fiber.Map{"Previewing": true})
	}
	if _, err := h.store.SaveMailSettings(c.UserContext(), *m); err != nil {
		list, err := errorList(langOf(c), err)
		if err != nil {
			return err
		}
		return h.mailView(c, fiber.StatusUnprocessableEntity, camp, m, fiber.Map{"TemplateErrors": list})
	}
	return done(c, mailPath(camp.ID), "mail_template")
}

func (h *consoleHandler) mailSend(c *fiber.Ctx) error {
	return h.mailQueue(c, "mail_queued", h.store.QueueInvitations)
}

func (h *consoleHandler) mailRemind(c *fiber.Ctx) error {
	return h.mailQueue(c, "mail_reminded", h.store.Remind)
}

// mailQueue queues invitations or reminders and wakes the sender; without
// a relay it refuses, since nothing would ever send them.
func (h *consoleHandler) mailQueue(c *fiber.Ctx, what string, queue func(context.Context, int64) (int, error)) error {
	camp, err := h.campaignParam(c)
	if err != nil {
		return err
	}
	if h.mail == nil {
		return h.mailRefused(c, camp, "SendErrors", survey.Errorf(survey.ECONFLICT, "no mail server is configured").Keyed("mail.off"))
	}
	if _, err := queue(c.UserContext(), camp.ID); err != nil {
		return h.mailRefused(c, camp, "SendErrors", err)
	}
	h.mail.Wake()
	return done(c, mailPath(camp.ID), what)
}

// mailRefused shows the page again with the refusal's messages under key.
func (h *consoleHandler) mailRefused(c *fiber.Ctx, camp *survey.Campaign, key string, err error) error {
	list, lerr := errorList(langOf(c), err)
	if lerr != nil {
		var de *survey.Error
		if !errors.As(err, &de) {
			return lerr
		}
		list = []string{keyedMessage(langOf(c), de)}
	}
	m, merr := h.store.MailSettingsOf(c.UserContext(), camp.ID)
	if merr != nil {
		return merr
	}
	return h.mailView(c, fiber.StatusUnprocessableEntity, camp, m, fiber.Map{key: list})
}
