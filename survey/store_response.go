package survey

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"
)

// Definition returns the parsed definition of a questionnaire version,
// cached: a stored version never changes, so the cache needs no
// invalidation and holds nothing another instance would need.
func (s *Store) Definition(ctx context.Context, questionnaireID int64) (*Definition, error) {
	if d, ok := s.caches.definitions.Load(questionnaireID); ok {
		return d.(*Definition), nil
	}
	q, err := s.Questionnaire(ctx, questionnaireID)
	if err != nil {
		return nil, err
	}
	s.caches.definitions.Store(questionnaireID, q.Def)
	return q.Def, nil
}

// preparedResponse is a submission checked and encoded, ready to write.
type preparedResponse struct {
	Campaign  *Campaign
	Def       *Definition
	TokenHash string
	Response  Response
	Answers   Answers   // normalised, for the counters
	Submitted time.Time // when prepare accepted it, by the store's clock
	PendingID string    // its row in the mixing stage, unrelated to Response.ID
	Sealed    []byte    // the answer as the mixing stage stores it

	// ViaTeamLink: the answer came through a team link, which stops at
	// the team's headcount (claimTeamLinkAnswer).
	ViaTeamLink bool

	// today is the day by the clock of the store that prepared it: the
	// write transaction checks the campaign is still open on the day it
	// commits, not only on the day it was prepared (checkStillOpen).
	today func() string
}

// prepare checks everything that needs no lock: campaign phase, team,
// answers. The token is checked inside the write transaction.
func (s *Store) prepare(ctx context.Context, sub Submission) (*preparedResponse, error) {
	c, err := s.submitCampaign(ctx, sub.CampaignID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	today := s.DayOf(now)
	switch c.Phase(today) {
	case PhaseDraft, PhaseScheduled:
		return nil, Errorf(ECONFLICT, "this survey is not open yet: it opens on %s", c.OpensOn)
	case PhaseClosed:
		return nil, Errorf(ECONFLICT, "this survey is closed: it closed on %s", c.ClosesOn)
	}
	p := &preparedResponse{Campaign: c, Submitted: now, today: s.Today}
	if err := s.resolveAccess(ctx, sub, p); err != nil {
		return nil, err
	}
	if p.Def, err = s.Definition(ctx, c.QuestionnaireID); err != nil {
		return nil, err
	}
	if p.Answers, err = p.Def.NormalizeAnswers(sub.Answers); err != nil {
		return nil, err
	}
	codes, comment, err := p.Def.encodeNormalized(p.Answers)
	if err != nil {
		return nil, err
	}
	p.Response.ID = NewResponseID()
	p.Response.CampaignID = c.ID
	p.Response.Day = today
	p.Response.Codes, p.Response.Comment = codes, comment
	// Sealed here, off the writer's path; an invitation's team is read
	// from the invitation when the answer leaves the mixing stage.
	p.PendingID = s.stage.next()
	a := &pendingAnswer{ID: p.PendingID, Response: p.Response, TokenHash: p.TokenHash}
	p.Sealed = seal(s.mix, a, sealedSize(p.Def))
	return p, nil
}

// resolveAccess checks how the respondent came: a personal invitation
// (its token is consumed later, inside the write transaction) or an open
// team link of this campaign.
func (s *Store) resolveAccess(ctx context.Context, sub Submission, p *preparedResponse) error {
	c := p.Campaign
	if sub.Token != "" && (sub.TeamLink != "" || sub.TeamID != 0) {
		return FieldError(EINVALID, "token", "give either an invitation or a team link, not both")
	}
	switch {
	case sub.Token != "":
		if !c.AllowsInvitations() {
			return FieldError(EINVALID, "token", "this survey is answered through team links only")
		}
		if len(sub.Token) > 100 {
			return FieldError(ENOTFOUND, "token", "this invitation is not valid for this survey")
		}
		p.TokenHash = HashToken(sub.Token)
		return nil
	case sub.TeamLink != "":
		l, err := s.TeamLinkByKey(ctx, sub.TeamLink)
		if err != nil {
			return err
		}
		if l.CampaignID != c.ID {
			return FieldError(ENOTFOUND, "team_link", "this team link is not valid for this survey")
		}
		sub.TeamID = l.TeamID
		p.ViaTeamLink = true
	case sub.TeamID == 0:
		return FieldError(EINVALID, "token", "an invitation or a team link is required")
	}
	if !c.AllowsTeamLinks() {
		return FieldError(EINVALID, "team_link", "this survey is answered through personal invitations only")
	}
	if !c.Covers(sub.TeamID) {
		return FieldError(EINVALID, "team_link", "this team is not part of the survey")
	}
	p.Response.TeamID = sub.TeamID
	return nil
}

// Submit stores one response in one transaction: the invitation is
// consumed and the sealed answer put in the mixing stage together, or
// nothing is. A flush later moves it to responses and the counters (see
// mixer.go). It returns the random response id.
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
	// Without a writer (tests, demo data) the flush runs here; the answer
	// is committed whatever it does.
	if _, err := s.flush(ctx, p.Campaign, p.Def); err != nil {
		slog.Error("mixing stage: flush failed", "err", err)
	}
	return p.Response.ID, nil
}

// writeResponse is the write path of one submission inside tx: the
// invitation consumed, the sealed answer in the mixing stage.
func writeResponse(tx *gorm.DB, p *preparedResponse) error {
	rows, err := newRowWriter(tx)
	if err != nil {
		return err
	}
	defer rows.close()
	return rows.write(p)
}
