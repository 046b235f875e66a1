package api_test

import (
	"fmt"
	"strings"
	"testing"

	"digigap/survey"
)

// TestSubmit_DatabaseFullIs503ThenRecovers fills SQLite to its page limit:
// the submission is refused with 503 and a clear message, the invitation
// stays unused, and once space returns the same invitation works.
func TestSubmit_DatabaseFullIs503ThenRecovers(t *testing.T) {
	f := newSurvey(t, survey.SQLite)
	f.st.StartWriter(16, nil) // as serve runs it: group commit
	db := f.st.DB()           // the one write connection: the pragma applies to it
	var pages int64
	db.Raw("PRAGMA page_count").Scan(&pages)
	if err := db.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages)).Error; err != nil {
		t.Fatal(err)
	}
	// A long comment needs new pages, which the limit refuses.
	body := responseBody(f.campaign.ID, `"token":"`+f.tokens[0]+`"`, `{"comment":"`+strings.Repeat("x", 900)+`"}`)
	var e apiError
	for i := 0; i < 20 && e.Error.Code == ""; i++ {
		// Early submissions may still fit in free space of existing pages.
		postJSON(t, f.app, "/api/v1/responses", responseBody(f.campaign.ID, `"team_link":"`+f.links["A2"]+`"`, `{"comment":"`+strings.Repeat("y", 900)+`"}`), &e)
	}
	e = apiError{}
	resp := postJSON(t, f.app, "/api/v1/responses", body, &e)
	if got, want := resp.StatusCode, 503; got != want {
		t.Fatalf("status = %d, want %d (%+v)", got, want, e)
	}
	if got, want := e.Error.Code, survey.EUNAVAILABLE; got != want || !strings.Contains(e.Error.Message, "full") {
		t.Errorf("error = %+v, want unavailable saying the database is full", e.Error)
	}
	var used int64
	db.Model(&survey.Invitation{}).Where("token_hash = ? AND used", survey.HashToken(f.tokens[0])).Count(&used)
	if used != 0 {
		t.Fatal("the refused submission consumed its invitation")
	}
	if err := db.Exec("PRAGMA max_page_count = 1073741823").Error; err != nil {
		t.Fatal(err)
	}
	if resp := postJSON(t, f.app, "/api/v1/responses", body, nil); resp.StatusCode != 201 {
		t.Fatalf("after recovery: status %d, want 201", resp.StatusCode)
	}
}
