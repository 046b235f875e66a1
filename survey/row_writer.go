package survey

import (
	"database/sql"

	"gorm.io/gorm"
)

// rowWriter writes submissions inside one transaction. It reads each
// campaign's state once per transaction and runs the two hot statements
// prepared once on GORM's own connection, so a batch of hundreds of answers
// compiles each SQL text once rather than once per answer.
type rowWriter struct {
	tx              *gorm.DB
	states          map[int64]*Campaign
	consume, insert *sql.Stmt
}

const (
	consumeSQL = "UPDATE invitations SET used = TRUE WHERE token_hash = $1 AND campaign_id = $2 AND NOT used AND NOT revoked RETURNING team_id"
)

func newRowWriter(tx *gorm.DB) (*rowWriter, error) {
	w := &rowWriter{tx: tx, states: map[int64]*Campaign{}}
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return w, nil // not inside a transaction: plain GORM calls below
	}
	var err error
	ctx := tx.Statement.Context
	if w.consume, err = sqlTx.PrepareContext(ctx, consumeSQL); err != nil {
		return nil, err
	}
	if w.insert, err = sqlTx.PrepareContext(ctx, pendingInsertSQL); err != nil {
		w.close()
		return nil, err
	}
	return w, nil
}

func (w *rowWriter) close() {
	for _, st := range []*sql.Stmt{w.consume, w.insert} {
		if st != nil {
			st.Close()
		}
	}
}

// write consumes the invitation and puts the sealed answer in the mixing
// stage. Every refusal (campaign closed meanwhile, token used or unknown)
// happens before its first write, so a refused submission leaves the
// transaction clean and its batch neighbours need no savepoint.
func (w *rowWriter) write(p *preparedResponse) error {
	if err := w.checkStillOpen(p); err != nil {
		return err
	}
	if p.TokenHash != "" {
		if err := w.consumeInvitation(p); err != nil {
			return err
		}
	}
	if p.ViaTeamLink {
		if err := claimTeamLinkAnswer(w.tx, p.Campaign.ID, p.Response.TeamID); err != nil {
			return err
		}
	}
	if w.insert == nil {
		return w.tx.Exec(pendingInsertSQL, p.Campaign.ID, p.PendingID, p.Sealed).Error
	}
	_, err := w.insert.ExecContext(w.tx.Statement.Context, p.Campaign.ID, p.PendingID, p.Sealed)
	return err
}

// checkStillOpen re-reads the campaign's state inside the transaction:
// prepare may have used a cached copy, HR may have closed it since, or
// midnight may have passed on its closing day. An answer let in after the
// closing flush would wait alone in the stage and leave it alone, tied to
// its invitation. On PostgreSQL the read is FOR SHARE: HR's closing (an
// UPDATE of the row) and the mixer's last flush (FOR UPDATE, flushTx)
// wait for this transaction, or this one waits for them and sees the
// campaign closed. SQLite's one writer serialises all three anyway.
func (w *rowWriter) checkStillOpen(p *preparedResponse) error {
	c := w.states[p.Campaign.ID]
	if c == nil {
		c = &Campaign{}
		q := "SELECT state, opens_on, closes_on FROM campaigns WHERE id = ?"
		if w.tx.Dialector.Name() == "postgres" {
			q += " FOR SHARE"
		}
		if err := w.tx.Raw(q, p.Campaign.ID).Scan(c).Error; err != nil {
			return err
		}
		w.states[p.Campaign.ID] = c
	}
	day := p.Response.Day
	if p.today != nil {
		day = p.today()
	}
	if c.Phase(day) != PhaseOpen {
		return Errorf(ECONFLICT, "this survey is closed: it closed on %s", p.Campaign.ClosesOn)
	}
	return nil
}

// consumeInvitation marks the invitation used with a conditional update,
// so that of concurrent submissions with one token exactly one wins.
func (w *rowWriter) consumeInvitation(p *preparedResponse) error {
	var team int64
	var err error
	if w.consume == nil {
		err = w.tx.Raw(consumeSQL, p.TokenHash, p.Campaign.ID).Row().Scan(&team)
	} else {
		err = w.consume.QueryRowContext(w.tx.Statement.Context, p.TokenHash, p.Campaign.ID).Scan(&team)
	}
	switch {
	case err == nil:
		p.Response.TeamID = team
		return forgetRecipient(w.tx, p.TokenHash) // mail: the address goes with the invitation
	case err != sql.ErrNoRows:
		return err
	}
	return w.tokenRefusal(p)
}

// tokenRefusal says why p's invitation was not consumed: unknown,
// replaced (dated when a reminder replaced it, as when the page opens) or
// already used. A failed read is returned as it is, not as a refusal.
func (w *rowWriter) tokenRefusal(p *preparedResponse) error {
	var inv []struct {
		Revoked    bool
		ReplacedOn *string
	}
	if err := w.tx.Raw("SELECT revoked, replaced_on FROM invitations WHERE token_hash = ? AND campaign_id = ?", p.TokenHash, p.Campaign.ID).Scan(&inv).Error; err != nil {
		return err
	}
	switch {
	case len(inv) == 0:
		return FieldError(ENOTFOUND, "token", "this invitation is not valid for this survey")
	case inv[0].Revoked:
		return replacedOn(inv[0].ReplacedOn)
	}
	return errInvitationUsed()
}
