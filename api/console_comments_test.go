package api_test

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"

	"digigap/analytics"
	"digigap/survey"
	"digigap/survey/surveytest"
)

var commentItem = regexp.MustCompile(`<li><blockquote>([^<]*)</blockquote></li>`)

// HR reads a closed campaign's comments in the console exactly as the
// engine decides them (the same set, shuffled), and a group under 10
// respondents shows none, with the reason in French.
func TestConsoleComments_ShowTheEnginesCommentsAndWithholdSmallGroups(t *testing.T) {
	st := demoStore(t)
	app := appOf(t, st)
	campaign, root := closedWaveRoot(t, st)
	ctx := context.Background()
	tree, _ := st.Tree(ctx)
	var want *analytics.Comments
	group := root
	for _, id := range tree.Subtree(root) {
		if cm, err := analytics.New(st).Comments(ctx, survey.FullScope(), campaign, id); err == nil && cm.Shown && len(cm.Comments) > 0 {
			want, group = cm, id
			break
		}
	}
	if want == nil {
		t.Fatal("no group of the demo's closed wave has comments to show")
	}
	_, _, page := get(t, app, fmt.Sprintf("/hr/campaigns/%d?lang=fr", campaign))
	if !strings.Contains(page, fmt.Sprintf(`href="/hr/campaigns/%d/comments"`, campaign)) {
		t.Error("the campaign page has no link to its comments")
	}
	status, _, page := get(t, app, fmt.Sprintf("/hr/campaigns/%d/comments?team=%d&lang=fr", campaign, group))
	if status != 200 {
		t.Fatalf("comments page: %d", status)
	}
	var got []string
	for _, m := range commentItem.FindAllStringSubmatch(page, -1) {
		got = append(got, html.UnescapeString(m[1]))
	}
	w := slices.Clone(want.Comments)
	slices.Sort(got)
	slices.Sort(w)
	if !slices.Equal(got, w) {
		t.Errorf("the page shows %d comments, the engine %d", len(got), len(w))
	}

	small := tree.ByCode("AG001-ACC").ID
	sm, _ := analytics.New(st).Comments(ctx, survey.FullScope(), campaign, small)
	if sm == nil || sm.Shown {
		t.Skip("the demo's AG001-ACC group is large enough to show its comments")
	}
	_, _, page = get(t, app, fmt.Sprintf("/hr/campaigns/%d/comments?team=%d&lang=fr", campaign, small))
	if strings.Contains(page, "<blockquote>") || !strings.Contains(page, "moins de 10 répondants") {
		t.Errorf("a group under 10 shows comments or no reason: %s", page)
	}
}

// The campaign page links the Excel and CSV exports of its gap and
// participation tables, which answer for an HR session.
func TestConsoleCampaign_LinksItsExcelDownloads(t *testing.T) {
	st := demoStore(t)
	app := appOf(t, st)
	campaign, _ := closedWaveRoot(t, st)
	_, _, page := get(t, app, fmt.Sprintf("/hr/campaigns/%d?lang=fr", campaign))
	links := regexp.MustCompile(`href="(/api/v1/campaigns/\d+/export/[a-z]+\?[^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(links) != 4 {
		t.Fatalf("export links = %d, want Excel and CSV of two tables", len(links))
	}
	for _, l := range links {
		u := html.UnescapeString(l[1])
		if status, h, _ := get(t, app, u); status != 200 || !strings.Contains(h["Content-Disposition"], "attachment") {
			t.Errorf("%s: %d %q", u, status, h["Content-Disposition"])
		}
	}
}

// commentWave closes a campaign over the whole bank where each team of
// counts wrote that many comments, mixed as the day after closing.
func commentWave(t *testing.T, st *survey.Store, name string, counts map[string]int) *survey.Campaign {
	t.Helper()
	ctx := context.Background()
	camp, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: name, QuestionnaireID: 1, TeamCodes: []string{"B"}, OpensOn: "2026-03-02", ClosesOn: "2026-03-20"})
	if err == nil {
		_, err = st.OpenCampaign(ctx, camp.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	tree, _ := st.Tree(ctx)
	for team, n := range counts {
		for i := range n {
			a := survey.Answers{"comment": fmt.Sprintf("%s commentaire %02d", team, i)}
			if _, err := st.Submit(ctx, survey.Submission{CampaignID: camp.ID, TeamID: tree.ByCode(team).ID, Answers: a}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := st.CloseCampaign(ctx, camp.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.WithClock(fixedDay("2026-03-21")).MixPending(ctx); err != nil {
		t.Fatal(err)
	}
	return camp
}

// Read from the console, a group's comments come in a new order on each
// read, a group of 10 or more shows them all, and one under 10 none, with
// the reason in French.
func TestConsoleComments_ShuffledOnEachReadAndOnlyFromTenRespondents(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		app, st := consoleApp(t, dialect)
		tree, _ := st.Tree(context.Background())
		read := func(camp *survey.Campaign, team string) ([]string, string) {
			s, _, page := hrCall(t, app, "GET", fmt.Sprintf("/hr/campaigns/%d/comments?team=%d", camp.ID, tree.ByCode(team).ID), "")
			if s != 200 {
				t.Fatalf("comments of %s: %d", team, s)
			}
			var got []string
			for _, m := range commentItem.FindAllStringSubmatch(page, -1) {
				got = append(got, html.UnescapeString(m[1]))
			}
			return got, page
		}
		large := commentWave(t, st, "Grande vague", map[string]int{"LILLE": 12, "NIMESX": 11})
		first, page := read(large, "LILLE")
		sorted := slices.Sorted(slices.Values(first))
		if len(first) != 12 || sorted[0] != "LILLE commentaire 00" || sorted[11] != "LILLE commentaire 11" {
			t.Fatalf("LILLE shows %q, want its 12 comments: %s", first, page)
		}
		// 12! orders: 30 equal reads in a row would mean no shuffle.
		differs := false
		for range 30 {
			if again, _ := read(large, "LILLE"); !slices.Equal(again, first) {
				differs = true
				break
			}
		}
		if !differs {
			t.Error("the comments come in the same order on every read: they are not shuffled")
		}
		if got, _ := read(large, "B"); len(got) != 23 {
			t.Errorf("the whole bank shows %d comments, want 23", len(got))
		}

		small := commentWave(t, st, "Petite vague", map[string]int{"LILLE": 9, "NIMESX": 12})
		if got, page := read(small, "LILLE"); len(got) != 0 || !strings.Contains(page, "moins de 10 répondants") {
			t.Errorf("a group of 9 shows %d comments, or no reason in French", len(got))
		}
	})
}
