package survey

import (
	"fmt"
	"slices"
)

func (c *defChecker) sections() {
	if len(c.d.Sections) == 0 {
		c.bad("sections", "sections_none", "list at least one section")
	}
	seen := map[string]bool{}
	for si := range c.d.Sections {
		s := &c.d.Sections[si]
		f := fmt.Sprintf("sections[%d]", si)
		c.id(f, subject("section", "section"), s.ID)
		if seen[s.ID] {
			c.bad(f, "section_twice", "section id %q is used twice", short(s.ID))
		}
		seen[s.ID] = true
		c.text(f, subject("section_title", "section %q title", short(s.ID)), s.Title, true)
		c.text(f, subject("section_help", "section %q help", short(s.ID)), s.Help, false)
		if len(s.Items) == 0 {
			c.bad(f, "section_empty", "section %q has no items", short(s.ID))
		}
		for ii := range s.Items {
			c.item(fmt.Sprintf("%s.items[%d]", f, ii), &s.Items[ii])
		}
	}
}

// item checks one item. Its errors name the item id, the key answers use,
// or its path when the id itself is unusable.
func (c *defChecker) item(path string, it *Item) {
	f, name := path, subject("item_at", "item at %s", path)
	if idPattern.MatchString(it.ID) {
		f, name = it.ID, subject("item", "item %q", it.ID)
	} else {
		c.id(path, subject("item_kind", "item"), it.ID)
	}
	if first, dup := c.itemPaths[it.ID]; dup {
		c.bad(f, "item_twice", "item id %q is used twice (%s and %s)", short(it.ID), first, path)
	} else {
		c.itemPaths[it.ID] = path
	}
	c.text(f, subject("item_label", "%s label", name), it.Label, true)
	c.text(f, subject("item_help", "%s help", name), it.Help, false)
	switch it.Kind {
	case KindSingle, KindMulti:
		c.choiceItem(f, name, it)
	case KindText:
		c.textItem(f, name, it)
	default:
		c.bad(f, "kind_unknown", "%s has unknown kind %q (expected single, multi or text)", name, short(it.Kind))
	}
	want, ok := roleKinds[it.Role]
	switch {
	case !ok:
		c.bad(f, "role_unknown", "%s has unknown role %q (expected frequency, barrier, culture, profile or comment)", name, short(it.Role))
	case it.Kind != want && slices.Contains([]string{KindSingle, KindMulti, KindText}, it.Kind):
		c.bad(f, "role_kind", "%s has role %s, which needs kind %s, not %s", name, it.Role, want, it.Kind)
	}
	c.frequencyItem(f, name, it)
}

// choiceItem checks where a single or multi item takes its options from.
func (c *defChecker) choiceItem(f string, name Phrase, it *Item) {
	switch {
	case it.Scale != "" && len(it.Options) > 0:
		c.bad(f, "scale_and_options", "%s has both a scale and its own options; keep one", name)
	case it.Scale != "":
		if _, ok := c.d.Scales[it.Scale]; !ok {
			c.bad(f, "scale_unknown", "%s uses unknown scale %q", name, short(it.Scale))
		}
	case len(it.Options) > 0:
		c.options(f, name, it.Options)
	default:
		c.bad(f, "options_missing", "%s has no options: name a scale or list options", name)
	}
	if it.MaxLength != 0 {
		c.bad(f, "max_length_choice", "%s has a max_length, which only text items take", name)
	}
	opts := c.d.ItemOptions(it)
	if it.Kind == KindMulti && len(opts) > MaxMultiOptions {
		c.bad(f, "multi_too_many", "%s has %d options; a multi item allows at most %d", name, len(opts), MaxMultiOptions)
	}
	i := slices.IndexFunc(opts, func(o Option) bool { return o.Blocked })
	switch {
	case i < 0:
	case it.Role == RoleFrequency && it.Context == ContextPrivate:
		c.bad(f, "blocked_private", "%s asks about private use but offers the answer %d, blocked (\"not available at work\"); use a scale without it",
			name, opts[i].Value)
	case it.Role != RoleFrequency || it.Context != ContextWork:
		c.bad(f, "blocked_elsewhere", "%s offers a blocked answer (%d), which only work frequency items may have", name, opts[i].Value)
	}
}

func (c *defChecker) textItem(f string, name Phrase, it *Item) {
	if it.Scale != "" || len(it.Options) > 0 {
		c.bad(f, "text_options", "%s is a text item and takes no scale or options", name)
	}
	if it.MaxLength < 1 || it.MaxLength > MaxTextLength {
		c.bad(f, "text_length", "%s needs a max_length between 1 and %d characters (got %d)", name, MaxTextLength, it.MaxLength)
	}
	c.textItems = append(c.textItems, f)
}

// frequencyItem checks the channel and context of a frequency item and
// records it for the pair check; other items must name neither.
func (c *defChecker) frequencyItem(f string, name Phrase, it *Item) {
	if it.Role != RoleFrequency {
		if it.Channel != "" || it.Context != "" {
			c.bad(f, "not_frequency", "%s names a channel or a context, which only frequency items take", name)
		}
		return
	}
	byCtx, known := c.freq[it.Channel]
	switch {
	case it.Channel == "":
		c.bad(f, "no_channel", "%s is a frequency item without a channel", name)
	case !known:
		c.bad(f, "channel_unknown", "%s asks about unknown channel %q", name, short(it.Channel))
	case it.Context != ContextPrivate && it.Context != ContextWork:
		c.bad(f, "context", "%s has context %q; a frequency item is either %s or %s", name, short(it.Context), ContextPrivate, ContextWork)
	default:
		byCtx[it.Context] = append(byCtx[it.Context], f)
	}
}
