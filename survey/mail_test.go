package survey_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"digigap/survey"
	"digigap/survey/surveytest"
)

func TestParseRecipients_SeparatorsBOMAndHeader(t *testing.T) {
	isTeam := func(code string) bool { return code == "A1" || code == "A2" }
	for _, list := range []string{
		"A1;un@bank.example\nA2;deux@bank.example\n",
		"\ufeffteam_code;email\r\nA1;un@bank.example\r\nA2;Deux@Bank.example\r\n",
		"team_code,email\nA1,un@bank.example\nA2, deux@bank.example \n\n",
	} {
		rows, err := survey.ParseRecipients(strings.NewReader(list), isTeam)
		if err != nil || len(rows) != 2 || rows[1].Email != "deux@bank.example" || rows[1].TeamCode != "A2" {
			t.Errorf("%q: %+v, %v; want two rows, addresses in lower case", list, rows, err)
		}
	}
	_, err := survey.ParseRecipients(strings.NewReader("A1;un@bank.example\nZZ;x@bank.example\nA1;Bob <b@bank.example>\nA1;un@bank.example\n"), isTeam)
	var de *survey.Error
	if !asErr(err, &de) || len(de.Details) != 3 {
		t.Fatalf("%v: want three line errors", err)
	}
	for i, want := range []string{"line 2", "line 3", "line 4"} {
		if de.Details[i].Field != want || strings.Contains(de.Details[i].Message, "bank.example") {
			t.Errorf("error %d: %q %q; want on %s, without the address", i, de.Details[i].Field, de.Details[i].Message, want)
		}
	}
}

func TestSweepMail_ForgetsTheAddressesOfACampaignClosedByDate(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		st, c := openCampaign(t, st)
		if _, err := st.AddRecipients(ctx, c.ID, strings.NewReader("A1;un@bank.example\nA2;deux@bank.example\n")); err != nil {
			t.Fatal(err)
		}
		if n, err := st.SweepMail(ctx); err != nil || n != 0 {
			t.Fatalf("sweep while open: %d, %v; want nothing forgotten", n, err)
		}
		after := st.WithClock(clock(survey.AddDays(c.ClosesOn, 1)))
		if _, err := after.SweepMail(ctx); err != nil {
			t.Fatal(err)
		}
		var left int64
		st.DB().Raw("SELECT COUNT(*) FROM mail_recipients").Scan(&left)
		if left != 0 {
			t.Errorf("%d addresses left after the closing date, want 0", left)
		}
	})
}

func asErr(err error, target **survey.Error) bool { return errors.As(err, target) }
