package api_test

import (
	"html"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// An empty questionnaire (every question skipped) is refused next to the
// form and with 422 on the API, and the single-use link is not spent on it.
func TestRespondent_EmptyQuestionnaireIsRefusedAndTheLinkStaysUsable(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		f := newSurvey(t, dialect)
		id := strconv.FormatInt(f.campaign.ID, 10)
		empty := url.Values{"token": {f.tokens[0]}, "campaign_id": {id}, "sms.private": {""}, "comment": {"  "}}
		for lang, want := range map[string]string{"fr": "Vous n'avez répondu à aucune question", "en": "You have not answered any question"} {
			resp, body := page(t, f.app, "POST", "/s/submit?lang="+lang, empty)
			body = html.UnescapeString(body)
			if resp.StatusCode != 422 || !strings.Contains(body, want) || !strings.Contains(body, `id="error-summary"`) || !strings.Contains(body, `id="answers"`) {
				t.Errorf("%s: status %d, want 422 with %q in the error summary above the form", lang, resp.StatusCode, want)
			}
		}
		var e apiError
		body := responseBody(f.campaign.ID, `"token":"`+f.tokens[0]+`"`, `{"sms.private":null,"barriers":[],"comment":""}`)
		if resp := postJSON(t, f.app, "/api/v1/responses", body, &e); resp.StatusCode != 422 || e.Error.Code != survey.EINVALID ||
			e.Error.Field != "answers" || e.Error.Key != "answers_empty" {
			t.Errorf("API: status %d, error %+v; want 422 invalid on answers with key answers_empty", resp.StatusCode, e.Error)
		}
		team := url.Values{"team_link": {f.links["A2"]}, "campaign_id": {id}}
		if resp, _ := page(t, f.app, "POST", "/s/submit", team); resp.StatusCode != 422 || cookieNamed(resp, "dg_answered_") != nil {
			t.Errorf("empty through a team link: status %d, want 422 and no answered mark", resp.StatusCode)
		}
		if got := f.responses(t); got != 0 {
			t.Fatalf("responses = %d after empty questionnaires, want 0", got)
		}
		// The invitation is still usable: open it and answer for real.
		if resp, _ := page(t, f.app, "POST", "/s/", url.Values{"token": {f.tokens[0]}}); resp.StatusCode != 200 {
			t.Errorf("the invitation after an empty try: status %d, want 200", resp.StatusCode)
		}
		if resp, _ := page(t, f.app, "POST", "/s/submit", url.Values{"token": {f.tokens[0]}, "campaign_id": {id}, "sms.private": {"3"}}); resp.StatusCode != 303 {
			t.Errorf("one answer: status %d, want 303", resp.StatusCode)
		}
		if got := f.responses(t); got != 1 {
			t.Errorf("responses = %d, want 1", got)
		}
	})
}

// A used invitation says so plainly, and that nothing more is needed: not
// "not possible for the moment", which invites trying again.
func TestRespondent_UsedInvitationSaysNothingMoreIsNeeded(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		f := newSurvey(t, dialect)
		tok := url.Values{"token": {f.tokens[0]}}
		if resp, _ := page(t, f.app, "POST", "/s/submit", fullForm(f, tok)); resp.StatusCode != 303 {
			t.Fatalf("first answer: status %d", resp.StatusCode)
		}
		tests := []struct {
			name, path string
			form       url.Values
			want       []string
		}{
			{"opened again", "/s/", tok, []string{"Invitation déjà utilisée", "déjà été envoyée avec cette invitation", "rien d'autre à faire"}},
			{"opened again in English", "/s/?lang=en", tok, []string{"Invitation already used", "already been sent with this invitation", "Nothing more is needed"}},
			{"sent again", "/s/submit", fullForm(f, tok), []string{"Invitation déjà utilisée", "rien d'autre à faire"}},
		}
		for _, tt := range tests {
			resp, body := page(t, f.app, "POST", tt.path, tt.form)
			body = html.UnescapeString(body)
			if resp.StatusCode != 409 {
				t.Errorf("%s: status %d, want 409", tt.name, resp.StatusCode)
			}
			for _, want := range tt.want {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the page lacks %q", tt.name, want)
				}
			}
			for _, retry := range []string{"pas possible pour le moment", "cannot be done now", "réessayer"} {
				if strings.Contains(body, retry) {
					t.Errorf("%s: the page says %q, which invites retrying", tt.name, retry)
				}
			}
		}
		var e apiError
		body := responseBody(f.campaign.ID, `"token":"`+f.tokens[0]+`"`, `{"sms.private":2}`)
		if resp := postJSON(t, f.app, "/api/v1/responses", body, &e); resp.StatusCode != 409 || e.Error.Code != survey.ECONFLICT ||
			e.Error.Field != "token" || e.Error.Key != "invitation_used" || !strings.Contains(e.Error.Message, "nothing more is needed") {
			t.Errorf("API: status %d, error %+v; want 409 conflict on token, key invitation_used, saying nothing more is needed", resp.StatusCode, e.Error)
		}
		if got := f.responses(t); got != 1 {
			t.Errorf("responses = %d, want 1", got)
		}
	})
}

// On a shared branch PC the team link's "already answered" mark must not
// lock out the next colleague: the thank-you page and the guarded page both
// offer "another colleague on this computer?", which clears the mark.
func TestRespondent_TeamLinkNextColleagueOnTheSamePCIsNotLockedOut(t *testing.T) {
	f := newSurvey(t, survey.SQLite)
	key := f.links["A2"]
	resp, _ := page(t, f.app, "POST", "/s/submit", fullForm(f, url.Values{"team_link": {key}}))
	mark := cookieNamed(resp, "dg_answered_")
	if resp.StatusCode != 303 || mark == nil {
		t.Fatalf("colleague A: status %d, mark %v; want 303 and the answered mark", resp.StatusCode, mark)
	}
	thanks := resp.Header.Get("Location")
	another := `action="/s/another"`
	hidden := `name="team_link" value="` + key + `"`
	for _, tt := range []struct {
		name, path, want string
		status           int
	}{
		{"thank-you page", thanks, "Un autre collègue sur cet ordinateur ?", 200},
		{"thank-you page in English", thanks + "&lang=en", "Another colleague on this computer?", 200},
		{"team link opened again", "/s/team/" + key, "Un autre collègue sur cet ordinateur ?", 409},
	} {
		resp, body := page(t, f.app, "GET", tt.path, nil, mark)
		if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) || !strings.Contains(body, another) || !strings.Contains(body, hidden) {
			t.Errorf("%s (%s): status %d, want %d offering %q with a form to %s", tt.name, tt.path, resp.StatusCode, tt.status, tt.want, another)
		}
	}
	resp, _ = page(t, f.app, "POST", "/s/another", url.Values{"team_link": {key}}, mark)
	cleared := cookieNamed(resp, "dg_answered_")
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/s/team/"+key {
		t.Fatalf("another colleague: status %d to %q, want 303 to the team link", resp.StatusCode, resp.Header.Get("Location"))
	}
	if cleared == nil || cleared.Name != mark.Name || cleared.Path != "/" || cleared.Expires.IsZero() || cleared.Expires.Year() > 1970 {
		t.Fatalf("another colleague: cookie %+v, want %s removed", cleared, mark.Name)
	}
	// The browser has dropped the mark: colleague B sees the first page and answers.
	if resp, body := page(t, f.app, "GET", "/s/team/"+key, nil); resp.StatusCode != 200 || !strings.Contains(body, `id="start"`) {
		t.Fatalf("colleague B: status %d, want the first page", resp.StatusCode)
	}
	if resp, _ := page(t, f.app, "POST", "/s/submit", fullForm(f, url.Values{"team_link": {key}})); resp.StatusCode != 303 {
		t.Errorf("colleague B sends: status %d, want 303", resp.StatusCode)
	}
	if got := f.responses(t); got != 2 {
		t.Errorf("responses = %d, want 2", got)
	}
	if resp, body := page(t, f.app, "POST", "/s/another", url.Values{"team_link": {"nope"}}); resp.StatusCode != 404 || !strings.Contains(html.UnescapeString(body), "lien d'équipe n'est pas valide") {
		t.Errorf("another colleague with a bad link: status %d, want 404 saying so", resp.StatusCode)
	}
}
