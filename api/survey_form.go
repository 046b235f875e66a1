package api

import (
	"strconv"
	"strings"

	"digigap/survey"
)

// The questionnaire page is drawn from the definition: each frequency
// section becomes one compact grid (a row per channel, with its private and
// its work question side by side), every other item a labelled group.

// formView is the questionnaire page: its sections and the error summary.
type formView struct {
	Sections []sectionView
	Errors   []fieldErrorView
	Empty    string // the whole questionnaire was sent with no answer, shown by the button too
	Total    int    // number of items, for the progress indicator
}

// formWide is the key, in the errors by item id, of a message about the
// whole questionnaire rather than one item (nothing answered at all).
const formWide = ""

// formNotice is the key of a message about the whole form that is not
// about its answers (a team link busy for a minute).
const formNotice = "#notice"

type sectionView struct {
	ID, Title, Help string
	Pairs           []pairView // a frequency grid, or
	Items           []itemView // one group per item
}

// pairView is one channel row of a frequency grid.
type pairView struct {
	ID, Label     string
	Private, Work itemView
}

type itemView struct {
	ID, Kind, Legend, Help string
	Options                []optionView
	Text                   string
	MaxLength              int
	Chars                  string // "At most N characters", for text items
	Chips                  bool   // a shared scale, drawn as a compact row of answers
	Error                  string
	DescribedBy            string // ids of the help and the error, for aria-describedby
}

type optionView struct {
	ID, Label string
	Value     int
	Checked   bool
	Blocked   bool
}

type fieldErrorView struct{ Anchor, Label, Message string }

// buildForm draws def in lang with the values a respondent already posted
// (kept when the page comes back with errors) and the errors by item id.
func buildForm(def *survey.Definition, lang string, values map[string][]string, errs map[string]string) formView {
	f := formView{Total: len(def.Items())}
	for si := range def.Sections {
		sec := &def.Sections[si]
		sv := sectionView{ID: sec.ID, Title: sec.Title.In(lang), Help: sec.Help.In(lang)}
		if pairs, ok := framePairs(def, sec, lang, values, errs); ok {
			sv.Pairs = pairs
		} else {
			for ii := range sec.Items {
				sv.Items = append(sv.Items, buildItem(def, &sec.Items[ii], lang, values, errs))
			}
		}
		f.Sections = append(f.Sections, sv)
	}
	if msg, bad := errs[formNotice]; bad { // about the whole form, not one answer
		f.Errors = append(f.Errors, fieldErrorView{Anchor: "answers", Message: msg})
	}
	if msg, bad := errs[formWide]; bad && len(def.Items()) > 0 {
		f.Empty = msg
		f.Errors = append(f.Errors, fieldErrorView{Anchor: anchorOf(def, def.Items()[0]), Message: msg})
	}
	for _, it := range def.Items() {
		if msg, bad := errs[it.ID]; bad {
			f.Errors = append(f.Errors, fieldErrorView{Anchor: anchorOf(def, it), Label: it.Label.In(lang), Message: msg})
		}
	}
	return f
}

// anchorOf is the input an error link of item it leads to.
func anchorOf(def *survey.Definition, it *survey.Item) string {
	if it.Kind == survey.KindText {
		return "f-" + it.ID
	}
	if opts := def.ItemOptions(it); len(opts) > 0 {
		return optionID(it.ID, opts[0].Value)
	}
	return "q-" + it.ID
}

// framePairs turns a section made only of complete private/work frequency
// pairs into grid rows; any other section is drawn item by item.
func framePairs(def *survey.Definition, sec *survey.Section, lang string, values map[string][]string, errs map[string]string) ([]pairView, bool) {
	var pairs []pairView
	seen := map[string]bool{}
	for i := range sec.Items {
		it := &sec.Items[i]
		if it.Role != survey.RoleFrequency {
			return nil, false
		}
		if seen[it.Channel] {
			continue
		}
		seen[it.Channel] = true
		priv, work := def.FrequencyItems(it.Channel)
		if priv == nil || work == nil || !inSection(sec, priv.ID) || !inSection(sec, work.ID) {
			return nil, false
		}
		p := pairView{ID: it.Channel, Label: channelLabel(def, it.Channel, lang)}
		p.Private = buildItem(def, priv, lang, values, errs)
		p.Private.Legend = translate(lang, "survey.form.private")
		p.Work = buildItem(def, work, lang, values, errs)
		p.Work.Legend = translate(lang, "survey.form.work")
		pairs = append(pairs, p)
	}
	return pairs, len(pairs) > 0
}

func inSection(sec *survey.Section, id string) bool {
	for i := range sec.Items {
		if sec.Items[i].ID == id {
			return true
		}
	}
	return false
}

func channelLabel(def *survey.Definition, id, lang string) string {
	for _, ch := range def.Channels {
		if ch.ID == id {
			return ch.Label.In(lang)
		}
	}
	return id
}

func buildItem(def *survey.Definition, it *survey.Item, lang string, values map[string][]string, errs map[string]string) itemView {
	v := itemView{ID: it.ID, Kind: it.Kind, Legend: it.Label.In(lang), Help: it.Help.In(lang), MaxLength: it.MaxLength, Error: errs[it.ID]}
	// Scales have short, ordered answers that fit side by side on a phone;
	// an item's own options (job families…) are longer and stay a list.
	v.Chips = it.Kind == survey.KindSingle && it.Scale != "" && len(def.ItemOptions(it)) <= 6
	var desc []string
	if v.Help != "" || it.Kind == survey.KindText {
		desc = append(desc, "h-"+it.ID)
	}
	if v.Error != "" {
		desc = append(desc, "err-"+it.ID)
	}
	v.DescribedBy = strings.Join(desc, " ")
	posted := values[it.ID]
	if it.Kind == survey.KindText {
		v.Chars = translate(lang, "survey.form.chars", it.MaxLength)
		if len(posted) > 0 {
			v.Text = strings.ToValidUTF8(posted[0], "\uFFFD")
		}
		return v
	}
	for _, o := range def.ItemOptions(it) {
		val := strconv.Itoa(o.Value)
		checked := false
		for _, p := range posted {
			checked = checked || p == val
		}
		v.Options = append(v.Options, optionView{ID: optionID(it.ID, o.Value), Label: o.Label.In(lang), Value: o.Value, Checked: checked, Blocked: o.Blocked})
	}
	return v
}

// optionID is the id of one answer's input, the target of error links.
func optionID(item string, value int) string {
	return "f-" + item + "-" + strconv.Itoa(value)
}

// answerErrors turns the field errors of a refused submission into
// messages by item id, in the page's language; ok is false when the error
// is not about answers (an invitation, a closed survey…).
func answerErrors(def *survey.Definition, err error, lang string) (map[string]string, bool) {
	de := toDomainError(err)
	if de.Code != survey.EINVALID {
		return nil, false
	}
	list := de.Details
	if len(list) == 0 {
		list = []*survey.Error{de}
	}
	out := map[string]string{}
	for _, fe := range list {
		if fe.Key == "answers_empty" {
			out[formWide] = translate(lang, "err.answers_empty")
			continue
		}
		it, ok := def.Item(fe.Field)
		if !ok {
			return nil, false
		}
		switch it.Kind {
		case survey.KindText:
			out[it.ID] = translate(lang, "survey.form.invalid.text", it.MaxLength)
		case survey.KindMulti:
			out[it.ID] = translate(lang, "survey.form.invalid.multi")
		case survey.KindSingle:
			out[it.ID] = translate(lang, "survey.form.invalid.single")
		default:
			out[it.ID] = translate(lang, "survey.form.invalid.other")
		}
	}
	return out, true
}
