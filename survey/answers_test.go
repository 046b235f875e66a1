package survey

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// fullAnswers answers every item of the default questionnaire.
func fullAnswers(d *Definition) Answers {
	a := Answers{}
	for _, it := range d.Items() {
		opts := d.ItemOptions(it)
		switch it.Kind {
		case KindSingle:
			a[it.ID] = opts[len(opts)-1].Value
		case KindMulti:
			a[it.ID] = []int{opts[0].Value, opts[len(opts)-1].Value}
		case KindText:
			a[it.ID] = strings.Repeat("é", it.MaxLength)
		}
	}
	return a
}

func TestValidateAnswers_AcceptsEveryNumberEncoding(t *testing.T) {
	d := DefaultDefinition()
	for name, v := range map[string]any{
		"int": 3, "int64": int64(3), "uint8": uint8(3), "whole float64": 3.0, "json.Number": json.Number("3"),
	} {
		if err := d.ValidateAnswers(Answers{"email.private": v, "barriers": []any{v}}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, v := range map[string]any{
		"[]any of float64": []any{0.0, 8.0}, "[]int": []int{0, 8}, "[]int64": []int64{8}, "empty list": []any{},
	} {
		if err := d.ValidateAnswers(Answers{"barriers": v, "sms.private": 1}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestValidateAnswers_RefusesBadAnswer(t *testing.T) {
	for _, tc := range []struct {
		name, id string
		value    any
		substr   string
	}{
		{"unknown item", "email.home", 3, `there is no question "email.home"`},
		{"value out of the options", "culture.free_tone", 0, "0 is not one of its answers (expected one of 1, 2, 3, 4, 5)"},
		{"blocked answer on a private item", "email.private", 5, "5 is not one of its answers"},
		{"string for an int", "email.work", "3", "expects a number, not text"},
		{"fractional float", "email.work", 2.5, "expects a whole number, not 2.5"},
		{"NaN", "email.work", math.NaN(), "expects a whole number"},
		{"bool", "email.work", true, "expects a number, not true or false"},
		{"object", "email.work", map[string]any{"v": 1.0}, "expects a number, not an object"},
		{"list on a single item", "profile.tenure", []any{1.0}, "expects one answer, not a list"},
		{"single value on a multi item", "barriers", 3.0, "expects a list of answers, not a single value"},
		{"duplicate option in a multi", "barriers", []any{3.0, 1.0, 3.0}, "answer 3 is chosen twice"},
		{"unknown option in a multi", "barriers", []any{9.0}, "9 is not one of its answers"},
		{"string in a multi", "barriers", []any{"3"}, "answer 1 expects a number, not text"},
		{"text too long", "comment", strings.Repeat("é", 1001), "the text has 1001 characters; at most 1000"},
		{"invalid UTF-8", "comment", "caf\xe9", "not valid UTF-8"},
		{"NUL", "comment", "a\x00b", "control character U+0000"},
		{"escape", "comment", "a\x1b[31mb", "control character U+001B"},
		{"C1 control", "comment", "a\u0085b", "control character U+0085"},
		{"number as text", "comment", 3.0, "expects text, not a number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := DefaultDefinition().ValidateAnswers(Answers{tc.id: tc.value, "sms.private": 2})
			wantFieldError(t, err, EINVALID, tc.id, tc.substr)
			if got, want := len(err.(*Error).Details), 1; got != want {
				t.Errorf("details = %d, want %d: %s", got, want, describeError(err))
			}
		})
	}
}

func TestValidateAnswers_ListsAllBadFieldsAtOnce(t *testing.T) {
	err := DefaultDefinition().ValidateAnswers(Answers{
		"zzz": 1, "aaa": 1, "email.private": 9, "barriers": 1.0, "comment": "\x00", "culture.rules_clear": 4,
	})
	var fields []string
	for _, e := range err.(*Error).Details {
		fields = append(fields, e.Field)
	}
	// Unknown ids first (sorted), then items in definition order.
	if got, want := fields, []string{"aaa", "zzz", "email.private", "barriers", "comment"}; !slices.Equal(got, want) {
		t.Errorf("fields = %v, want %v", got, want)
	}
}

func TestValidateAnswers_TextLengthCountsALineBreakOnce(t *testing.T) {
	text := strings.Repeat("é", 998) + "\r\n" + "é" // 1001 bytes of runes as sent, 1000 once normalised
	if err := DefaultDefinition().ValidateAnswers(Answers{"comment": text}); err != nil {
		t.Error(err)
	}
}

func TestNormalizeAnswers_ReturnsCanonicalTypes(t *testing.T) {
	got, err := DefaultDefinition().NormalizeAnswers(Answers{
		"email.private":       float64(4),
		"email.work":          int64(5),
		"barriers":            []any{8.0, 0.0, 3.0},
		"comment":             "  Merci\r\npour tout\t \n",
		"sms.private":         "",
		"sms.work":            nil,
		"profile.tenure":      " ",
		"culture.rules_clear": []any{},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := Answers{"email.private": 4, "email.work": 5, "barriers": []int{0, 3, 8}, "comment": "Merci\npour tout"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
}

func TestAnswersFromForm_FeedsTheSameValidation(t *testing.T) {
	d := DefaultDefinition()
	form := map[string][]string{
		"token":         {"secret"},
		"email.private": {"3"},
		"email.work":    {"5"},
		"barriers":      {"", "2", "7"},
		"comment":       {"Bien\r\n"},
		"sms.private":   {""},
	}
	got, err := d.NormalizeAnswers(d.AnswersFromForm(form))
	if err != nil {
		t.Fatal(err)
	}
	want := Answers{"email.private": 3, "email.work": 5, "barriers": []int{2, 7}, "comment": "Bien"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
	bad := map[string][]string{"email.work": {"often"}, "profile.tenure": {"1", "2"}}
	err = d.ValidateAnswers(d.AnswersFromForm(bad))
	wantFieldError(t, err, EINVALID, "email.work", "expects a number, not text")
	wantFieldError(t, err, EINVALID, "profile.tenure", "expects one answer, not a list")
}

func FuzzValidateAnswers(f *testing.F) {
	f.Add([]byte(`{"email.private": 3, "email.work": 5, "barriers": [0, 8], "comment": "ok"}`))
	f.Add([]byte(`{"email.private": 2.5, "barriers": [1, 1], "nope": null}`))
	f.Add([]byte(`{"comment": "a\u0000b", "profile.tenure": [1], "culture.free_tone": "4"}`))
	f.Add([]byte(`{"barriers": [1e300, -0, 31], "sms.work": 1e20}`))
	d := DefaultDefinition()
	f.Fuzz(func(t *testing.T, data []byte) {
		var a Answers
		if json.Unmarshal(data, &a) != nil {
			return
		}
		err := d.ValidateAnswers(a)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID || len(e.Details) == 0 {
				t.Fatalf("error %v is not an EINVALID *Error with details", err)
			}
			return
		}
		n, err := d.NormalizeAnswers(a)
		if err != nil {
			t.Fatalf("NormalizeAnswers after ValidateAnswers: %v", err)
		}
		codes, comment, err := d.EncodeAnswers(a)
		if err != nil {
			t.Fatalf("EncodeAnswers: %v", err)
		}
		back, err := d.DecodeAnswers(codes, comment)
		if err != nil {
			t.Fatalf("DecodeAnswers: %v", err)
		}
		if !reflect.DeepEqual(back, n) {
			t.Fatalf("round trip: got %#v, want %#v", back, n)
		}
	})
}

// randomAnswers answers a random subset of items with random valid values,
// in the loose types a JSON decoder or a Go caller would use.
func randomAnswers(r *rand.Rand, d *Definition) Answers {
	a := Answers{}
	for _, it := range d.Items() {
		if r.IntN(4) == 0 {
			continue
		}
		opts := d.ItemOptions(it)
		switch it.Kind {
		case KindSingle:
			a[it.ID] = float64(opts[r.IntN(len(opts))].Value)
		case KindMulti:
			var chosen []any
			for _, o := range opts {
				if r.IntN(3) == 0 {
					chosen = append(chosen, o.Value)
				}
			}
			r.Shuffle(len(chosen), func(i, j int) { chosen[i], chosen[j] = chosen[j], chosen[i] })
			a[it.ID] = chosen
		case KindText:
			runes := []rune("aé€😀\n\t ")
			var b strings.Builder
			for range r.IntN(it.MaxLength) {
				b.WriteRune(runes[r.IntN(len(runes))])
			}
			a[it.ID] = b.String()
		}
	}
	return a
}

// A questionnaire sent with every question skipped says nothing: it is
// refused (so a single-use link is not spent on it), whatever the way
// "nothing" was written, and one real answer is enough.
func TestNormalizeAnswers_RefusesNoAnswerAtAll(t *testing.T) {
	d := DefaultDefinition()
	form := map[string][]string{"token": {"secret"}, "sms.private": {""}, "barriers": {""}, "comment": {" \r\n\t"}}
	for name, a := range map[string]Answers{
		"nothing":          nil,
		"empty object":     {},
		"nulls and blanks": {"sms.private": nil, "barriers": []any{}, "profile.tenure": " ", "comment": "  \n "},
		"empty form":       d.AnswersFromForm(form),
	} {
		_, err := d.NormalizeAnswers(a)
		wantFieldError(t, err, EINVALID, "answers", "no question is answered")
		var e *Error
		if errors.As(err, &e) && (e.Key != "answers_empty" || len(e.Details) != 1) {
			t.Errorf("%s: key %q, %d details; want the catalogue key answers_empty and one detail", name, e.Key, len(e.Details))
		}
	}
	for _, one := range []Answers{{"sms.work": 0}, {"barriers": []any{3.0}}, {"comment": "Rien à ajouter."}} {
		if _, err := d.NormalizeAnswers(one); err != nil {
			t.Errorf("%v: %v, want accepted", one, err)
		}
	}
}
