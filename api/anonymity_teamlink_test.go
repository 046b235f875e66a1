package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"digigap/api"
	"digigap/auth"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// linkOrg has a team of 3 (T3) and one of 12 (T12).
const linkOrg = `code,parent_code,name,headcount
B,,Banque,0
T3,B,Petite équipe,3
T12,B,Grande équipe,12
`

// linkFixture is an open team-link campaign over linkOrg, served by an app
// whose team links take rate answers a minute (0: the default).
type linkFixture struct {
	st    *survey.Store
	app   *fiber.App
	clock *testClock
	camp  *survey.Campaign
	links map[string]string // team code → key
}

func newLinkFixture(t *testing.T, dialect string, rate int) *linkFixture {
	t.Helper()
	ctx := context.Background()
	clock := &testClock{t: startOfTests()}
	st := surveytest.MustOpen(t, dialect, survey.Options{Now: clock.Now})
	q, err := st.EnsureDefaultQuestionnaire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := survey.ParseOrgCSV(strings.NewReader(linkOrg))
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		t.Fatal(err)
	}
	c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: "Vague liens", QuestionnaireID: q.ID, TeamCodes: []string{"B"},
		OpensOn: "2026-03-02", ClosesOn: "2026-03-20", AccessMode: survey.AccessTeamLink, MinGroup: 3})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = st.OpenCampaign(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	f := &linkFixture{st: st, clock: clock, camp: c, links: map[string]string{}}
	links, err := st.TeamLinks(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range links {
		f.links[l.TeamCode] = l.Key
	}
	f.app = api.New(api.Deps{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), TeamLinkRate: rate})
	return f
}

// post sends one team-link answer through the JSON API, without the
// "answered" cookie, as a script would.
func (f *linkFixture) post(t testing.TB, team string) (*http.Response, apiError) {
	body := `{"campaign_id":` + strconv.FormatInt(f.camp.ID, 10) + `,"team_link":"` + f.links[team] + `","answers":{"sms.private":3}}`
	var e apiError
	resp := postJSON(t, f.app, "/api/v1/responses", []byte(body), &e)
	return resp, e
}

// stored counts the answers kept, mixed or still waiting in the mixing stage.
func (f *linkFixture) stored(t testing.TB) int64 {
	n, err := f.st.StoredAnswers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTeamLink_AnswersStopAtTheTeamsHeadcount: a team of 3 takes 3
// answers through its link, then 409 on the API and a clear page in both
// languages; the cookie the client drops changes nothing.
func TestTeamLink_AnswersStopAtTheTeamsHeadcount(t *testing.T) {
	for _, dialect := range surveytest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			f := newLinkFixture(t, dialect, 0)
			accepted := 0
			for i := range 6 {
				resp, e := f.post(t, "T3")
				switch {
				case resp.StatusCode == 201:
					accepted++
				case i >= 3 && resp.StatusCode == 409 && e.Error.Code == survey.ECONFLICT && e.Error.Field == "team_link":
				default:
					t.Errorf("answer %d: %d %+v", i+1, resp.StatusCode, e)
				}
			}
			if accepted != 3 || f.stored(t) != 3 {
				t.Errorf("team of 3: %d accepted, %d stored, want 3", accepted, f.stored(t))
			}
			if resp, _ := f.post(t, "T12"); resp.StatusCode != 201 {
				t.Errorf("another team's link: %d, want 201", resp.StatusCode)
			}
			for lang, want := range map[string]string{"fr": "autant de réponses", "en": "as many answers"} {
				resp, body := page(t, f.app, "GET", "/s/team/"+f.links["T3"]+"?lang="+lang, nil)
				if resp.StatusCode != 409 || !strings.Contains(body, want) {
					t.Errorf("%s page of a full team link: %d, want 409 saying %q: %.600s", lang, resp.StatusCode, want, body)
				}
			}
		})
	}
}

// TestTeamLink_ConcurrentAnswersCannotPassTheHeadcount: 50 submissions at
// once on a team of 3 store exactly 3, with and without group commit.
func TestTeamLink_ConcurrentAnswersCannotPassTheHeadcount(t *testing.T) {
	for _, dialect := range surveytest.Dialects() {
		for _, grouped := range []bool{false, true} {
			t.Run(dialect+"/group-commit="+strconv.FormatBool(grouped), func(t *testing.T) {
				f := newLinkFixture(t, dialect, 1000)
				if grouped {
					f.st.StartWriter(16, nil)
				}
				var mu sync.Mutex
				status := map[int]int{}
				var wg sync.WaitGroup
				for range 50 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						resp, _ := f.post(t, "T3")
						mu.Lock()
						status[resp.StatusCode]++
						mu.Unlock()
					}()
				}
				wg.Wait()
				if status[201] != 3 || status[409] != 47 || f.stored(t) != 3 {
					t.Errorf("50 concurrent answers on a team of 3: statuses %v, %d stored; want 3 × 201, 47 × 409, 3 stored", status, f.stored(t))
				}
			})
		}
	}
}

// TestTeamLink_EachLinkIsRateLimited: a link takes its rate of answers a
// minute, then 429 until the clock moves on; another link is not slowed.
func TestTeamLink_EachLinkIsRateLimited(t *testing.T) {
	f := newLinkFixture(t, survey.SQLite, 2)
	for i := range 2 {
		if resp, e := f.post(t, "T12"); resp.StatusCode != 201 {
			t.Fatalf("answer %d within the rate: %d %+v", i+1, resp.StatusCode, e)
		}
	}
	if resp, e := f.post(t, "T12"); resp.StatusCode != 429 || e.Error.Code != survey.ETOOMANY {
		t.Errorf("third answer in the same minute: %d %+v, want 429", resp.StatusCode, e)
	}
	if resp, _ := f.post(t, "T3"); resp.StatusCode != 201 {
		t.Errorf("another link: %d, want 201", resp.StatusCode)
	}
	// The page keeps the respondent's answers and says to wait.
	form := url.Values{"campaign_id": {strconv.FormatInt(f.camp.ID, 10)}, "team_link": {f.links["T12"]}, "sms.private": {"3"}}
	resp, body := page(t, f.app, "POST", "/s/submit", form)
	if resp.StatusCode != 429 || !strings.Contains(body, "Attendez une minute") || !strings.Contains(body, `value="3" checked`) {
		t.Errorf("form over the rate: %d, want 429 with the answers kept: %.1500s", resp.StatusCode, body)
	}
	f.clock.Advance(31 * time.Second)
	if resp, e := f.post(t, "T12"); resp.StatusCode != 201 {
		t.Errorf("after half a minute: %d %+v, want 201", resp.StatusCode, e)
	}
	if got := f.stored(t); got != 4 {
		t.Errorf("%d stored, want 4", got)
	}
}

// TestTeamLink_HRIsWarnedAndDashboardsSaySo: the campaign page and the new
// campaign form warn that a team link cannot stop one person answering
// several times and name the teams under 2k; dashboards mark the wave.
func TestTeamLink_HRIsWarnedAndDashboardsSaySo(t *testing.T) {
	f := newLinkFixture(t, survey.SQLite, 0)
	acc := auth.New(f.st)
	mustUser(t, acc, "hr@bank.example", auth.RoleHR)
	fx := &fixture{t: t, st: f.st, acc: acc, clock: f.clock}
	fx.app = api.New(api.Deps{Store: f.st, Accounts: acc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), InsecureCookies: true})
	hr := fx.client()
	hr.login("hr@bank.example", testPassword)
	hr.headers["Accept-Language"] = "en"
	_, body := hr.do("GET", "/hr/campaigns/"+strconv.FormatInt(f.camp.ID, 10), "", "")
	for _, want := range []string{`id="teamlink-warning"`, "one person answering several times", "fewer than 6", "Petite équipe"} {
		if !strings.Contains(body, want) {
			t.Errorf("campaign page: no %q: %.3000s", want, body)
		}
	}
	warning, _, _ := strings.Cut(strings.SplitN(body, `id="teamlink-warning"`, 2)[1], "</div>")
	if strings.Contains(warning, "Grande équipe") {
		t.Errorf("a team of 12 is listed as under 2k = 6")
	}
	_, body = hr.do("GET", "/hr/campaigns/new", "", "")
	if !strings.Contains(body, `id="teamlink-warning"`) || !strings.Contains(body, "one person answering several times") {
		t.Errorf("new campaign form: no team-link warning: %.3000s", body)
	}
	for _, path := range []string{"/dashboard/campaigns/1", "/dashboard/campaigns/1/teams/1"} {
		if resp, body := hr.do("GET", path, "", ""); resp.StatusCode != 200 || !strings.Contains(body, `class="teamlink-note"`) {
			t.Errorf("%s: %d, no team-link note: %.2000s", path, resp.StatusCode, body)
		}
	}
}
