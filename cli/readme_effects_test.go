package cli_test

import (
	"cmp"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"digigap/auth"
	"digigap/survey"
)

// effects checks, per command, that a line that exited 0 also did its
// work; every command the README or the help shows needs an entry.
var effects = map[string]func(t *testing.T, fx *fixture, r *run){
	"serve": func(t *testing.T, _ *fixture, r *run) {
		wantProbe(t, r)
		if n := len(teams(t, r.db)); r.has("--demo") != (n > 0) {
			t.Errorf("--demo given: %v, but the database has %d teams", r.has("--demo"), n)
		}
	},
	"loadtest-floor": func(t *testing.T, _ *fixture, r *run) { wantProbe(t, r) },
	"demo": func(t *testing.T, _ *fixture, r *run) {
		wantOut(t, r, "demo data: ")
		db := cmp.Or(r.flag("--db"), r.db)
		if len(teams(t, db)) == 0 {
			t.Errorf("no team in %s", db)
		}
		if n := r.flag("--responses"); n != "" {
			wantOut(t, r, " "+n+" responses")
		}
	},
	"org import": func(t *testing.T, _ *fixture, r *run) {
		dry := r.has("--dry-run")
		wantOut(t, r, map[bool]string{true: "would import", false: "imported"}[dry]+" ")
		wantOut(t, r, " 1 new,")
		if added := hasTeam(t, r.db, "A3"); added == dry {
			t.Errorf("--dry-run %v, yet team A3 added: %v", dry, added)
		}
	},
	"coverage import": func(t *testing.T, _ *fixture, r *run) { wantOut(t, r, "imported 2 coverage rows") },
	"questionnaire load": func(t *testing.T, _ *fixture, r *run) {
		current := r.has("--current")
		withStore(t, r.db, func(st *survey.Store) {
			qs, err := st.Questionnaires(context.Background())
			if err != nil || len(qs) != 2 {
				t.Fatalf("%d questionnaires, %v; want 2", len(qs), err)
			}
			for _, q := range qs {
				if q.IsCurrent != (current == (q.Version == 2)) {
					t.Errorf("--current %v, yet version %d current: %v", current, q.Version, q.IsCurrent)
				}
			}
		})
	},
	"questionnaire list": func(t *testing.T, _ *fixture, r *run) { wantOut(t, r, "digital-adoption") },
	"campaign create": func(t *testing.T, _ *fixture, r *run) {
		c := campaignNamed(t, r.db, "Wave T")
		if c == nil || c.State != survey.StateDraft || c.MinGroup != 5 {
			t.Errorf("campaign Wave T: %+v, want a draft with k=5", c)
		}
	},
	"campaign list":  func(t *testing.T, _ *fixture, r *run) { wantOut(t, r, "Fixture draft") },
	"campaign open":  func(t *testing.T, _ *fixture, r *run) { wantState(t, r, "Fixture draft", survey.StateOpen) },
	"campaign close": func(t *testing.T, _ *fixture, r *run) { wantState(t, r, "Fixture open", survey.StateClosed) },
	"invitations generate": func(t *testing.T, _ *fixture, r *run) {
		recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
		if err != nil || len(recs) < 2 || strings.Join(recs[0], ",") != "team_code,team_name,link" {
			t.Fatalf("not an invitations CSV (%v):\n%s", err, r.stdout)
		}
		perTeam := map[string]int{}
		for _, rec := range recs[1:] {
			perTeam[rec[0]]++
			if !strings.HasPrefix(rec[2], baseURL+"/s/") {
				t.Errorf("link %q does not start with the base URL", rec[2])
			}
		}
		if r.has("--count") && (perTeam["A1"] != 2 || perTeam["A2"] != 2) {
			t.Errorf("--count 2 gave %v", perTeam)
		}
	},
	"user create": func(t *testing.T, _ *fixture, r *run) {
		wantUser(t, r, newEmail, func(u *auth.User) bool { return u.Role == r.flag("--role") && !u.Disabled })
	},
	"user list": func(t *testing.T, _ *fixture, r *run) { wantOut(t, r, "rh@demo.invalid") },
	"user disable": func(t *testing.T, _ *fixture, r *run) {
		wantUser(t, r, oldEmail, func(u *auth.User) bool { return u.Disabled })
	},
	"user password": func(t *testing.T, _ *fixture, r *run) {
		if r.has("--link") { // a one-time set-password link instead of a password
			if !strings.Contains(r.stdout+r.stderr, "/password/") && !strings.Contains(r.stdout+r.stderr, "http") {
				t.Errorf("no set-password link printed: %s %s", r.stdout, r.stderr)
			}
			return
		}
		wantUser(t, r, cmp.Or(r.flag("--email"), oldEmail), func(u *auth.User) bool { return true })
	},
	"purge":  func(t *testing.T, _ *fixture, r *run) { wantOut(t, r, "purged ") },
	"verify": func(t *testing.T, _ *fixture, r *run) { wantOut(t, r, "counters match the responses") },
	"backup": func(t *testing.T, _ *fixture, r *run) {
		if len(teams(t, r.flag("--to"))) == 0 {
			t.Error("the copy has no team")
		}
	},
	"healthcheck": func(t *testing.T, _ *fixture, r *run) {}, // its exit status is its effect
	"loadtest": func(t *testing.T, _ *fixture, r *run) {
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if !strings.HasPrefix(lines[len(lines)-1], "submissions_per_s=") {
			t.Errorf("last line %q, want the medians", lines[len(lines)-1])
		}
	},
}

func wantOut(t *testing.T, r *run, s string) {
	t.Helper()
	if !strings.Contains(r.stdout, s) {
		t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
	}
}

func wantProbe(t *testing.T, r *run) {
	t.Helper()
	if r.probe != 200 {
		t.Errorf("probe while up: %d, want 200", r.probe)
	}
}

// withStore opens db with its mixing key: its own, or, for a backup
// written beside the run's database, the key of that database (a backup
// is restored with the key file kept apart, as the README says).
func withStore(t *testing.T, db string, fn func(*survey.Store)) {
	t.Helper()
	key := db + ".mixkey"
	if _, err := os.Stat(key); err != nil {
		key = filepath.Join(filepath.Dir(db), "digigap.db.mixkey")
	}
	st, err := survey.Open(context.Background(), db, survey.Options{MixKeyFile: key})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fn(st)
}

func teams(t *testing.T, db string) (out []survey.Team) {
	withStore(t, db, func(st *survey.Store) {
		var err error
		if out, err = st.Teams(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	return out
}

func hasTeam(t *testing.T, db, code string) bool {
	for _, tm := range teams(t, db) {
		if tm.Code == code {
			return true
		}
	}
	return false
}

func campaignNamed(t *testing.T, db, name string) (found *survey.Campaign) {
	withStore(t, db, func(st *survey.Store) {
		cs, err := st.Campaigns(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for i := range cs {
			if cs[i].Name == name {
				found = &cs[i]
			}
		}
	})
	return found
}

func wantState(t *testing.T, r *run, name, state string) {
	t.Helper()
	if c := campaignNamed(t, r.db, name); c == nil || c.State != state {
		t.Errorf("campaign %s: %+v, want %s", name, c, state)
	}
}

// wantUser checks the account and that the fixture's password signs it in.
func wantUser(t *testing.T, r *run, email string, ok func(*auth.User) bool) {
	t.Helper()
	withStore(t, r.db, func(st *survey.Store) {
		acc := auth.New(st)
		u, err := acc.UserByEmail(context.Background(), email)
		if err != nil {
			t.Fatal(err)
		}
		if !ok(u) {
			t.Errorf("account %+v", u)
		}
		if r.cmd != "user disable" && !acc.PasswordMatches(u, password) {
			t.Errorf("%s: the password given is not the account's", email)
		}
	})
}
