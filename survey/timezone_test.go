package survey_test

import (
	"context"
	"testing"
	"time"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// zoneStores opens, for each dialect, a store in Europe/Paris and one in
// UTC, each with smallOrg and an open campaign from 2026-03-02 to 2026-03-20
// with 30 days of retention.
func zoneStores(t *testing.T, fn func(t *testing.T, inParis, inUTC *survey.Store, c *survey.Campaign)) {
	loc := paris(t)
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		var stores [2]*survey.Store
		var camp *survey.Campaign
		for i, l := range []*time.Location{loc, time.UTC} {
			st := surveytest.MustOpen(t, dialect, survey.Options{Location: l})
			mustImport(t, st, smallOrg)
			c := mustCampaign(t, st, "B")
			ret := 30
			if _, err := st.UpdateCampaign(context.Background(), c.ID, survey.CampaignInput{Name: c.Name, QuestionnaireID: c.QuestionnaireID,
				TeamCodes: []string{"B"}, OpensOn: c.OpensOn, ClosesOn: c.ClosesOn, RetentionDays: ret}); err != nil {
				t.Fatal(err)
			}
			if _, err := st.OpenCampaign(context.Background(), c.ID); err != nil {
				t.Fatal(err)
			}
			stores[i], camp = st, c
		}
		fn(t, stores[0], stores[1], camp)
	})
}

// at fixes a store's clock at an instant.
func at(st *survey.Store, v time.Time) *survey.Store {
	return st.WithClock(func() time.Time { return v })
}

// A response's day and whether the campaign takes it follow the
// organisation's time zone: 23:30 UTC is already the next day in Paris.
func TestSubmit_DayAndOpeningFollowTheOrganisationsTimeZone(t *testing.T) {
	zoneStores(t, func(t *testing.T, inParis, inUTC *survey.Store, c *survey.Campaign) {
		ctx := context.Background()
		submit := func(st *survey.Store, v time.Time) (string, error) {
			team, _ := st.TeamByCode(ctx, "A1")
			id, err := at(st, v).Submit(ctx, survey.Submission{CampaignID: c.ID, TeamID: team.ID, Answers: survey.Answers{"email.private": 4, "email.work": 3}})
			if err != nil {
				return "", err
			}
			// The answer waits in the mixing stage until its campaign's
			// closing day has passed: mix it, then read its day.
			if _, err := at(st, time.Date(2026, 3, 23, 12, 0, 0, 0, time.UTC)).MixPending(ctx); err != nil {
				return "", err
			}
			var r survey.Response
			st.DB().Take(&r, "id = ?", id)
			return r.Day, nil
		}
		eve := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC) // 00:30 on 2 March in Paris
		if day, err := submit(inParis, eve); err != nil || day != "2026-03-02" {
			t.Errorf("Paris, %s: day %q, %v; want 2026-03-02", eve, day, err)
		}
		if _, err := submit(inUTC, eve); survey.ErrorCode(err) != survey.ECONFLICT {
			t.Errorf("UTC, %s: %v, want not open yet", eve, err)
		}
		last := time.Date(2026, 3, 20, 23, 30, 0, 0, time.UTC) // 21 March in Paris
		if _, err := submit(inParis, last); survey.ErrorCode(err) != survey.ECONFLICT {
			t.Errorf("Paris, %s: %v, want closed", last, err)
		}
		if day, err := submit(inUTC, last); err != nil || day != "2026-03-20" {
			t.Errorf("UTC, %s: day %q, %v; want 2026-03-20", last, day, err)
		}
	})
}

// The retention purge and the current month of coverage follow the
// organisation's day too.
func TestPurgeAndCoverage_FollowTheOrganisationsTimeZone(t *testing.T) {
	zoneStores(t, func(t *testing.T, inParis, inUTC *survey.Store, c *survey.Campaign) {
		ctx := context.Background()
		for _, st := range []*survey.Store{inParis, inUTC} {
			team, _ := st.TeamByCode(ctx, "A1")
			if _, err := at(st, time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)).Submit(ctx, survey.Submission{CampaignID: c.ID, TeamID: team.ID, Answers: survey.Answers{"email.private": 4}}); err != nil {
				t.Fatal(err)
			}
		}
		due := survey.AddDays("2026-03-20", 31)
		before, _ := survey.ParseDay(due)
		before = before.Add(-30 * time.Minute) // 23:30 UTC on the eve: the due day in Paris
		if res, err := at(inParis, before).PurgeResponses(ctx); err != nil || res.Responses != 1 {
			t.Errorf("Paris purge at %s: %+v, %v; want the response gone (due %s)", before, res, err, due)
		}
		if res, err := at(inUTC, before).PurgeResponses(ctx); err != nil || res.Responses != 0 {
			t.Errorf("UTC purge at %s: %+v, %v; want nothing yet (due %s)", before, res, err, due)
		}
		april := []survey.CoverageRow{{TeamCode: "A1", Period: "2026-04", Clients: 10, WithMobile: 5, WithEmail: 5}}
		night := time.Date(2026, 3, 31, 22, 30, 0, 0, time.UTC) // 00:30 on 1 April in Paris (summer time)
		if _, err := at(inParis, night).ImportCoverage(ctx, april); err != nil {
			t.Errorf("Paris, %s: April refused: %v", night, err)
		}
		if _, err := at(inUTC, night).ImportCoverage(ctx, april); survey.ErrorCode(err) != survey.EINVALID {
			t.Errorf("UTC, %s: April %v, want refused as a future month", night, err)
		}
	})
}
