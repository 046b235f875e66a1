package survey

import (
	"context"
	"html"
	"strings"

	"gorm.io/gorm"
)

// MailSettings are what HR sets per campaign for e-mailed invitations: the
// message (subject, text and HTML bodies with placeholders) and the
// reminder rules (at most MaxReminders rounds, ReminderDays apart).
type MailSettings struct {
	CampaignID     int64 `gorm:"primaryKey"`
	Subject        string
	BodyText       string
	BodyHTML       string `gorm:"column:body_html"`
	MaxReminders   int
	ReminderDays   int
	RemindersSent  int
	LastReminderOn *string
}

// TableName keeps GORM on the migration's table name.
func (MailSettings) TableName() string { return "mail_settings" }

// Placeholders HR writes in a message; each is replaced when it is sent.
const (
	PlaceholderCampaign = "{campaign}"
	PlaceholderCloses   = "{closes_on}"
	PlaceholderLink     = "{link}"
)

// Reminder limits, so a slip cannot spam the staff.
const (
	MaxReminderRounds = 5
	MaxReminderDays   = 60
)

// DefaultMailSettings is the bilingual message a campaign starts with: it
// says plainly what the link is and what digigap keeps.
func DefaultMailSettings(campaignID int64) MailSettings {
	return MailSettings{CampaignID: campaignID, Subject: defaultSubject, BodyText: defaultText, BodyHTML: defaultHTML, MaxReminders: 2, ReminderDays: 7}
}

const defaultSubject = "Enquête « {campaign} » : votre lien personnel / your personal link"

const defaultText = `Bonjour,

Vous êtes invité(e) à répondre à l'enquête « {campaign} » (5 minutes), jusqu'au {closes_on} :
{link}

Ce lien est personnel et ne sert qu'une fois. Il n'est jamais relié à vos réponses : digigap retient seulement qu'il a servi, pas qui a répondu quoi. Personne aux RH ne connaît votre lien. Votre adresse est effacée dès que vous avez répondu, et toutes les adresses le sont à la clôture.

---

Hello,

You are invited to answer the survey "{campaign}" (5 minutes), until {closes_on}:
{link}

This link is personal and works once. It is never linked to your answers: digigap only records that it was used, not who answered what. Nobody in HR knows your link. Your address is deleted as soon as you have answered, and every address when the survey closes.
`

const defaultHTML = `<p>Bonjour,</p>
<p>Vous êtes invité(e) à répondre à l'enquête « {campaign} » (5 minutes), jusqu'au {closes_on} :</p>
<p><a href="{link}">Répondre à l'enquête</a></p>
<p>Ce lien est personnel et ne sert qu'une fois. Il n'est jamais relié à vos réponses : digigap retient seulement qu'il a servi, pas qui a répondu quoi. Personne aux RH ne connaît votre lien. Votre adresse est effacée dès que vous avez répondu, et toutes les adresses le sont à la clôture.</p>
<hr>
<p>Hello,</p>
<p>You are invited to answer the survey "{campaign}" (5 minutes), until {closes_on}:</p>
<p><a href="{link}">Answer the survey</a></p>
<p>This link is personal and works once. It is never linked to your answers: digigap only records that it was used, not who answered what. Nobody in HR knows your link. Your address is deleted as soon as you have answered, and every address when the survey closes.</p>
`

// Validate checks what HR typed: every part present, the link in both bodies.
func (m *MailSettings) Validate() error {
	var errs FieldErrors
	m.Subject = strings.TrimSpace(m.Subject)
	switch {
	case m.Subject == "" || len(m.Subject) > 200 || strings.ContainsAny(m.Subject, "\r\n"):
		errs.AddKeyed("subject", "mail.subject", "the subject must be one line of 1 to 200 characters")
	case strings.Contains(m.Subject, PlaceholderLink):
		errs.AddKeyed("subject", "mail.subject_link", "the subject must not hold the link")
	}
	for field, body := range map[string]string{"body_text": m.BodyText, "body_html": m.BodyHTML} {
		if !strings.Contains(body, PlaceholderLink) || len(body) > 20000 {
			errs.AddKeyed(field, "mail.body", "the message must hold {link} and stay under 20,000 characters")
		}
	}
	if m.MaxReminders < 0 || m.MaxReminders > MaxReminderRounds {
		errs.AddKeyed("max_reminders", "mail.max_reminders", "reminders must be between 0 and %d", MaxReminderRounds)
	}
	if m.ReminderDays < 1 || m.ReminderDays > MaxReminderDays {
		errs.AddKeyed("reminder_days", "mail.reminder_days", "days between reminders must be between 1 and %d", MaxReminderDays)
	}
	return errs.Err()
}

// Message is one rendered e-mail.
type Message struct{ Subject, Text, HTML string }

// Render fills the placeholders: the HTML body gets escaped values.
func (m *MailSettings) Render(c *Campaign, link string) Message {
	plain := strings.NewReplacer(PlaceholderCampaign, c.Name, PlaceholderCloses, c.ClosesOn, PlaceholderLink, link)
	esc := strings.NewReplacer(PlaceholderCampaign, html.EscapeString(c.Name), PlaceholderCloses, c.ClosesOn, PlaceholderLink, html.EscapeString(link))
	return Message{Subject: plain.Replace(m.Subject), Text: plain.Replace(m.BodyText), HTML: esc.Replace(m.BodyHTML)}
}

// MailSettingsOf returns a campaign's settings, the defaults when HR has
// not saved any.
func (s *Store) MailSettingsOf(ctx context.Context, campaignID int64) (*MailSettings, error) {
	return mailSettingsIn(s.read.WithContext(ctx), campaignID)
}

func mailSettingsIn(db *gorm.DB, campaignID int64) (*MailSettings, error) {
	var m MailSettings
	err := db.Where("campaign_id = ?", campaignID).Limit(1).Find(&m).Error
	if err != nil {
		return nil, storeError(err, "mail settings")
	}
	if m.CampaignID == 0 {
		m = DefaultMailSettings(campaignID)
	}
	return &m, nil
}

func ensureMailSettings(tx *gorm.DB, campaignID int64) error {
	m := DefaultMailSettings(campaignID)
	return tx.Where("campaign_id = ?", campaignID).FirstOrCreate(&m).Error
}

// SaveMailSettings stores HR's message and reminder rules, audited.
func (s *Store) SaveMailSettings(ctx context.Context, in MailSettings) (*MailSettings, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out *MailSettings
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		c, err := campaignIn(tx, in.CampaignID)
		if err != nil {
			return err
		}
		if err := ensureMailSettings(tx, c.ID); err != nil {
			return err
		}
		err = tx.Model(&MailSettings{}).Where("campaign_id = ?", c.ID).Updates(map[string]any{
			"subject": in.Subject, "body_text": in.BodyText, "body_html": in.BodyHTML,
			"max_reminders": in.MaxReminders, "reminder_days": in.ReminderDays,
		}).Error
		if err != nil {
			return err
		}
		if out, err = mailSettingsIn(tx, c.ID); err != nil {
			return err
		}
		return RecordAudit(tx, ctx, AuditMailTemplate, campaignObject(c), Detail("mail_template", "message edited (subject %d, text %d, HTML %d characters); reminders at most %d, %d days apart",
			len(in.Subject), len(in.BodyText), len(in.BodyHTML), in.MaxReminders, in.ReminderDays))
	})
	return out, storeError(err, "mail settings")
}
