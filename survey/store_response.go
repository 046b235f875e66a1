package survey

import (
	"context"
	"sync"

	"gorm.io/gorm"
)

// definitions caches parsed questionnaire versions; they never change once
// stored, so the cache needs no invalidation and holds no shared state.
var definitions sync.Map // questionnaire id → *Definition

// Definition returns the parsed definition of a questionnaire version.
func (s *Store) Definition(ctx context.Context, questionnaireID int64) (*Definition, error) {
	if d, ok := definitions.Load(questionnaireID); ok {
		return d.(*Definition), nil
	}
	q, err := s.Questionnaire(ctx, questionnaireID)
	if err != nil {
		return nil, err
	}
	definitions.Store(questionnaireID, q.Def)
	return q.Def, nil
}

// preparedResponse is a submission checked and encoded, ready to write.
type preparedResponse struct {
	Campaign  *Campaign
	Def       *Definition
	TokenHash string
	Response  Response
	Answers   Answers // normalised, for the counters
}

// prepare checks everything that needs no lock: campaign phase, team,
// answers. The token is checked inside the write transaction.
func (s *Store) prepare(ctx context.Context, sub Submission) (*preparedResponse, error) {
	c, err := s.Campaign(ctx, sub.CampaignID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	switch c.Phase(now) {
	case PhaseDraft, PhaseScheduled:
		return nil, Errorf(ECONFLICT, "this survey is not open yet: it opens on %s", c.OpensOn)
	case PhaseClosed:
		return nil, Errorf(ECONFLICT, "this survey is closed: it closed on %s", c.ClosesOn)
	}
	p := &preparedResponse{Campaign: c}
	switch {
	case sub.Token != "":
		if !c.AllowsInvitations() {
			return nil, FieldError(EINVALID, "token", "this survey is answered through team links only")
		}
		p.TokenHash = HashToken(sub.Token)
	case sub.TeamID != 0:
		if !c.AllowsTeamLinks() {
			return nil, FieldError(EINVALID, "team", "this survey is answered through personal invitations only")
		}
		if !c.Covers(sub.TeamID) {
			return nil, FieldError(EINVALID, "team", "this team is not part of the survey")
		}
		p.Response.TeamID = sub.TeamID
	default:
		return nil, FieldError(EINVALID, "token", "an invitation or a team link is required")
	}
	if p.Def, err = s.Definition(ctx, c.QuestionnaireID); err != nil {
		return nil, err
	}
	if p.Answers, err = p.Def.NormalizeAnswers(sub.Answers); err != nil {
		return nil, err
	}
	codes, comment, err := p.Def.EncodeAnswers(p.Answers)
	if err != nil {
		return nil, err
	}
	p.Response.ID = NewResponseID()
	p.Response.CampaignID = c.ID
	p.Response.Day = now.Format(DateLayout)
	p.Response.Codes, p.Response.Comment = codes, comment
	return p, nil
}

// Submit stores one response in one transaction: the invitation is
// consumed, the response written and the counters updated together, or
// nothing is. It returns the random response id.
func (s *Store) Submit(ctx context.Context, sub Submission) (string, error) {
	p, err := s.prepare(ctx, sub)
	if err != nil {
		return "", err
	}
	if s.writer != nil {
		if err := s.writer.submit(ctx, p); err != nil {
			return "", err
		}
		return p.Response.ID, nil
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return writeResponse(tx, p)
	})
	if err != nil {
		return "", storeError(err, "response")
	}
	return p.Response.ID, nil
}

// writeResponse is the write path of one submission inside tx.
func writeResponse(tx *gorm.DB, p *preparedResponse) error {
	if p.TokenHash != "" {
		if err := consumeInvitation(tx, p); err != nil {
			return err
		}
	}
	if err := tx.Create(&p.Response).Error; err != nil {
		return err
	}
	return addCounters(tx, p)
}

// consumeInvitation marks the invitation used with a conditional update,
// so that of concurrent submissions with one token exactly one wins.
func consumeInvitation(tx *gorm.DB, p *preparedResponse) error {
	res := tx.Model(&Invitation{}).
		Where("token_hash = ? AND campaign_id = ? AND NOT used AND NOT revoked", p.TokenHash, p.Campaign.ID).
		Update("used", true)
	if res.Error != nil {
		return res.Error
	}
	var inv Invitation
	if err := tx.Where("token_hash = ? AND campaign_id = ?", p.TokenHash, p.Campaign.ID).Take(&inv).Error; err != nil {
		return FieldError(ENOTFOUND, "token", "this invitation is not valid for this survey")
	}
	if res.RowsAffected == 0 {
		if inv.Revoked {
			return FieldError(ECONFLICT, "token", "this invitation was replaced by a newer one")
		}
		return FieldError(ECONFLICT, "token", "this invitation has already been used")
	}
	p.Response.TeamID = inv.TeamID
	return nil
}
