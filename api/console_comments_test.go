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
