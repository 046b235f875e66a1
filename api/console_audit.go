package api

import (
	"strings"
	"time"

	"digigap/survey"
)

// auditRow is an audit entry as the console lists it: the time in the
// organisation's time zone, the action and the object's kind named in the
// reader's language (the action's stable code beside it, for filters and
// scripts). The detail is the log's own record, written in English when it
// happened: it is marked as English for the page.
type auditRow struct {
	survey.AuditEntry
	When, ActionName string
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
