package survey

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"
)

// MailJob is one claimed message, prepared: its invitation exists and the
// token, Message-ID key and date are the same at every attempt, so a
// message sent again after a crash is the same message, never a second
// link. Attempt identifies the claim.
type MailJob struct {
	OutboxID   int64
	Attempt    int
	Owner      string
	Kind       string
	CampaignID int64
	TeamID     int64
	Email      string
	Token      string    // the personal link's token, opened from the sealed box
	TokenHash  string    // its hash: the invitation this message carries
	MessageKey string    // random, the left part of the Message-ID
	PreparedAt time.Time // the message's Date
}

// outboxRow is what a claim reads of a message and its recipient.
type outboxRow struct {
	ID           int64
	Kind         string
	CampaignID   int64
	RecipientID  int64
	TeamID       int64
	Email        string
	CurrentHash  *string // the recipient's invitation now
	TokenHash    *string // set once the message is prepared
	ReplacesHash *string
	TokenBox     []byte
	MessageID    *string
	PreparedAt   *time.Time
}

// ClaimMail takes up to n due messages for owner, under a lease: queued
// ones, and those whose sender's lease ran out (it stopped without saying
// whether the relay took the message). On PostgreSQL several instances
// claim at once without taking the same message. A message claimed for
// the first time is prepared in the same transaction (see prepareMail); one
// claimed again keeps its token, Message-ID and date.
func (s *Store) ClaimMail(ctx context.Context, owner string, n int, lease time.Duration) ([]MailJob, error) {
	now := secondOf(s.now())
	lock := ""
	if s.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var jobs []MailJob
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		jobs = nil
		var claimed []struct {
			ID       int64
			Attempts int
		}
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
		var rows []outboxRow
		err = tx.Raw(`SELECT o.id, o.kind, o.campaign_id, o.recipient_id, r.team_id, r.email, r.token_hash AS current_hash,
			o.token_hash, o.replaces_hash, o.token_box, o.message_id, o.prepared_at
			FROM mail_outbox o JOIN mail_recipients r ON r.id = o.recipient_id WHERE o.id IN ? ORDER BY o.id`, ids).
			Scan(&rows).Error
		if err != nil {
			return err
		}
		for _, r := range rows {
			job := MailJob{OutboxID: r.ID, Attempt: attempt[r.ID], Owner: owner, Kind: r.Kind, CampaignID: r.CampaignID, TeamID: r.TeamID, Email: r.Email}
			ok, err := s.prepared(tx, r, &job)
			if err != nil {
				return err
			}
			if ok {
				jobs = append(jobs, job)
			}
		}
		return nil
	})
	if err != nil {
		return nil, storeError(err, "outbox")
	}
	return jobs, nil
}

// prepared fills job from a message prepared by an earlier claim, or
// prepares it. It reports false when there is nothing to send: the
// invitation a reminder would replace was used (the address is deleted,
// and the message with it).
func (s *Store) prepared(tx *gorm.DB, r outboxRow, job *MailJob) (bool, error) {
	if r.TokenHash != nil && r.MessageID != nil && r.PreparedAt != nil {
		if token, err := openToken(s.mix, r.ID, r.TokenBox); err == nil && HashToken(token) == *r.TokenHash {
			job.Token, job.TokenHash, job.MessageKey, job.PreparedAt = token, *r.TokenHash, *r.MessageID, r.PreparedAt.UTC()
			return true, nil
		}
	}
	return s.prepareMail(tx, r, job)
}

// prepareMail makes the message's invitation before the relay is reached: a
// new token whose hash is stored, the invitation a reminder replaces
// revoked and dated, the recipient pointed at the new one (so that using
// the link deletes the address, and the message, even if the sender never
// learnt the relay took it). The clear token is kept only sealed with the
// mixing key, until the relay accepts the message. A message prepared
// before whose box cannot be opened (another mixing key) is prepared
// again: its unused invitation is deleted, so one link at most works.
func (s *Store) prepareMail(tx *gorm.DB, r outboxRow, job *MailJob) (bool, error) {
	old := r.CurrentHash
	for _, hash := range []*string{r.TokenHash, r.CurrentHash} {
		if busy, err := s.answerHolds(tx, hash); err != nil || busy {
			if err == nil {
				err = s.requeue(tx, r.ID)
			}
			return false, err
		}
	}
	if r.TokenHash != nil {
		if err := tx.Exec("DELETE FROM invitations WHERE token_hash = ? AND NOT used", *r.TokenHash).Error; err != nil {
			return false, err
		}
		old = r.ReplacesHash // already revoked by the first preparation
	} else if old != nil {
		var used []bool
		if err := tx.Raw("SELECT used FROM invitations WHERE token_hash = ?", *old).Scan(&used).Error; err != nil {
			return false, err
		}
		if len(used) == 1 && used[0] {
			return false, tx.Exec("DELETE FROM mail_recipients WHERE id = ?", r.RecipientID).Error
		}
		err := tx.Exec("UPDATE invitations SET revoked = TRUE, replaced_on = ? WHERE token_hash = ? AND NOT used AND NOT revoked", s.Today(), *old).Error
		if err != nil {
			return false, err
		}
	}
	token := NewToken()
	hash := HashToken(token)
	at := secondOf(s.now())
	key := randomHex(16)
	err := tx.Exec("INSERT INTO invitations (token_hash, campaign_id, team_id, used, revoked, mailed) VALUES (?, ?, ?, FALSE, FALSE, TRUE)",
		hash, r.CampaignID, r.TeamID).Error
	if err != nil {
		return false, err
	}
	if err := tx.Exec("UPDATE mail_recipients SET token_hash = ?, failed = FALSE WHERE id = ?", hash, r.RecipientID).Error; err != nil {
		return false, err
	}
	err = tx.Exec("UPDATE mail_outbox SET token_hash = ?, replaces_hash = ?, token_box = ?, message_id = ?, prepared_at = ? WHERE id = ?",
		hash, old, sealToken(s.mix, r.ID, token), key, at, r.ID).Error
	if err != nil {
		return false, err
	}
	job.Token, job.TokenHash, job.MessageKey, job.PreparedAt = token, hash, key, at
	return true, nil
}

// answerHolds takes, on PostgreSQL, the invitation a message is about to
// revoke or delete, and says whether an answer being written holds it. That
// answer will delete the address, and this message with it, while this
// claim holds the message: waiting for the invitation would deadlock.
// SQLite's one writer never meets another.
func (s *Store) answerHolds(tx *gorm.DB, hash *string) (bool, error) {
	if s.dialect != Postgres || hash == nil {
		return false, nil
	}
	var rows []struct {
		TokenHash string
		Locked    bool
	}
	err := tx.Raw(`SELECT i.token_hash, l.token_hash IS NULL AS locked FROM invitations i
		LEFT JOIN (SELECT token_hash FROM invitations WHERE token_hash = ? FOR UPDATE SKIP LOCKED) l ON l.token_hash = i.token_hash
		WHERE i.token_hash = ?`, *hash, *hash).Scan(&rows).Error
	return len(rows) == 1 && rows[0].Locked, err
}

// requeue puts a claimed message back in the queue, to be claimed again in
// a few seconds, as if this claim had not happened.
func (s *Store) requeue(tx *gorm.DB, outboxID int64) error {
	return tx.Exec("UPDATE mail_outbox SET state = ?, attempts = attempts - 1, due_at = ? WHERE id = ?",
		MailQueued, secondOf(s.now()).Add(5*time.Second), outboxID).Error
}

// sealToken encrypts a token for one outbox row: the key is outside the
// database, so a copy of it cannot open the links of messages in flight.
func sealToken(aead cipher.AEAD, outboxID int64, token string) []byte {
	out := make([]byte, aead.NonceSize(), aead.NonceSize()+len(token)+aead.Overhead())
	_, _ = rand.Read(out)
	return aead.Seal(out, out, []byte(token), tokenAAD(outboxID))
}

func openToken(aead cipher.AEAD, outboxID int64, box []byte) (string, error) {
	ns := aead.NonceSize()
	if len(box) < ns {
		return "", errors.New("no sealed token")
	}
	plain, err := aead.Open(nil, box[:ns], box[ns:], tokenAAD(outboxID))
	return string(plain), err
}

// tokenAAD binds a sealed token to its outbox row.
func tokenAAD(outboxID int64) []byte {
	return binary.BigEndian.AppendUint64([]byte("digigap mail token "), uint64(outboxID))
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ReleaseOrphans puts back in the queue the messages a stopped sender left
// claimed. Only for SQLite, where one instance sends: its own previous
// run left them. The relay may have taken some of them; they go again
// unchanged (same link, Message-ID and date), and a message whose link
// was used meanwhile went with its address.
func (s *Store) ReleaseOrphans(ctx context.Context) (int, error) {
	if s.dialect != SQLite {
		return 0, nil
	}
	res := s.db.WithContext(ctx).Exec("UPDATE mail_outbox SET state = ?, owner = NULL, lease_until = NULL WHERE state = ?", MailQueued, MailSending)
	return int(res.RowsAffected), storeError(res.Error, "outbox")
}
