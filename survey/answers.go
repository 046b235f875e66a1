package survey

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ValidateAnswers checks one respondent's answers against the questionnaire
// and lists every bad field at once, each named by its item id; the HTML
// form (through AnswersFromForm) and the JSON API share this one path.
func (d *Definition) ValidateAnswers(a Answers) error {
	_, err := d.NormalizeAnswers(a)
	return err
}

// NormalizeAnswers validates answers and returns them in canonical form (an
// int, a sorted []int, a trimmed string with "\n" line breaks), so that
// storage and analytics see one representation. Empty strings, empty lists
// and nulls mean "unanswered" and are dropped. A set with no answer left is
// refused: every question may be skipped, but not all of them, so a
// single-use link is never spent on an empty questionnaire.
func (d *Definition) NormalizeAnswers(a Answers) (Answers, error) {
	var errs FieldErrors
	items := d.Items()
	known := make(map[string]bool, len(items))
	for _, it := range items {
		known[it.ID] = true
	}
	var unknown []string
	for id := range a {
		if !known[id] {
			unknown = append(unknown, id)
		}
	}
	slices.Sort(unknown)
	for _, id := range unknown {
		id = short(id)
		errs.Add(id, "there is no question %q in this questionnaire", id)
	}
	out := make(Answers, len(a))
	for _, it := range items {
		v, ok := a[it.ID]
		if !ok {
			continue
		}
		nv, problem := d.normalizeValue(it, v)
		if problem != "" {
			errs.Add(it.ID, "question %q: %s", it.ID, problem)
		} else if nv != nil {
			out[it.ID] = nv
		}
	}
	if len(out) == 0 && errs.Err() == nil {
		errs.AddKeyed("answers", "answers_empty", "no question is answered: answer at least one before sending")
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// normalizeValue returns the canonical value (nil when unanswered) or a
// problem in plain words.
func (d *Definition) normalizeValue(it *Item, v any) (any, string) {
	if v == nil {
		return nil, ""
	}
	if s, ok := v.(string); ok && strings.TrimSpace(s) == "" && it.Kind != KindText {
		return nil, ""
	}
	if isList(v) && reflect.ValueOf(v).Len() == 0 {
		return nil, ""
	}
	switch it.Kind {
	case KindSingle:
		return normalizeSingle(d.ItemOptions(it), v)
	case KindMulti:
		return normalizeMulti(d.ItemOptions(it), v)
	case KindText:
		return normalizeText(it, v)
	}
	return nil, "cannot be answered: its kind is unknown"
}

func normalizeSingle(opts []Option, v any) (any, string) {
	if isList(v) {
		return nil, "expects one answer, not a list"
	}
	n, problem := wholeNumber(v)
	switch {
	case problem != "":
		return nil, problem
	case !hasOption(opts, n):
		return nil, fmt.Sprintf("%d is not one of its answers (%s)", n, optionValues(opts))
	}
	return n, ""
}

func normalizeMulti(opts []Option, v any) (any, string) {
	if !isList(v) {
		return nil, "expects a list of answers, not a single value"
	}
	rv := reflect.ValueOf(v)
	chosen := make([]int, 0, rv.Len())
	for i := range rv.Len() {
		n, problem := wholeNumber(rv.Index(i).Interface())
		switch {
		case problem != "":
			return nil, fmt.Sprintf("answer %d %s", i+1, problem)
		case !hasOption(opts, n):
			return nil, fmt.Sprintf("%d is not one of its answers (%s)", n, optionValues(opts))
		case slices.Contains(chosen, n):
			return nil, fmt.Sprintf("answer %d is chosen twice", n)
		}
		chosen = append(chosen, n)
	}
	if len(chosen) == 0 {
		return nil, ""
	}
	slices.Sort(chosen)
	return chosen, ""
}

// normalizeText accepts a string of valid UTF-8 without control characters
// other than line breaks and tabs. Line breaks become "\n" before the
// length is counted, since browsers send a textarea's as "\r\n".
func normalizeText(it *Item, v any) (any, string) {
	s, ok := v.(string)
	if !ok {
		return nil, "expects text, not " + describe(v)
	}
	if !utf8.ValidString(s) {
		return nil, "the text is not valid UTF-8"
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if i := strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return nil, fmt.Sprintf("the text contains the control character %U", r)
	}
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n > it.MaxLength {
		return nil, fmt.Sprintf("the text has %d characters; at most %d are allowed", n, it.MaxLength)
	}
	if s == "" {
		return nil, ""
	}
	return s, ""
}

// wholeNumber accepts the integer types and whole float64 values, which is
// what encoding/json produces, or a problem in plain words.
func wholeNumber(v any) (int, string) {
	var f float64
	switch x := v.(type) {
	case int:
		return x, ""
	case int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		rv := reflect.ValueOf(x)
		if rv.CanInt() {
			f = float64(rv.Int())
		} else {
			f = float64(rv.Uint())
		}
	case float64:
		f = x
	case float32:
		f = float64(x)
	case json.Number:
		var err error
		if f, err = strconv.ParseFloat(string(x), 64); err != nil {
			return 0, "expects a number, not " + strconv.Quote(string(x))
		}
	default:
		return 0, "expects a number, not " + describe(v)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || f != math.Trunc(f) {
		return 0, fmt.Sprintf("expects a whole number, not %v", f)
	}
	if f < -1e9 || f > 1e9 {
		return 0, fmt.Sprintf("%v is not one of its answers", f)
	}
	return int(f), ""
}

// isList reports whether v is a slice or an array (but not a string).
func isList(v any) bool {
	k := reflect.ValueOf(v).Kind()
	return k == reflect.Slice || k == reflect.Array
}

func hasOption(opts []Option, v int) bool {
	return slices.ContainsFunc(opts, func(o Option) bool { return o.Value == v })
}

// optionValues lists the allowed values for an error message.
func optionValues(opts []Option) string {
	vals := make([]string, len(opts))
	for i, o := range opts {
		vals[i] = strconv.Itoa(o.Value)
	}
	return "expected one of " + strings.Join(vals, ", ")
}

// describe names the type of a bad value in respondent-facing words,
// never Go type names.
func describe(v any) string {
	switch v.(type) {
	case string:
		return "text"
	case bool:
		return "true or false"
	case map[string]any:
		return "an object"
	}
	switch {
	case isList(v):
		return "a list"
	case reflect.ValueOf(v).CanFloat(), reflect.ValueOf(v).CanInt(), reflect.ValueOf(v).CanUint():
		return "a number"
	}
	return "a value of another type"
}
