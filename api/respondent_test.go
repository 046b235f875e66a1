package api_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// fullForm answers every question of the default questionnaire.
func fullForm(f *surveyFixture, access url.Values) url.Values {
	v := url.Values{}
	for k, vals := range access {
		v[k] = vals
	}
	v.Set("campaign_id", strconv.FormatInt(f.campaign.ID, 10))
	for _, it := range survey.DefaultDefinition().Items() {
		switch it.Kind {
		case survey.KindSingle:
			v.Set(it.ID, "1")
		case survey.KindMulti:
			v.Add(it.ID, "2")
			v.Add(it.ID, "5")
		case survey.KindText:
			v.Set(it.ID, "Plus de formation, merci.")
		}
	}
	return v
}

func TestRespondent_InvitationFlowStoresOneResponse(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		f := newSurvey(t, dialect)
		tok := url.Values{"token": {f.tokens[0]}}
		if resp, body := page(t, f.app, "GET", "/s/", nil); resp.StatusCode != 200 || !strings.Contains(body, `name="token"`) {
			t.Fatalf("landing: %d, no code field", resp.StatusCode)
		}
		resp, body := page(t, f.app, "POST", "/s/", tok)
		if resp.StatusCode != 200 {
			t.Fatalf("intro: status %d: %s", resp.StatusCode, body)
		}
		for _, want := range []string{"au moins 5 personnes", "environ 5 minutes", "facultatives", "Agence Lille", "adresse IP", "20 mars 2026"} {
			if !strings.Contains(body, want) {
				t.Errorf("intro lacks %q", want)
			}
		}
		tok.Set("campaign_id", strconv.FormatInt(f.campaign.ID, 10))
		if resp, body := page(t, f.app, "POST", "/s/questionnaire", tok); resp.StatusCode != 200 || strings.Count(body, `class="pair"`) != 10 {
			t.Fatalf("questionnaire: status %d, %d channel rows, want 10", resp.StatusCode, strings.Count(body, `class="pair"`))
		}
		resp, _ = page(t, f.app, "POST", "/s/submit", fullForm(f, url.Values{"token": {f.tokens[0]}}))
		if got, want := resp.StatusCode, 303; got != want {
			t.Fatalf("submit: status %d, want %d", got, want)
		}
		if got, want := resp.Header.Get("Location"), "/s/thanks"; got != want {
			t.Errorf("redirect = %q, want %q", got, want)
		}
		if resp, body := page(t, f.app, "GET", "/s/thanks", nil); resp.StatusCode != 200 || !strings.Contains(body, "Merci") {
			t.Errorf("thanks: %d %s", resp.StatusCode, body)
		}
		if got, want := f.responses(t), int64(1); got != want {
			t.Fatalf("responses = %d, want %d", got, want)
		}
		resp, body = page(t, f.app, "POST", "/s/submit", fullForm(f, url.Values{"token": {f.tokens[0]}}))
		if resp.StatusCode != 409 || !strings.Contains(body, "Invitation déjà utilisée") {
			t.Errorf("second submit: status %d, want 409 and a clear page", resp.StatusCode)
		}
		if resp, _ := page(t, f.app, "POST", "/s/", url.Values{"token": {f.tokens[0]}}); resp.StatusCode != 409 {
			t.Errorf("used link opened again: status %d, want 409", resp.StatusCode)
		}
		if got, want := f.responses(t), int64(1); got != want {
			t.Errorf("responses = %d, want %d", got, want)
		}
	})
}

func TestRespondent_PastedLinkOrCodeWorksAndBadCodeShowsFieldError(t *testing.T) {
	f := newSurvey(t, survey.SQLite)
	for _, pasted := range []string{f.tokens[1], "  https://survey.example.com/s/#t=" + f.tokens[1] + " "} {
		if resp, _ := page(t, f.app, "POST", "/s/", url.Values{"token": {pasted}}); resp.StatusCode != 200 {
			t.Errorf("%q: status %d, want 200", pasted, resp.StatusCode)
		}
	}
	resp, body := page(t, f.app, "POST", "/s/", url.Values{"token": {"abcdef"}})
	if resp.StatusCode != 422 || !strings.Contains(body, `aria-invalid="true"`) || !strings.Contains(body, `role="alert"`) {
		t.Errorf("wrong code: status %d, want 422 with the message next to the field", resp.StatusCode)
	}
}

func TestRespondent_TeamLinkCookieRefusesSecondAnswer(t *testing.T) {
	f := newSurvey(t, survey.SQLite)
	key := f.links["A2"]
	if resp, body := page(t, f.app, "GET", "/s/team/"+key, nil); resp.StatusCode != 200 || !strings.Contains(body, "Agence Douai") {
		t.Fatalf("team link: status %d", resp.StatusCode)
	}
	resp, _ := page(t, f.app, "POST", "/s/submit", fullForm(f, url.Values{"team_link": {key}}))
	if resp.StatusCode != 303 {
		t.Fatalf("submit: status %d, want 303", resp.StatusCode)
	}
	ck := cookieNamed(resp, "dg_answered_")
	if ck == nil || !ck.HttpOnly || ck.Path != "/" {
		t.Fatalf("cookie = %+v, want an HttpOnly cookie for the campaign", ck)
	}
	if got, want := ck.Name, "dg_answered_"+strconv.FormatInt(f.campaign.ID, 10); got != want {
		t.Errorf("cookie name = %q, want %q (scoped to the campaign)", got, want)
	}
	if resp, body := page(t, f.app, "GET", "/s/team/"+key, nil, ck); resp.StatusCode != 409 || !strings.Contains(body, "Déjà répondu") {
		t.Errorf("link again with the cookie: status %d, want 409 and a clear page", resp.StatusCode)
	}
	if resp, _ := page(t, f.app, "POST", "/s/submit", fullForm(f, url.Values{"team_link": {key}}), ck); resp.StatusCode != 409 {
		t.Errorf("form again with the cookie: status %d, want 409", resp.StatusCode)
	}
	body := `{"campaign_id":` + strconv.FormatInt(f.campaign.ID, 10) + `,"team_link":"` + key + `","answers":{"sms.private":2}}`
	if resp := postJSON(t, f.app, "/api/v1/responses", []byte(body), nil, ck); resp.StatusCode != 409 {
		t.Errorf("API with the cookie: status %d, want 409", resp.StatusCode)
	}
	if got, want := f.responses(t), int64(1); got != want {
		t.Errorf("responses = %d, want %d", got, want)
	}
	if resp, _ := page(t, f.app, "GET", "/s/team/not-a-key", nil); resp.StatusCode != 404 {
		t.Errorf("unknown team link: status %d, want 404", resp.StatusCode)
	}
}

func TestRespondent_CampaignNotOpenShowsDatesAnd409(t *testing.T) {
	f := newSurvey(t, survey.SQLite)
	tests := []struct{ day, lang, want string }{
		{"2026-02-20", "fr", "ouvrira le 2 mars 2026"},
		{"2026-02-20", "en", "opens on 2 March 2026"},
		{"2026-03-21", "fr", "clos depuis le 20 mars 2026"},
		{"2026-03-21", "en", "closed on 20 March 2026"},
	}
	for _, tt := range tests {
		app := f.at(tt.day)
		for _, path := range []string{"/s/team/" + f.links["A1"] + "?lang=" + tt.lang} {
			resp, body := page(t, app, "GET", path, nil)
			if resp.StatusCode != 409 || !strings.Contains(body, tt.want) {
				t.Errorf("%s %s: status %d, want 409 saying %q", tt.day, tt.lang, resp.StatusCode, tt.want)
			}
		}
		resp, _ := page(t, app, "POST", "/s/?lang="+tt.lang, url.Values{"token": {f.tokens[2]}})
		if resp.StatusCode != 409 {
			t.Errorf("%s invitation: status %d, want 409", tt.day, resp.StatusCode)
		}
		var e apiError
		body := `{"campaign_id":` + strconv.FormatInt(f.campaign.ID, 10) + `,"token":"` + f.tokens[2] + `","answers":{}}`
		if resp := postJSON(t, app, "/api/v1/responses", []byte(body), &e); resp.StatusCode != 409 || e.Error.Code != survey.ECONFLICT {
			t.Errorf("%s API: status %d code %q, want 409 conflict", tt.day, resp.StatusCode, e.Error.Code)
		}
	}
	if got := f.responses(t); got != 0 {
		t.Errorf("responses = %d, want 0", got)
	}
}

func TestRespondentForm_ErrorsKeepAnswersAndShowMessages(t *testing.T) {
	f := newSurvey(t, survey.SQLite)
	v := url.Values{"token": {f.tokens[0]}, "campaign_id": {strconv.FormatInt(f.campaign.ID, 10)}}
	v.Set("sms.private", "3")
	v.Set("email.private", "9")
	v.Add("email.work", "1")
	v.Add("email.work", "2")
	v.Set("comment", strings.Repeat("é", 1001))
	resp, body := page(t, f.app, "POST", "/s/submit", v)
	if got, want := resp.StatusCode, 422; got != want {
		t.Fatalf("status = %d, want %d", got, want)
	}
	for _, want := range []string{
		`id="error-summary"`, `role="alert"`, `href="#f-email.private-0"`, `href="#f-comment"`,
		`id="err-email.private"`, `id="err-email.work"`, `id="err-comment"`, `aria-describedby="err-email.private"`,
		`id="f-sms.private-3" name="sms.private" value="3" checked`, strings.Repeat("é", 1001) + "</textarea>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if got := f.responses(t); got != 0 {
		t.Fatalf("responses = %d, want 0", got)
	}
	v.Set("comment", "\xff\xfe")
	if resp, body := page(t, f.app, "POST", "/s/submit", v); resp.StatusCode != 422 || !strings.Contains(body, `id="err-comment"`) {
		t.Errorf("invalid UTF-8 text: status %d, want 422 naming the comment", resp.StatusCode)
	}
	ok := fullForm(f, url.Values{"token": {f.tokens[0]}})
	if resp, _ := page(t, f.app, "POST", "/s/submit", ok); resp.StatusCode != 303 {
		t.Errorf("corrected form: status %d, want 303 (the invitation was not consumed by the refused tries)", resp.StatusCode)
	}
}

func TestRespondentForm_LanguageSwitchKeepsAnswers(t *testing.T) {
	f := newSurvey(t, survey.SQLite)
	v := url.Values{"token": {f.tokens[0]}, "campaign_id": {strconv.FormatInt(f.campaign.ID, 10)}, "sms.work": {"5"}, "lang": {"en"}}
	resp, body := page(t, f.app, "POST", "/s/questionnaire", v)
	if resp.StatusCode != 200 || !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "Send my answers") {
		t.Fatalf("status %d, want the form in English", resp.StatusCode)
	}
	if !strings.Contains(body, `value="5" checked`) {
		t.Error("the answer given before switching is lost")
	}
	if !strings.Contains(body, `formaction="/s/questionnaire"`) {
		t.Error("the language switch of the form does not post the answers")
	}
}
