package survey

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// Questionnaire is one stored version of a questionnaire definition.
// Campaigns refer to a version, so a new version never changes a past wave.
type Questionnaire struct {
	ID         int64       `json:"id" gorm:"primaryKey"`
	Key        string      `json:"key"`
	Version    int         `json:"version"`
	Definition string      `json:"-"`
	IsCurrent  bool        `json:"is_current"`
	CreatedAt  time.Time   `json:"created_at"`
	Def        *Definition `json:"definition,omitempty" gorm:"-"`
}

// parse fills Def from the stored JSON.
func (q *Questionnaire) parse() error {
	q.Def = &Definition{}
	return json.Unmarshal([]byte(q.Definition), q.Def)
}

// SaveQuestionnaire stores a validated definition as a new version; a
// key+version that exists already is a conflict. The first version stored
// becomes current.
func (s *Store) SaveQuestionnaire(ctx context.Context, def *Definition, makeCurrent bool) (*Questionnaire, error) {
	if err := def.Validate(); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(def)
	if err != nil {
		return nil, err
	}
	q := &Questionnaire{Key: def.Key, Version: def.Version, Definition: string(raw), Def: def}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Questionnaire{}).Count(&n).Error; err != nil {
			return err
		}
		q.IsCurrent = makeCurrent || n == 0
		if q.IsCurrent {
			if err := tx.Model(&Questionnaire{}).Where("is_current").Update("is_current", false).Error; err != nil {
				return err
			}
		}
		if err := tx.Create(q).Error; err != nil {
			return err
		}
		return RecordAudit(tx, ctx, AuditQuestionnaireAdded, "questionnaire "+itoa(int(q.ID)), Detail("questionnaire", "%s version %d", def.Key, def.Version))
	})
	if ErrorCode(storeError(err, "")) == ECONFLICT {
		return nil, FieldError(ECONFLICT, "version", "questionnaire %s version %d already exists: raise the version", def.Key, def.Version)
	}
	return q, storeError(err, "questionnaire")
}

// EnsureDefaultQuestionnaire stores the embedded default on first start.
func (s *Store) EnsureDefaultQuestionnaire(ctx context.Context) (*Questionnaire, error) {
	def := DefaultDefinition()
	var q Questionnaire
	err := s.db.WithContext(ctx).Where("key = ? AND version = ?", def.Key, def.Version).Take(&q).Error
	if err == nil {
		return &q, q.parse()
	}
	if ErrorCode(storeError(err, "")) != ENOTFOUND {
		return nil, storeError(err, "questionnaire")
	}
	return s.SaveQuestionnaire(ctx, def, false)
}

// Questionnaires lists the stored versions, newest first.
func (s *Store) Questionnaires(ctx context.Context) ([]Questionnaire, error) {
	var qs []Questionnaire
	err := s.read.WithContext(ctx).Order("key, version DESC").Find(&qs).Error
	return qs, storeError(err, "questionnaires")
}

// Questionnaire returns one version with its parsed definition.
func (s *Store) Questionnaire(ctx context.Context, id int64) (*Questionnaire, error) {
	var q Questionnaire
	if err := s.read.WithContext(ctx).Take(&q, id).Error; err != nil {
		return nil, storeError(err, "questionnaire")
	}
	return &q, q.parse()
}

// SetCurrentQuestionnaire marks the version new campaigns use by default.
func (s *Store) SetCurrentQuestionnaire(ctx context.Context, id int64) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var q Questionnaire
		if err := tx.Take(&q, id).Error; err != nil {
			return err
		}
		if err := tx.Model(&Questionnaire{}).Where("is_current").Update("is_current", false).Error; err != nil {
			return err
		}
		if err := tx.Model(&q).Update("is_current", true).Error; err != nil {
			return err
		}
		return RecordAudit(tx, ctx, AuditQuestionnaireCur, "questionnaire "+itoa(int(q.ID)), Detail("questionnaire", "%s version %d", q.Key, q.Version))
	})
	return storeError(err, "questionnaire")
}
