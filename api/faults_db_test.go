package api_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"digigap/api"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// postgresThrough returns a fresh PostgreSQL test schema reached through addr.
func postgresThrough(t *testing.T, addr func(upstream string) string) string {
	t.Helper()
	u, err := url.Parse(surveytest.DSN(t, survey.Postgres))
	if err != nil {
		t.Fatal(err)
	}
	u.Host = addr(u.Host)
	return u.String()
}

// submitTimed posts a team-link submission and returns its status and how long it took.
func submitTimed(t *testing.T, f *surveyFixture) (int, time.Duration) {
	t.Helper()
	req := httptest.NewRequest("POST", "/api/v1/responses", strings.NewReader(string(responseBody(f.campaign.ID, `"team_link":"`+f.links["A2"]+`"`, `{"sms.private":3}`))))
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := f.app.Test(req, 30_000)
	if err != nil {
		t.Fatalf("no answer within 30 s: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, time.Since(start)
}

// TestPostgresPartition_SubmissionsAre503WithinTheDeadlineThen201 cuts the
// network to PostgreSQL (a proxy stops forwarding, connections stay open):
// submissions and the respondent pages answer 503 within the database
// deadline (plus a margin for a loaded machine) instead of hanging, a
// burst of them does not queue behind each other for longer, and once
// the network is back submissions are accepted again.
func TestPostgresPartition_SubmissionsAre503WithinTheDeadlineThen201(t *testing.T) {
	if os.Getenv(surveytest.PostgresEnv) == "" {
		t.Skip(surveytest.PostgresEnv + " not set")
	}
	var proxy *partitionProxy
	dsn := postgresThrough(t, func(upstream string) string {
		proxy = startProxy(t, upstream)
		return proxy.ln.Addr().String()
	})
	const deadline = time.Second
	st, err := survey.Open(context.Background(), dsn, survey.Options{Now: fixedDay("2026-03-05"), Timeout: deadline})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := newSurveyOn(t, st)
	st.StartWriter(16, nil)
	if status, _ := submitTimed(t, f); status != 201 {
		t.Fatalf("before the partition: status %d, want 201", status)
	}

	proxy.partition()
	const margin = 2 * time.Second
	if status, took := submitTimed(t, f); status != 503 || took > deadline+margin {
		t.Errorf("one submission in the partition: %d after %v, want 503 within %v", status, took, deadline+margin)
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if status, took := submitTimed(t, f); status != 503 || took > 2*deadline+margin {
				t.Errorf("a submission of a burst in the partition: %d after %v, want 503 within %v", status, took, 2*deadline+margin)
			}
		}()
	}
	wg.Wait()
	start := time.Now()
	resp, _ := page(t, f.app, "GET", "/s/team/"+f.links["A1"], nil)
	if resp.StatusCode != 503 || time.Since(start) > deadline+margin {
		t.Errorf("team link page in the partition: %d after %v, want 503 within %v", resp.StatusCode, time.Since(start), deadline+margin)
	}

	proxy.heal()
	waitFor(t, 20*time.Second, "a submission accepted after the partition", func() bool {
		status, _ := submitTimed(t, f)
		return status == 201
	})
}

// waitFor polls cond until it holds or the time is up.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(limit); !cond(); {
		if time.Now().After(end) {
			t.Fatalf("still not %s after %v", what, limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// createDatabase creates a PostgreSQL database of the test's own, for
// faults set per database, and drops it afterwards; it returns its DSN, its
// name and a connection to the server's default database.
func createDatabase(t *testing.T, base string) (string, string, *gorm.DB) {
	t.Helper()
	admin, err := gorm.Open(postgres.Open(base), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "dg_fault_" + hex.EncodeToString(b)
	if err := admin.Exec("CREATE DATABASE " + name).Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		if db, err := admin.DB(); err == nil {
			db.Close()
		}
	})
	u, _ := url.Parse(base)
	u.Path = "/" + name
	return u.String(), name, admin
}

// TestPostgresRefusingConnections_Is503OnAPIAndPages makes PostgreSQL
// refuse connections to the test's own database (SQLSTATE 55000, "not
// currently accepting connections") and ends its sessions (57P01): every
// submission and the respondent pages answer 503, none 500; once it accepts
// connections again, submissions work.
func TestPostgresRefusingConnections_Is503OnAPIAndPages(t *testing.T) {
	base := os.Getenv(surveytest.PostgresEnv)
	if base == "" {
		t.Skip(surveytest.PostgresEnv + " not set")
	}
	dsn, name, admin := createDatabase(t, base)
	st, err := survey.Open(context.Background(), dsn, survey.Options{Now: fixedDay("2026-03-05"), Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := newSurveyOn(t, st)
	st.StartWriter(16, nil)
	if status, _ := submitTimed(t, f); status != 201 {
		t.Fatalf("before: status %d, want 201", status)
	}

	if err := admin.Exec("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false").Error; err != nil {
		t.Fatal(err)
	}
	if err := admin.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ?", name).Error; err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		if status, _ := submitTimed(t, f); status != 503 {
			t.Errorf("submission %d while refusing connections: %d, want 503", i, status)
		}
	}
	if resp, body := page(t, f.app, "GET", "/s/team/"+f.links["A1"], nil); resp.StatusCode != 503 {
		t.Errorf("team link page while refusing connections: %d, want 503: %.200s", resp.StatusCode, body)
	}
	if got := do(t, f.app, "GET", "/api/v1/campaigns", "", nil, nil).StatusCode; got != 503 {
		t.Errorf("HR API while refusing connections: %d, want 503", got)
	}
	resp, body := page(t, f.app, "POST", "/s/", url.Values{"token": {f.tokens[1]}})
	if resp.StatusCode != fiber.StatusServiceUnavailable {
		t.Errorf("invitation page while refusing connections: %d, want 503: %.200s", resp.StatusCode, body)
	}

	if err := admin.Exec("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true").Error; err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "a submission accepted after connections are allowed again", func() bool {
		status, _ := submitTimed(t, f)
		return status == 201
	})
}

// TestReadyz_DatabaseThatCannotWriteIs503 makes the database refuse
// writes while it still answers reads (SQLite: query_only on the write
// connection, then a page limit reached as on a full disk; PostgreSQL:
// read-only transactions, as on a standby): /readyz answers 503 until
// writes work again.
func TestReadyz_DatabaseThatCannotWriteIs503(t *testing.T) {
	ready := func(t *testing.T, app *fiber.App, want int) {
		t.Helper()
		var e apiError
		if got := do(t, app, "GET", "/readyz", "", nil, &e).StatusCode; got != want {
			t.Errorf("/readyz = %d (%+v), want %d", got, e.Error, want)
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		app, st := newApp(t, survey.SQLite)
		db := st.DB() // the one write connection: pragmas apply to it
		ready(t, app, 200)
		db.Exec("PRAGMA query_only = ON")
		ready(t, app, 503)
		db.Exec("PRAGMA query_only = OFF")
		ready(t, app, 200)
		var pages int64
		db.Raw("PRAGMA page_count").Scan(&pages)
		db.Exec("VACUUM") // no free pages left to reuse
		db.Raw("PRAGMA page_count").Scan(&pages)
		db.Exec("PRAGMA max_page_count = " + strconv.FormatInt(pages, 10))
		ready(t, app, 503)
		db.Exec("PRAGMA max_page_count = 1073741823")
		ready(t, app, 200)
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv(surveytest.PostgresEnv)
		if base == "" {
			t.Skip(surveytest.PostgresEnv + " not set")
		}
		dsn, name, admin := createDatabase(t, base)
		st, err := survey.Open(context.Background(), dsn, survey.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		app := api.New(api.Deps{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		ready(t, app, 200)
		readOnly := func(on bool) {
			admin.Exec("ALTER DATABASE " + name + " SET default_transaction_read_only = " + strconv.FormatBool(on))
			admin.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ?", name)
		}
		readOnly(true)
		waitFor(t, 10*time.Second, "503 on a read-only database", func() bool {
			return do(t, app, "GET", "/readyz", "", nil, nil).StatusCode == 503
		})
		for i := 0; i < 3; i++ { // not only the first call on a terminated connection
			ready(t, app, 503)
		}
		readOnly(false)
		waitFor(t, 10*time.Second, "200 once writes work again", func() bool {
			return do(t, app, "GET", "/readyz", "", nil, nil).StatusCode == 200
		})
	})
}
