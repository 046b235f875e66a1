package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"digigap/cli"
	"digigap/survey"
)

const (
	baseURL  = "https://survey.example.com"
	password = "correct horse battery staple 7"
	newEmail = "new.user@bank.example"
	oldEmail = "manager.nord@demo.invalid" // a demo account
)

// fixture is what the placeholders of the forms stand for: a template
// database (the demo data, plus teams A1 and A2 and two campaigns over
// them, one draft and one open) that each line runs on a copy of, the
// files the commands read, and a server for healthcheck.
type fixture struct {
	template                                   string
	orgCSV, coverageCSV, questionnaire, pwFile string
	opens, closes                              string
	draftID, openID                            int64
	healthURL                                  string
}

// readmeNow is the clock every README line runs on: a month end, late in
// the evening in UTC (already the next day in Paris), where date bugs show.
func readmeNow() time.Time { return time.Date(2027, 5, 31, 22, 30, 0, 0, time.UTC) }

func newFixture(t *testing.T) *fixture {
	dir := t.TempDir()
	now := readmeNow()
	fx := &fixture{template: filepath.Join(dir, "template.db"), opens: now.Format(survey.DateLayout), closes: survey.AddMonths(now, 1).Format(survey.DateLayout)}
	var demoErr bytes.Buffer
	if code := cli.Run(context.Background(), []string{"demo", "--db", fx.template}, &cli.Env{
		Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &demoErr, Getenv: func(string) string { return "" }, Now: readmeNow,
	}); code != 0 {
		t.Fatalf("demo: %s", demoErr.String())
	}
	ctx := context.Background()
	st, err := survey.Open(ctx, fx.template, survey.Options{Now: readmeNow})
	if err != nil {
		t.Fatal(err)
	}
	rows := orgRows(t, st)
	root := rows[0].Code
	rows = append(rows, survey.TeamRow{Code: "A1", ParentCode: root, Name: "Agence 1", Headcount: 6}, survey.TeamRow{Code: "A2", ParentCode: root, Name: "Agence 2", Headcount: 4})
	if _, err := st.ImportOrg(ctx, rows); err != nil {
		t.Fatal(err)
	}
	q, err := st.EnsureDefaultQuestionnaire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for name, id := range map[string]*int64{"Fixture draft": &fx.draftID, "Fixture open": &fx.openID} {
		c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: name, QuestionnaireID: q.ID, TeamCodes: []string{"A1", "A2"}, OpensOn: fx.opens, ClosesOn: fx.closes})
		if err != nil {
			t.Fatal(err)
		}
		*id = c.ID
	}
	if _, err := st.OpenCampaign(ctx, fx.openID); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if _, err := os.Stat(fx.template + "-wal"); err == nil {
		t.Fatal("the template kept a WAL file: copies of it would miss data")
	}

	// org import FILE adds A3 to the template's tree.
	var org strings.Builder
	org.WriteString("code,parent_code,name,headcount\n")
	for _, r := range append(rows, survey.TeamRow{Code: "A3", ParentCode: root, Name: "Agence 3", Headcount: 5}) {
		fmt.Fprintf(&org, "%s,%s,%q,%d\n", r.Code, r.ParentCode, r.Name, r.Headcount)
	}
	fx.orgCSV = writeFile(t, dir, "org.csv", org.String())
	fx.coverageCSV = writeFile(t, dir, "coverage.csv", strings.Join(survey.CoverageHeader, ",")+"\nA1,2025-01,10,4,4,2,2\nA1,2025-02,11,5,4,2,2\n")
	def, err := os.ReadFile("../survey/questionnaires/digital-adoption-v1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fx.questionnaire = writeFile(t, dir, "v2.yaml", strings.Replace(string(def), "\nversion: 1\n", "\nversion: 2\n", 1))
	fx.pwFile = writeFile(t, dir, "password", password+"\n")
	fx.healthURL = "http://" + startServer(t, fx.copy(t, dir)) + "/healthz"
	return fx
}

// orgRows reads the template's org tree back as import rows, parents first.
func orgRows(t *testing.T, st *survey.Store) []survey.TeamRow {
	teams, err := st.Teams(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	codes := map[int64]string{}
	for _, tm := range teams {
		codes[tm.ID] = tm.Code
	}
	var rows []survey.TeamRow
	for _, tm := range teams {
		r := survey.TeamRow{Code: tm.Code, Name: tm.Name, Headcount: tm.Headcount}
		if tm.ParentID != nil {
			r.ParentCode = codes[*tm.ParentID]
		}
		rows = append(rows, r)
	}
	return rows
}

// database is the run's own database: a copy of the template, or a new
// file for the commands that fill their own.
func (fx *fixture) database(t *testing.T, r *run) string {
	switch r.cmd {
	case "serve", "demo", "loadtest-floor":
		return filepath.Join(r.dir, "empty.db")
	}
	return fx.copy(t, r.dir)
}

// copy copies the template and its mixing key (the open wave's answers
// waiting to be mixed are sealed with it): a database without its key
// file refuses to start, as it should.
func (fx *fixture) copy(t *testing.T, dir string) string {
	db := filepath.Join(dir, "digigap.db")
	copyFile(t, fx.template, db)
	copyFile(t, fx.template+".mixkey", db+".mixkey")
	return db
}

// value is what a placeholder stands for, after flag ("" for a positional
// argument); "flags" (from "[flags]") becomes --db and the run's database.
func (fx *fixture) value(t *testing.T, r *run, flag, placeholder string) []string {
	one := func(s string) []string { return []string{s} }
	if placeholder == "flags" {
		return []string{"--db", r.db}
	}
	if flag == "" {
		switch r.cmd + " " + placeholder {
		case "org import FILE":
			return one(fx.orgCSV)
		case "coverage import FILE":
			return one(fx.coverageCSV)
		case "questionnaire load FILE":
			return one(fx.questionnaire)
		case "campaign open ID":
			return one(strconv.FormatInt(fx.draftID, 10))
		case "campaign close ID":
			return one(strconv.FormatInt(fx.openID, 10))
		}
	}
	switch flag + " " + placeholder {
	case "--db FILE", "--db …":
		if r.cmd == "demo" {
			return one(filepath.Join(r.dir, "demo.db"))
		}
		return one(r.db)
	case "--seed N":
		return one("7")
	case "--teams CODE,…":
		return one("A1,A2")
	case "--name …", "--name NAME":
		return one("Wave T")
	case "--opens YYYY-MM-DD":
		return one(fx.opens)
	case "--closes YYYY-MM-DD":
		return one(fx.closes)
	case "--campaign ID":
		return one(strconv.FormatInt(fx.openID, 10))
	case "--count N":
		return one("2")
	case "--base-url URL":
		return one(baseURL)
	case "--email E":
		if r.cmd == "user create" {
			return one(newEmail)
		}
		return one(oldEmail)
	case "--password-file F":
		return one(fx.pwFile)
	case "--to FILE":
		return one(filepath.Join(r.dir, "backup.db"))
	case "--addr host:port":
		return one("127.0.0.1:0")
	case "--url …":
		return one(fx.healthURL)
	}
	t.Fatalf("%s: no value for %q after %q: teach fixture.value", r.form, placeholder, flag)
	return nil
}

// startServer serves db in-process until the test ends and returns its address.
func startServer(t *testing.T, db string) string {
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan string, 1), make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- cli.Run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, &cli.Env{
			Stdout: &bytes.Buffer{}, Stderr: &stderr, Getenv: func(string) string { return "" },
			Ready: func(addr string) { ready <- addr }, Now: readmeNow,
		})
	}()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case addr := <-ready:
		return addr
	case code := <-done:
		done <- code // for the cleanup
		t.Fatalf("serve exited %d: %s", code, stderr.String())
	case <-time.After(3 * time.Minute):
		t.Fatal("serve did not start")
	}
	return ""
}

func writeFile(t *testing.T, dir, name, content string) string {
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
