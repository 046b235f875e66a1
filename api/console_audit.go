package api

import (
	"time"

	"digigap/survey"
)

// auditRow is an audit entry as the console lists it: the time in the
// organisation's time zone, the action named in the reader's language
// (its stable code beside it, for filters and scripts).
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
	}
	return out
}
