package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"digigap/auth"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// postgresFixture prepares a PostgreSQL schema with n invitations and an HR account.
func postgresFixture(t *testing.T, app string, n int) (string, *Fixture) {
	t.Helper()
	t.Setenv("DIGIGAP_MIX_KEY_FILE", filepath.Join(t.TempDir(), "digigap.mixkey")) // shared by the instances
	dsn := surveytest.DSN(t, survey.Postgres) + "&application_name=" + app
	fix, err := Prepare(context.Background(), dsn, 10, n)
	if err != nil {
		t.Fatal(err)
	}
	st, err := survey.Open(context.Background(), dsn, storeOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acc := auth.New(st)
	u, err := acc.CreateUser(context.Background(), auth.UserInput{Email: "rh@bank.example", Role: auth.RoleHR, Password: "correct horse battery staple"})
	if err != nil {
		t.Fatal(err)
	}
	if fix.hrToken, _, err = acc.CreateToken(context.Background(), u, auth.TokenInput{Name: "two instances"}); err != nil {
		t.Fatal(err)
	}
	return dsn, fix
}

// getAsHR reads an API path from one instance with the fixture's HR token.
func getAsHR(t *testing.T, addr, path, token string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s on %s: %d %s", path, addr, resp.StatusCode, body)
	}
	return string(body)
}

func post(url string, body []byte) int {
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestTwoInstances_ShareInvitationsAndSessionsOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two servers")
	}
	dsn, fix := postgresFixture(t, "digigap_two", 300)
	a, b := startServer(t, dsn), startServer(t, dsn)
	defer func() {
		for _, s := range []*server{a, b} {
			s.cmd.Process.Kill()
			s.cmd.Wait()
		}
	}()
	// Every token goes to both instances at once: exactly one may win.
	var created atomic.Int64
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for _, tok := range fix.Tokens {
		for _, s := range []*server{a, b} {
			wg.Add(1)
			sem <- struct{}{}
			go func(addr, tok string) {
				defer func() { <-sem; wg.Done() }()
				status := post("http://"+addr+"/api/v1/responses", fix.Body(tok))
				if status == http.StatusCreated {
					created.Add(1)
				}
				mu.Lock()
				statuses[status]++
				mu.Unlock()
			}(s.addr, tok)
		}
	}
	wg.Wait()
	if got, want := created.Load(), int64(len(fix.Tokens)); got != want {
		t.Fatalf("201 answers = %d, want %d: one per invitation across both instances (statuses %v)", got, want, statuses)
	}
	checkOnePerInvitation(t, dsn, len(fix.Tokens))
	sessionCrossesInstances(t, a.addr, b.addr)
	// The figures come from the shared counters: both instances agree.
	path := fmt.Sprintf("/api/v1/campaigns/%d/participation", fix.CampaignID)
	if pa, pb := getAsHR(t, a.addr, path, fix.hrToken), getAsHR(t, b.addr, path, fix.hrToken); pa != pb {
		t.Errorf("participation differs between instances:\n%s\n%s", pa, pb)
	}
}

func checkOnePerInvitation(t *testing.T, dsn string, want int) {
	t.Helper()
	st, err := survey.Open(context.Background(), dsn, storeOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	responses, pending, used := answerCounts(t, st)
	if responses+pending != used || (want >= 0 && used != int64(want)) {
		t.Fatalf("%d responses and %d pending, %d used invitations, want %d answers and invitations", responses, pending, used, want)
	}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// sessionCrossesInstances signs in on one instance and is recognised by
// the other: sessions live in the database, not in a process.
func sessionCrossesInstances(t *testing.T, first, second string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get("http://" + first + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF field on the login page")
	}
	form := url.Values{"_csrf": {string(m[1])}, "email": {"rh@bank.example"}, "password": {"correct horse battery staple"}}
	resp, err = c.PostForm("http://"+first+"/login", form)
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %v %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	if resp.Header.Get("Location") == "/login/second-factor" {
		secondFactorOn(t, c, second) // the password step was on the first instance
	}
	// The session cookie was set for 127.0.0.1, which both instances share.
	me := func(addr string) int {
		resp, err := c.Get("http://" + addr + "/api/v1/me")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := me(second); got != 200 {
		t.Fatalf("the other instance answers %d for the session, want 200", got)
	}
}

var secretField = regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`)

// secondFactorOn enrols HR's second factor (required by default) on addr,
// which finds the password step another instance stored in the session.
func secondFactorOn(t *testing.T, c *http.Client, addr string) {
	t.Helper()
	resp, err := c.Get("http://" + addr + "/login/second-factor")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	secret, csrf := secretField.FindSubmatch(page), csrfField.FindSubmatch(page)
	if secret == nil || csrf == nil {
		t.Fatalf("no enrolment on the other instance: %d %s", resp.StatusCode, page)
	}
	code, _ := totp.GenerateCode(string(secret[1]), time.Now())
	resp, err = c.PostForm("http://"+addr+"/login/second-factor", url.Values{"_csrf": {string(csrf[1])}, "code": {code}})
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("enrolment on the other instance: %v %v", resp.StatusCode, err)
	}
	resp.Body.Close()
}

func TestPostgresConnectionsKilled_SubmissionsFail503ThenRecover(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	const app = "digigap_fault"
	dsn, fix := postgresFixture(t, app, 200)
	srv := startServer(t, dsn)
	defer func() { srv.cmd.Process.Kill(); srv.cmd.Wait() }()
	url := "http://" + srv.addr + "/api/v1/responses"
	admin, err := gorm.Open(postgres.Open(surveytest.DSN(t, survey.Postgres)), &gorm.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if sqlDB, err := admin.DB(); err == nil {
		defer sqlDB.Close()
	}
	statuses := map[int]int{}
	for i, tok := range fix.Tokens {
		if i%50 == 25 {
			admin.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?", app)
		}
		statuses[post(url, fix.Body(tok))]++
	}
	for code, n := range statuses {
		if code != 201 && code != 503 {
			t.Errorf("%d answers with status %d: want only 201, or 503 while the database is away", n, code)
		}
	}
	if statuses[201] < len(fix.Tokens)/2 {
		t.Errorf("only %d of %d submissions succeeded: the server did not recover", statuses[201], len(fix.Tokens))
	}
	checkOnePerInvitation(t, dsn, statuses[201])
	t.Logf("statuses: %v", statuses)
}
