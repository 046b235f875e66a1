package survey

import (
	"fmt"
	"io"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// TeamRow is one line of an org CSV file: code,parent_code,name,headcount
// and, optionally, manager_email (addresses separated by '|').
type TeamRow struct {
	Line       int    `json:"line"`
	Code       string `json:"code"`
	ParentCode string `json:"parent_code"`
	Name       string `json:"name"`
	Headcount  int    `json:"headcount"`
	// Managers are the lowercased e-mails of the team's managers, when the
	// file has the manager_email column (ManagersListed).
	Managers []string `json:"manager_emails,omitempty"`
	// managerColumn records that the file had the column, so that an
	// import then manages every org-provisioned account.
	managerColumn bool
}

// ManagersListed tells whether rows came from a file with the
// manager_email column: the file then decides who manages which team.
func ManagersListed(rows []TeamRow) bool { return len(rows) > 0 && rows[0].managerColumn }

var (
	teamCodePattern = regexp.MustCompile(`^[A-Za-z0-9_.\-]{1,64}$`)
	orgHeader       = []string{"code", "parent_code", "name", "headcount"}
)

// MaxOrgRows bounds an import; a national group has a few thousand teams.
const MaxOrgRows = 50000

// ParseOrgCSV reads and checks a whole org file. The delimiter may be a
// comma or a semicolon (what French spreadsheets write). Any bad row refuses
// the file: the error lists every bad line with its reason.
func ParseOrgCSV(r io.Reader) ([]TeamRow, error) {
	records, err := readCSVFile(r)
	if err != nil {
		return nil, err
	}
	withManagers := len(records) > 0 && len(records[0]) == len(orgHeader)+1 &&
		strings.ToLower(strings.TrimSpace(records[0][len(orgHeader)])) == managerColumn
	if withManagers {
		records[0] = records[0][:len(orgHeader)]
	}
	if len(records) == 0 || !headerMatches(records[0]) {
		return nil, FieldError(EINVALID, "line 1", "the first line must be the header %s", strings.Join(orgHeader, ",")).Keyed("csv.header", strings.Join(orgHeader, ","))
	}
	if len(records)-1 > MaxOrgRows {
		return nil, FieldError(EINVALID, "file", "too many rows: at most %d teams", MaxOrgRows).Keyed("org.too_many", MaxOrgRows)
	}
	return checkOrgRows(records[1:], withManagers)
}

// managerColumn is the optional fifth column of an org file.
const managerColumn = "manager_email"

func headerMatches(h []string) bool {
	if len(h) != len(orgHeader) {
		return false
	}
	for i, name := range orgHeader {
		if strings.ToLower(strings.TrimSpace(h[i])) != name {
			return false
		}
	}
	return true
}

func checkOrgRows(records [][]string, withManagers bool) ([]TeamRow, error) {
	width := len(orgHeader)
	if withManagers {
		width++
	}
	var errs FieldErrors
	rows := make([]TeamRow, 0, len(records))
	lineOf := map[string]int{}
	for i, rec := range records {
		line := i + 2
		field := fmt.Sprintf("line %d", line)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != width {
			errs.AddKeyed(field, "csv.fields", "line %d has %d fields, expected %d", line, len(rec), width)
			continue
		}
		row := TeamRow{Line: line, Code: strings.TrimSpace(rec[0]), ParentCode: strings.TrimSpace(rec[1]), Name: strings.TrimSpace(rec[2]), managerColumn: withManagers}
		var badEmail string
		if withManagers {
			row.Managers, badEmail = managerEmails(rec[width-1])
		}
		hc, err := strconv.Atoi(strings.TrimSpace(rec[3]))
		switch {
		case !teamCodePattern.MatchString(row.Code):
			errs.AddKeyed(field, "org.code", "line %d: code %q must be 1 to 64 letters, digits, '.', '_' or '-'", line, row.Code)
		case row.Name == "" || utf8.RuneCountInString(row.Name) > 200:
			errs.AddKeyed(field, "org.name", "line %d: name must be 1 to 200 characters", line)
		case err != nil || hc < 0 || hc > 1000000:
			errs.AddKeyed(field, "org.headcount", "line %d: headcount %q must be a whole number from 0", line, strings.TrimSpace(rec[3]))
		case badEmail != "":
			errs.AddKeyed(field, "org.manager_email", "line %d: manager e-mail %q is not an address like name@bank.example", line, badEmail)
		case lineOf[row.Code] != 0:
			errs.AddKeyed(field, "org.duplicate", "line %d: duplicate code %q (first on line %d)", line, row.Code, lineOf[row.Code])
		default:
			row.Headcount = hc
			lineOf[row.Code] = line
			rows = append(rows, row)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, FieldError(EINVALID, "file", "the file has no team").Keyed("org.empty")
	}
	return rows, checkOrgTree(rows, lineOf)
}

// checkOrgTree refuses unknown parents and cycles.
func checkOrgTree(rows []TeamRow, lineOf map[string]int) error {
	var errs FieldErrors
	parent := map[string]string{}
	for _, r := range rows {
		parent[r.Code] = r.ParentCode
		if r.ParentCode != "" && lineOf[r.ParentCode] == 0 {
			errs.AddKeyed(fmt.Sprintf("line %d", r.Line), "org.parent", "line %d: parent %q of team %q is not in the file", r.Line, r.ParentCode, r.Code)
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	for _, r := range rows {
		seen := map[string]bool{}
		for c := r.Code; c != ""; c = parent[c] {
			if seen[c] {
				return FieldError(EINVALID, fmt.Sprintf("line %d", r.Line), "line %d: team %q is its own ancestor (a cycle through parent_code)", r.Line, r.Code).Keyed("org.cycle", r.Line, r.Code)
			}
			seen[c] = true
		}
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// managerEmails splits a manager_email cell on '|' and lowercases each
// address; it returns the first one that is not a plain address.
func managerEmails(cell string) ([]string, string) {
	var out []string
	for _, e := range strings.Split(cell, "|") {
		e = strings.ToLower(strings.TrimSpace(e))
		if e == "" {
			continue
		}
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e || len(e) > 254 {
			return nil, e
		}
		out = append(out, e)
	}
	return out, ""
}
