package api_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"digigap/api"
	"digigap/survey"
	"digigap/survey/surveytest"
)

func responseBody(campaign int64, access, answers string) []byte {
	return []byte(fmt.Sprintf(`{"campaign_id":%d,%s,"answers":%s}`, campaign, access, answers))
}

func TestResponsesAPI_BadInputIsRefusedAndNothingStored(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		f := newSurvey(t, dialect)
		id := f.campaign.ID
		tok := `"token":"` + f.tokens[0] + `"`
		used := f.tokens[1]
		if resp := postJSON(t, f.app, "/api/v1/responses", responseBody(id, `"token":"`+used+`"`, `{"sms.private":1}`), nil); resp.StatusCode != 201 {
			t.Fatalf("setup: status %d", resp.StatusCode)
		}
		big := responseBody(id, tok, `{"comment":"`+strings.Repeat("a", api.SubmitBodyLimit)+`"}`)
		tests := []struct {
			name   string
			body   []byte
			status int
			code   string
			fields []string
		}{
			{"unknown item", responseBody(id, tok, `{"fax.private":1}`), 422, survey.EINVALID, []string{"fax.private"}},
			{"value out of scale", responseBody(id, tok, `{"email.private":5}`), 422, survey.EINVALID, []string{"email.private"}},
			{"wrong type", responseBody(id, tok, `{"email.private":"3"}`), 422, survey.EINVALID, []string{"email.private"}},
			{"not a whole number", responseBody(id, tok, `{"email.private":1.5}`), 422, survey.EINVALID, []string{"email.private"}},
			{"multi-select on a single item", responseBody(id, tok, `{"email.work":[1,2]}`), 422, survey.EINVALID, []string{"email.work"}},
			{"single value on a multi item", responseBody(id, tok, `{"barriers":2}`), 422, survey.EINVALID, []string{"barriers"}},
			{"too-long free text", responseBody(id, tok, `{"comment":"`+strings.Repeat("x", 1001)+`"}`), 422, survey.EINVALID, []string{"comment"}},
			{"every bad field listed", responseBody(id, tok, `{"email.private":9,"sms.work":"x","zzz":1}`), 422, survey.EINVALID, []string{"zzz", "email.private", "sms.work"}},
			{"invalid UTF-8", responseBody(id, tok, "{\"comment\":\"\xff\xfe\"}"), 422, survey.EINVALID, []string{"comment"}},
			{"lone surrogate", responseBody(id, tok, `{"comment":"\udc00"}`), 422, survey.EINVALID, []string{"comment"}},
			{"malformed JSON", []byte(`{"campaign_id":`), 400, survey.EMALFORMED, nil},
			{"answers not an object", responseBody(id, tok, `[1]`), 400, survey.EMALFORMED, nil},
			{"body over 64 KiB", big, 413, survey.ETOOLARGE, nil},
			{"no campaign", []byte(`{` + tok + `}`), 422, survey.EINVALID, []string{"campaign_id"}},
			{"unknown campaign", responseBody(999, tok, `{}`), 404, survey.ENOTFOUND, nil},
			{"no token nor team link", responseBody(id, `"x":1`, `{}`), 422, survey.EINVALID, []string{"token"}},
			{"unknown token", responseBody(id, `"token":"nope"`, `{"sms.private":1}`), 404, survey.ENOTFOUND, []string{"token"}},
			{"used token", responseBody(id, `"token":"`+used+`"`, `{"sms.private":1}`), 409, survey.ECONFLICT, []string{"token"}},
			{"unknown team link", responseBody(id, `"team_link":"nope"`, `{}`), 404, survey.ENOTFOUND, []string{"team_link"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var e apiError
				resp := postJSON(t, f.app, "/api/v1/responses", tt.body, &e)
				if got, want := resp.StatusCode, tt.status; got != want {
					t.Errorf("status = %d, want %d (%+v)", got, want, e.Error)
				}
				if got, want := e.Error.Code, tt.code; got != want {
					t.Errorf("code = %q, want %q", got, want)
				}
				if e.Error.Message == "" {
					t.Error("no message")
				}
				if len(tt.fields) > 0 {
					got := map[string]bool{e.Error.Field: true}
					for _, d := range e.Error.Details {
						got[d.Field] = true
					}
					for _, want := range tt.fields {
						if !got[want] {
							t.Errorf("fields %v lack %q", got, want)
						}
					}
				}
			})
		}
		if got, want := f.responses(t), int64(1); got != want {
			t.Errorf("responses = %d, want %d (only the setup one)", got, want)
		}
		if resp := postJSON(t, f.app, "/api/v1/responses", responseBody(id, tok, `{"email.private":4,"barriers":[0,2],"comment":"ok"}`), nil); resp.StatusCode != 201 {
			t.Errorf("the refused tries consumed the invitation: status %d", resp.StatusCode)
		}
	})
}

func TestResponsesAPI_FiftyConcurrentSubmissionsOfOneTokenStoreOne(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		f := newSurvey(t, dialect)
		body := responseBody(f.campaign.ID, `"token":"`+f.tokens[0]+`"`, `{"email.private":4,"email.work":2}`)
		const n = 50
		statuses := make(chan int, n)
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses <- postJSON(t, f.app, "/api/v1/responses", body, nil).StatusCode
			}()
		}
		wg.Wait()
		close(statuses)
		count := map[int]int{}
		for s := range statuses {
			count[s]++
		}
		if count[201] != 1 || count[409] != n-1 {
			t.Errorf("statuses = %v, want 1 × 201 and %d × 409", count, n-1)
		}
		if got, want := f.responses(t), int64(1); got != want {
			t.Errorf("responses = %d, want %d", got, want)
		}
	})
}

func TestRespondentForm_ConcurrentSubmissionsOfOneTokenStoreOne(t *testing.T) {
	f := newSurvey(t, survey.SQLite)
	form := fullForm(f, url.Values{"token": {f.tokens[0]}})
	const n = 20
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _ := page(t, f.app, "POST", "/s/submit", form)
			statuses <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if count[303] != 1 || count[409] != n-1 {
		t.Errorf("statuses = %v, want 1 × 303 and %d × 409", count, n-1)
	}
}

func TestRespondentForm_BodyOver64KiBIs413(t *testing.T) {
	f := newSurvey(t, survey.SQLite)
	form := fullForm(f, url.Values{"token": {f.tokens[0]}})
	form.Set("comment", strings.Repeat("a", api.SubmitBodyLimit))
	resp, body := page(t, f.app, "POST", "/s/submit", form)
	if resp.StatusCode != 413 || !strings.Contains(body, "volumineux") {
		t.Errorf("status %d, want 413 with a page in French", resp.StatusCode)
	}
	if got := f.responses(t); got != 0 {
		t.Errorf("responses = %d, want 0", got)
	}
}

// The log of a running server must name neither the token nor the client's
// address of a submission: with the response they would identify a person.
func TestRespondent_SubmitLogHasNoTokenNorAddress(t *testing.T) {
	f := newSurvey(t, survey.SQLite)
	var logs syncBuffer
	app := api.New(api.Deps{Store: f.st, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	defer app.Shutdown()
	base := "http://" + ln.Addr().String()
	form := fullForm(f, url.Values{"token": {f.tokens[0]}})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(base+"/s/submit", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	body := responseBody(f.campaign.ID, `"token":"`+f.tokens[1]+`"`, `{"sms.private":1}`)
	resp, err = client.Post(base+"/api/v1/responses", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	app.Shutdown()
	out := logs.String()
	if !strings.Contains(out, `"submitted":2`) {
		t.Fatalf("the two submissions are not counted in %q", out)
	}
	host, _, _ := net.SplitHostPort(ln.Addr().String())
	for _, secret := range []string{f.tokens[0], f.tokens[1], host, survey.HashToken(f.tokens[0])} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// The submit route is public: it must come before the HR middleware of
// /api/v1 in the router, whose access control (issue #6) would refuse it.
func TestResponsesAPI_PublicWithoutAnySession(t *testing.T) {
	f := newSurvey(t, survey.SQLite)
	if resp := postJSON(t, f.app, "/api/v1/responses", responseBody(f.campaign.ID, `"token":"`+f.tokens[0]+`"`, `{"sms.private":1}`), nil); resp.StatusCode != 201 {
		t.Errorf("status = %d, want 201 without any session", resp.StatusCode)
	}
}
