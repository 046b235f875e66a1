package survey

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestValidate_RefusesBrokenDefinitions(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(t *testing.T, d *Definition)
		field  string
		substr string
	}{
		{"missing key", func(t *testing.T, d *Definition) { d.Key = "" },
			"key", "questionnaire key"},
		{"version 0", func(t *testing.T, d *Definition) { d.Version = 0 },
			"version", "the version must be 1 or more"},
		{"no language", func(t *testing.T, d *Definition) { d.Languages = nil },
			"languages", "at least one language"},
		{"label without English", func(t *testing.T, d *Definition) { delete(mustItem(t, d, "sms.work").Label, "en") },
			"sms.work", `item "sms.work" label has no "en" text`},
		{"text in an unlisted language", func(t *testing.T, d *Definition) { d.Channels[2].Label["eng"] = "x" },
			"channels[2]", `channel "instant_messaging" label has a text in "eng"`},
		{"duplicate item id", func(t *testing.T, d *Definition) { mustItem(t, d, "culture.rules_clear").ID = "culture.free_tone" },
			"culture.free_tone", `item id "culture.free_tone" is used twice`},
		{"duplicate channel id", func(t *testing.T, d *Definition) { d.Channels[1].ID = "email" },
			"channels[1]", `channel id "email" is used twice`},
		{"duplicate option value", func(t *testing.T, d *Definition) { mustItem(t, d, "profile.tenure").Options[2].Value = 1 },
			"profile.tenure", `item "profile.tenure": option value 1 is used twice`},
		{"unknown channel in a frequency item", func(t *testing.T, d *Definition) { mustItem(t, d, "video_call.work").Channel = "fax" },
			"video_call.work", `item "video_call.work" asks about unknown channel "fax"`},
		{"unknown channel group", func(t *testing.T, d *Definition) { d.Channels[4].Group = "oral" },
			"channels[4]", `channel "video_call" is in unknown channel group "oral"`},
		{"unknown scale", func(t *testing.T, d *Definition) { mustItem(t, d, "culture.free_tone").Scale = "agree" },
			"culture.free_tone", `item "culture.free_tone" uses unknown scale "agree"`},
		{"empty scale", func(t *testing.T, d *Definition) { d.Scales["agreement"] = Scale{} },
			"scales.agreement", `scale "agreement" has no options`},
		{"decreasing values", func(t *testing.T, d *Definition) { swapOptions(d.Scales["agreement"].Options, 1, 2) },
			"scales.agreement", "strictly increasing, but 2 comes after 3"},
		{"two blocked options", func(t *testing.T, d *Definition) { d.Scales["frequency_work"].Options[0].Blocked = true },
			"scales.frequency_work", `scale "frequency_work" has 2 blocked options`},
		{"blocked option in a private item", func(t *testing.T, d *Definition) { mustItem(t, d, "sms.private").Scale = "frequency_work" },
			"sms.private", `item "sms.private" asks about private use but offers the answer 5, blocked`},
		{"blocked option in a culture item", func(t *testing.T, d *Definition) { mustItem(t, d, "culture.rules_clear").Scale = "frequency_work" },
			"culture.rules_clear", "only work frequency items may have"},
		{"missing work item", func(t *testing.T, d *Definition) { removeItem(t, d, "web_services.work") },
			"channels[7]", `channel "web_services" has no work frequency item`},
		{"two private items for a channel", func(t *testing.T, d *Definition) { mustItem(t, d, "sms.private").Channel = "email" },
			"sms.private", `channel "email" has 2 private frequency items (email.private, sms.private)`},
		{"bad context", func(t *testing.T, d *Definition) { mustItem(t, d, "sms.work").Context = "office" },
			"sms.work", `item "sms.work" has context "office"`},
		{"channel on a culture item", func(t *testing.T, d *Definition) { mustItem(t, d, "culture.rules_clear").Channel = "sms" },
			"culture.rules_clear", "only frequency items take"},
		{"unknown kind", func(t *testing.T, d *Definition) { mustItem(t, d, "barriers").Kind = "checkbox" },
			"barriers", `item "barriers" has unknown kind "checkbox"`},
		{"unknown role", func(t *testing.T, d *Definition) { mustItem(t, d, "profile.tenure").Role = "demographics" },
			"profile.tenure", `item "profile.tenure" has unknown role "demographics"`},
		{"role and kind disagree", func(t *testing.T, d *Definition) { mustItem(t, d, "culture.rules_clear").Kind = KindMulti },
			"culture.rules_clear", "has role culture, which needs kind single, not multi"},
		{"text without max_length", func(t *testing.T, d *Definition) { mustItem(t, d, "comment").MaxLength = 0 },
			"comment", `item "comment" needs a max_length between 1 and 5000`},
		{"text max_length too large", func(t *testing.T, d *Definition) { mustItem(t, d, "comment").MaxLength = 5001 },
			"comment", "(got 5001)"},
		{"two text items", func(t *testing.T, d *Definition) {
			addItem(d, Item{ID: "comment2", Kind: KindText, Role: RoleComment, Label: Text{"fr": "a", "en": "b"}, MaxLength: 10})
		},
			"comment2", "only one text item is allowed, found comment, comment2"},
		{"multi with 33 options", func(t *testing.T, d *Definition) { mustItem(t, d, "barriers").Options = manyOptions(33) },
			"barriers", `item "barriers" has 33 options; a multi item allows at most 32`},
		{"option value too large", func(t *testing.T, d *Definition) { mustItem(t, d, "profile.tenure").Options[2].Value = 251 },
			"profile.tenure", "option value 251 is outside 0..250"},
		{"negative option value", func(t *testing.T, d *Definition) { d.Scales["agreement"].Options[0].Value = -1 },
			"scales.agreement", "option value -1 is outside 0..250"},
		{"item id with capitals", func(t *testing.T, d *Definition) { mustItem(t, d, "culture.rules_clear").ID = "Culture.Rules" },
			"sections[4].items[2]", `item id "Culture.Rules" must be`},
		{"item id too long", func(t *testing.T, d *Definition) { mustItem(t, d, "comment").ID = strings.Repeat("a", 65) },
			"sections[6].items[0]", "must be 1 to 64"},
		{"scale and options", func(t *testing.T, d *Definition) { mustItem(t, d, "barriers").Scale = "agreement" },
			"barriers", "has both a scale and its own options"},
		{"no options", func(t *testing.T, d *Definition) { mustItem(t, d, "profile.tenure").Options = nil },
			"profile.tenure", "has no options"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := cloneDefault(t)
			tc.break_(t, d)
			wantFieldError(t, d.Validate(), EINVALID, tc.field, tc.substr)
		})
	}
}

func TestValidate_ListsEveryProblemAtOnce(t *testing.T) {
	d := cloneDefault(t)
	d.Version = 0
	mustItem(t, d, "email.work").Scale = "nope"
	mustItem(t, d, "barriers").Options[3].Value = 2
	mustItem(t, d, "comment").MaxLength = -3
	err := d.Validate()
	var fields []string
	for _, e := range err.(*Error).Details {
		fields = append(fields, e.Field)
	}
	for _, want := range []string{"version", "email.work", "barriers", "comment"} {
		if !slices.Contains(fields, want) {
			t.Errorf("no error on %q; got fields %v", want, fields)
		}
	}
	if got, want := err.(*Error).Field, "version"; got != want {
		t.Errorf("first field = %q, want %q", got, want)
	}
}

func swapOptions(opts []Option, i, j int) { opts[i], opts[j] = opts[j], opts[i] }

func removeItem(t *testing.T, d *Definition, id string) {
	t.Helper()
	for si := range d.Sections {
		items := d.Sections[si].Items
		if i := slices.IndexFunc(items, func(it Item) bool { return it.ID == id }); i >= 0 {
			d.Sections[si].Items = slices.Delete(items, i, i+1)
			return
		}
	}
	t.Fatalf("no item %q", id)
}

func addItem(d *Definition, it Item) {
	last := &d.Sections[len(d.Sections)-1]
	last.Items = append(last.Items, it)
}

func manyOptions(n int) []Option {
	opts := make([]Option, n)
	for i := range opts {
		opts[i] = Option{Value: i, Label: Text{"fr": fmt.Sprint(i), "en": fmt.Sprint(i)}}
	}
	return opts
}
