package survey

// The lookups below scan the definition: a questionnaire has a few dozen
// items, and a Definition stays a plain value that is safe to copy.

// Item finds an item by id, so answers and counters can reach its options.
func (d *Definition) Item(id string) (*Item, bool) {
	for si := range d.Sections {
		for ii := range d.Sections[si].Items {
			if it := &d.Sections[si].Items[ii]; it.ID == id {
				return it, true
			}
		}
	}
	return nil, false
}

// Items lists every item in definition order, the order of the page and of
// the stored answer codes.
func (d *Definition) Items() []*Item {
	n := 0
	for si := range d.Sections {
		n += len(d.Sections[si].Items)
	}
	items := make([]*Item, 0, n) // called for every answer: one allocation, not a growing slice
	for si := range d.Sections {
		for ii := range d.Sections[si].Items {
			items = append(items, &d.Sections[si].Items[ii])
		}
	}
	return items
}

// ItemOptions returns the options an item offers, from its scale or its own
// list, so callers need not know where they are declared.
func (d *Definition) ItemOptions(it *Item) []Option {
	if it == nil {
		return nil
	}
	if it.Scale != "" {
		return d.Scales[it.Scale].Options
	}
	return it.Options
}

// FrequencyItems returns the private and the work frequency items of a
// channel, the pair whose answers make the Gap; either is nil if missing.
func (d *Definition) FrequencyItems(channel string) (private, work *Item) {
	for _, it := range d.Items() {
		if it.Role != RoleFrequency || it.Channel != channel {
			continue
		}
		switch {
		case it.Context == ContextPrivate && private == nil:
			private = it
		case it.Context == ContextWork && work == nil:
			work = it
		}
	}
	return private, work
}

// ItemsByRole lists the items of one role in definition order, for the
// analytics that read culture, barrier or profile answers.
func (d *Definition) ItemsByRole(role string) []*Item {
	var items []*Item
	for _, it := range d.Items() {
		if it.Role == role {
			items = append(items, it)
		}
	}
	return items
}

// ChannelIDs lists the channel ids in definition order, the order of the
// charts.
func (d *Definition) ChannelIDs() []string {
	ids := make([]string, len(d.Channels))
	for i, ch := range d.Channels {
		ids[i] = ch.ID
	}
	return ids
}
