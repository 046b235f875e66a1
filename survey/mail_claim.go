package survey

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// MailJob is one claimed message, with what the sender needs to write it.
// Attempt identifies the claim: only the sender holding it may mark the
// message sent, and the relay gets the end of the message only after that.
type MailJob struct {
	OutboxID   int64
	Attempt    int
	Owner      string
	Kind       string
	CampaignID int64
	TeamID     int64
	Email      string
	OldHash    *string // the invitation a reminder replaces
}

// ClaimMail takes up to n due messages for owner, under a lease: queued
// ones, and those whose sender's lease ran out (it stopped without saying
// whether it sent; it cannot have, see MailDelivered). On PostgreSQL
// several instances claim at once without taking the same message.
func (s *Store) ClaimMail(ctx context.Context, owner string, n int, lease time.Duration) ([]MailJob, error) {
	now := secondOf(s.now())
	lock := ""
	if s.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var claimed []struct {
		ID       int64
		Attempts int
	}
	var jobs []MailJob
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Raw(`UPDATE mail_outbox SET state = ?, owner = ?, lease_until = ?, attempts = attempts + 1
			WHERE id IN (SELECT id FROM mail_outbox WHERE (state = ? AND due_at <= ?) OR (state = ? AND lease_until < ?)
			ORDER BY due_at, id LIMIT ?`+lock+`) RETURNING id, attempts`,
			MailSending, owner, now.Add(lease), MailQueued, now, MailSending, now, n).Scan(&claimed).Error
		if err != nil || len(claimed) == 0 {
			return err
		}
		ids := make([]int64, len(claimed))
		attempt := map[int64]int{}
		for i, c := range claimed {
			ids[i], attempt[c.ID] = c.ID, c.Attempts
		}
		return tx.Raw(`SELECT o.id AS outbox_id, o.kind, o.campaign_id, r.team_id, r.email, r.token_hash AS old_hash
			FROM mail_outbox o JOIN mail_recipients r ON r.id = o.recipient_id WHERE o.id IN ? ORDER BY o.id`, ids).
			Scan(&jobs).Error
	})
	if err != nil {
		return nil, storeError(err, "outbox")
	}
	for i := range jobs {
		jobs[i].Owner = owner
		jobs[i].Attempt = attemptOf(claimed, jobs[i].OutboxID)
		if jobs[i].Kind == KindInvitation {
			jobs[i].OldHash = nil
		}
	}
	return jobs, nil
}

func attemptOf(claimed []struct {
	ID       int64
	Attempts int
}, id int64) int {
	for _, c := range claimed {
		if c.ID == id {
			return c.Attempts
		}
	}
	return 0
}

// ReleaseOrphans puts back in the queue the messages a stopped sender left
// claimed. Only for SQLite, where one instance sends: its own previous run
// left them, and it never ended them (see MailDelivered), so none was sent.
func (s *Store) ReleaseOrphans(ctx context.Context) (int, error) {
	if s.dialect != SQLite {
		return 0, nil
	}
	res := s.db.WithContext(ctx).Exec("UPDATE mail_outbox SET state = ?, owner = NULL, lease_until = NULL WHERE state = ?", MailQueued, MailSending)
	return int(res.RowsAffected), storeError(res.Error, "outbox")
}

// MailDelivered records, before the relay gets the end of the message,
// that job is sent with the invitation whose token hash is newHash: the
// invitation is created (and the one a reminder replaces revoked, dated),
// all in one transaction. ErrLeaseLost (or any error) means the sender
// must drop the connection instead of ending the message.
func (s *Store) MailDelivered(ctx context.Context, job MailJob, newHash string) error {
	today := s.Today()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec("UPDATE mail_outbox SET state = ?, lease_until = NULL, error = NULL WHERE id = ? AND state = ? AND owner = ? AND attempts = ?",
			MailSent, job.OutboxID, MailSending, job.Owner, job.Attempt)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrLeaseLost
		}
		var r Recipient
		if err := tx.Raw("SELECT r.* FROM mail_recipients r JOIN mail_outbox o ON o.recipient_id = r.id WHERE o.id = ?", job.OutboxID).Scan(&r).Error; err != nil {
			return err
		}
		if r.ID == 0 || !sameHash(r.TokenHash, job.OldHash) {
			return ErrLeaseLost
		}
		if r.TokenHash != nil {
			res := tx.Exec("UPDATE invitations SET revoked = TRUE, replaced_on = ? WHERE token_hash = ? AND NOT used AND NOT revoked", today, *r.TokenHash)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected != 1 {
				return ErrLeaseLost // answered (or replaced) meanwhile
			}
		}
		err := tx.Exec("INSERT INTO invitations (token_hash, campaign_id, team_id, used, revoked, mailed) VALUES (?, ?, ?, FALSE, FALSE, TRUE)",
			newHash, r.CampaignID, r.TeamID).Error
		if err != nil {
			return err
		}
		return tx.Model(&Recipient{}).Where("id = ?", r.ID).Updates(map[string]any{"token_hash": newHash, "failed": false}).Error
	})
	return storeError(err, "outbox")
}

func sameHash(a, b *string) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// MailUndo takes back a MailDelivered whose message the relay then
// refused: the new invitation is deleted, the replaced one valid again,
// and the message retried at retryAt or, when permanent, failed.
func (s *Store) MailUndo(ctx context.Context, job MailJob, newHash, code string, permanent bool, retryAt time.Time) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM invitations WHERE token_hash = ? AND NOT used", newHash).Error; err != nil {
			return err
		}
		if job.OldHash != nil {
			if err := tx.Exec("UPDATE invitations SET revoked = FALSE, replaced_on = NULL WHERE token_hash = ? AND NOT used", *job.OldHash).Error; err != nil {
				return err
			}
		}
		if err := tx.Exec("UPDATE mail_recipients SET token_hash = ? WHERE token_hash = ?", job.OldHash, newHash).Error; err != nil {
			return err
		}
		return refuse(tx, job, code, permanent, retryAt, MailSent)
	})
	return storeError(err, "outbox")
}

// MailRefused records a refusal before the message was written (address
// refused, relay unreachable): retried at retryAt, or failed when permanent.
func (s *Store) MailRefused(ctx context.Context, job MailJob, code string, permanent bool, retryAt time.Time) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return refuse(tx, job, code, permanent, retryAt, MailSending)
	})
	return storeError(err, "outbox")
}

// refuse stores the relay's status code only: its text may name the address.
func refuse(tx *gorm.DB, job MailJob, code string, permanent bool, retryAt time.Time, from string) error {
	state := MailQueued
	if permanent {
		state = MailFailed
	}
	res := tx.Exec("UPDATE mail_outbox SET state = ?, due_at = ?, lease_until = NULL, owner = NULL, error = ? WHERE id = ? AND state = ? AND attempts = ?",
		state, secondOf(retryAt), clip(code, 40), job.OutboxID, from, job.Attempt)
	if res.Error != nil || res.RowsAffected != 1 || !permanent {
		return res.Error
	}
	return tx.Exec("UPDATE mail_recipients SET failed = TRUE WHERE id = (SELECT recipient_id FROM mail_outbox WHERE id = ?)", job.OutboxID).Error
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
