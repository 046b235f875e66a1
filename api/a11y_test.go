package api_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"digigap/survey"
)

// a11yProblems lists what an automatic check can see of WCAG 2.1 AA in a
// page: language, one h1 and headings in order, a label for every control,
// radio and check boxes grouped in a fieldset with a legend, references
// that resolve, unique ids, and nothing the CSP would block.
func a11yProblems(doc *html.Node) []string {
	var problems []string
	ids := map[string]int{}
	labelFor := map[string]bool{}
	var described []string
	h1, lastLevel := 0, 0
	var walk func(n *html.Node, inLabel, inGroup bool)
	walk = func(n *html.Node, inLabel, inGroup bool) {
		if n.Type == html.ElementNode {
			if id := attr(n, "id"); id != "" {
				ids[id]++
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") || a.Key == "style" {
					problems = append(problems, "<"+n.Data+"> has an inline "+a.Key+" the CSP forbids")
				}
			}
			if d := attr(n, "aria-describedby"); d != "" {
				described = append(described, strings.Fields(d)...)
			}
			switch n.Data {
			case "html":
				if l := attr(n, "lang"); l != "fr" && l != "en" {
					problems = append(problems, "html lang = "+strconv.Quote(l))
				}
			case "h1", "h2", "h3", "h4", "h5", "h6":
				level := int(n.Data[1] - '0')
				if level == 1 {
					h1++
				}
				if level > lastLevel+1 {
					problems = append(problems, "heading "+n.Data+" follows h"+strconv.Itoa(lastLevel))
				}
				lastLevel = level
			case "label":
				labelFor[attr(n, "for")] = true
				inLabel = true
			case "fieldset":
				if first := firstElement(n); first == nil || first.Data != "legend" || strings.TrimSpace(text(first)) == "" {
					problems = append(problems, "fieldset "+attr(n, "id")+" does not start with a legend")
				}
				inGroup = true
			case "script":
				if attr(n, "nonce") == "" {
					problems = append(problems, "a script without the CSP nonce")
				}
			case "input", "textarea", "select":
				problems = append(problems, controlProblems(n, inLabel, inGroup)...)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLabel, inGroup)
		}
	}
	walk(doc, false, false)
	if h1 != 1 {
		problems = append(problems, strconv.Itoa(h1)+" h1 headings, want 1")
	}
	for id, n := range ids {
		if n > 1 {
			problems = append(problems, "id "+id+" is used "+strconv.Itoa(n)+" times")
		}
	}
	for _, id := range described {
		if ids[id] == 0 {
			problems = append(problems, "aria-describedby names missing id "+id)
		}
	}
	var unlabelled []string
	for _, p := range problems {
		if rest, ok := strings.CutPrefix(p, "check label for "); ok {
			if !labelFor[rest] {
				unlabelled = append(unlabelled, "control "+rest+" has no label")
			}
			continue
		}
		unlabelled = append(unlabelled, p)
	}
	return unlabelled
}

// controlProblems checks one form control; a label by for= is resolved by
// the caller once the whole page is read.
func controlProblems(n *html.Node, inLabel, inGroup bool) []string {
	typ := attr(n, "type")
	if typ == "hidden" || typ == "submit" || typ == "button" {
		return nil
	}
	var out []string
	if (typ == "radio" || typ == "checkbox") && !inGroup {
		out = append(out, "option "+attr(n, "id")+" is not in a fieldset")
	}
	if !inLabel && attr(n, "aria-label") == "" {
		out = append(out, "check label for "+attr(n, "id"))
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func firstElement(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			return c
		}
	}
	return nil
}

func text(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(text(c))
	}
	return b.String()
}

func TestRespondentPages_PassTheAccessibilityCheck(t *testing.T) {
	f := newSurvey(t, survey.SQLite)
	id := strconv.FormatInt(f.campaign.ID, 10)
	bad := url.Values{"token": {f.tokens[1]}, "campaign_id": {id}, "email.private": {"9"}, "barriers": {"1", "1"}, "comment": {strings.Repeat("x", 1001)}}
	pages := []struct {
		name, method, path string
		form               url.Values
		status             int
	}{
		{"landing", "GET", "/s/", nil, 200},
		{"landing with a wrong code", "POST", "/s/", url.Values{"token": {"wrong"}}, 422},
		{"intro through an invitation", "POST", "/s/", url.Values{"token": {f.tokens[0]}}, 200},
		{"intro through a team link", "GET", "/s/team/" + f.links["A2"], nil, 200},
		{"questionnaire", "POST", "/s/questionnaire", url.Values{"token": {f.tokens[0]}, "campaign_id": {id}}, 200},
		{"questionnaire in English", "POST", "/s/questionnaire", url.Values{"token": {f.tokens[0]}, "campaign_id": {id}, "lang": {"en"}}, 200},
		{"questionnaire with errors", "POST", "/s/submit", bad, 422},
		{"thanks", "GET", "/s/thanks", nil, 200},
		{"thanks after a team link", "GET", "/s/thanks?link=" + f.links["A2"], nil, 200},
		{"questionnaire sent empty", "POST", "/s/submit", url.Values{"token": {f.tokens[0]}, "campaign_id": {id}}, 422},
		{"unknown team link", "GET", "/s/team/nope", nil, 404},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			resp, body := page(t, f.app, p.method, p.path, p.form)
			if resp.StatusCode != p.status {
				t.Fatalf("status = %d, want %d", resp.StatusCode, p.status)
			}
			doc, err := html.Parse(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			for _, problem := range a11yProblems(doc) {
				t.Error(problem)
			}
		})
	}
	closed := f.at("2026-04-01")
	resp, body := page(t, closed, "GET", "/s/team/"+f.links["A1"], nil)
	doc, _ := html.Parse(strings.NewReader(body))
	if problems := a11yProblems(doc); resp.StatusCode != 409 || len(problems) > 0 {
		t.Errorf("closed survey page: status %d, problems %v", resp.StatusCode, problems)
	}
}

// The checker itself must catch what it claims to.
func TestA11yCheck_CatchesCommonMistakes(t *testing.T) {
	page := `<!doctype html><html><body><h1>a</h1><h3>b</h3><h1>c</h1>
<input id="x" type="text"><input type="radio" id="r"><label for="r">r</label>
<fieldset><p>no legend</p></fieldset><div onclick="x()" style="color:red"></div><script>1</script>
<p aria-describedby="nope"></p></body></html>`
	doc, _ := html.Parse(strings.NewReader(page))
	got := strings.Join(a11yProblems(doc), "\n")
	for _, want := range []string{"html lang", "h3 follows h1", "2 h1", "control x has no label", "option r is not in a fieldset",
		"does not start with a legend", "inline onclick", "inline style", "without the CSP nonce", "missing id nope"} {
		if !strings.Contains(got, want) {
			t.Errorf("the check misses %q; it found:\n%s", want, got)
		}
	}
}
