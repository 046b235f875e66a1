package api_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"digigap/api"
	"digigap/auth"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// The audit log reads in the organisation's time zone and the reader's
// language: an entry at 09:00 UTC in March shows 10:00 in Paris, its
// action named in French.
func TestConsoleAudit_OrganisationsTimeZoneAndLanguage(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC) }
	st, err := survey.Open(context.Background(), filepath.Join(t.TempDir(), "a.db"), survey.Options{Now: now, Location: paris})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	app := appOf(t, st) // creates HR's API token: one audit entry
	_, _, page := get(t, app, "/hr/audit?lang=fr")
	if !strings.Contains(page, "10 mars 2026 10:00") || !strings.Contains(page, "jeton d&#39;API créé") || !strings.Contains(page, "Quand (fuseau Europe/Paris)") {
		t.Errorf("the audit log is not in Paris time and French: %s", page)
	}
}

// HR's actions read in the audit log in the reader's language: data
// (addresses, team codes, names) as it is, sentences, vocabulary and
// numbers in French on a French page, in English on an English one; the
// API keeps the English detail. An entry written before details had
// catalogue keys shows its English detail, marked as English.
func TestConsoleAudit_DetailsInTheReadersLanguage(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		app, st, _ := archiveCase(t, dialect) // org imported, campaigns created, opened, closed
		ctx := context.Background()
		st.DB().Create(&survey.AuditEntry{At: startOfTests(), Actor: "(system)", Action: survey.AuditExport, Object: "old.csv", Detail: "written before keys"})
		acc := auth.New(st)
		if _, err := acc.CreateUser(ctx, auth.UserInput{Email: "chef.lille@banque.example", Role: auth.RoleManager, Password: testPassword, TeamCodes: []string{"LILLE"}}); err != nil {
			t.Fatal(err)
		}
		hr, err := acc.UserByEmail(ctx, "hr@bank.example")
		if err == nil {
			_, err = acc.OpenSession(ctx, hr, "password and totp")
		}
		if err != nil {
			t.Fatal(err)
		}
		nord, err := st.Campaign(ctx, 2) // archiveCase's open wave
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddRecipients(ctx, nord.ID, strings.NewReader("LILLE;un@banque.example\nLILLE;deux@banque.example\n")); err != nil {
			t.Fatal(err)
		}
		if _, err := st.QueueInvitations(ctx, nord.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddReferenceValue(ctx, survey.ReferenceInput{Label: "Objectif", Value: 70.5, Channel: "sms"}); err != nil {
			t.Fatal(err)
		}
		lille, _ := st.TeamByCode(ctx, "LILLE")
		a, err := st.AddAction(ctx, survey.FullScope(), lille.ID, survey.ActionInput{Title: "Formation SMS", Channels: []string{"sms"}, StartsOn: "2026-03-01", OwnerRole: "directeur d'agence"})
		if err == nil {
			_, err = st.SetActionStatus(ctx, survey.FullScope(), a.ID, survey.ActionInProgress)
		}
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := survey.ParseCoverageCSV(strings.NewReader(coverageCSV))
		if _, err := st.ImportCoverage(ctx, rows); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ArchiveTeam(ctx, "SUDX"); err != nil {
			t.Fatal(err)
		}

		_, _, fr := hrCall(t, app, "GET", "/hr/audit", "")
		checkFrench(t, "GET /hr/audit", 200, fr)
		for _, want := range []string{"chef.lille@banque.example, rôle Manager, équipes LILLE", "Vague NORD : du 2 mars 2026 au 20 mars 2026, 2 équipes",
			"5 équipes : 5 nouvelles", "2 adresses ajoutées, 0 déjà présentes", "2 invitations en attente d&#39;envoi", "sms 70,5\u202f%",
			"prévue → en cours", "équipe LILLE : Formation SMS (sms, à partir du 1er mars 2026)", "2 lignes", "<td>mot de passe et second facteur</td>", "NIMESX SUDX", `<td lang="en">written before keys</td>`} {
			if !strings.Contains(fr, want) {
				t.Errorf("the French audit log lacks %q: %s", want, fr)
			}
		}
		table := regexp.MustCompile(`<code[^>]*>[^<]*</code>`).ReplaceAllString(fr[strings.Index(fr, "<tbody>"):strings.Index(fr, "</tbody>")], "")
		for _, english := range []string{"queued", "rows", " as ", "added", "listed", "teams", "retention", "planned", "in_progress", "new,"} {
			if strings.Contains(table, english) {
				t.Errorf("the French audit log says %q", english)
			}
		}
		if strings.Count(table, `lang="en"`) != 1 {
			t.Errorf("only the entry written before keys may be marked English: %s", table)
		}

		_, _, en := hrCall(t, app, "GET", "/hr/audit?lang=en", "")
		for _, want := range []string{"chef.lille@banque.example as Manager, teams LILLE", "2 addresses added, 0 already listed", "2 invitations queued",
			"planned → in progress", "2 rows", "Vague NORD: 2 March 2026 to 20 March 2026", "<td>password and second factor</td>", "5 teams: 5 new", "Personal invitations and team links", "sms 70.5 %", "written before keys"} {
			if !strings.Contains(en, want) {
				t.Errorf("the English audit log lacks %q", want)
			}
		}
		if strings.Contains(en, `lang="en">written`) {
			t.Error("an English page marks an English detail as foreign")
		}

		_, _, api := hrCall(t, app, "GET", "/api/v1/audit?limit=100", "")
		for _, want := range []string{"chef.lille@banque.example as manager, teams LILLE", "planned → in_progress", "2 invitations queued", "sms 70.5 %", "both, retention 730 days", `"detail":"password and totp"`, "2026-03-02 to 2026-03-20"} {
			if !strings.Contains(api, want) {
				t.Errorf("the API's audit log lacks the English detail %q: %s", want, api)
			}
		}
	})
}

// Numbers read as the reader writes them.
func TestNumberText_ThousandsAndDecimalMarkOfTheLanguage(t *testing.T) {
	for _, tt := range []struct{ lang, n, want string }{
		{"fr", "1234567", "1\u202f234\u202f567"}, {"en", "1234567", "1,234,567"}, {"fr", "70.5", "70,5"},
		{"en", "-1234.25", "-1,234.25"}, {"fr", "999", "999"}, {"en", "0", "0"},
	} {
		if got := api.NumberText(tt.lang, tt.n); got != tt.want {
			t.Errorf("%s %s = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

// Every detail sentence written by the survey and auth packages, and every
// word of vocabulary a detail names, is in both catalogues.
func TestAuditDetails_EveryKeyIsInBothCatalogues(t *testing.T) {
	keys := []string{"audit.method.password", "audit.method.sso", "audit.method.password_and_totp", "account.role." + auth.RoleHR, "account.role." + auth.RoleManager}
	for _, s := range survey.ActionStatuses {
		keys = append(keys, "action.status."+s)
	}
	for _, m := range []string{survey.AccessBoth, survey.AccessInvitation, survey.AccessTeamLink} {
		keys = append(keys, "console.access."+m)
	}
	// Detail("key", …) and setTeamCodes(…, survey.AuditUserX, "key", …).
	written := regexp.MustCompile(`(?:Detail\(|AuditUser\w+, )"(\w+)"`)
	for _, pattern := range []string{"../survey/*.go", "../auth/*.go"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range written.FindAllSubmatch(src, -1) {
				keys = append(keys, "audit.detail."+string(m[1]))
			}
		}
	}
	if len(keys) < 30 {
		t.Fatalf("found %d keys: the pattern no longer finds the details", len(keys))
	}
	for _, k := range keys {
		for _, lang := range []string{"fr", "en"} {
			if _, ok := api.Catalog(lang)[k]; !ok {
				t.Errorf("%s.yaml lacks %q", lang, k)
			}
		}
	}
}
