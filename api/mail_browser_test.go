package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"digigap/api"
	"digigap/auth"
	"digigap/mailer"
	"digigap/mailer/mailtest"
	"digigap/survey"
)

// TestBrowser_HRMailsAWaveAndOneReminder is issue 17's promise: HR uploads
// addresses, edits the message, sends; a respondent opens the link of the
// message they received and answers; HR sends one reminder, which reaches
// only the others, with links that work while the old ones say why not.
func TestBrowser_HRMailsAWaveAndOneReminder(t *testing.T) {
	ctx := browser(t)
	mustDo(t, ctx, chromedp.EmulateViewport(1100, 900))
	st := surveytestStore(t)
	bg := context.Background()
	if _, err := auth.New(st).CreateUser(bg, auth.UserInput{Email: "rh@bank.example", Role: auth.RoleHR, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	camp := mailCampaign(t, st)
	relay := mailtest.Start(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	r, _ := mailer.ParseRelay(relay.URL(), "")
	sender := mailer.New(st, mailer.Options{Relay: r, From: "enquete@bank.example", BaseURL: base, Poll: 50 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	sctx, stop := context.WithCancel(bg)
	stopped := make(chan struct{})
	go func() { sender.Run(sctx); close(stopped) }()
	t.Cleanup(func() { stop(); <-stopped })
	app := api.New(api.Deps{Store: st, InsecureCookies: true, Mail: sender, BaseURL: base, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	go app.Listener(ln)
	t.Cleanup(func() { app.Shutdown() })

	list := filepath.Join(t.TempDir(), "adresses.csv")
	if err := os.WriteFile(list, []byte("\ufeffcode_equipe;email\nLILLE;alice@bank.example\nLILLE;bruno@bank.example\nROUBAIX;chloe@bank.example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &hrSession{t: t, ctx: ctx}
	s.visit(base+"/hr", "#email")
	mustDo(t, ctx, chromedp.SendKeys(chromedp.ID("email"), "rh@bank.example"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	s.click(`form.login-form button`, ".console-nav")
	s.visit(base+campPath(camp)+"", "#mail-link")
	s.click("#mail-link", "#file")
	mustDo(t, ctx, chromedp.SetUploadFiles(chromedp.ID("file"), []string{list}))
	s.click("#upload", ".notice-ok")
	if got := s.text("#count-listed"); got != "3" {
		t.Errorf("addresses kept = %q, want 3", got)
	}
	if strings.Contains(s.text("main"), "@bank.example") {
		t.Error("the page shows an address")
	}
	mustDo(t, ctx, chromedp.SetValue(chromedp.ID("subject"), "Votre avis compte : {campaign}"))
	s.click("#preview", "#preview-subject")
	waitText(t, s, "#preview-heading", "pas encore enregistré")
	if got := s.text("#preview-subject"); got != "Votre avis compte : Vague de l’été" {
		t.Errorf("preview subject = %q", got)
	}
	s.click("#save-template", ".notice-ok")
	screenshot(t, ctx, "mail-1-message")
	s.click("#send-invitations", ".notice-ok")
	first := byAddress(t, relay.Wait(t, 3, time.Minute))
	alice := first["alice@bank.example"]
	if alice.Subject != "Votre avis compte : Vague de l’été" || !strings.HasPrefix(alice.Link(), base+"/s/#t=") {
		t.Fatalf("message to alice: subject %q, link %q", alice.Subject, alice.Link())
	}

	// Alice opens the link of her message and answers.
	s.visit(alice.Link(), `#start button`)
	s.click(`#start button`, "#answers")
	s.tick(`label[for="f-sms.private-3"]`)
	s.click(`#answers button[type=submit]`, "[data-clear-drafts]")

	s.visit(base+campPath(camp)+"/mail", "#remind-button")
	if got := s.text("#count-answered"); got != "1" {
		t.Errorf("answered = %q, want 1", got)
	}
	s.click("#remind-button", ".notice-ok")
	all := relay.Wait(t, 5, time.Minute)
	screenshot(t, ctx, "mail-2-reminded")
	reminded := map[string]int{}
	for _, m := range all[3:] {
		reminded[m.To[0]]++
	}
	if len(reminded) != 2 || reminded["alice@bank.example"] != 0 {
		t.Fatalf("reminders went to %v, want bruno and chloé only", reminded)
	}
	second := byAddress(t, all[3:])
	s.visit(first["bruno@bank.example"].Link(), "main h1")
	mustDo(t, ctx, chromedp.WaitVisible(chromedp.CSS("main")))
	waitText(t, s, "main", "Une invitation plus récente vous a été envoyée par e-mail le "+st.Today())
	mustDo(t, ctx, chromedp.Navigate("about:blank")) // a new link differs from this page's only by its fragment
	s.visit(second["bruno@bank.example"].Link(), `#start button`)
	s.click(`#start button`, "#answers")
	s.tick(`label[for="f-sms.private-2"]`)
	s.click(`#answers button[type=submit]`, "[data-clear-drafts]")
	if n := responses(t, st); n != 2 {
		t.Errorf("stored responses = %d, want 2", n)
	}
	t.Logf("the e-mailed wave took %d pages and %d clicks", s.pages, s.clicks)
}

// mailCampaign is an open campaign over the two agencies, from yesterday.
func mailCampaign(t *testing.T, st *survey.Store) *survey.Campaign {
	t.Helper()
	ctx := context.Background()
	rows, err := survey.ParseOrgCSV(strings.NewReader(waveOrg))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		t.Fatal(err)
	}
	q, _ := st.EnsureDefaultQuestionnaire(ctx)
	c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: "Vague de l’été", QuestionnaireID: q.ID, TeamCodes: []string{"NORTH"},
		OpensOn: survey.AddDays(st.Today(), -1), ClosesOn: survey.AddDays(st.Today(), 20), AccessMode: survey.AccessInvitation})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.OpenCampaign(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	return c
}

func campPath(c *survey.Campaign) string { return "/hr/campaigns/" + itoa(c.ID) }

// byAddress parses messages by their one recipient.
func byAddress(t *testing.T, msgs []mailtest.Received) map[string]*mailtest.Parsed {
	t.Helper()
	out := map[string]*mailtest.Parsed{}
	for _, m := range msgs {
		p, err := mailtest.Parse(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		out[m.To[0]] = p
	}
	return out
}

// waitText waits until the text of sel holds want.
func waitText(t *testing.T, s *hrSession, sel, want string) {
	t.Helper()
	// Read through the page's own script: while the page is being
	// replaced the node may vanish, which is "not yet", not a failure.
	read := fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ""`, sel)
	deadline := time.Now().Add(time.Minute) // generous: a loaded 2-core machine
	for {
		got, err := chromedp.Run(s.ctx, chromedp.Evaluate[string](read))
		if err == nil && strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s says %q (%v), want %q", sel, got, err, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
