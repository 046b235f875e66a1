package cli_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"digigap/auth"
	"digigap/cli"
	"digigap/demo"
	"digigap/survey"
)

// at is an instant given as a day and clock time in Europe/Paris.
func at(t *testing.T, day, clock string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// serveDemo runs `serve --demo` in-process on db with the clock at now,
// waits until it listens, checks /readyz, stops it, and returns its log.
func serveDemo(t *testing.T, db string, now time.Time) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- cli.Run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--db", db}, &cli.Env{
			Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" },
			Ready: func(addr string) { ready <- addr }, Now: func() time.Time { return now },
		})
	}()
	select {
	case addr := <-ready:
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("readyz: %v %v", resp, err)
		}
		resp.Body.Close()
	case code := <-done:
		t.Fatalf("serve --demo exited %d: %s", code, stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatal("serve --demo did not start")
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	return stderr.String()
}

// checkDemoStore opens db on day now and wants the whole demo: three
// campaigns (two closed, one open today), both sign-ins, 12 months of coverage.
func checkDemoStore(t *testing.T, db string, now time.Time) {
	t.Helper()
	loc, _ := time.LoadLocation("Europe/Paris")
	st, err := survey.Open(context.Background(), db, survey.Options{Location: loc, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	cs, _ := st.Campaigns(ctx)
	phases := map[string]int{}
	for i := range cs {
		phases[cs[i].Phase(st.Today())]++
	}
	if phases[survey.PhaseClosed] != 2 || phases[survey.PhaseOpen] != 1 {
		t.Errorf("campaign phases on %s: %v, want 2 closed and 1 open", st.Today(), phases)
	}
	users, _ := auth.New(st).Users(ctx)
	if len(users) != 2 {
		t.Errorf("%d accounts, want the 2 demo sign-ins", len(users))
	}
	rows, _ := st.CoverageRows(ctx)
	if len(rows) != 24*12 || rows[len(rows)-1].Period != survey.MonthsBefore(st.Today(), 1)[0] {
		t.Errorf("%d coverage rows, want 24 × 12 ending last month", len(rows))
	}
}

// The README's first command on a 31st, late in the evening in Paris
// (already the 1st in UTC would be the morning after: here 31 January
// 23:30 is 22:30 UTC, and 1 March 00:30 is still 28 February in UTC).
func TestServeDemo_OnThe31stAndAroundMidnight(t *testing.T) {
	for _, now := range []time.Time{at(t, "2027-01-31", "23:30"), at(t, "2027-03-01", "00:30"), at(t, "2028-12-31", "12:00")} {
		db := filepath.Join(t.TempDir(), "digigap.db")
		log := serveDemo(t, db, now)
		if !strings.Contains(log, "demo data loaded") || strings.Count(log, "demo sign-in") != 2 {
			t.Fatalf("log of serve --demo on %s:\n%s", now, log)
		}
		checkDemoStore(t, db, now)
		if log := serveDemo(t, db, now.Add(24*time.Hour)); !strings.Contains(log, "demo data skipped") {
			t.Errorf("second start did not keep the data:\n%s", log)
		}
	}
}

// A demo cut short leaves nothing: a cancelled run (and the files a crash
// would leave, copied mid-demo) open as an empty database, which the next
// serve --demo fills, sign-ins included.
func TestServeDemo_AfterAnInterruptedDemoStartsClean(t *testing.T) {
	dir := t.TempDir()
	db, crashed := filepath.Join(dir, "digigap.db"), filepath.Join(dir, "crashed.db")
	now := at(t, "2027-05-31", "09:00")
	st, err := survey.Open(context.Background(), db, survey.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	err = st.InTransaction(ctx, func(tx *survey.Store) error {
		_, err := demo.Generate(ctx, tx, demo.Options{Seed: 1, Progress: func(step string) {
			if step == "wave 2" {
				copyFiles(t, db, crashed) // what a kill -9 now would leave on disk
				cancel()
			}
		}})
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted demo: %v, want cancelled", err)
	}
	if teams, _ := st.Teams(context.Background()); len(teams) != 0 {
		t.Fatalf("the interrupted demo left %d teams", len(teams))
	}
	st.Close()
	for _, path := range []string{db, crashed} {
		log := serveDemo(t, path, now)
		if !strings.Contains(log, "demo data loaded") {
			t.Fatalf("%s: serve --demo after an interrupted demo:\n%s", filepath.Base(path), log)
		}
		checkDemoStore(t, path, now)
	}
}

// copyFiles copies a SQLite database and its WAL as they are on disk.
func copyFiles(t *testing.T, from, to string) {
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(from + suffix)
		if err != nil && !os.IsNotExist(err) {
			t.Error(err)
		}
		if err == nil {
			os.WriteFile(to+suffix, b, 0o600)
		}
	}
}

// An org tree without any account, as an interrupted demo of an earlier
// release left it, is refused with what to do; `demo` refuses a database
// that holds data.
func TestServeDemo_RefusesAnOrgWithoutAccounts(t *testing.T) {
	dir := t.TempDir()
	db, org := filepath.Join(dir, "x.db"), filepath.Join(dir, "org.csv")
	os.WriteFile(org, []byte("code,parent_code,name,headcount\nB,,Bank,2\nA1,B,Agence,7\n"), 0o600)
	if code, _, stderr := runCLI(t, nil, "org", "import", "--db", db, org); code != 0 {
		t.Fatal(stderr)
	}
	code, _, stderr := runCLI(t, nil, "serve", "--demo", "--addr", "127.0.0.1:0", "--db", db)
	if code != 1 || !strings.Contains(stderr, "no account") || !strings.Contains(stderr, "user create") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("serve --demo on an org without accounts: exit %d, %q", code, stderr)
	}
	code, _, stderr = runCLI(t, nil, "demo", "--db", db)
	if code != 1 || !strings.Contains(stderr, "no account") {
		t.Errorf("demo into a database with data: exit %d, %q", code, stderr)
	}
}

// --timezone decides the day: a campaign that closes on 31 January is
// closed at 23:30 UTC that day in Paris (1 February there) and still open
// in UTC; a bad zone is one line, from the flag or the environment.
func TestTimezone_DecidesTheDayAndIsValidated(t *testing.T) {
	dir := t.TempDir()
	db, org := filepath.Join(dir, "x.db"), filepath.Join(dir, "org.csv")
	os.WriteFile(org, []byte("code,parent_code,name,headcount\nB,,Bank,2\nA1,B,Agence,7\n"), 0o600)
	if code, _, stderr := runCLI(t, nil, "org", "import", "--db", db, org); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := runCLI(t, nil, "campaign", "create", "--db", db, "--name", "W", "--teams", "B", "--opens", "2027-01-04", "--closes", "2027-01-31"); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := runCLI(t, nil, "campaign", "open", "--db", db, "1"); code != 0 {
		t.Fatal(stderr)
	}
	now := time.Date(2027, 1, 31, 23, 30, 0, 0, time.UTC)
	for _, tt := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{nil, nil, "closed"}, // Europe/Paris by default
		{[]string{"--timezone", "UTC"}, nil, "open"},
		{nil, map[string]string{"DIGIGAP_TIMEZONE": "UTC"}, "open"},
		{[]string{"--timezone", "Asia/Tokyo"}, map[string]string{"DIGIGAP_TIMEZONE": "UTC"}, "closed"},
	} {
		var out, errOut bytes.Buffer
		args := append([]string{"campaign", "list", "--db", db}, tt.args...)
		code := cli.Run(context.Background(), args, &cli.Env{Stdout: &out, Stderr: &errOut,
			Getenv: func(k string) string { return tt.env[k] }, Now: func() time.Time { return now }})
		lines := strings.Split(out.String(), "\n")
		if code != 0 || len(lines) < 2 || !slices.Contains(strings.Fields(lines[1]), tt.want) {
			t.Errorf("%v %v: exit %d, %q, want %q", tt.args, tt.env, code, out.String()+errOut.String(), tt.want)
		}
	}
	for _, env := range []map[string]string{{"DIGIGAP_TIMEZONE": "Mars/Olympus"}, {"DIGIGAP_TIMEZONE": "Local"}} {
		code, _, stderr := runCLI(t, env, "campaign", "list", "--db", db)
		if code == 0 || !strings.Contains(stderr, "--timezone") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, %q; want one line naming --timezone", env, code, stderr)
		}
	}
}
