package api_test

import (
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"digigap/api"
	"digigap/auth"
	"digigap/survey"
)

// waveOrg is the org file an HR lead uploads in the browser test.
const waveOrg = `code,parent_code,name,headcount
BANK,,Banque Régionale,3
NORTH,BANK,Secteur Nord,2
LILLE,NORTH,Agence Lille,12
ROUBAIX,NORTH,Agence Roubaix,8
`

// hrSession counts what an HR lead does: pages loaded and clicks.
type hrSession struct {
	t             *testing.T
	ctx           context.Context
	pages, clicks int
}

// click presses a button or a link that loads a new page and waits for sel there.
func (s *hrSession) click(sel, waitFor string) {
	s.t.Helper()
	s.clicks++
	s.pages++
	mustDo(s.t, s.ctx, chromedp.Click(chromedp.CSS(sel)), chromedp.WaitVisible(chromedp.CSS(waitFor)))
}

// tick presses a checkbox or a radio: a click that loads nothing.
func (s *hrSession) tick(sel string) {
	s.t.Helper()
	s.clicks++
	mustDo(s.t, s.ctx, chromedp.Click(chromedp.CSS(sel)))
}

func (s *hrSession) visit(url, waitFor string) {
	s.t.Helper()
	s.pages++
	mustDo(s.t, s.ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(waitFor)))
}

func (s *hrSession) text(sel string) string {
	s.t.Helper()
	return run(s.t, s.ctx, chromedp.Text(chromedp.CSS(sel)))
}

// TestBrowser_HRRunsAWholeWaveFromAnEmptyDatabase is the promise:
// sign in, import the org with its preview, create and open a campaign,
// download the invitations, answer once, close and see participation,
// all in the browser.
func TestBrowser_HRRunsAWholeWaveFromAnEmptyDatabase(t *testing.T) {
	ctx := browser(t)
	mustDo(t, ctx, chromedp.EmulateViewport(1100, 900))
	st := surveytestStore(t)
	if _, err := auth.New(st).CreateUser(context.Background(), auth.UserInput{Email: "rh@bank.example", Role: auth.RoleHR, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	base := serve(t, api.New(api.Deps{Store: st, InsecureCookies: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	s := &hrSession{t: t, ctx: ctx}
	dir := t.TempDir()
	orgFile := filepath.Join(dir, "org.csv")
	if err := os.WriteFile(orgFile, []byte(waveOrg), 0o600); err != nil {
		t.Fatal(err)
	}

	s.visit(base+"/hr", "#email")
	mustDo(t, ctx, chromedp.SendKeys(chromedp.ID("email"), "rh@bank.example"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	s.click(`form.login-form button`, ".console-nav")
	screenshot(t, ctx, "console-1-home")

	s.click(`.console-nav a[href="/hr/org"]`, "#file")
	mustDo(t, ctx, chromedp.SetUploadFiles(chromedp.ID("file"), []string{orgFile}))
	s.clicks++ // choosing the file
	s.click(`form[action="/hr/org/preview"] button`, "#apply")
	if got := s.text("main"); !strings.Contains(got, "Agence Roubaix") || !strings.Contains(got, "4 équipes dans le fichier : 4 nouvelles") {
		t.Errorf("preview page: %q", got)
	}
	screenshot(t, ctx, "console-2-org-preview")
	s.click("#apply", ".notice-ok")
	screenshot(t, ctx, "console-3-org-tree")

	s.click(`.console-nav a[href="/hr/campaigns"]`, `a[href="/hr/campaigns/new"]`)
	s.click(`main a[href="/hr/campaigns/new"]`, "#name")
	mustDo(t, ctx, chromedp.SendKeys(chromedp.ID("name"), "Vague de printemps"))
	s.tick(`input[name="team_codes"][value="NORTH"]`)
	s.click("#save", "#open")
	screenshot(t, ctx, "console-4-campaign-draft")
	s.click("#open", "#confirm")
	s.click("#confirm", "#generate")

	links := downloadInvitations(s, dir)
	if got, want := len(links), 2+12+8; got != want {
		t.Fatalf("invitations in the CSV = %d, want %d (the headcounts of NORTH and below)", got, want)
	}
	screenshot(t, ctx, "console-5-campaign-open")
	// The poster of a team (not counted: printing is optional in a wave).
	mustDo(t, ctx, chromedp.Navigate(base+"/hr/campaigns/1/posters?team=LILLE"), chromedp.WaitVisible(chromedp.CSS(".poster img")))
	if w := run(t, ctx, chromedp.Evaluate[int](`document.querySelector('.poster img').naturalWidth`)); w == 0 {
		t.Error("the poster's QR code did not load")
	}
	screenshot(t, ctx, "console-5b-poster")

	// A respondent answers once with the first link.
	s.visit(links[0], `#start button`)
	s.click(`#start button`, "#answers")
	s.tick(`label[for="f-sms.private-3"]`)
	s.click(`#answers button[type=submit]`, "[data-clear-drafts]")

	s.visit(base+"/hr/campaigns/1", "#close")
	if got := s.text("#total-responses"); got != "< 5" {
		t.Errorf("total responses shown = %q, want < 5 (one response, k = 5)", got)
	}
	s.click("#close", "#confirm")
	screenshot(t, ctx, "console-6-close-confirm")
	s.click("#confirm", ".notice-ok")
	if got := s.text("h1 .phase"); got != "clôturée" {
		t.Errorf("phase after closing = %q", got)
	}
	screenshot(t, ctx, "console-7-closed")
	if n := responses(t, st); n != 1 {
		t.Errorf("stored responses = %d, want 1", n)
	}
	t.Logf("the whole wave took %d pages and %d clicks (plus typing the e-mail, password and campaign name)", s.pages, s.clicks)
}

// downloadInvitations presses the generate button and reads the CSV the
// browser downloaded; it returns the links.
func downloadInvitations(s *hrSession, dir string) []string {
	s.t.Helper()
	downloads := filepath.Join(dir, "downloads")
	if err := os.Mkdir(downloads, 0o700); err != nil {
		s.t.Fatal(err)
	}
	allow := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: downloads})
		return err
	})
	s.clicks++
	mustDo(s.t, s.ctx, allow, chromedp.Click(chromedp.ID("generate")))
	data := waitForDownload(s.t, downloads)
	rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil || len(rows) < 2 || strings.Join(rows[0], ",") != "team_code,team_name,link" {
		s.t.Fatalf("downloaded CSV %q: %v", data, err)
	}
	var links []string
	for _, r := range rows[1:] {
		links = append(links, r[2])
	}
	return links
}

func waitForDownload(t *testing.T, dir string) []byte {
	t.Helper()
	for range 100 {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".crdownload") {
				data, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err == nil && len(data) > 0 {
					return data
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("no invitations CSV was downloaded")
	return nil
}

func surveytestStore(t *testing.T) *survey.Store {
	t.Helper()
	st, err := survey.Open(context.Background(), filepath.Join(t.TempDir(), "digigap.db"), survey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	// What serve does on first start: the default questionnaire is there.
	if _, err := st.EnsureDefaultQuestionnaire(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}

// responses counts the stored answers, mixed or still in the mixing stage.
func responses(t *testing.T, st *survey.Store) int64 {
	n, err := st.StoredAnswers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}
