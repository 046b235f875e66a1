package survey

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// cloneDefault returns a deep copy of the default questionnaire to break.
func cloneDefault(tb testing.TB) *Definition {
	tb.Helper()
	data, err := json.Marshal(DefaultDefinition())
	if err != nil {
		tb.Fatal(err)
	}
	var d Definition
	if err := json.Unmarshal(data, &d); err != nil {
		tb.Fatal(err)
	}
	return &d
}

// mustItem returns the item with id in d, failing the test if it is missing.
func mustItem(tb testing.TB, d *Definition, id string) *Item {
	tb.Helper()
	it, ok := d.Item(id)
	if !ok {
		tb.Fatalf("no item %q", id)
	}
	return it
}

// wantFieldError fails unless err is an *Error with code whose details
// include one for field with a message containing substr.
func wantFieldError(tb testing.TB, err error, code, field, substr string) {
	tb.Helper()
	var e *Error
	if !errors.As(err, &e) {
		tb.Fatalf("got error %v (%T), want *Error", err, err)
	}
	if got, want := e.Code, code; got != want {
		tb.Fatalf("code = %q, want %q (%v)", got, want, err)
	}
	for _, d := range append([]*Error{e}, e.Details...) {
		if d.Field == field && strings.Contains(d.Message, substr) {
			return
		}
	}
	tb.Fatalf("no error on field %q containing %q; got %s", field, substr, describeError(err))
}

// allTexts lists every Text of d by its path.
func allTexts(d *Definition) map[string]Text {
	texts := map[string]Text{"title": d.Title, "intro": d.Intro}
	for _, g := range d.Groups {
		texts["group "+g.ID] = g.Label
	}
	for _, ch := range d.Channels {
		texts["channel "+ch.ID] = ch.Label
	}
	addOptions := func(prefix string, opts []Option) {
		for _, o := range opts {
			texts[fmt.Sprintf("%s option %d", prefix, o.Value)] = o.Label
		}
	}
	for k, s := range d.Scales {
		addOptions("scale "+k, s.Options)
	}
	for _, s := range d.Sections {
		texts["section "+s.ID+" title"] = s.Title
		if len(s.Help) > 0 {
			texts["section "+s.ID+" help"] = s.Help
		}
		for _, it := range s.Items {
			texts["item "+it.ID] = it.Label
			if len(it.Help) > 0 {
				texts["item "+it.ID+" help"] = it.Help
			}
			addOptions("item "+it.ID, it.Options)
		}
	}
	return texts
}

func TestDefaultDefinition_ParsesAndValidates(t *testing.T) {
	d := DefaultDefinition()
	if err := d.Validate(); err != nil {
		t.Fatalf("Validate: %s", describeError(err))
	}
	if got, want := d.Key, "digital-adoption"; got != want {
		t.Errorf("key = %q, want %q", got, want)
	}
	if got, want := d.Version, 1; got != want {
		t.Errorf("version = %d, want %d", got, want)
	}
	if got, want := d.Minutes, 5; got != want {
		t.Errorf("minutes = %d, want %d", got, want)
	}
	if got, want := strings.Join(d.Languages, ","), "fr,en"; got != want {
		t.Errorf("languages = %q, want %q", got, want)
	}
	wantChannels := []string{"email", "sms", "instant_messaging", "voice_call", "video_call",
		"social_networks", "smartphone_apps", "web_services", "e_signature", "shared_documents"}
	if got := d.ChannelIDs(); !slices.Equal(got, wantChannels) {
		t.Errorf("channels = %v, want %v", got, wantChannels)
	}
	if got, want := len(d.Groups), 3; got != want {
		t.Errorf("channel groups = %d, want %d", got, want)
	}
}

func TestDefaultDefinition_EveryTextHasFrenchAndEnglish(t *testing.T) {
	for path, text := range allTexts(DefaultDefinition()) {
		for _, lang := range []string{"fr", "en"} {
			if strings.TrimSpace(text[lang]) == "" {
				t.Errorf("%s has no %q text", path, lang)
			}
		}
	}
}

func TestDefaultDefinition_FrenchHasNonBreakingSpaceBeforeHighPunctuation(t *testing.T) {
	for path, text := range allTexts(DefaultDefinition()) {
		for _, p := range []string{" ?", " !", " ;", " :"} {
			if strings.Contains(text["fr"], p) {
				t.Errorf("%s: French text has an ordinary space in %q: %q", path, p, text["fr"])
			}
		}
	}
}

func TestDefaultDefinition_FollowsTheDesign(t *testing.T) {
	d := DefaultDefinition()
	for _, ch := range d.ChannelIDs() {
		private, work := d.FrequencyItems(ch)
		if private == nil || work == nil {
			t.Fatalf("channel %q: private %v, work %v", ch, private, work)
		}
		if got, want := private.ID+" "+private.Scale, ch+".private frequency"; got != want {
			t.Errorf("private item = %q, want %q", got, want)
		}
		if got, want := work.ID+" "+work.Scale, ch+".work frequency_work"; got != want {
			t.Errorf("work item = %q, want %q", got, want)
		}
	}
	work := d.Scales["frequency_work"].Options
	if got, want := fmt.Sprint(work[len(work)-1].Value, work[len(work)-1].Blocked), "5 true"; got != want {
		t.Errorf("last work option = %s, want %s", got, want)
	}
	if got, want := len(d.ItemOptions(mustItem(t, d, "barriers"))), 9; got != want {
		t.Errorf("barrier options = %d, want %d", got, want)
	}
	var culture []string
	for _, it := range d.ItemsByRole(RoleCulture) {
		culture = append(culture, it.ID)
	}
	wantCulture := []string{"culture.free_tone", "culture.manager_encourages", "culture.rules_clear",
		"culture.has_contacts", "culture.wants_training"}
	if !slices.Equal(culture, wantCulture) {
		t.Errorf("culture items = %v, want %v", culture, wantCulture)
	}
	if got, want := len(d.ItemsByRole(RoleProfile)), 2; got != want {
		t.Errorf("profile items = %d, want %d", got, want)
	}
	if got, want := mustItem(t, d, "comment").MaxLength, 1000; got != want {
		t.Errorf("comment max_length = %d, want %d", got, want)
	}
}

func TestDefaultDefinition_FrequencySectionsFollowChannelGroups(t *testing.T) {
	d := DefaultDefinition()
	groupOf := map[string]string{}
	for _, ch := range d.Channels {
		groupOf[ch.ID] = ch.Group
	}
	for _, s := range d.Sections {
		for _, it := range s.Items {
			if it.Role == RoleFrequency && groupOf[it.Channel] != s.ID {
				t.Errorf("item %q is in section %q, its channel in group %q", it.ID, s.ID, groupOf[it.Channel])
			}
		}
	}
}

func TestDefaultDefinitionYAML_ParsesToDefaultDefinition(t *testing.T) {
	d, err := ParseDefinition(DefaultDefinitionYAML())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d, DefaultDefinition()) {
		t.Error("parsing DefaultDefinitionYAML differs from DefaultDefinition")
	}
}

func TestParseDefinition_AcceptsJSON(t *testing.T) {
	compact, err := json.Marshal(DefaultDefinition())
	if err != nil {
		t.Fatal(err)
	}
	indented, err := json.MarshalIndent(DefaultDefinition(), "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"compact": compact, "tab-indented": indented} {
		d, err := ParseDefinition(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(d, DefaultDefinition()) {
			t.Errorf("%s: JSON definition differs from the default one", name)
		}
	}
}

func TestParseDefinition_UnknownFieldIsMalformedWithNameAndLine(t *testing.T) {
	yamlTypo := bytes.Replace(DefaultDefinitionYAML(), []byte("max_length: 1000"), []byte("max_lenght: 1000"), 1)
	jsonData, _ := json.Marshal(DefaultDefinition())
	jsonTypo := bytes.Replace(jsonData, []byte(`"channel_groups"`), []byte(`"channel_group"`), 1)
	for name, tc := range map[string]struct {
		data  []byte
		field string
	}{
		"yaml": {yamlTypo, `"max_lenght"`},
		"json": {jsonTypo, `"channel_group"`},
	} {
		_, err := ParseDefinition(tc.data)
		if got, want := ErrorCode(err), EMALFORMED; got != want {
			t.Fatalf("%s: code = %q, want %q (%v)", name, got, want, err)
		}
		msg := ErrorMessage(err)
		if !strings.Contains(msg, "unknown field "+tc.field) || !strings.HasPrefix(msg, "line ") {
			t.Errorf("%s: message %q does not give the line and the unknown field %s", name, msg, tc.field)
		}
	}
}

func TestParseDefinition_MalformedInputs(t *testing.T) {
	for _, tc := range []struct {
		name, data, substr string
	}{
		{"empty", "  \n", "empty"},
		{"syntax error", "key: [\n", "line 1"},
		{"not a mapping", "[1, 2]", "line 1"},
		{"fractional version", "key: a\nversion: 1.5\n", `line 2: "version" must be a whole number`},
		{"quoted version", "key: a\nversion: \"1\"\n", `"version" must be a whole number`},
		{"fractional option value", "scales:\n  s:\n    options:\n      - {value: 2.5}\n", `line 4: "value" must be a whole number`},
		{"alias", "title: &t {fr: a, en: b}\nintro: *t\n", "anchors, aliases"},
		{"tag", "key: !!str a\n", "tags"},
		{"two documents", "key: a\n---\nkey: b\n", "one YAML document"},
		{"label is not a mapping", "title: hello\n", "line 1"},
		{"duplicate key", "key: a\nkey: b\n", "line 2"},
		{"version overflow", "version: 99999999999999999999\n", "line 1"},
	} {
		_, err := ParseDefinition([]byte(tc.data))
		if got, want := ErrorCode(err), EMALFORMED; got != want {
			t.Errorf("%s: code = %q, want %q (%v)", tc.name, got, want, err)
			continue
		}
		if !strings.Contains(ErrorMessage(err), tc.substr) {
			t.Errorf("%s: message %q does not contain %q", tc.name, ErrorMessage(err), tc.substr)
		}
	}
}

func TestParseDefinition_RefusesShapesThatWouldStallTheParser(t *testing.T) {
	var manyKeys strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&manyKeys, "k%d: 1\n", i)
	}
	for _, tc := range []struct {
		name, data, substr string
	}{
		{"deep flow nesting", "key: " + strings.Repeat("[", 100000), "nested more than 24 levels"},
		{"deep block nesting", strings.Repeat("- ", 100000), "nested more than 24 levels"},
		{"a mapping with thousands of keys", manyKeys.String(), "line 101: a mapping has more than 100 keys"},
	} {
		// A stall shows as work, not only as time: bound the bytes the
		// parser allocates (a clock would fail on a loaded machine).
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := ParseDefinition([]byte(tc.data))
		runtime.ReadMemStats(&after)
		if got, want := ErrorCode(err), EMALFORMED; got != want {
			t.Errorf("%s: code = %q, want %q (%v)", tc.name, got, want, err)
		} else if !strings.Contains(ErrorMessage(err), tc.substr) {
			t.Errorf("%s: message %q does not contain %q", tc.name, ErrorMessage(err), tc.substr)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
			t.Errorf("%s: the parser allocated %d MiB", tc.name, alloc>>20)
		} else {
			t.Logf("%s: %d KiB allocated", tc.name, alloc>>10)
		}
	}
}

func TestValidate_ClipsHugeValuesInMessages(t *testing.T) {
	d := cloneDefault(t)
	d.Key = strings.Repeat("K", 100000)
	err := d.Validate()
	if got := len(ErrorMessage(err)); got > 300 {
		t.Errorf("message is %d bytes long", got)
	}
}

func TestParseDefinition_TooLargeIsRefused(t *testing.T) {
	data := append([]byte("# "), bytes.Repeat([]byte("x"), MaxDefinitionSize)...)
	_, err := ParseDefinition(data)
	if got, want := ErrorCode(err), ETOOLARGE; got != want {
		t.Errorf("code = %q, want %q", got, want)
	}
}

func TestParseDefinition_UnknownScaleNamesItem(t *testing.T) {
	data := bytes.Replace(DefaultDefinitionYAML(), []byte("scale: frequency_work"), []byte("scale: frequency_wrk"), 1)
	_, err := ParseDefinition(data)
	wantFieldError(t, err, EINVALID, "email.work", `item "email.work" uses unknown scale "frequency_wrk"`)
}

func TestParseDefinition_UnknownChannelNamesItem(t *testing.T) {
	data := bytes.Replace(DefaultDefinitionYAML(), []byte("channel: sms\n"), []byte("channel: smss\n"), 1)
	_, err := ParseDefinition(data)
	wantFieldError(t, err, EINVALID, "sms.private", `item "sms.private" asks about unknown channel "smss"`)
	wantFieldError(t, err, EINVALID, "channels[1]", `channel "sms" has no private frequency item`)
}

func TestDefinitionLookups(t *testing.T) {
	d := DefaultDefinition()
	items := d.Items()
	if got, want := len(items), 29; got != want {
		t.Fatalf("items = %d, want %d", got, want)
	}
	if got, want := items[0].ID+" "+items[len(items)-1].ID, "email.private comment"; got != want {
		t.Errorf("first and last item = %q, want %q", got, want)
	}
	if it, ok := d.Item("sms.work"); !ok || it != items[3] {
		t.Errorf("Item(sms.work) = %v, %v; want the 4th item", it, ok)
	}
	if _, ok := d.Item("nope"); ok {
		t.Error("Item(nope) found an item")
	}
	if got, want := len(d.ItemOptions(mustItem(t, d, "sms.work"))), 6; got != want {
		t.Errorf("sms.work options = %d, want %d (from its scale)", got, want)
	}
	if got, want := len(d.ItemOptions(mustItem(t, d, "profile.tenure"))), 3; got != want {
		t.Errorf("profile.tenure options = %d, want %d (its own)", got, want)
	}
	if p, w := d.FrequencyItems("nope"); p != nil || w != nil {
		t.Errorf("FrequencyItems(nope) = %v, %v; want nil, nil", p, w)
	}
	if got, want := len(d.ItemsByRole(RoleFrequency)), 20; got != want {
		t.Errorf("frequency items = %d, want %d", got, want)
	}
}

func FuzzParseDefinition(f *testing.F) {
	f.Add(DefaultDefinitionYAML())
	if data, err := json.Marshal(DefaultDefinition()); err == nil {
		f.Add(data)
	}
	f.Add([]byte("key: a\nversion: 1\nlanguages: [en]\n"))
	f.Add([]byte("{\"key\": \"a\", \"sections\": [{\"items\": [{\"id\": \"x\", \"kind\": \"multi\"}]}]}"))
	f.Add([]byte("a: &x [1]\nb: *x\n"))
	f.Add([]byte("scales: {s: {options: [{value: 300}, {value: 1, blocked: true}]}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDefinition(data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("parsed definition does not validate: %v", err)
		}
		// An empty set is refused by NormalizeAnswers; the codec itself must still pack it.
		codes, comment, err := d.encodeNormalized(Answers{})
		if err != nil {
			t.Fatalf("encodeNormalized(empty): %v", err)
		}
		if _, err := d.DecodeAnswers(codes, comment); err != nil {
			t.Fatalf("DecodeAnswers: %v", err)
		}
	})
}
