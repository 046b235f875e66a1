package survey

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Limits of a questionnaire definition.
const (
	MaxOptionValue  = 250  // option values fit the one-byte answer codes (answers_codec.go)
	MaxMultiOptions = 32   // a multi item's answer fits a 32-bit mask
	MaxTextLength   = 5000 // keeps free text short, as staff-survey advice asks
	MaxMinutes      = 120  // an announced time beyond this is a typo
)

var (
	idPattern   = regexp.MustCompile(`^[a-z0-9_.]{1,64}$`)
	keyPattern  = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`)
	langPattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)
)

// roleKinds gives the only kind each role may take: analytics reads a
// frequency as one value, barriers as a set, the comment as text.
var roleKinds = map[string]string{
	RoleFrequency: KindSingle,
	RoleBarrier:   KindMulti,
	RoleCulture:   KindSingle,
	RoleProfile:   KindSingle,
	RoleComment:   KindText,
}

// Validate reports every rule the definition breaks at once, each naming
// the item, channel or scale at fault, so an author fixes them in one pass.
func (d *Definition) Validate() error {
	c := &defChecker{d: d, langs: map[string]bool{}, itemPaths: map[string]string{}}
	c.header()
	c.groups()
	c.channels()
	c.scales()
	c.sections()
	c.pairs()
	return c.errs.Err()
}

// defChecker carries one Validate run.
type defChecker struct {
	d         *Definition
	errs      FieldErrors
	langs     map[string]bool
	itemPaths map[string]string              // item id -> path of its first use
	textItems []string                       // fields of the text items
	freq      map[string]map[string][]string // channel -> context -> item fields
}

func (c *defChecker) header() {
	d := c.d
	if !keyPattern.MatchString(d.Key) {
		c.bad("key", "key", "the questionnaire key %q must be 1 to 64 lower-case letters, digits, '-', '_' or '.'", short(d.Key))
	}
	if d.Version < 1 {
		c.bad("version", "version", "the version must be 1 or more (got %d)", d.Version)
	}
	if d.Minutes < 0 || d.Minutes > MaxMinutes {
		c.bad("minutes", "minutes", "the announced time must be between 0 and %d minutes (got %d)", MaxMinutes, d.Minutes)
	}
	if len(d.Languages) == 0 {
		c.bad("languages", "languages_none", "list at least one language")
	}
	for i, l := range d.Languages {
		switch {
		case !langPattern.MatchString(l):
			c.bad(fmt.Sprintf("languages[%d]", i), "language_tag", "%q is not a language tag such as fr or en", short(l))
		case c.langs[l]:
			c.bad(fmt.Sprintf("languages[%d]", i), "language_twice", "language %q is listed twice", short(l))
		}
		c.langs[l] = true
	}
	c.text("title", subject("title", "the title"), d.Title, true)
	c.text("intro", subject("intro", "the intro"), d.Intro, false)
}

// text checks that t has a non-blank text in every listed language and in
// no other (an unlisted key is most likely a typo such as "eng").
func (c *defChecker) text(field string, what Phrase, t Text, required bool) {
	if len(t) == 0 {
		if required {
			c.bad(field, "text_none", "%s has no text", what)
		}
		return
	}
	for _, l := range c.d.Languages {
		if strings.TrimSpace(t[l]) == "" {
			c.bad(field, "text_missing", "%s has no %q text", what, short(l))
		}
	}
	keys := make([]string, 0, len(t))
	for l := range t {
		keys = append(keys, l)
	}
	slices.Sort(keys)
	for _, l := range keys {
		if !c.langs[l] {
			c.bad(field, "text_unlisted", "%s has a text in %q, which is not a listed language", what, short(l))
		}
	}
}

func (c *defChecker) groups() {
	seen := map[string]bool{}
	for i, g := range c.d.Groups {
		f := fmt.Sprintf("channel_groups[%d]", i)
		c.id(f, subject("channel_group", "channel group"), g.ID)
		if seen[g.ID] {
			c.bad(f, "channel_group_twice", "channel group id %q is used twice", short(g.ID))
		}
		seen[g.ID] = true
		c.text(f, subject("channel_group_label", "channel group %q label", short(g.ID)), g.Label, true)
	}
}

func (c *defChecker) channels() {
	if len(c.d.Channels) == 0 {
		c.bad("channels", "channels_none", "list at least one channel")
	}
	c.freq = map[string]map[string][]string{}
	for i, ch := range c.d.Channels {
		f := fmt.Sprintf("channels[%d]", i)
		c.id(f, subject("channel", "channel"), ch.ID)
		if c.freq[ch.ID] != nil {
			c.bad(f, "channel_twice", "channel id %q is used twice", short(ch.ID))
		} else {
			c.freq[ch.ID] = map[string][]string{}
		}
		c.text(f, subject("channel_label", "channel %q label", short(ch.ID)), ch.Label, true)
		if !slices.ContainsFunc(c.d.Groups, func(g ChannelGroup) bool { return g.ID == ch.Group }) {
			c.bad(f, "channel_group_unknown", "channel %q is in unknown channel group %q", short(ch.ID), short(ch.Group))
		}
	}
}

// id checks the shape of an id; what names the kind of object.
func (c *defChecker) id(field string, what Phrase, id string) {
	if !idPattern.MatchString(id) {
		c.bad(field, "id", "%s id %q must be 1 to 64 lower-case letters, digits, '_' or '.'", what, short(id))
	}
}

func (c *defChecker) scales() {
	keys := make([]string, 0, len(c.d.Scales))
	for k := range c.d.Scales {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		f := "scales." + short(k)
		c.id(f, subject("scale", "scale"), k)
		c.options(f, subject("scale_named", "scale %q", short(k)), c.d.Scales[k].Options)
	}
}

// options checks an option list: not empty, values in 0..MaxOptionValue,
// unique and strictly increasing (the order shown), at most one blocked.
func (c *defChecker) options(field string, what Phrase, opts []Option) {
	if len(opts) == 0 {
		c.bad(field, "options_none", "%s has no options", what)
		return
	}
	blocked := 0
	for i, o := range opts {
		switch {
		case o.Value < 0 || o.Value > MaxOptionValue:
			c.bad(field, "option_range", "%s: option value %d is outside 0..%d", what, o.Value, MaxOptionValue)
		case slices.ContainsFunc(opts[:i], func(p Option) bool { return p.Value == o.Value }):
			c.bad(field, "option_twice", "%s: option value %d is used twice", what, o.Value)
		case i > 0 && o.Value < opts[i-1].Value:
			c.bad(field, "option_order", "%s: option values must be strictly increasing, but %d comes after %d", what, o.Value, opts[i-1].Value)
		}
		if o.Blocked {
			blocked++
		}
		c.text(field, subject("option_label", "%s: option %d label", what, o.Value), o.Label, true)
	}
	if blocked > 1 {
		c.bad(field, "blocked_many", "%s has %d blocked options; at most one may mean \"not available at work\"", what, blocked)
	}
}

// pairs checks that every channel has exactly one private and one work
// frequency item, since the Gap compares the two answers of each person.
func (c *defChecker) pairs() {
	done := map[string]bool{}
	for i, ch := range c.d.Channels {
		if done[ch.ID] {
			continue // a duplicate id, already reported
		}
		done[ch.ID] = true
		byCtx := c.freq[ch.ID]
		for _, ctx := range []string{ContextPrivate, ContextWork} {
			ids := byCtx[ctx]
			switch {
			case len(ids) == 0:
				c.bad(fmt.Sprintf("channels[%d]", i), "pair_missing", "channel %q has no %s frequency item", short(ch.ID), contextUse(ctx))
			case len(ids) > 1:
				c.bad(ids[1], "pair_many", "channel %q has %d %s frequency items (%s); it needs exactly one",
					short(ch.ID), len(ids), contextUse(ctx), strings.Join(ids, ", "))
			}
		}
	}
	if len(c.textItems) > 1 {
		c.bad(c.textItems[1], "text_items_many", "only one text item is allowed, found %s: a response keeps a single comment",
			strings.Join(c.textItems, ", "))
	}
}

// bad records a broken rule; its message has the catalogue key
// err.definition.<key>, so the console words it in the reader's language.
func (c *defChecker) bad(field, key, format string, args ...any) {
	c.errs.AddKeyed(field, "definition."+key, format, args...)
}

// subject names the object an error is about (err.definition.subject.<key>).
func subject(key, en string, args ...any) Phrase {
	return NewPhrase("definition.subject."+key, en, args...)
}

// contextUse names a frequency context (private or work) in the reader's language.
func contextUse(ctx string) Phrase { return subject("context_"+ctx, ctx) }

// short clips a value echoed in an error message, so that a huge or
// garbled input does not make a huge or garbled message.
func short(s string) string { return clip(s, 64) }

// clip keeps the first n runes of s, as valid UTF-8.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return s
}
