package api

import (
	"encoding/json"
	"strings"
	"time"

	"digigap/survey"
)

// auditRow is an audit entry as the console lists it: the time in the
// organisation's time zone, the action, the object's kind and the detail
// in the reader's language (the action's stable code beside it, for
// filters and scripts). An entry written before details had catalogue
// keys shows its English detail, marked so (DetailLang).
type auditRow struct {
	survey.AuditEntry
	When, ActionName, DetailText, DetailLang string
}

func auditRows(lang string, loc *time.Location, entries []survey.AuditEntry) []auditRow {
	out := make([]auditRow, len(entries))
	for i, e := range entries {
		at := e.At.In(loc)
		out[i] = auditRow{AuditEntry: e, When: formatDate(lang, survey.DayOf(at, loc)) + " " + at.Format("15:04"), ActionName: e.Action}
		if key := "audit.action." + e.Action; hasMessage(key) {
			out[i].ActionName = translate(lang, key)
		}
		out[i].Object = auditObject(lang, e.Object)
		var worded bool
		if out[i].DetailText, worded = auditDetail(lang, e); !worded && e.Detail != "" && lang != "en" {
			out[i].DetailLang = "en"
		}
	}
	return out
}

// auditObject names the kind of an entry's object ("campaign 3", "org
// tree") in the reader's language; the name or number after it is data.
func auditObject(lang, object string) string {
	kind, rest, _ := strings.Cut(object, " ")
	if key := "audit.object." + kind; hasMessage(key) {
		if kind == "org" {
			return translate(lang, key)
		}
		return translate(lang, key) + " " + rest
	}
	return object
}

// auditDetail words an entry's detail in lang from its catalogue key: data
// as it is, numbers as the reader writes them, terms in the reader's
// words. Without a key (an older entry) it is the English detail, and
// worded is false.
func auditDetail(lang string, e survey.AuditEntry) (text string, worded bool) {
	key := "audit.detail." + e.DetailKey
	args, err := e.DetailArguments()
	if e.DetailKey == "" || !hasMessage(key) || err != nil {
		return e.Detail, false
	}
	words := make([]any, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case json.Number:
			words[i] = numberText(lang, a)
		case survey.Day:
			words[i] = formatDate(lang, string(a))
		case survey.Term:
			words[i] = a.Code
			if hasMessage(a.Key) {
				words[i] = translate(lang, a.Key)
			}
		default:
			words[i] = a
		}
	}
	return translate(lang, key, words...), true
}

// numberText writes a number as the reader does: 12 345,5 in French
// (narrow no-break spaces between thousands), 12,345.5 in English.
func numberText(lang string, n json.Number) string {
	group, point := ",", "."
	if lang == "fr" {
		group, point = "\u202f", ","
	}
	s := string(n)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteByte(whole[i])
	}
	if hasFrac {
		b.WriteString(point + frac)
	}
	return b.String()
}
