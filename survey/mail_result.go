package survey

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// MailSent records that the relay accepted job's message: the sealed
// token is erased, so from now on only the recipient holds the link. Any
// claim's delivery counts (a sender whose lease ran out sent the same
// message as the one that took it over); a message already recorded sent
// stays so. A crash before this call leaves the message to be sent again,
// identical, by the next claim.
func (s *Store) MailSent(ctx context.Context, job MailJob) error {
	err := s.db.WithContext(ctx).Exec(`UPDATE mail_outbox SET state = ?, token_box = NULL, lease_until = NULL, error = NULL
		WHERE id = ? AND token_hash = ? AND state IN (?, ?)`, MailSent, job.OutboxID, job.TokenHash, MailQueued, MailSending).Error
	return storeError(err, "outbox")
}

// MailRetry puts job's message back in the queue until retryAt after a
// temporary refusal or a broken connection, keeping it prepared: the next
// attempt sends the same link. Only the claim that holds the message may.
func (s *Store) MailRetry(ctx context.Context, job MailJob, code string, retryAt time.Time) error {
	err := s.db.WithContext(ctx).Exec(`UPDATE mail_outbox SET state = ?, due_at = ?, lease_until = NULL, owner = NULL, error = ?
		WHERE id = ? AND state = ? AND attempts = ?`, MailQueued, secondOf(retryAt), clip(code, 40), job.OutboxID, MailSending, job.Attempt).Error
	return storeError(err, "outbox")
}

// MailFailed records a refusal for good (5xx, or too many temporary
// ones): the message's unused invitation is deleted, the one a reminder
// replaced is valid again, and the address is counted failed. Only the
// relay's status code is kept: its text may name the address.
func (s *Store) MailFailed(ctx context.Context, job MailJob, code string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var o struct {
			RecipientID  int64
			ReplacesHash *string
		}
		if err := tx.Raw("SELECT recipient_id, replaces_hash FROM mail_outbox WHERE id = ?", job.OutboxID).Scan(&o).Error; err != nil {
			return err
		}
		res := tx.Exec(`UPDATE mail_outbox SET state = ?, token_box = NULL, lease_until = NULL, owner = NULL, error = ?
			WHERE id = ? AND state = ? AND attempts = ?`, MailFailed, clip(code, 40), job.OutboxID, MailSending, job.Attempt)
		if res.Error != nil || res.RowsAffected != 1 {
			return res.Error
		}
		if err := tx.Exec("DELETE FROM invitations WHERE token_hash = ? AND NOT used", job.TokenHash).Error; err != nil {
			return err
		}
		if o.ReplacesHash != nil {
			if err := tx.Exec("UPDATE invitations SET revoked = FALSE, replaced_on = NULL WHERE token_hash = ? AND NOT used", *o.ReplacesHash).Error; err != nil {
				return err
			}
		}
		return tx.Exec("UPDATE mail_recipients SET token_hash = ?, failed = TRUE WHERE id = ? AND token_hash = ?", o.ReplacesHash, o.RecipientID, job.TokenHash).Error
	})
	return storeError(err, "outbox")
}

// SweepMail forgets what must not stay: the addresses of closed campaigns
// (closed by HR or by date) and, should a consumption have missed it, of
// used invitations. It returns how many addresses were deleted.
func (s *Store) SweepMail(ctx context.Context) (int, error) {
	n := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ids []int64
		err := tx.Raw(`SELECT DISTINCT c.id FROM campaigns c JOIN mail_recipients r ON r.campaign_id = c.id
			WHERE c.state = ? OR c.closes_on < ?`, StateClosed, s.Today()).Scan(&ids).Error
		if err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := forgetCampaignRecipients(tx, id); err != nil {
				return err
			}
		}
		res := tx.Exec("DELETE FROM mail_recipients WHERE token_hash IN (SELECT token_hash FROM invitations WHERE used)")
		n = len(ids) + int(res.RowsAffected)
		return res.Error
	})
	if err == nil && n > 0 {
		s.truncateWAL(ctx)
	}
	return n, storeError(err, "mail sweep")
}
