package survey

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// NormalizeBaseURL checks the public address links are built on (an http
// or https URL with a host, no query or fragment) and drops a trailing
// slash, so that a mistyped setting fails at start rather than in a mail merge.
func NormalizeBaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("base URL must look like https://survey.example.com (http or https, a host, no query), not %q", raw)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// InvitationLink is the personal link of a token. The token travels in the
// fragment, which browsers never send to a server, so it appears in no
// request line, proxy log or Referer; the page posts it in a form field.
func InvitationLink(baseURL, token string) string {
	return baseURL + "/s/#t=" + token
}

// TeamLinkURL is the open link of a team, for a poster or a QR code.
func TeamLinkURL(baseURL, key string) string {
	return baseURL + "/s/team/" + key
}

// WriteInvitationsCSV writes the mail-merge file team_code,team_name,link.
// Cells that a spreadsheet would run as a formula are quoted with a
// leading apostrophe.
func WriteInvitationsCSV(w io.Writer, baseURL string, issued []IssuedInvitation) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"team_code", "team_name", "link"}); err != nil {
		return err
	}
	for _, inv := range issued {
		if err := cw.Write([]string{safeCell(inv.TeamCode), safeCell(inv.TeamName), InvitationLink(baseURL, inv.Token)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// safeCell defuses spreadsheet formulas (CSV injection) in free text.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
