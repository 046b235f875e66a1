package api_test

import (
	"context"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"digigap/survey"
)

// Handler tests of the HR console's forms: each valid form does its
// action (audited), each invalid one shows the message next to its field
// and stores nothing.

func (f *fixture) countOf(model any) int64 {
	var n int64
	if err := f.st.ReadDB().Model(model).Count(&n).Error; err != nil {
		f.t.Fatal(err)
	}
	return n
}

func (f *fixture) lastAudit() survey.AuditEntry {
	page, err := f.st.AuditLog(context.Background(), 0, 1)
	if err != nil || len(page.Entries) == 0 {
		f.t.Fatalf("audit log: %v", err)
	}
	return page.Entries[0]
}

const grownOrg = secOrg + "ROUBAIX,NORD,Agence Roubaix,7\n"

func TestConsole_OrgPreviewChangesNothingUntilConfirmed(t *testing.T) {
	f := newFixture(t)
	resp, page := f.hr.do("POST", "/hr/org/preview", multipartType, multipartFile("file", "org.csv", strings.Replace(grownOrg, "Agence Lille,12", "Agence Lille Centre,14", 1)))
	if resp.StatusCode != 200 || !strings.Contains(page, "ROUBAIX") || !strings.Contains(page, "Agence Lille → Agence Lille Centre") || !strings.Contains(page, "12 → 14") {
		t.Fatalf("preview: status %d %s", resp.StatusCode, page)
	}
	if _, err := f.st.TeamByCode(context.Background(), "ROUBAIX"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("the preview stored the new team: %v", err)
	}
	resp, _ = f.hr.do("POST", "/hr/org/apply", formPost, "file="+url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(grownOrg))))
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/hr/org?done=org" {
		t.Fatalf("apply: status %d Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, err := f.st.TeamByCode(context.Background(), "ROUBAIX"); err != nil {
		t.Errorf("the confirmed import did not store the team: %v", err)
	}
	if e := f.lastAudit(); e.Action != survey.AuditOrgImported || e.Actor != "hr@bank.example" {
		t.Errorf("last audit entry %+v, want the org import by HR", e)
	}
}

func TestConsole_OrgFileErrorsAreListedByLine(t *testing.T) {
	f := newFixture(t)
	before := f.countOf(&survey.Team{})
	for name, body := range map[string]string{
		"bad rows":     multipartFile("file", "org.csv", secOrg+"X!,B,Bad code,1\nOK2,B,,3\n"),
		"no file":      "--digigapBoundary--\r\n",
		"empty file":   multipartFile("file", "org.csv", ""),
		"wrong header": multipartFile("file", "org.csv", "a,b,c\n1,2,3\n"),
	} {
		resp, page := f.hr.do("POST", "/hr/org/preview", multipartType, body)
		if resp.StatusCode != 422 || !strings.Contains(page, `id="error-summary"`) {
			t.Errorf("%s: status %d, want 422 with the errors listed", name, resp.StatusCode)
		}
		// The console speaks French by default: line errors too.
		if name == "bad rows" && (!strings.Contains(page, "Ligne 7 : le code") || !strings.Contains(page, "Ligne 8 : le nom")) {
			t.Errorf("bad rows: the page does not name both bad lines in French: %s", page)
		}
	}
	if got := f.countOf(&survey.Team{}); got != before {
		t.Errorf("teams = %d after refused files, want %d", got, before)
	}
}

func TestConsole_RemovingATeamOfACampaignIsRefusedWithTheStoreMessage(t *testing.T) {
	f := newFixture(t)
	withoutSud := "code,parent_code,name,headcount\nB,,Banque,2\nNORD,B,Secteur Nord,1\nLILLE,NORD,Agence Lille,12\n"
	resp, page := f.hr.do("POST", "/hr/org/preview", multipartType, multipartFile("file", "org.csv", withoutSud))
	if resp.StatusCode != 409 || !strings.Contains(page, "ne peut pas être supprimée") || !strings.Contains(page, "archivez-la") || strings.Contains(page, `action="/hr/org/apply"`) {
		t.Errorf("preview: status %d, want 409 with the refusal and no confirm button: %s", resp.StatusCode, page)
	}
	resp, page = f.hr.do("POST", "/hr/org/apply", formPost, "file="+url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(withoutSud))))
	if resp.StatusCode != 409 || !strings.Contains(page, "ne peut pas être supprimée") {
		t.Errorf("apply: status %d, want 409 with the store's message", resp.StatusCode)
	}
	if _, err := f.st.TeamByCode(context.Background(), "SUDX"); err != nil {
		t.Errorf("SUDX was removed: %v", err)
	}
}

func TestConsole_CampaignFormCreatesADraft(t *testing.T) {
	f := newFixture(t)
	resp, _ := f.hr.do("POST", "/hr/campaigns", formPost, campaignForm)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/hr/campaigns/4?done=campaign_created" {
		t.Fatalf("status %d Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	c, err := f.st.Campaign(context.Background(), 4)
	if err != nil || c.Name != "Vague 3" || c.State != survey.StateDraft || len(c.TeamIDs) != 2 || c.MinGroup != 5 {
		t.Errorf("stored %+v, %v", c, err)
	}
	if e := f.lastAudit(); e.Action != survey.AuditCampaignCreated {
		t.Errorf("last audit entry %+v", e)
	}
}

func TestConsole_CampaignFormErrorsShowNextToTheirFieldAndStoreNothing(t *testing.T) {
	f := newFixture(t)
	before := f.countOf(&survey.Campaign{})
	for field, change := range map[string][2]string{
		"name":             {"name=Vague+3", "name=+"},
		"team_codes":       {"team_codes=NORD&team_codes=LILLE", "team_codes=NOPE"},
		"opens_on":         {"opens_on=2026-04-01", "opens_on=01%2F04%2F2026"},
		"closes_on":        {"closes_on=2026-04-20", "closes_on=2026-03-20"},
		"min_group":        {"min_group=5", "min_group=2"},
		"questionnaire_id": {"questionnaire_id=1", "questionnaire_id=99"},
		"access_mode":      {"access_mode=both", "access_mode=email"},
		"retention_days":   {"retention_days=730", "retention_days=abc"},
	} {
		resp, page := f.hr.do("POST", "/hr/campaigns", formPost, strings.Replace(campaignForm, change[0], change[1], 1))
		if resp.StatusCode != 422 || !strings.Contains(page, `id="`+field+`-error"`) {
			t.Errorf("%s: status %d, want 422 with the message next to the field", field, resp.StatusCode)
		}
		if field == "name" && !strings.Contains(page, "Un nom de 1 à 200 caractères") {
			t.Errorf("name: the message is not in French")
		}
	}
	resp, page := f.hr.do("POST", "/hr/campaigns", formPost, "min_group=2")
	for _, field := range []string{"name", "team_codes", "opens_on", "min_group"} {
		if resp.StatusCode != 422 || !strings.Contains(page, `id="`+field+`-error"`) {
			t.Errorf("empty form: no message next to %s", field)
		}
	}
	if got := f.countOf(&survey.Campaign{}); got != before {
		t.Errorf("campaigns = %d after refused forms, want %d", got, before)
	}
}

func TestConsole_OnlyADraftCanBeEdited(t *testing.T) {
	f := newFixture(t)
	resp, _ := f.hr.do("POST", "/hr/campaigns/1", formPost, strings.Replace(campaignForm, "Vague+3", "Vague+Nord+bis", 1))
	if resp.StatusCode != 303 {
		t.Fatalf("edit of a draft: status %d", resp.StatusCode)
	}
	openCampaign1(f)
	resp, page := f.hr.do("POST", "/hr/campaigns/1", formPost, strings.Replace(campaignForm, "min_group=5", "min_group=3", 1))
	if resp.StatusCode != 422 || !strings.Contains(page, "only a draft can be edited") {
		t.Errorf("edit of an open campaign: status %d, want 422 with the reason", resp.StatusCode)
	}
	if c, _ := f.st.Campaign(context.Background(), 1); c.MinGroup != 5 || c.Name != "Vague Nord bis" {
		t.Errorf("stored %+v", c)
	}
}

func TestConsole_OpeningAndClosingAskFirst(t *testing.T) {
	f := newFixture(t)
	for _, step := range []struct{ verb, state string }{{"open", survey.StateOpen}, {"close", survey.StateClosed}} {
		resp, page := f.hr.do("POST", "/hr/campaigns/1/"+step.verb, formPost, "")
		if resp.StatusCode != 200 || !strings.Contains(page, `name="confirm" value="yes"`) {
			t.Fatalf("%s without confirmation: status %d, want the confirmation page", step.verb, resp.StatusCode)
		}
		if c, _ := f.st.Campaign(context.Background(), 1); c.State == step.state {
			t.Fatalf("%s happened before the confirmation", step.verb)
		}
		resp, _ = f.hr.do("POST", "/hr/campaigns/1/"+step.verb, formPost, "confirm=yes")
		if resp.StatusCode != 303 {
			t.Fatalf("%s confirmed: status %d", step.verb, resp.StatusCode)
		}
		if c, _ := f.st.Campaign(context.Background(), 1); c.State != step.state {
			t.Errorf("after %s: state %s", step.verb, c.State)
		}
	}
	if e := f.lastAudit(); e.Action != survey.AuditCampaignClosed || e.Actor != "hr@bank.example" {
		t.Errorf("last audit entry %+v", e)
	}
}

func TestConsole_InvitationsDownloadOnceAndReplacingAsksFirst(t *testing.T) {
	f := newFixture(t)
	openCampaign1(f)
	resp, csv := f.hr.do("POST", "/hr/campaigns/1/invitations", formPost, "team_codes=LILLE&count=2")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || strings.Count(csv, "\n") != 3 {
		t.Fatalf("first generation: status %d %q", resp.StatusCode, csv)
	}
	if e := f.lastAudit(); e.Action != survey.AuditInvitationsIssued || !strings.Contains(e.Detail, "LILLE 2") || strings.Contains(e.Detail, "#t=") {
		t.Errorf("last audit entry %+v", e)
	}
	before := f.countOf(&survey.Invitation{})
	resp, page := f.hr.do("POST", "/hr/campaigns/1/invitations", formPost, "team_codes=LILLE&count=2")
	if resp.StatusCode != 200 || !strings.Contains(page, "Agence Lille (LILLE)") || !strings.Contains(page, `name="confirm" value="yes"`) {
		t.Fatalf("second generation: status %d, want the confirmation page", resp.StatusCode)
	}
	if got := f.countOf(&survey.Invitation{}); got != before {
		t.Errorf("invitations = %d before the confirmation, want %d", got, before)
	}
	resp, _ = f.hr.do("POST", "/hr/campaigns/1/invitations", formPost, "confirm=yes&team_codes=LILLE&count=2")
	issued, _ := f.st.IssuedInvitations(context.Background(), 1)
	if resp.StatusCode != 200 || f.countOf(&survey.Invitation{}) != before+2 || len(issued) != 1 {
		t.Errorf("confirmed: status %d, issued %v", resp.StatusCode, issued)
	}
	for _, body := range []string{"count=abc", "count=-1", "team_codes=SUDX"} {
		n := f.countOf(&survey.Invitation{})
		if resp, _ := f.hr.do("POST", "/hr/campaigns/1/invitations", formPost, "confirm=yes&"+body); resp.StatusCode != 422 {
			t.Errorf("%s: status %d, want 422", body, resp.StatusCode)
		}
		if got := f.countOf(&survey.Invitation{}); got != n {
			t.Errorf("%s: invitations stored", body)
		}
	}
}

func TestConsole_ParticipationCountsBelowKReadLessThanK(t *testing.T) {
	f := newFixture(t)
	openCampaign1(f)
	def := survey.DefaultDefinition()
	lille, _ := f.st.TeamByCode(context.Background(), "LILLE")
	answer := func(n int) {
		for range n {
			sub := survey.Submission{CampaignID: 1, TeamID: lille.ID, Answers: def.AnswersFromForm(map[string][]string{"sms.private": {"3"}})}
			if _, err := f.st.Submit(context.Background(), sub); err != nil {
				t.Fatal(err)
			}
		}
	}
	answer(4)
	_, page := f.hr.do("GET", "/hr/campaigns/1", "", "")
	if !strings.Contains(page, `id="total-responses">&lt; 5<`) || strings.Contains(page, ">4<") {
		t.Errorf("4 responses with k = 5 are shown as a number: %s", page)
	}
	answer(1)
	_, page = f.hr.do("GET", "/hr/campaigns/1", "", "")
	if !strings.Contains(page, `id="total-responses">5<`) || !strings.Contains(page, "42 %") {
		t.Errorf("5 responses of 12 are not shown: %s", page)
	}
}

func TestConsole_QuestionnaireUploadListsErrorsByItem(t *testing.T) {
	f := newFixture(t)
	before := f.countOf(&survey.Questionnaire{})
	broken := strings.Replace(questionnaireV2(), "kind: single", "kind: singular", 1)
	resp, page := f.hr.do("POST", "/hr/questionnaires", multipartType, multipartFile("file", "q.yaml", broken))
	if resp.StatusCode != 422 || !strings.Contains(page, "singular") {
		t.Errorf("broken definition: status %d, want 422 naming the item: %s", resp.StatusCode, page)
	}
	if got := f.countOf(&survey.Questionnaire{}); got != before {
		t.Fatalf("questionnaires = %d after a refused file", got)
	}
	resp, _ = f.hr.do("POST", "/hr/questionnaires", multipartType, multipartFile("file", "q.yaml", questionnaireV2()))
	if resp.StatusCode != 303 || f.countOf(&survey.Questionnaire{}) != before+1 {
		t.Fatalf("valid definition: status %d", resp.StatusCode)
	}
	if resp, _ := f.hr.do("POST", "/hr/questionnaires/2/current", formPost, ""); resp.StatusCode != 303 {
		t.Errorf("make current: status %d", resp.StatusCode)
	}
	if q, _ := f.st.Questionnaire(context.Background(), 2); !q.IsCurrent {
		t.Error("version 2 is not current")
	}
}

func TestConsole_QuestionnairePreviewInBothLanguages(t *testing.T) {
	f := newFixture(t)
	def := survey.DefaultDefinition()
	for _, lang := range []string{"fr", "en"} {
		_, page := f.hr.do("GET", "/hr/questionnaires/1?show="+lang, "", "")
		if !strings.Contains(page, def.Title.In(lang)) || !strings.Contains(page, `lang="`+lang+`"`) || !strings.Contains(page, "<fieldset disabled") {
			t.Errorf("%s preview lacks the title %q", lang, def.Title.In(lang))
		}
	}
}

func TestConsole_UserFormValidatesAndCreatesManagers(t *testing.T) {
	f := newFixture(t)
	valid := "email=lille%40bank.example&role=manager&team_codes=LILLE&password=" + url.QueryEscape(testPassword)
	for field, body := range map[string]string{
		"email":      strings.Replace(valid, "lille%40bank.example", "not-an-address", 1),
		"password":   strings.Replace(valid, url.QueryEscape(testPassword), "short", 1),
		"team_codes": strings.Replace(valid, "&team_codes=LILLE", "", 1),
		"role":       strings.Replace(valid, "role=manager", "role=boss", 1),
	} {
		resp, page := f.hr.do("POST", "/hr/users", formPost, body)
		if resp.StatusCode != 422 || !strings.Contains(page, `id="`+field+`-error"`) || strings.Contains(page, testPassword) {
			t.Errorf("%s: status %d, want 422 with the message next to the field and no password echoed", field, resp.StatusCode)
		}
	}
	if _, err := f.acc.UserByEmail(context.Background(), "lille@bank.example"); err == nil {
		t.Fatal("a refused form created the user")
	}
	resp, _ := f.hr.do("POST", "/hr/users", formPost, valid)
	if resp.StatusCode != 303 {
		t.Fatalf("valid: status %d", resp.StatusCode)
	}
	if u, err := f.acc.UserByEmail(context.Background(), "lille@bank.example"); err != nil || u.Role != "manager" || len(u.TeamIDs) != 1 {
		t.Errorf("stored %+v %v", u, err)
	}
}

func TestConsole_UserTeamsAndDisableAskFirst(t *testing.T) {
	f := newFixture(t)
	if resp, page := f.hr.do("POST", "/hr/users/3/teams", formPost, "team_codes=NOPE"); resp.StatusCode != 422 || !strings.Contains(page, `id="team_codes-error"`) {
		t.Errorf("unknown team: status %d", resp.StatusCode)
	}
	if resp, _ := f.hr.do("POST", "/hr/users/3/teams", formPost, "team_codes=LILLE"); resp.StatusCode != 303 {
		t.Errorf("valid teams: status %d", resp.StatusCode)
	}
	resp, page := f.hr.do("POST", "/hr/users/3/disable", formPost, "")
	if u, _ := f.acc.User(context.Background(), 3); resp.StatusCode != 200 || !strings.Contains(page, `name="confirm"`) || u.Disabled {
		t.Fatalf("disable without confirmation: status %d disabled %v", resp.StatusCode, u.Disabled)
	}
	f.hr.do("POST", "/hr/users/3/disable", formPost, "confirm=yes")
	if u, _ := f.acc.User(context.Background(), 3); !u.Disabled {
		t.Error("not disabled after the confirmation")
	}
	if e := f.lastAudit(); e.Action != survey.AuditUserDisabled {
		t.Errorf("last audit entry %+v", e)
	}
}

func TestConsole_PosterCarriesTitleQRLinkAndPrivacy(t *testing.T) {
	f := newFixture(t)
	resp, page := f.hr.do("GET", "/hr/campaigns/1/posters?team=LILLE", "", "")
	for _, want := range []string{"Vague Nord", "Agence Lille", "/team-links/LILLE/qr.png", "/s/team/", "au moins 5 personnes", "rien de ce qui vous identifie"} {
		if resp.StatusCode != 200 || !strings.Contains(page, want) {
			t.Errorf("poster lacks %q", want)
		}
	}
	if resp, _ := f.hr.do("GET", "/hr/campaigns/1/posters?team=SUDX", "", ""); resp.StatusCode != 404 {
		t.Errorf("poster of a team outside the campaign: status %d", resp.StatusCode)
	}
}

func TestConsole_AuditPageIsPaged(t *testing.T) {
	f := newFixture(t)
	for range 60 {
		if err := f.st.Audit(context.Background(), survey.AuditExport, "campaign 1", survey.DataDetail("test")); err != nil {
			t.Fatal(err)
		}
	}
	_, page := f.hr.do("GET", "/hr/audit", "", "")
	if got := strings.Count(page, "<tr><td>"); got != 50 || !strings.Contains(page, `rel="next"`) {
		t.Errorf("first page: %d rows, next link %v", got, strings.Contains(page, `rel="next"`))
	}
}
