package survey

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Outbox states and kinds. A message is queued, claimed by one sender
// (sending, under a lease), then sent or failed; a temporary refusal puts
// it back in the queue with a later due time.
const (
	MailQueued  = "queued"
	MailSending = "sending"
	MailSent    = "sent"
	MailFailed  = "failed"

	KindInvitation = "invitation"
	KindReminder   = "reminder"
)

// OutboxEntry is one message to send: which recipient, and once prepared
// the hash of the token it carries (the token itself only sealed, and only
// until the relay accepts the message; see ClaimMail).
type OutboxEntry struct {
	ID          int64 `gorm:"primaryKey"`
	CampaignID  int64
	RecipientID int64
	Kind        string
	State       string
	Attempts    int
	DueAt       time.Time
	LeaseUntil  *time.Time
	Owner       *string
	Error       *string
}

// TableName keeps GORM on the migration's table name.
func (OutboxEntry) TableName() string { return "mail_outbox" }

// MailCounts are what the console shows of a campaign's mailing: counts
// only, never an address.
type MailCounts struct {
	Listed    int // addresses kept (not answered yet)
	ToSend    int // messages waiting in the outbox
	Sent      int // recipients whose invitation reached the relay
	Failed    int // addresses the relay refused for good
	Answered  int // mailed invitations that were used
	Reminders int // reminder rounds sent
	// NextReminder is the first day another round may go (empty: none left).
	NextReminder string
}

// secondOf keeps stored times to the second, so that SQLite compares them as text.
func secondOf(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// QueueInvitations queues one invitation for every listed address that
// has none yet; it returns how many were queued.
func (s *Store) QueueInvitations(ctx context.Context, campaignID int64) (int, error) {
	n := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		c, err := openForMail(tx, campaignID, s.Today())
		if err != nil {
			return err
		}
		res := tx.Exec(`INSERT INTO mail_outbox (campaign_id, recipient_id, kind, state, attempts, due_at)
			SELECT r.campaign_id, r.id, ?, ?, 0, ? FROM mail_recipients r
			WHERE r.campaign_id = ? AND r.token_hash IS NULL AND NOT r.failed
			AND NOT EXISTS (SELECT 1 FROM mail_outbox o WHERE o.recipient_id = r.id)`,
			KindInvitation, MailQueued, secondOf(s.now()), c.ID)
		if res.Error != nil {
			return res.Error
		}
		n = int(res.RowsAffected)
		if n == 0 {
			return FieldError(ECONFLICT, "recipients", "every listed address already has its invitation: upload new addresses first").Keyed("mail.nothing_to_send")
		}
		return RecordAudit(tx, ctx, AuditMailQueued, campaignObject(c), Detail("mail_queued", "%d invitations queued", n))
	})
	return n, storeError(err, "invitations")
}

// Remind queues one reminder, with a new link, for every address whose
// invitation has not been used, within the campaign's reminder rules.
func (s *Store) Remind(ctx context.Context, campaignID int64) (int, error) {
	n := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		c, err := openForMail(tx, campaignID, s.Today())
		if err != nil {
			return err
		}
		m, err := mailSettingsIn(tx, c.ID)
		if err != nil {
			return err
		}
		if next := nextReminder(m, c); next == "" || next > s.Today() {
			if next == "" {
				return Errorf(ECONFLICT, "all %d reminders of this campaign were sent", m.MaxReminders).Keyed("mail.no_reminder_left", m.MaxReminders)
			}
			return Errorf(ECONFLICT, "the next reminder can be sent from %s", next).Keyed("mail.reminder_too_soon", next)
		}
		res := tx.Exec(`INSERT INTO mail_outbox (campaign_id, recipient_id, kind, state, attempts, due_at)
			SELECT r.campaign_id, r.id, ?, ?, 0, ? FROM mail_recipients r
			WHERE r.campaign_id = ? AND r.token_hash IS NOT NULL AND NOT r.failed
			AND NOT EXISTS (SELECT 1 FROM mail_outbox o WHERE o.recipient_id = r.id AND o.state IN (?, ?))`,
			KindReminder, MailQueued, secondOf(s.now()), c.ID, MailQueued, MailSending)
		if res.Error != nil {
			return res.Error
		}
		if n = int(res.RowsAffected); n == 0 {
			return Errorf(ECONFLICT, "nobody to remind: every invited address has answered or is still waiting for its invitation").Keyed("mail.nobody_to_remind")
		}
		if err := ensureMailSettings(tx, c.ID); err != nil {
			return err
		}
		err = tx.Model(&MailSettings{}).Where("campaign_id = ?", c.ID).Updates(map[string]any{
			"reminders_sent": gorm.Expr("reminders_sent + 1"), "last_reminder_on": s.Today()}).Error
		if err != nil {
			return err
		}
		return RecordAudit(tx, ctx, AuditMailReminded, campaignObject(c), Detail("reminders_queued", "reminder %d of %d: %d queued", m.RemindersSent+1, m.MaxReminders, n))
	})
	return n, storeError(err, "reminders")
}

// nextReminder is the first day the next round may go, "" when none is left.
func nextReminder(m *MailSettings, c *Campaign) string {
	if m.RemindersSent >= m.MaxReminders {
		return ""
	}
	if m.LastReminderOn == nil {
		return c.OpensOn
	}
	d, err := time.Parse(time.DateOnly, *m.LastReminderOn)
	if err != nil {
		return ""
	}
	return d.AddDate(0, 0, m.ReminderDays).Format(time.DateOnly)
}

func openForMail(tx *gorm.DB, campaignID int64, today string) (*Campaign, error) {
	c, err := campaignIn(tx, campaignID)
	if err != nil {
		return nil, err
	}
	if err := canInvite(c, today); err != nil {
		return nil, err
	}
	if c.Phase(today) != PhaseOpen {
		return nil, Errorf(ECONFLICT, "campaign %q is not open: invitations are mailed while it takes answers", c.Name).Keyed("mail.not_open")
	}
	return c, nil
}

// MailCountsOf counts a campaign's mailing for the console.
func (s *Store) MailCountsOf(ctx context.Context, campaignID int64) (*MailCounts, error) {
	db := s.read.WithContext(ctx)
	var mc MailCounts
	var listed, sent, failed int64
	var toSend, answered int64
	steps := []*gorm.DB{
		db.Model(&Recipient{}).Where("campaign_id = ?", campaignID).Count(&listed),
		// An invitation still in the outbox is prepared, not sent.
		db.Model(&Recipient{}).Where(`campaign_id = ? AND token_hash IS NOT NULL AND NOT EXISTS (SELECT 1 FROM mail_outbox o
			WHERE o.recipient_id = mail_recipients.id AND o.kind = ? AND o.state IN ?)`, campaignID, KindInvitation, []string{MailQueued, MailSending}).Count(&sent),
		db.Model(&Recipient{}).Where("campaign_id = ? AND failed", campaignID).Count(&failed),
		db.Model(&OutboxEntry{}).Where("campaign_id = ? AND state IN ?", campaignID, []string{MailQueued, MailSending}).Count(&toSend),
		db.Model(&Invitation{}).Where("campaign_id = ? AND used AND mailed", campaignID).Count(&answered),
	}
	for _, q := range steps {
		if q.Error != nil {
			return nil, storeError(q.Error, "mail counts")
		}
	}
	c, err := campaignIn(db, campaignID)
	if err != nil {
		return nil, err
	}
	m, err := mailSettingsIn(db, campaignID)
	if err != nil {
		return nil, err
	}
	mc = MailCounts{Listed: int(listed), ToSend: int(toSend), Sent: int(sent + answered), Failed: int(failed),
		Answered: int(answered), Reminders: m.RemindersSent, NextReminder: nextReminder(m, c)}
	return &mc, nil
}
