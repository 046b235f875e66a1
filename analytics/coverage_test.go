package analytics_test

import (
	"context"
	"strings"
	"testing"

	"digigap/analytics"
	"digigap/survey"
)

func TestBranchScatter_WithheldStaffFiguresLeaveNoPoint(t *testing.T) {
	f := newFixture(t, survey.SQLite)
	ctx := context.Background()
	csv := "team_code,period,clients,with_mobile,with_email,sms_consent,email_consent\n" +
		"A1,2026-04,100,60,50,10,10\nA2,2026-04,50,10,5,1,1\nA3,2026-04,200,150,20,5,5\nA3,2026-03,10,1,1,1,1\n"
	rows, err := survey.ParseCoverageCSV(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.ImportCoverage(ctx, rows); err != nil {
		t.Fatal(err)
	}
	stored, _ := f.st.CoverageRows(ctx)
	s, err := f.eng.BranchScatter(ctx, survey.FullScope(), f.camp.ID, f.team["B"], stored)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Period, "2026-04"; got != want {
		t.Errorf("period = %s, want the latest month %s", got, want)
	}
	points := map[string]analytics.ScatterPoint{}
	for _, p := range s.Points {
		points[p.Team.Code] = p
	}
	if got, want := len(points), 3; got != want {
		t.Fatalf("%d branches, want %d (those reporting coverage)", got, want)
	}
	// A2 has 2 responses (k = 5): its figures are withheld, and A1 with it
	// (the residual rule: S1 − A1 would give A2).
	if p := points["A2"]; p.SMS.Shown || p.Email.Shown {
		t.Errorf("A2's staff figures are shown: %+v", p)
	}
	a3 := points["A3"]
	if !a3.SMS.Shown || !near(a3.SMS.Q, 0) || !near(a3.MobileShare, 0.75) || !near(a3.Email.Q, 1) {
		t.Errorf("A3 = %+v, want Q(sms) 0 over 75 %% mobile coverage and Q(email) 1", a3)
	}
	ch := analytics.ScatterChart(s, analytics.Locale{Lang: "en", T: func(k string, a ...any) string { return k }})
	spec, err := ch.Spec()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(spec), "Agence Douai") {
		t.Errorf("the scatter draws A2 (Agence Douai), whose figures are withheld: %s", spec)
	}
	if !strings.Contains(string(spec), "Agence Nîmes") {
		t.Errorf("the scatter leaves out A3 (Agence Nîmes): %s", spec)
	}
	for _, r := range ch.Table.Rows {
		if r.Header == "Agence Douai" && r.Cells[1].Raw != "chart.withheld_raw" {
			t.Errorf("table row of A2 = %+v, want its staff figure marked withheld", r)
		}
	}
}
