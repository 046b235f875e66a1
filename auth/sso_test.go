package auth_test

import (
	"context"
	"strings"
	"testing"

	"digigap/auth"
	"digigap/survey"
)

func TestSetPassword_EndsSessionsAndRevokesTokens(t *testing.T) {
	each(t, func(t *testing.T, acc *auth.Service, _ *survey.Store, _ *clock) {
		ctx := context.Background()
		hr := mustCreate(t, acc, auth.UserInput{Email: "hr@bank.example", Role: auth.RoleHR})
		sid, _, _ := acc.Login(ctx, hr.Email, pw, "192.0.2.1")
		secret, _, _ := acc.CreateToken(ctx, hr, auth.TokenInput{Name: "nightly", ExpiresInDays: 30})
		if err := acc.SetPassword(ctx, hr.ID, "another long passphrase", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := acc.Authenticate(ctx, sid); survey.ErrorCode(err) != survey.EUNAUTH {
			t.Errorf("session after a reset: %v, want EUNAUTH", err)
		}
		if _, err := acc.AuthenticateToken(ctx, secret); survey.ErrorCode(err) != survey.EUNAUTH {
			t.Errorf("API token after a reset: %v, want EUNAUTH", err)
		}
	})
}

func TestSSOSignIn_SwitchEndsPasswordSessionsAndTokens(t *testing.T) {
	each(t, func(t *testing.T, acc *auth.Service, st *survey.Store, clk *clock) {
		ctx := context.Background()
		hr := mustCreate(t, acc, auth.UserInput{Email: "hr@bank.example", Role: auth.RoleHR})
		enrol(t, acc, hr, clk)
		sid, _, _ := acc.Login(ctx, hr.Email, pw, "192.0.2.1")
		secret, _, _ := acc.CreateToken(ctx, hr, auth.TokenInput{Name: "nightly", ExpiresInDays: 30})
		ssoID, u, err := acc.SSOSignIn(ctx, auth.SSOIdentity{Email: "HR@bank.example", InHRGroup: true, HRGroupsChecked: true})
		if err != nil || u.ID != hr.ID {
			t.Fatalf("SSOSignIn = %v, %v", u, err)
		}
		if _, err := acc.Authenticate(ctx, ssoID); err != nil {
			t.Errorf("the SSO session: %v", err)
		}
		if _, err := acc.Authenticate(ctx, sid); survey.ErrorCode(err) != survey.EUNAUTH {
			t.Errorf("the password session after the switch: %v, want EUNAUTH", err)
		}
		if _, err := acc.AuthenticateToken(ctx, secret); survey.ErrorCode(err) != survey.EUNAUTH {
			t.Errorf("the API token after the switch: %v, want EUNAUTH", err)
		}
		if _, _, err := acc.Login(ctx, hr.Email, pw, "192.0.2.1"); survey.ErrorCode(err) != survey.EUNAUTH {
			t.Errorf("the old password after the switch: %v, want EUNAUTH", err)
		}
		if u, _ := acc.User(ctx, hr.ID); !u.SSO || u.TOTPEnabled {
			t.Errorf("account after the switch: %+v, want SSO without TOTP", u)
		}
		if _, _, err := acc.SSOSignIn(ctx, auth.SSOIdentity{Email: hr.Email, InHRGroup: true, HRGroupsChecked: true}); err != nil {
			t.Errorf("a second SSO sign-in: %v", err)
		}
		var switches int64
		st.DB().Raw("SELECT COUNT(*) FROM audit_log WHERE action = ?", auth.AuditSwitchedToSSO).Scan(&switches)
		if switches != 1 {
			t.Errorf("audited switches = %d, want 1", switches)
		}
	})
}

func TestSSOSignIn_RefusesUnknownDisabledAndHRWithoutGroup(t *testing.T) {
	each(t, func(t *testing.T, acc *auth.Service, _ *survey.Store, _ *clock) {
		ctx := context.Background()
		mustCreate(t, acc, auth.UserInput{Email: "hr@bank.example", Role: auth.RoleHR})
		m := mustCreate(t, acc, auth.UserInput{Email: "m@bank.example", Role: auth.RoleManager, TeamCodes: []string{"NORD"}})
		acc.SetDisabled(ctx, m.ID, true)
		tests := []struct {
			id   auth.SSOIdentity
			want error
		}{
			{auth.SSOIdentity{Email: "nobody@bank.example", InHRGroup: true, HRGroupsChecked: true}, auth.ErrSSOUnknown},
			{auth.SSOIdentity{Email: "m@bank.example"}, auth.ErrSSODisabled},
			{auth.SSOIdentity{Email: "hr@bank.example", HRGroupsChecked: true}, auth.ErrSSONotHR},
		}
		for _, tt := range tests {
			if _, _, err := acc.SSOSignIn(ctx, tt.id); err != tt.want {
				t.Errorf("SSOSignIn(%+v) = %v, want %v", tt.id, err, tt.want)
			}
		}
		if us, _ := acc.Users(ctx); len(us) != 2 {
			t.Errorf("accounts = %d, want 2: a sign-in never creates one", len(us))
		}
	})
}

func TestOrgManagers_FileCreatesMovesAndDisablesManagers(t *testing.T) {
	each(t, func(t *testing.T, acc *auth.Service, st *survey.Store, _ *clock) {
		ctx := context.Background()
		tree, _ := st.Tree(ctx)
		hand := mustCreate(t, acc, auth.UserInput{Email: "hand@bank.example", Role: auth.RoleManager, TeamCodes: []string{"SUD"}})
		file := "code,parent_code,name,headcount,manager_email\nB,,Bank,1,\nNORD,B,Nord,1,\nLILLE,NORD,Lille,5,lea@bank.example|max@bank.example\nSUD,B,Sud,1,max@bank.example\n"
		plan := importFile(t, acc, st, file)
		if m := plan.Managers; len(m.Create) != 2 || m.Create[0].Email != "lea@bank.example" || strings.Join(m.Create[1].Teams, ",") != "LILLE,SUD" {
			t.Fatalf("first import's managers = %+v, want lea and max created", plan.Managers)
		}
		lea, err := acc.UserByEmail(ctx, "lea@bank.example")
		if err != nil || !lea.FromOrg || lea.PasswordHash != "" || !lea.Scope().Allows(tree, tree.ByCode("LILLE").ID) {
			t.Fatalf("lea = %+v, %v; want a manager of LILLE from the file, without password", lea, err)
		}
		// lea moves to SUD, max leaves the file.
		plan = importFile(t, acc, st, "code,parent_code,name,headcount,manager_email\nB,,Bank,1,\nNORD,B,Nord,1,\nLILLE,NORD,Lille,5,\nSUD,B,Sud,1,lea@bank.example\n")
		if m := plan.Managers; len(m.Update) != 1 || len(m.Disable) != 1 || m.Disable[0] != "max@bank.example" {
			t.Fatalf("second import's managers = %+v, want lea moved and max disabled", plan.Managers)
		}
		lea, _ = acc.User(ctx, lea.ID)
		if lea.Scope().Allows(tree, tree.ByCode("LILLE").ID) || !lea.Scope().Allows(tree, tree.ByCode("SUD").ID) {
			t.Errorf("lea's scope after the move: %+v, want SUD only", lea.Scope())
		}
		if max, _ := acc.UserByEmail(ctx, "max@bank.example"); !max.Disabled {
			t.Error("max, no longer in the file, is not disabled")
		}
		if h, _ := acc.User(ctx, hand.ID); h.Disabled || len(h.TeamIDs) != 1 {
			t.Errorf("a manager HR made by hand = %+v, want untouched", h)
		}
		_, err = st.PlanOrgImportWith(ctx, mustRows(t, "code,parent_code,name,headcount,manager_email\nB,,Bank,1,hand@bank.example\n"), acc.OrgManagers())
		if err != nil {
			t.Errorf("listing a hand-made manager: %v, want it taken over by the file", err)
		}
		mustCreate(t, acc, auth.UserInput{Email: "hr@bank.example", Role: auth.RoleHR})
		_, err = st.PlanOrgImportWith(ctx, mustRows(t, "code,parent_code,name,headcount,manager_email\nB,,Bank,1,hr@bank.example\n"), acc.OrgManagers())
		if survey.ErrorCode(err) != survey.ECONFLICT {
			t.Errorf("an HR account as manager: %v, want ECONFLICT", err)
		}
	})
}

func mustRows(t *testing.T, file string) []survey.TeamRow {
	t.Helper()
	rows, err := survey.ParseOrgCSV(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func importFile(t *testing.T, acc *auth.Service, st *survey.Store, file string) *survey.OrgPlan {
	t.Helper()
	rows := mustRows(t, file)
	preview, err := st.PlanOrgImportWith(context.Background(), rows, acc.OrgManagers())
	if err != nil {
		t.Fatal(err)
	}
	plan, err := st.ImportOrgWith(context.Background(), rows, acc.OrgManagers())
	if err != nil {
		t.Fatal(err)
	}
	if len(preview.Managers.Create) != len(plan.Managers.Create) || len(preview.Managers.Disable) != len(plan.Managers.Disable) {
		t.Errorf("preview %+v and import %+v differ", preview.Managers, plan.Managers)
	}
	return plan
}
