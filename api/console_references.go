package api

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// The reference-values page: HR sets the figures staff figures are read
// against (clients' use of a channel, a national figure, a target), drawn
// as reference lines on the dashboards. It posts to the same store calls
// as POST /api/v1/reference-values, so validation and audit are the
// domain's; a wrong form keeps what was typed and says why next to each
// field.

// referenceRow is a stored reference value as the page lists it.
type referenceRow struct {
	survey.ReferenceValue
	ChannelLabel, Value string
}

// referenceForm is what the add form shows again after an error.
type referenceForm struct {
	Label, Source, Value, Channel string
}

func (h *consoleHandler) references(c *fiber.Ctx) error {
	return h.referencesPage(c, fiber.StatusOK, referenceForm{}, nil)
}

func (h *consoleHandler) referencesPage(c *fiber.Ctx, status int, in referenceForm, errs map[string]string) error {
	lang := langOf(c)
	refs, err := h.store.ReferenceValues(c.UserContext())
	if err != nil {
		return err
	}
	choices, err := channelChoicesOf(c, h.store)
	if err != nil {
		return err
	}
	choices = append([]channelChoice{{ID: survey.AllChannels, Label: translate(lang, "console.references.all_channels")}}, choices...)
	labels := map[string]string{}
	for _, ch := range choices {
		labels[ch.ID] = ch.Label
	}
	rows := make([]referenceRow, len(refs))
	for i, r := range refs {
		rows[i] = referenceRow{ReferenceValue: r, ChannelLabel: labels[r.Channel], Value: percentText(lang, r.Value)}
		if rows[i].ChannelLabel == "" {
			rows[i].ChannelLabel = r.Channel
		}
	}
	return h.page(c, status, "console/references", "references", "console.references.title", fiber.Map{
		"Refs": rows, "Channels": choices, "In": in, "Errors": errs,
	})
}

// referenceAdd stores one reference value; nothing is stored when a field
// is wrong, and the page shows each message next to its field.
func (h *consoleHandler) referenceAdd(c *fiber.Ctx) error {
	lang := langOf(c)
	// Fiber's form strings are borrowed: the page drawn after an error keeps copies.
	form := referenceForm{Label: strings.Clone(c.FormValue("label")), Source: strings.Clone(c.FormValue("source")),
		Value: strings.Clone(c.FormValue("value")), Channel: strings.Clone(c.FormValue("channel"))}
	value, ok := parsePercent(form.Value)
	in := survey.ReferenceInput{Label: form.Label, Source: form.Source, Value: value, Channel: form.Channel}
	if !ok {
		in.Value = math.NaN() // the store words the rule, with every other wrong field
	}
	_, err := h.store.AddReferenceValue(c.UserContext(), in)
	if err != nil {
		errs, err := fieldMessages(lang, err)
		if err != nil {
			return err
		}
		return h.referencesPage(c, fiber.StatusUnprocessableEntity, form, errs)
	}
	return done(c, "/hr/references", "reference_added")
}

// referenceDelete asks first, then removes the reference value.
func (h *consoleHandler) referenceDelete(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if !confirmed(c) {
		lang := langOf(c)
		var ref *survey.ReferenceValue
		refs, err := h.store.ReferenceValues(c.UserContext())
		if err != nil {
			return err
		}
		for i := range refs {
			if refs[i].ID == id {
				ref = &refs[i]
			}
		}
		if ref == nil {
			return survey.Errorf(survey.ENOTFOUND, "reference value %d not found", id)
		}
		return h.page(c, fiber.StatusOK, "console/confirm", "references", "console.references.delete_title", fiber.Map{
			"Heading": translate(lang, "console.references.delete_title", ref.Label), "Message": translate(lang, "console.references.delete_text"),
			"Action": "/hr/references/" + strconv.FormatInt(id, 10) + "/delete", "Button": "console.references.delete", "Back": "/hr/references",
		}, ref.Label)
	}
	if err := h.store.DeleteReferenceValue(c.UserContext(), id); err != nil {
		return err
	}
	return done(c, "/hr/references", "reference_deleted")
}

// parsePercent reads a percentage as people type it: "70", "70,5" (French
// decimal comma), "70.5" or "70 %".
func parsePercent(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\u202f", ""), "\u00a0", "")
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// percentText writes a reference value as the reader writes numbers.
func percentText(lang string, v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if lang == "fr" {
		return strings.Replace(s, ".", ",", 1) + "\u202f%"
	}
	return s + "%"
}

// fieldMessages is formErrors for domain errors that carry catalogue
// keys: each field's first message, in the reader's language.
func fieldMessages(lang string, err error) (map[string]string, error) {
	var de *survey.Error
	if !errors.As(err, &de) || (de.Code != survey.EINVALID && de.Code != survey.ECONFLICT && de.Code != survey.ENOTFOUND) {
		return nil, err
	}
	list := de.Details
	if len(list) == 0 {
		list = []*survey.Error{de}
	}
	out := map[string]string{}
	for _, e := range list {
		field := e.Field
		if field == "" {
			field = "form"
		}
		if _, seen := out[field]; !seen {
			out[field] = keyedMessage(lang, e)
		}
	}
	return out, nil
}
