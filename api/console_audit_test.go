package api_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"digigap/survey"
)

// The audit log reads in the organisation's time zone and the reader's
// language: an entry at 09:00 UTC in March shows 10:00 in Paris, its
// action named in French.
func TestConsoleAudit_OrganisationsTimeZoneAndLanguage(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC) }
	st, err := survey.Open(context.Background(), filepath.Join(t.TempDir(), "a.db"), survey.Options{Now: now, Location: paris})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	app := appOf(t, st) // creates HR's API token: one audit entry
	_, _, page := get(t, app, "/hr/audit?lang=fr")
	if !strings.Contains(page, "10 mars 2026 10:00") || !strings.Contains(page, "jeton d&#39;API créé") {
		t.Errorf("the audit log is not in Paris time and French: %s", page)
	}
}
