package auth_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"digigap/auth"
	"digigap/survey"
	"digigap/survey/surveytest"
)

const pw = "correct horse battery staple"

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// each runs fn on every database with an org (B > NORD > LILLE, B > SUD).
func each(t *testing.T, fn func(t *testing.T, acc *auth.Service, st *survey.Store, clk *clock)) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		clk := &clock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
		st := surveytest.MustOpen(t, dialect, survey.Options{Now: clk.Now})
		rows, _ := survey.ParseOrgCSV(strings.NewReader("code,parent_code,name,headcount\nB,,Bank,1\nNORD,B,Nord,1\nLILLE,NORD,Lille,5\nSUD,B,Sud,1\n"))
		if _, err := st.ImportOrg(context.Background(), rows); err != nil {
			t.Fatal(err)
		}
		fn(t, auth.New(st), st, clk)
	})
}

func mustCreate(t *testing.T, acc *auth.Service, in auth.UserInput) *auth.User {
	t.Helper()
	if in.Password == "" {
		in.Password = pw
	}
	u, err := acc.CreateUser(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestCreateUser_ValidatesEveryField(t *testing.T) {
	each(t, func(t *testing.T, acc *auth.Service, st *survey.Store, _ *clock) {
		ctx := context.Background()
		mustCreate(t, acc, auth.UserInput{Email: "Anne@Bank.example ", Role: auth.RoleHR})
		tests := []struct {
			in    auth.UserInput
			code  string
			field string
		}{
			{auth.UserInput{Email: "anne@bank.example", Role: auth.RoleHR, Password: pw}, survey.ECONFLICT, "email"},
			{auth.UserInput{Email: "not an address", Role: auth.RoleHR, Password: pw}, survey.EINVALID, "email"},
			{auth.UserInput{Email: "b@bank.example", Role: "admin", Password: pw}, survey.EINVALID, "role"},
			{auth.UserInput{Email: "b@bank.example", Role: auth.RoleManager, Password: pw}, survey.EINVALID, "team_codes"},
			{auth.UserInput{Email: "b@bank.example", Role: auth.RoleHR, TeamCodes: []string{"NORD"}, Password: pw}, survey.EINVALID, "team_codes"},
			{auth.UserInput{Email: "b@bank.example", Role: auth.RoleManager, TeamCodes: []string{"NOPE"}, Password: pw}, survey.EINVALID, "team_codes"},
			{auth.UserInput{Email: "b@bank.example", Role: auth.RoleHR, Password: "password"}, survey.EINVALID, "password"},
		}
		for _, tt := range tests {
			_, err := acc.CreateUser(ctx, tt.in)
			if survey.ErrorCode(err) != tt.code || err.(*survey.Error).Field != tt.field {
				t.Errorf("CreateUser(%+v) = %v, want %s on %s", tt.in, err, tt.code, tt.field)
			}
		}
		us, _ := acc.Users(ctx)
		if len(us) != 1 || us[0].Email != "anne@bank.example" {
			t.Errorf("users = %+v, want only anne (lowercased)", us)
		}
		var audits int64
		st.DB().Raw("SELECT COUNT(*) FROM audit_log WHERE action = 'user.created'").Scan(&audits)
		if audits != 1 {
			t.Errorf("audit entries for created users = %d, want 1 (refused creations leave none)", audits)
		}
	})
}

func TestScope_HRSeesAllManagerTheirSubtreesDisabledNothing(t *testing.T) {
	each(t, func(t *testing.T, acc *auth.Service, st *survey.Store, _ *clock) {
		ctx := context.Background()
		tree, _ := st.Tree(ctx)
		hr := mustCreate(t, acc, auth.UserInput{Email: "hr@bank.example", Role: auth.RoleHR})
		m := mustCreate(t, acc, auth.UserInput{Email: "m@bank.example", Role: auth.RoleManager, TeamCodes: []string{"NORD"}})
		lille, sud := tree.ByCode("LILLE").ID, tree.ByCode("SUD").ID
		if !hr.Scope().Allows(tree, sud) || !m.Scope().Allows(tree, lille) || m.Scope().Allows(tree, sud) {
			t.Errorf("scopes: hr %+v, manager %+v", hr.Scope(), m.Scope())
		}
		m, err := acc.SetTeams(ctx, m.ID, []string{"SUD"})
		if err != nil || !m.Scope().Allows(tree, sud) || m.Scope().Allows(tree, lille) {
			t.Errorf("after SetTeams(SUD): %+v, %v", m.Scope(), err)
		}
		m, _ = acc.SetDisabled(ctx, m.ID, true)
		if m.Scope().Allows(tree, sud) {
			t.Error("a disabled manager still sees their team")
		}
	})
}

func TestLogin_UnknownAccountAndWrongPasswordLookAlike(t *testing.T) {
	each(t, func(t *testing.T, acc *auth.Service, _ *survey.Store, _ *clock) {
		ctx := context.Background()
		mustCreate(t, acc, auth.UserInput{Email: "hr@bank.example", Role: auth.RoleHR})
		_, _, e1 := acc.Login(ctx, "hr@bank.example", "wrong password", "192.0.2.1")
		_, _, e2 := acc.Login(ctx, "nobody@bank.example", "wrong password", "192.0.2.1")
		if survey.ErrorMessage(e1) != survey.ErrorMessage(e2) || survey.ErrorCode(e1) != survey.EUNAUTH {
			t.Errorf("wrong password: %v; unknown account: %v; want the same EUNAUTH", e1, e2)
		}
		id1, _, err := acc.Login(ctx, "HR@bank.example", pw, "192.0.2.1")
		id2, _, err2 := acc.Login(ctx, "hr@bank.example", pw, "192.0.2.1")
		if err != nil || err2 != nil || id1 == id2 || len(id1) < 43 {
			t.Errorf("two logins: %q %q %v %v; want two distinct 256-bit ids", id1, id2, err, err2)
		}
	})
}

func TestTokens_ShownOnceHashedRevocableExpiring(t *testing.T) {
	each(t, func(t *testing.T, acc *auth.Service, st *survey.Store, clk *clock) {
		ctx := context.Background()
		hr := mustCreate(t, acc, auth.UserInput{Email: "hr@bank.example", Role: auth.RoleHR})
		m := mustCreate(t, acc, auth.UserInput{Email: "m@bank.example", Role: auth.RoleManager, TeamCodes: []string{"NORD"}})
		if _, _, err := acc.CreateToken(ctx, m, auth.TokenInput{Name: "x"}); survey.ErrorCode(err) != survey.EFORBIDDEN {
			t.Errorf("a manager's token: %v, want EFORBIDDEN", err)
		}
		secret, tok, err := acc.CreateToken(ctx, hr, auth.TokenInput{Name: "exports", ExpiresInDays: 2})
		if err != nil || !strings.HasPrefix(secret, auth.TokenPrefix) {
			t.Fatalf("CreateToken = %q, %v", secret, err)
		}
		var stored int64
		st.DB().Raw("SELECT COUNT(*) FROM api_tokens WHERE token_hash = ? OR name = ?", secret, secret).Scan(&stored)
		if stored != 0 {
			t.Error("the secret is stored in clear")
		}
		if u, err := acc.AuthenticateToken(ctx, secret); err != nil || u.ID != hr.ID {
			t.Errorf("AuthenticateToken = %v, %v", u, err)
		}
		clk.Advance(48*time.Hour + time.Second)
		if _, err := acc.AuthenticateToken(ctx, secret); survey.ErrorCode(err) != survey.EUNAUTH {
			t.Errorf("expired token: %v, want EUNAUTH", err)
		}
		secret2, tok2, _ := acc.CreateToken(ctx, hr, auth.TokenInput{Name: "other"})
		if _, err := acc.RevokeToken(ctx, tok2.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := acc.AuthenticateToken(ctx, secret2); survey.ErrorCode(err) != survey.EUNAUTH {
			t.Errorf("revoked token: %v, want EUNAUTH", err)
		}
		secret3, _, _ := acc.CreateToken(ctx, hr, auth.TokenInput{Name: "third"})
		acc.SetDisabled(ctx, hr.ID, true)
		if _, err := acc.AuthenticateToken(ctx, secret3); survey.ErrorCode(err) != survey.EUNAUTH {
			t.Errorf("token of a disabled user: %v, want EUNAUTH", err)
		}
		if _, _, err := acc.CreateToken(ctx, hr, auth.TokenInput{Name: "x", ExpiresInDays: 400}); err == nil {
			t.Error("a 400-day token was accepted")
		}
		_ = tok
	})
}

func TestCleanup_DropsExpiredSessionsAndOldFailures(t *testing.T) {
	each(t, func(t *testing.T, acc *auth.Service, st *survey.Store, clk *clock) {
		ctx := context.Background()
		mustCreate(t, acc, auth.UserInput{Email: "hr@bank.example", Role: auth.RoleHR})
		acc.Login(ctx, "hr@bank.example", "bad password", "192.0.2.1")
		acc.Login(ctx, "hr@bank.example", pw, "192.0.2.2")
		clk.Advance(auth.IdleTimeout)
		if err := acc.Cleanup(ctx); err != nil {
			t.Fatal(err)
		}
		var sessions, failures int64
		st.DB().Raw("SELECT COUNT(*) FROM sessions").Scan(&sessions)
		st.DB().Raw("SELECT COUNT(*) FROM login_failures").Scan(&failures)
		if sessions != 0 || failures != 0 {
			t.Errorf("after cleanup: %d sessions, %d failures; want none", sessions, failures)
		}
	})
}

func TestSetDisabled_NobodyDisablesThemselves(t *testing.T) {
	each(t, func(t *testing.T, acc *auth.Service, _ *survey.Store, _ *clock) {
		hr := mustCreate(t, acc, auth.UserInput{Email: "hr@bank.example", Role: auth.RoleHR})
		ctx := survey.WithActor(context.Background(), hr.Actor())
		if _, err := acc.SetDisabled(ctx, hr.ID, true); survey.ErrorCode(err) != survey.ECONFLICT {
			t.Errorf("disabling oneself: %v, want ECONFLICT", err)
		}
	})
}
