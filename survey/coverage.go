package survey

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// CoverageRow is one team's client contact coverage for one month: counts
// of clients only, so that no client-level data ever enters digigap.
type CoverageRow struct {
	Line         int    `json:"-" gorm:"-"`
	Period       string `json:"period" gorm:"primaryKey"`
	TeamID       int64  `json:"-" gorm:"primaryKey"`
	TeamCode     string `json:"team_code" gorm:"-"`
	Clients      int64  `json:"clients"`
	WithMobile   int64  `json:"with_mobile"`
	WithEmail    int64  `json:"with_email"`
	SMSConsent   int64  `json:"sms_consent"`
	EmailConsent int64  `json:"email_consent"`
}

// TableName keeps GORM on the migration's table name.
func (CoverageRow) TableName() string { return "coverage" }

// CoverageHeader is the header line of a coverage file; the JSON rows use
// the same names. Any other column is refused: it could hold client data.
var CoverageHeader = []string{"team_code", "period", "clients", "with_mobile", "with_email", "sms_consent", "email_consent"}

// MaxCoverageRows bounds an import: a few thousand teams over a year.
const MaxCoverageRows = 100000

// maxClients is far above any branch's client count; it catches typos.
const maxClients = 100_000_000

var periodPattern = regexp.MustCompile(`^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])$`)

// ParseCoverageCSV reads a coverage file (comma or semicolon separated,
// header first). Any bad row refuses the file; the error lists every bad
// line with its reason.
func ParseCoverageCSV(r io.Reader) ([]CoverageRow, error) {
	records, err := readCSVFile(r)
	if err != nil {
		return nil, err
	}
	if len(records) == 0 || !sameHeader(records[0], CoverageHeader) {
		return nil, FieldError(EINVALID, "line 1", "the first line must be the header %s (no other column: only counts of clients are accepted)", strings.Join(CoverageHeader, ",")).
			Keyed("coverage.header", strings.Join(CoverageHeader, ","))
	}
	return checkCoverageRecords(records[1:], 2, "line")
}

// ParseCoverageJSON reads {"rows":[{team_code, period, clients, …}]} and
// checks it like a file: row n of the error is the n-th element (from 1).
func ParseCoverageJSON(data []byte) ([]CoverageRow, error) {
	var body struct {
		Rows []map[string]json.RawMessage `json:"rows"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		return nil, Errorf(EMALFORMED, "the body must be {\"rows\":[{\"team_code\":…,\"period\":\"YYYY-MM\",\"clients\":…}]}: %v", err)
	}
	var fe FieldErrors
	records := make([][]string, len(body.Rows))
	for i, obj := range body.Rows {
		rec, err := jsonRecord(obj)
		if err != "" {
			fe.Add(fmt.Sprintf("row %d", i+1), "row %d: %s", i+1, err)
		}
		records[i] = rec
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return checkCoverageRecords(records, 1, "row")
}

// jsonRecord turns one JSON row into the fields of a CSV record.
func jsonRecord(obj map[string]json.RawMessage) ([]string, string) {
	rec := make([]string, len(CoverageHeader))
	known := map[string]int{}
	for i, name := range CoverageHeader {
		known[name] = i
	}
	for key, raw := range obj {
		i, ok := known[key]
		if !ok {
			return nil, fmt.Sprintf("unknown field %q: only %s are accepted", short(key), strings.Join(CoverageHeader, ", "))
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			s = string(raw) // a number, kept as written so that 3.5 or -1 are named
		}
		rec[i] = s
	}
	return rec, ""
}

func sameHeader(h, want []string) bool {
	if len(h) != len(want) {
		return false
	}
	for i, name := range want {
		if strings.ToLower(strings.TrimSpace(h[i])) != name {
			return false
		}
	}
	return true
}

// checkCoverageRecords checks every record; first is the number of the
// first record in the caller's words (a line or a row).
func checkCoverageRecords(records [][]string, first int, unit string) ([]CoverageRow, error) {
	if len(records) > MaxCoverageRows {
		return nil, FieldError(EINVALID, "file", "too many rows: at most %d", MaxCoverageRows).Keyed("coverage.too_many", MaxCoverageRows)
	}
	var fe FieldErrors
	rows := make([]CoverageRow, 0, len(records))
	seen := map[string]int{}
	for i, rec := range records {
		n := first + i
		where := fmt.Sprintf("%s %d", unit, n)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		row, why := coverageRecord(rec)
		key := row.TeamCode + "|" + row.Period
		if why.msg == "" && seen[key] != 0 {
			why = because("duplicate", "team %q appears twice for %s (first on %s %d)", row.TeamCode, row.Period, unit, seen[key])
			why.args = []any{row.TeamCode, row.Period, seen[key]}
		}
		if why.msg != "" {
			fe.list = append(fe.list, FieldError(EINVALID, where, "%s: %s", where, why.msg).Keyed("coverage."+why.key, append([]any{n}, why.args...)...))
			continue
		}
		seen[key], row.Line = n, n
		rows = append(rows, row)
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, FieldError(EINVALID, "file", "there is no row to import").Keyed("coverage.empty")
	}
	return rows, nil
}

// reason is what is wrong with a record: the domain's words and the
// catalogue key (coverage.<key>, after the line number) pages use.
type reason struct {
	msg  string
	key  string
	args []any
}

func because(key, format string, args ...any) reason {
	return reason{msg: fmt.Sprintf(format, args...), key: key, args: args}
}

// coverageRecord reads one record, or says what is wrong with it.
func coverageRecord(rec []string) (CoverageRow, reason) {
	var row CoverageRow
	if len(rec) != len(CoverageHeader) {
		return row, because("fields", "%d fields, expected %d (%s)", len(rec), len(CoverageHeader), strings.Join(CoverageHeader, ","))
	}
	row.TeamCode, row.Period = strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
	if !teamCodePattern.MatchString(row.TeamCode) {
		return row, because("team_code", "team code %q is not a team code", short(row.TeamCode))
	}
	if !periodPattern.MatchString(row.Period) {
		return row, because("period", "period %q must be a month written YYYY-MM", short(row.Period))
	}
	counts := []*int64{&row.Clients, &row.WithMobile, &row.WithEmail, &row.SMSConsent, &row.EmailConsent}
	for i, p := range counts {
		text := strings.TrimSpace(rec[2+i])
		v, err := strconv.ParseInt(text, 10, 64)
		if err != nil || v < 0 || v > maxClients {
			return row, because("count", "%s %q must be a whole number from 0 to %d", CoverageHeader[2+i], short(text), maxClients)
		}
		*p = v
	}
	for i, p := range counts[1:] {
		if *p > row.Clients {
			return row, because("more", "%s (%d) is more than clients (%d)", CoverageHeader[3+i], *p, row.Clients)
		}
	}
	return row, reason{}
}
