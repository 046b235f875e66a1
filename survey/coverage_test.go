package survey_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"digigap/survey"
	"digigap/survey/surveytest"
)

const coverageOrg = `code,parent_code,name,headcount
B,,Bank,40
NORD,B,Nord,20
LILLE,NORD,Lille,10
ROUBAIX,NORD,Roubaix,10
SUD,B,Sud,20
`

// coverageStore is a store at 2026-06-15 with the org above.
func coverageStore(t *testing.T, st *survey.Store) *survey.Store {
	t.Helper()
	st = st.WithClock(func() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC) })
	rows, err := survey.ParseOrgCSV(strings.NewReader(coverageOrg))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportOrg(context.Background(), rows); err != nil {
		t.Fatal(err)
	}
	return st
}

func importCoverage(t *testing.T, st *survey.Store, csv string) error {
	t.Helper()
	rows, err := survey.ParseCoverageCSV(strings.NewReader(csv))
	if err != nil {
		return err
	}
	_, err = st.ImportCoverage(context.Background(), rows)
	return err
}

const coverageHead = "team_code,period,clients,with_mobile,with_email,sms_consent,email_consent\n"

func TestImportCoverage_BadRowRefusesFileNamingLineAndReason(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		st = coverageStore(t, st)
		cases := []struct{ name, row, want string }{
			{"negative count", "LILLE,2026-01,-1,0,0,0,0", "clients \"-1\" must be a whole number"},
			{"not an integer", "LILLE,2026-01,10.5,0,0,0,0", "clients \"10.5\" must be a whole number"},
			{"sub-count above clients", "LILLE,2026-01,10,11,0,0,0", "with_mobile (11) is more than clients (10)"},
			{"consent above clients", "LILLE,2026-01,10,5,5,5,12", "email_consent (12) is more than clients (10)"},
			{"unknown team", "NOWHERE,2026-01,10,5,5,5,5", "team \"NOWHERE\" is not in the org tree"},
			{"bad period", "LILLE,2026-13,10,5,5,5,5", "period \"2026-13\" must be a month"},
			{"future period", "LILLE,2026-07,10,5,5,5,5", "period 2026-07 is after the current month"},
			{"missing field", "LILLE,2026-01,10,5,5,5", "6 fields, expected 7"},
			{"duplicate row", "LILLE,2026-01,10,5,5,5,5\nLILLE,2026-01,10,5,5,5,5", "appears twice for 2026-01 (first on line 3)"},
		}
		for _, tt := range cases {
			t.Run(tt.name, func(t *testing.T) {
				err := importCoverage(t, st, coverageHead+"ROUBAIX,2026-01,8,4,4,4,4\n"+tt.row+"\n")
				if got, want := survey.ErrorCode(err), survey.EINVALID; got != want {
					t.Fatalf("code = %q (%v), want %q", got, err, want)
				}
				if msg := survey.ErrorMessage(err); !strings.Contains(msg, "line 3") || !strings.Contains(msg, tt.want) {
					t.Errorf("message = %q, want line 3 and %q", msg, tt.want)
				}
				if rows, _ := st.CoverageRows(context.Background()); len(rows) != 0 {
					t.Errorf("%d rows stored from a refused file", len(rows))
				}
			})
		}
	})
}

func TestParseCoverage_ListsEveryBadLineAndRefusesOtherColumns(t *testing.T) {
	_, err := survey.ParseCoverageCSV(strings.NewReader(coverageHead + "LILLE,2026-01,x,0,0,0,0\nLILLE,2026-02,1,2,0,0,0\n"))
	var de *survey.Error
	if !errors.As(err, &de) || len(de.Details) != 2 {
		t.Fatalf("error = %v, want two field errors", err)
	}
	_, err = survey.ParseCoverageCSV(strings.NewReader("team_code,period,clients,with_mobile,with_email,sms_consent,email_consent,client_name\n"))
	if got, want := survey.ErrorCode(err), survey.EINVALID; got != want {
		t.Errorf("extra column: code %q, want %q", got, want)
	}
	_, err = survey.ParseCoverageJSON([]byte(`{"rows":[{"team_code":"LILLE","period":"2026-01","clients":3,"with_mobile":1,"with_email":1,"sms_consent":0,"email_consent":0,"phone":"0600000000"}]}`))
	if msg := survey.ErrorMessage(err); !strings.Contains(msg, `row 1: unknown field "phone"`) {
		t.Errorf("JSON with a client field: %q, want it refused on row 1", msg)
	}
	_, err = survey.ParseCoverageJSON([]byte(`{"rows":[{"team_code":"LILLE","period":"2026-01","clients":3.5,"with_mobile":1,"with_email":1,"sms_consent":0,"email_consent":0}]}`))
	if msg := survey.ErrorMessage(err); !strings.Contains(msg, `row 1: clients "3.5"`) {
		t.Errorf("JSON with a fraction: %q, want row 1 named", msg)
	}
}

func TestImportCoverage_ReimportReplacesPeriodAndRollupsAreSums(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		st = coverageStore(t, st)
		ctx := context.Background()
		first := coverageHead + "LILLE,2026-01,100,50,40,30,20\nROUBAIX,2026-01,200,10,20,5,5\nSUD,2026-01,1000,1,1,1,1\nLILLE,2026-02,110,60,40,30,20\n"
		if err := importCoverage(t, st, first); err != nil {
			t.Fatal(err)
		}
		// January again, without Roubaix and with new Lille figures.
		if err := importCoverage(t, st, coverageHead+"LILLE,2026-01,120,70,40,30,20\n"); err != nil {
			t.Fatal(err)
		}
		if page, _ := st.AuditLog(ctx, 0, 1); page.Entries[0].Action != survey.AuditCoverageImported || page.Entries[0].Object != "coverage 2026-01" {
			t.Errorf("audit = %+v, want the import of January", page.Entries[0])
		}
		rows, err := st.CoverageRows(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(rows), 2; got != want {
			t.Fatalf("%d rows after re-import, want %d (January replaced as a whole)", got, want)
		}
		if err := importCoverage(t, st, coverageHead+"ROUBAIX,2026-01,200,10,20,5,5\nLILLE,2026-01,120,70,40,30,20\nSUD,2026-01,1000,1,1,1,1\n"); err != nil {
			t.Fatal(err)
		}
		rows, _ = st.CoverageRows(ctx)
		tree, err := st.Tree(ctx)
		if err != nil {
			t.Fatal(err)
		}
		nord := survey.RollupCoverage(tree, rows, tree.ByCode("NORD").ID)
		if got, want := len(nord), 2; got != want {
			t.Fatalf("NORD has %d periods, want %d", got, want)
		}
		jan := nord[0]
		if got, want := [6]int64{int64(jan.Teams), jan.Clients, jan.WithMobile, jan.WithEmail, jan.SMSConsent, jan.EmailConsent}, [6]int64{2, 320, 80, 60, 35, 25}; got != want {
			t.Errorf("NORD January = %v, want %v (sums of Lille and Roubaix)", got, want)
		}
		bank := survey.RollupCoverage(tree, rows, tree.ByCode("B").ID)
		if got, want := bank[0].Clients, int64(1320); got != want {
			t.Errorf("bank January clients = %d, want %d", got, want)
		}
		if got, want := bank[1].Clients, int64(110); got != want {
			t.Errorf("bank February clients = %d, want %d", got, want)
		}
	})
}
