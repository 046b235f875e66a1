package api_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"digigap/api"
	"digigap/survey"
)

// TestBrowser_HRSetsReferenceValuesAndArchivesATeamInFrench walks the two
// console pages of issue 16 point 8 as an HR lead does, in French: a
// wrong reference value is explained next to its field, the corrected one
// is listed; then a sector whose wave closed is archived after confirming.
func TestBrowser_HRSetsReferenceValuesAndArchivesATeamInFrench(t *testing.T) {
	ctx := browser(t)
	mustDo(t, ctx, chromedp.EmulateViewport(1100, 900))
	_, st, _ := archiveCase(t, survey.SQLite)
	base := serve(t, api.New(api.Deps{Store: st, InsecureCookies: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	s := &hrSession{t: t, ctx: ctx}

	s.visit(base+"/hr", "#email")
	mustDo(t, ctx, chromedp.SendKeys(chromedp.ID("email"), "hr@bank.example"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	s.click(`form.login-form button`, ".console-nav")

	s.click(`.console-nav a[href="/hr/references"]`, "#add-reference")
	if got := s.text("main"); !strings.Contains(got, "Aucune valeur de référence") {
		t.Errorf("empty reference page: %q", got)
	}
	mustDo(t, ctx, chromedp.SendKeys(chromedp.ID("label"), "Clients utilisant le site web"),
		chromedp.SetValue(chromedp.ID("channel"), "web_services"),
		chromedp.SendKeys(chromedp.ID("value"), "beaucoup"))
	s.click("#add-reference", "#value-error")
	if got := s.text("#value-error"); !strings.Contains(got, "La valeur est un pourcentage de 0 à 100") {
		t.Errorf("message next to the value: %q", got)
	}
	if got := run(t, ctx, chromedp.Evaluate[string](`document.getElementById('label').value`)); got != "Clients utilisant le site web" {
		t.Errorf("the label typed was lost: %q", got)
	}
	screenshot(t, ctx, "console-references-error-fr")
	mustDo(t, ctx, chromedp.Clear(chromedp.ID("value")), chromedp.SendKeys(chromedp.ID("value"), "70,5"))
	s.click("#add-reference", "#references")
	if got := s.text("#references"); !strings.Contains(got, "70,5") || !strings.Contains(got, "Services en ligne") {
		t.Errorf("listed reference: %q", got)
	}
	screenshot(t, ctx, "console-references-fr")

	s.click(`.console-nav a[href="/hr/org"]`, "#archive-link")
	s.click("#archive-link", "#archive-teams")
	if got := s.text("#archive-teams"); !strings.Contains(got, "Fait partie de « Vague NORD », pas encore close.") {
		t.Errorf("the archive page does not say why NORD stays: %q", got)
	}
	screenshot(t, ctx, "console-archive-fr")
	s.click(`form[action="/hr/org/archive"]:has(input[value="SUDX"]) button`, "#confirm")
	if got := s.text("main"); !strings.Contains(got, "Archiver « Secteur Sudiste » ?") {
		t.Errorf("confirmation: %q", got)
	}
	s.click("#confirm", "#archived")
	if got := s.text("#archived"); !strings.Contains(got, "Agence Nimoise (NIMESX)") || !strings.Contains(got, "Secteur Sudiste (SUDX)") {
		t.Errorf("archived list: %q", got)
	}
	if got := s.text(".notice-ok"); !strings.Contains(got, "L’équipe a été archivée.") {
		t.Errorf("notice: %q", got)
	}
	screenshot(t, ctx, "console-archive-done-fr")
	t.Logf("%d pages, %d clicks", s.pages, s.clicks)
}
