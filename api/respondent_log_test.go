package api_test

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"

	"digigap/api"
	"digigap/survey"
)

// capturedLog keeps every record an app writes, with its attributes.
type capturedLog struct {
	mu      sync.Mutex
	records []capturedRecord
}

type capturedRecord struct {
	msg   string
	attrs map[string]string
}

func (h *capturedLog) Enabled(context.Context, slog.Level) bool { return true }
func (h *capturedLog) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *capturedLog) WithGroup(string) slog.Handler            { return h }
func (h *capturedLog) Handle(_ context.Context, r slog.Record) error {
	rec := capturedRecord{msg: r.Message, attrs: map[string]string{}}
	r.Attrs(func(a slog.Attr) bool { rec.attrs[a.Key] = strings.Clone(a.Value.String()); return true }) // Fiber reuses its buffers
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, rec)
	return nil
}

func (h *capturedLog) all() []capturedRecord {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]capturedRecord(nil), h.records...)
}

// A log line per submission would give each stored answer its exact time
// (the k-th line matches the k-th row): the respondent routes write no line
// of their own, only counts per minute; other routes keep their lines.
func TestRespondentLog_NoLinePerSubmissionOnlyCountsPerMinute(t *testing.T) {
	f := newSurvey(t, survey.SQLite)
	var logs capturedLog
	app := api.New(api.Deps{Store: f.st, Logger: slog.New(&logs)})
	id := itoa64(f.campaign.ID)
	page(t, app, "GET", "/s/team/"+f.links["A2"], nil)                                                // a page
	page(t, app, "POST", "/S/", url.Values{"token": {f.tokens[0]}})                                   // a page, however the path is cased
	page(t, app, "POST", "/s/questionnaire", url.Values{"token": {f.tokens[0]}, "campaign_id": {id}}) // a page
	if resp, _ := page(t, app, "POST", "/s/submit", fullForm(f, url.Values{"token": {f.tokens[0]}})); resp.StatusCode != 303 {
		t.Fatalf("form: status %d", resp.StatusCode)
	}
	if resp := postJSON(t, app, "/api/v1/responses", responseBody(f.campaign.ID, `"token":"`+f.tokens[1]+`"`, `{"sms.private":1}`), nil); resp.StatusCode != 201 {
		t.Fatalf("API: status %d", resp.StatusCode)
	}
	if resp := postJSON(t, app, "/api/v1/responses/", responseBody(f.campaign.ID, `"token":"`+f.tokens[2]+`"`, `{}`), nil); resp.StatusCode != 422 {
		t.Fatalf("API, empty: status %d", resp.StatusCode)
	}
	page(t, app, "GET", "/s/thanks", nil) // a page
	page(t, app, "GET", "/healthz", nil)  // not a respondent route: keeps its line

	healthz := false
	for _, r := range logs.all() {
		for k, v := range r.attrs {
			if respondentRoute(v) {
				t.Errorf("record %q has %s=%q: a line of its own for a respondent request", r.msg, k, v)
			}
		}
		healthz = healthz || r.attrs["route"] == "/healthz"
	}
	if !healthz {
		t.Fatalf("no request line for /healthz: the capture sees nothing (%v)", logs.all())
	}
	// The counts of the minute are written when it ends, or on shutdown.
	_ = app.Shutdown()
	var summary []capturedRecord
	for _, r := range logs.all() {
		if r.msg == "respondent requests" {
			summary = append(summary, r)
		}
	}
	if len(summary) != 1 {
		t.Fatalf("%d count lines, want 1: %v", len(summary), logs.all())
	}
	want := map[string]string{"pages": "4", "submitted": "2", "refused": "1", "failed": "0"}
	for k, v := range want {
		if got := summary[0].attrs[k]; got != v {
			t.Errorf("count %s = %q, want %q (%v)", k, got, v, summary[0].attrs)
		}
	}
	if m := summary[0].attrs["minute"]; len(m) != len("15:04") {
		t.Errorf("minute = %q, want hh:mm and nothing finer", m)
	}
}

func respondentRoute(v string) bool {
	v = strings.ToLower(v)
	return v == "/s" || strings.HasPrefix(v, "/s/") || strings.HasPrefix(v, "/api/v1/responses")
}
