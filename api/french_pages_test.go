package api_test

import (
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"golang.org/x/net/html"

	"digigap/api"
	"digigap/static"
)

// englishWords are words that end an English sentence's disguise: common
// in English, absent from French (names such as "Teams" or "WhatsApp" are
// not among them).
var englishWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the and your you please must cannot can't should with not of to is are for this that
		from has have been than which there already was were will would could into only any each yet required invalid
		missing allowed sign out back next save cancel delete download print table view share private work blocked
		password email campaign team teams' wave waves answer answers response responses channel channels open closed
		draft unknown none more less than at least over under between no yes see read write found error errors
		line lines here click link`) {
		englishWords[w] = true
	}
}

// properNames may sit in a French page although English words: brands and
// formats.
var properNames = regexp.MustCompile(`(?i)\b(Microsoft Teams|Teams|WhatsApp|LinkedIn|Facebook|Excel|CSV|XLSX|PDF|SMS|QR|E-mail|OpenID Connect|TOTP|YAML)\b`)

var wordRE = regexp.MustCompile(`[\p{L}']+`)

// identifiers are a file's column names (team_code), codes (email.private)
// and a message's placeholders ({link}): data, in any language.
var identifiers = regexp.MustCompile(`\S*[_.]\pL\S*|\{\w+\}`)

// englishIn returns the English words of text when it reads as English: two
// English words, or one in a text of at most three words (a button, a
// heading, a lone error).
func englishIn(text string) []string {
	text = identifiers.ReplaceAllString(properNames.ReplaceAllString(text, " "), " ")
	words := wordRE.FindAllString(text, -1)
	var found []string
	for _, w := range words {
		if englishWords[strings.ToLower(w)] {
			found = append(found, w)
		}
	}
	if len(found) >= 2 || (len(found) == 1 && len(words) <= 3) {
		return found
	}
	return nil
}

// visibleTexts are a page's texts a reader meets: text nodes and the
// attributes read aloud or shown (title, aria-label, placeholder, alt, a
// button's value), outside scripts, styles, parts marked in another
// language (lang="en": the questionnaire preview shows both), code, and
// content the page shows as it was typed (translate="no", a textarea: the
// bilingual invitation message HR edits).
func visibleTexts(page string) []string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{"unparsable page: " + err.Error()}
	}
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "template", "code", "textarea":
				return
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "translate":
					if a.Val == "no" {
						return
					}
				case "lang":
					if !strings.HasPrefix(a.Val, "fr") && n.Data != "html" {
						return
					}
				case "title", "aria-label", "placeholder", "alt":
					out = append(out, a.Val)
				case "value":
					if n.Data == "input" && strings.Contains(fmt.Sprint(n.Attr), "submit") {
						out = append(out, a.Val)
					}
				}
			}
		}
		if n.Type == html.TextNode && strings.TrimSpace(n.Data) != "" {
			out = append(out, strings.TrimSpace(n.Data))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// checkFrench fails for each text of page that reads as English.
func checkFrench(t *testing.T, name string, status int, page string) {
	t.Helper()
	if !strings.Contains(page, `lang="fr"`) {
		t.Errorf("%s (%d): the page does not say it is French", name, status)
	}
	for _, text := range visibleTexts(page) {
		if words := englishIn(text); words != nil {
			t.Errorf("%s (%d): English on the French page: %q (%s)", name, status, text, strings.Join(words, ", "))
		}
	}
}

// The detector catches English sentences and lone English buttons, and
// lets every French text of the catalogue through.
func TestEnglishDetector_CatchesEnglishPassesTheFrenchCatalogue(t *testing.T) {
	for _, s := range []string{"Only a draft can be deleted", "Sign out", "the first line must be the header", "Password is too short", "Required"} {
		if englishIn(s) == nil {
			t.Errorf("%q passes as French", s)
		}
	}
	for _, s := range []string{"Messagerie instantanée (WhatsApp, Teams…)", "Exporter en CSV ou XLSX", "Seul un brouillon peut être supprimé."} {
		if w := englishIn(s); w != nil {
			t.Errorf("%q reads as English: %v", s, w)
		}
	}
	data, err := fs.ReadFile(static.Messages, "i18n/fr.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fr := map[string]string{}
	if err := yaml.Unmarshal(data, &fr); err != nil {
		t.Fatal(err)
	}
	for key, text := range fr {
		if w := englishIn(text); w != nil {
			t.Errorf("fr catalogue %s = %q reads as English: %v", key, text, w)
		}
	}
}

// Every page and every form error a French reader can meet — console,
// account, dashboards, respondent pages, error pages — is in French.
func TestPages_FrenchReaderMeetsNoEnglishSentence(t *testing.T) {
	f := newFixture(t)
	openCampaign1(f)
	for _, c := range []*client{f.hr, f.mgr, f.anon} {
		c.headers["Accept-Language"], c.headers["Accept"] = "fr-FR,fr;q=0.9", "text/html"
	}
	get := func(c *client, path string) {
		t.Helper()
		resp, page := c.do("GET", path, "", "")
		checkFrench(t, "GET "+path, resp.StatusCode, page)
	}
	post := func(c *client, path, ctype, body string) {
		t.Helper()
		resp, page := c.do("POST", path, ctype, body)
		checkFrench(t, "POST "+path+" "+body[:min(len(body), 60)], resp.StatusCode, page)
	}
	for _, p := range []string{"/hr", "/hr/org", "/hr/questionnaires", "/hr/questionnaires/1", "/hr/campaigns", "/hr/campaigns/new",
		"/hr/campaigns/1", "/hr/campaigns/2", "/hr/campaigns/2/edit", "/hr/campaigns/1/posters", "/hr/campaigns/1/comments", "/hr/campaigns/1/mail",
		"/hr/users", fmt.Sprintf("/hr/users/%d", f.mgrID), "/hr/audit", "/hr/coverage", "/account", "/account/second-factor",
		"/dashboard/", "/dashboard/campaigns/1", "/hr/campaigns/99", "/no-such-page"} {
		get(f.hr, p)
	}
	for _, p := range []string{"/hr", "/account", "/dashboard/", "/dashboard/campaigns/2"} {
		get(f.mgr, p) // 403 on the console and another sector's campaign
	}
	for _, p := range []string{"/login", "/s/", "/s/thanks", "/set-password/not-a-token", "/no-such-page"} {
		get(f.anon, p)
	}
	// Form errors, each next to its field or in the page's summary.
	post(f.hr, "/hr/campaigns", formPost, "min_group=2")
	post(f.hr, "/hr/campaigns", formPost, strings.Replace(campaignForm, "team_codes=NORD", "team_codes=NOPE", 1))
	post(f.hr, "/hr/campaigns", formPost, strings.Replace(campaignForm, "retention_days=730", "retention_days=abc", 1))
	post(f.hr, "/hr/campaigns/1/delete", formPost, "confirm=yes")
	post(f.hr, "/hr/users", formPost, "email=not-an-address&role=boss&password=short")
	post(f.hr, "/hr/org/preview", multipartType, multipartFile("file", "org.csv", secOrg+"X!,B,Bad code,1\nOK2,B,,3\n"))
	post(f.hr, "/hr/org/preview", multipartType, multipartFile("file", "org.csv", "a,b,c\n1,2,3\n"))
	post(f.hr, "/hr/org/preview", multipartType, "--digigapBoundary--\r\n")
	post(f.hr, "/hr/coverage", multipartType, multipartFile("file", "c.csv", coverageCSV+"LILLE,2026-13,10,1,1,1,1\nPARIS,2026-02,10,1,1,1,1\n"))
	post(f.hr, "/hr/coverage", multipartType, multipartFile("file", "c.csv", "team_code,period,clients,with_mobile,with_email,sms_consent,email_consent,name\n"))
	// Questionnaire files: rules broken by items, channels and scales, an
	// unknown key, a YAML alias, a fraction, an empty file.
	def := questionnaireV2()
	for _, broken := range []string{
		strings.Replace(strings.Replace(def, "kind: single", "kind: singular", 1), "role: frequency", "role: freq", 1),
		strings.Replace(strings.Replace(def, "version: 2", "version: 0", 1), "languages: [fr, en]", "languages: [fr, en, fr, english]", 1),
		strings.Replace(def, "scale: frequency", "scale: nope", 1),
		strings.Replace(def, "minutes:", "minute:", 1),
		strings.Replace(def, "version: 2", "version: 2.5", 1),
		"key: a\nversion: 1\ntitle: &t {fr: x}\nintro: *t\n",
		"key: x\n",
	} {
		post(f.hr, "/hr/questionnaires", multipartType, multipartFile("file", "q.yaml", broken))
	}
	post(f.hr, "/hr/campaigns/1/mail/template", formPost, "action=save&subject=Sujet&body=sans+lien")
	post(f.hr, "/hr/campaigns/1/mail/recipients", multipartType, multipartFile("file", "list.csv", "NOPE;not-an-address\n"))
	post(f.mgr, "/account/password", formPost, passwordForm("not it at all", "another long passphrase"))
	post(f.mgr, "/account/password", formPost, passwordForm(testPassword, "short"))
	post(f.anon, "/login", formPost, "email=a%40b.example&password=wrong")
	post(f.anon, "/s/", formPost, "token=not-a-token")
	post(f.anon, "/s/submit", formPost, "token=not-a-token&campaign_id=1")
	// HR's actions from French pages, then the audit log listing them: the
	// details of entries written today are French too, none marked English.
	for _, a := range [][3]string{
		{"/hr/campaigns", formPost, campaignForm},
		{"/hr/users", formPost, "email=lille%40bank.example&role=manager&team_codes=LILLE&password=" + url.QueryEscape(testPassword)},
		{"/hr/references", formPost, url.Values{"label": {"Objectif"}, "channel": {"sms"}, "value": {"70,5"}}.Encode()},
		{"/hr/campaigns/1/mail/recipients", multipartType, multipartFile("file", "list.csv", "LILLE;un@banque.example\n")},
		{"/hr/campaigns/1/mail/send", formPost, ""},
		{"/hr/campaigns/1/close", formPost, "confirm=yes"},
	} {
		if resp, page := f.hr.do("POST", a[0], a[1], a[2]); resp.StatusCode != 303 {
			t.Errorf("POST %s: status %d, want 303: %s", a[0], resp.StatusCode, page)
		}
	}
	resp, page := f.hr.do("GET", "/hr/audit", "", "")
	checkFrench(t, "GET /hr/audit after HR's actions", resp.StatusCode, page)
	if strings.Count(page, "<tr>") < 10 || strings.Contains(page, `<td lang="en"`) {
		t.Errorf("the audit log lists few entries or marks details English: %s", page)
	}
}

// The dashboards of the demo, each kind of page, read in French.
func TestPages_FrenchDashboardsOfTheDemo(t *testing.T) {
	st := demoStore(t)
	app := api.New(api.Deps{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	bearer := hrBearer(t, st)
	for _, np := range demoPages(t, st) {
		path := strings.Replace(np[1], "lang=en", "lang=fr", 1)
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+bearer)
		req.Header.Set("Accept-Language", "fr")
		resp, err := app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		page, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		checkFrench(t, "GET "+path, resp.StatusCode, string(page))
	}
}
