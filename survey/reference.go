package survey

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// AllChannels is the channel of a reference value that applies to the use
// of every channel (the "all-channel users" figure) rather than to one.
const AllChannels = "all_channels"

// MaxReferenceLabel caps a reference label: it is drawn on a chart.
const MaxReferenceLabel = 80

// ReferenceValue is a figure HR wants staff figures read against — the
// share of clients using the web site, a national figure, a target — drawn
// as a reference line on the dashboards.
type ReferenceValue struct {
	ID        int64     `json:"id" gorm:"primaryKey"`
	Label     string    `json:"label"`
	Source    string    `json:"source"`
	Value     float64   `json:"value"`   // percent, 0 to 100
	Channel   string    `json:"channel"` // a channel id or AllChannels
	CreatedAt time.Time `json:"created_at"`
}

// ReferenceInput is what HR sends to add a reference value.
type ReferenceInput struct {
	Label   string  `json:"label"`
	Source  string  `json:"source"`
	Value   float64 `json:"value"`
	Channel string  `json:"channel"`
}

// normalize trims the texts and checks every field against the channels
// of the current questionnaires (channels lists the known channel ids).
func (in *ReferenceInput) normalize(channels map[string]bool) error {
	in.Label, in.Source, in.Channel = strings.TrimSpace(in.Label), strings.TrimSpace(in.Source), strings.TrimSpace(in.Channel)
	var fe FieldErrors
	switch n := utf8.RuneCountInString(in.Label); {
	case n == 0:
		fe.AddKeyed("label", "reference.label", "give the reference a label, e.g. \"Clients using the web site\"")
	case n > MaxReferenceLabel:
		fe.AddKeyed("label", "reference.label_long", "the label has %d characters; at most %d fit on a chart", n, MaxReferenceLabel)
	}
	if utf8.RuneCountInString(in.Source) > 200 {
		fe.AddKeyed("source", "reference.source", "the source has more than 200 characters")
	}
	if math.IsNaN(in.Value) || in.Value < 0 || in.Value > 100 {
		fe.AddKeyed("value", "reference.value", "the value is a percentage between 0 and 100")
	}
	if in.Channel != AllChannels && !channels[in.Channel] {
		fe.AddKeyed("channel", "reference.channel", "%q is neither a channel of the questionnaires nor %q", short(in.Channel), AllChannels)
	}
	return fe.Err()
}

// ReferenceValues lists the reference values, by channel then value.
func (s *Store) ReferenceValues(ctx context.Context) ([]ReferenceValue, error) {
	out := []ReferenceValue{}
	err := s.read.WithContext(ctx).Order("channel, value, id").Find(&out).Error
	return out, storeError(err, "reference values")
}

// AddReferenceValue stores a new reference value.
func (s *Store) AddReferenceValue(ctx context.Context, in ReferenceInput) (*ReferenceValue, error) {
	channels, err := s.knownChannels(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.normalize(channels); err != nil {
		return nil, err
	}
	r := &ReferenceValue{Label: in.Label, Source: in.Source, Value: in.Value, Channel: in.Channel, CreatedAt: s.now().UTC()}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(r).Error; err != nil {
			return err
		}
		return RecordAudit(tx, ctx, AuditReferenceAdded, "reference "+r.Label, Detail("reference_added", "%s %s %%", r.Channel, Decimal(r.Value, 1)))
	})
	return r, storeError(err, "reference value")
}

// DeleteReferenceValue removes a reference value.
func (s *Store) DeleteReferenceValue(ctx context.Context, id int64) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Delete(&ReferenceValue{}, id)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return Errorf(ENOTFOUND, "reference value %d not found", id)
		}
		return RecordAudit(tx, ctx, AuditReferenceDeleted, fmt.Sprintf("reference %d", id), AuditDetail{})
	})
	return storeError(err, "reference value")
}

// knownChannels are the channel ids of every stored questionnaire.
func (s *Store) knownChannels(ctx context.Context) (map[string]bool, error) {
	qs, err := s.Questionnaires(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, q := range qs {
		if err := q.parse(); err != nil {
			return nil, fmt.Errorf("questionnaire %d: %w", q.ID, err)
		}
		for _, id := range q.Def.ChannelIDs() {
			out[id] = true
		}
	}
	return out, nil
}
