package api_test

import (
	"bytes"
	"encoding/csv"
	"image/png"
	"io"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"digigap/survey"
)

func TestInvitationsAPI_CSVOnceAndRegeneratingRevokes(t *testing.T) {
	f := newSurvey(t, survey.SQLite)
	path := "/api/v1/campaigns/" + strconv.FormatInt(f.campaign.ID, 10) + "/invitations"
	resp := do(t, f.app, "POST", path, "application/json", []byte(`{"team_codes":["A1","A2"]}`), nil)
	if got, want := resp.StatusCode, 200; got != want {
		t.Fatalf("status = %d, want %d", got, want)
	}
	if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/csv") {
		t.Errorf("content type = %q, want text/csv", got)
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("cache control = %q, want no-store", got)
	}
	data, _ := io.ReadAll(resp.Body)
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rows), 1+12+8; got != want {
		t.Fatalf("rows = %d, want %d (headcounts)", got, want)
	}
	link := rows[1][2]
	if !strings.HasPrefix(link, "https://survey.example.com/s/#t=") {
		t.Fatalf("link = %q, want the base URL and the token in the fragment", link)
	}
	token := link[strings.Index(link, "#t=")+3:]
	if resp, _ := page(t, f.app, "POST", "/s/", url.Values{"token": {token}}); resp.StatusCode != 200 {
		t.Fatalf("a fresh invitation: status %d, want 200", resp.StatusCode)
	}
	do(t, f.app, "POST", path, "application/json", []byte(`{"team_codes":["A1"],"count":1}`), nil)
	if resp, body := page(t, f.app, "POST", "/s/", url.Values{"token": {token}}); resp.StatusCode != 409 || !strings.Contains(body, "remplacée") {
		t.Errorf("a replaced invitation: status %d, want 409 and a clear page", resp.StatusCode)
	}
	var e apiError
	if resp := do(t, f.app, "POST", path, "application/json", []byte(`{"team_codes":["ZZ"]}`), &e); resp.StatusCode != 422 || e.Error.Field != "team_codes" {
		t.Errorf("unknown team: status %d, error %+v", resp.StatusCode, e.Error)
	}
	if resp := do(t, f.app, "POST", "/api/v1/campaigns/99/invitations", "", nil, &e); resp.StatusCode != 404 {
		t.Errorf("unknown campaign: status %d, want 404", resp.StatusCode)
	}
}

func TestTeamLinksAPI_ListsLinksAndPrintableQRCodes(t *testing.T) {
	f := newSurvey(t, survey.SQLite)
	base := "/api/v1/campaigns/" + strconv.FormatInt(f.campaign.ID, 10) + "/team-links"
	var out struct {
		TeamLinks []struct {
			TeamCode string `json:"team_code"`
			URL      string `json:"url"`
			QRURL    string `json:"qr_url"`
		} `json:"team_links"`
	}
	do(t, f.app, "GET", base, "", nil, &out)
	if got, want := len(out.TeamLinks), 4; got != want {
		t.Fatalf("links = %d, want %d", got, want)
	}
	a1 := out.TeamLinks[0]
	if got, want := a1.URL, "https://survey.example.com/s/team/"+f.links["A1"]; got != want {
		t.Errorf("url = %q, want %q", got, want)
	}
	if strings.Contains(a1.URL, "/team/"+strconv.Itoa(1)) || len(f.links["A1"]) < 26 {
		t.Errorf("link key %q looks guessable", f.links["A1"])
	}
	resp := do(t, f.app, "GET", a1.QRURL, "", nil, nil)
	if got, want := resp.Header.Get("Content-Type"), "image/png"; got != want {
		t.Fatalf("content type = %q, want %q", got, want)
	}
	img, err := png.Decode(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Dx(); got < 256 {
		t.Errorf("QR width = %d, want at least 256 to print", got)
	}
	if resp := do(t, f.app, "GET", base+"/ZZ/qr.png", "", nil, nil); resp.StatusCode != 404 {
		t.Errorf("unknown team: status %d, want 404", resp.StatusCode)
	}
}
