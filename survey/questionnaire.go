package survey

// Text is a string in several languages, keyed by language tag ("fr", "en").
type Text map[string]string

// In returns the text in lang, falling back to English, then to any language.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	if s, ok := t["en"]; ok {
		return s
	}
	for _, s := range t {
		return s
	}
	return ""
}

// Item kinds.
const (
	KindSingle = "single" // one option of a scale or an option list
	KindMulti  = "multi"  // any number of options
	KindText   = "text"   // free text, capped at MaxLength runes
)

// Item roles tell analytics what an item measures.
const (
	RoleFrequency = "frequency" // private or work frequency of one channel
	RoleBarrier   = "barrier"   // barriers to professional use (multi)
	RoleCulture   = "culture"   // agreement items
	RoleProfile   = "profile"   // coarse profile bands (breakdowns)
	RoleComment   = "comment"   // optional free text
)

// Frequency contexts.
const (
	ContextPrivate = "private"
	ContextWork    = "work"
)

// Definition is a questionnaire as data: channels, scales and sections of
// items, each with a stable id that answers and counters refer to.
type Definition struct {
	Key       string           `json:"key" yaml:"key"`
	Version   int              `json:"version" yaml:"version"`
	Title     Text             `json:"title" yaml:"title"`
	Intro     Text             `json:"intro" yaml:"intro"`
	Minutes   int              `json:"minutes" yaml:"minutes"` // announced time to answer
	Languages []string         `json:"languages" yaml:"languages"`
	Channels  []Channel        `json:"channels" yaml:"channels"`
	Groups    []ChannelGroup   `json:"channel_groups" yaml:"channel_groups"`
	Scales    map[string]Scale `json:"scales" yaml:"scales"`
	Sections  []Section        `json:"sections" yaml:"sections"`
}

// Channel is a digital contact channel whose private and work use are compared.
type Channel struct {
	ID    string `json:"id" yaml:"id"`
	Label Text   `json:"label" yaml:"label"`
	Group string `json:"group" yaml:"group"` // a ChannelGroup id, for the answer grid
}

// ChannelGroup gathers channels shown together in one frequency grid.
type ChannelGroup struct {
	ID    string `json:"id" yaml:"id"`
	Label Text   `json:"label" yaml:"label"`
}

// Scale is an ordered list of options shared by several items.
type Scale struct {
	Options []Option `json:"options" yaml:"options"`
}

// Option is one answer choice. Blocked marks "not available or not allowed
// at work", counted as not regular and as frequency 0.
type Option struct {
	Value   int  `json:"value" yaml:"value"`
	Label   Text `json:"label" yaml:"label"`
	Blocked bool `json:"blocked,omitempty" yaml:"blocked,omitempty"`
}

// Section is one page or block of the questionnaire.
type Section struct {
	ID    string `json:"id" yaml:"id"`
	Title Text   `json:"title" yaml:"title"`
	Help  Text   `json:"help,omitempty" yaml:"help,omitempty"`
	Items []Item `json:"items" yaml:"items"`
}

// Item is one question. Single and multi items take their options from
// Scale (a key of Definition.Scales) or from Options; frequency items also
// name their Channel and Context.
type Item struct {
	ID        string   `json:"id" yaml:"id"`
	Kind      string   `json:"kind" yaml:"kind"`
	Role      string   `json:"role" yaml:"role"`
	Label     Text     `json:"label" yaml:"label"`
	Help      Text     `json:"help,omitempty" yaml:"help,omitempty"`
	Scale     string   `json:"scale,omitempty" yaml:"scale,omitempty"`
	Options   []Option `json:"options,omitempty" yaml:"options,omitempty"`
	Channel   string   `json:"channel,omitempty" yaml:"channel,omitempty"`
	Context   string   `json:"context,omitempty" yaml:"context,omitempty"`
	MaxLength int      `json:"max_length,omitempty" yaml:"max_length,omitempty"`
}

// Answers are one respondent's answers by item id: an int for a single
// item, a []int for a multi item, a string for a text item. Unanswered
// items are absent: every question is optional.
type Answers map[string]any
