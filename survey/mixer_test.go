package survey_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"digigap/survey"
	"digigap/survey/surveytest"
)

func TestMixing_CountersMoveInBatchesOfK(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		st, c := openCampaign(t, st) // k = 5
		team, _ := st.TeamByCode(ctx, "A1")
		count := func() (responses, counted, participation int64) {
			st.DB().Raw("SELECT COUNT(*) FROM responses").Scan(&responses)
			if v := teamCounts(t, st, c, "", team.ID, false); v != nil {
				counted = v[survey.CountResponses]
			}
			_, total, err := st.Participation(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return responses, counted, int64(total)
		}
		for i := 1; i <= 4; i++ {
			mustSubmit(t, st, c, team.ID, survey.Answers{"email.private": i})
			if r, n, p := count(); r != 0 || n != 0 || p != int64(i) {
				t.Fatalf("after %d answers: responses %d, counted %d, participation %d; want 0, 0, %d", i, r, n, p, i)
			}
		}
		mustSubmit(t, st, c, team.ID, survey.Answers{"email.private": 0})
		if r, n, p := count(); r != 5 || n != 5 || p != 5 {
			t.Fatalf("after k answers: responses %d, counted %d, participation %d; want 5 of each", r, n, p)
		}
		var pending int64
		st.DB().Raw("SELECT COUNT(*) FROM pending_responses").Scan(&pending)
		if pending != 0 {
			t.Errorf("%d answers still pending after the flush", pending)
		}
		mustVerify(t, st)
	})
}

// A pending row holds its campaign, a random id and a sealed answer of a
// fixed size: neither the comment nor its length shows.
func TestMixing_PendingRowsShowNothingOfTheAnswer(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		st, c := openCampaign(t, st)
		team, _ := st.TeamByCode(ctx, "A2")
		mustSubmit(t, st, c, team.ID, survey.Answers{"email.private": 1})
		mustSubmit(t, st, c, team.ID, survey.Answers{"email.private": 2, "comment": strings.Repeat("secret word ", 80)})
		var rows []struct {
			ID     string
			Sealed []byte
		}
		st.DB().Raw("SELECT id, sealed FROM pending_responses WHERE campaign_id = ?", c.ID).Scan(&rows)
		if len(rows) != 2 {
			t.Fatalf("%d pending rows, want 2", len(rows))
		}
		if len(rows[0].Sealed) != len(rows[1].Sealed) {
			t.Errorf("sealed sizes %d and %d: the length tells the long comment", len(rows[0].Sealed), len(rows[1].Sealed))
		}
		for _, r := range rows {
			if bytes.Contains(r.Sealed, []byte("secret")) {
				t.Error("the comment is readable in the mixing stage")
			}
		}
	})
}

func TestMixing_WrongKeyRefusesToStart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dsn := filepath.Join(dir, "digigap.db")
	st, err := survey.Open(ctx, dsn, survey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mixed, c := openCampaign(t, st)
	team, _ := mixed.TeamByCode(ctx, "A3")
	mustSubmit(t, mixed, c, team.ID, survey.Answers{"email.private": 1})
	st.Close()
	_, err = survey.Open(ctx, dsn, survey.Options{MixKeyFile: filepath.Join(dir, "other.mixkey")})
	if err == nil || !strings.Contains(err.Error(), "mixing key") {
		t.Fatalf("err = %v, want a refusal naming the mixing key", err)
	}
	st, err = survey.Open(ctx, dsn, survey.Options{}) // the default key beside the file still opens
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
}

// A campaign that closes by date, with nobody writing, still counts every
// answer: the mixer's sweep (here MixPending) flushes all of it.
func TestMixing_ClosedByDateFlushesEverything(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		open, c := openCampaign(t, st)
		team, _ := open.TeamByCode(ctx, "A1")
		mustSubmit(t, open, c, team.ID, survey.Answers{"email.private": 1})
		mustSubmit(t, open, c, team.ID, survey.Answers{"email.private": 2})
		later := st.WithClock(clock("2026-03-21"))
		if n, err := later.MixPending(ctx); err != nil || n != 2 {
			t.Fatalf("MixPending = %d, %v; want 2 answers moved", n, err)
		}
		mustVerify(t, later)
	})
}

// After a flush the sealed rows are gone from the file and its WAL too
// (secure_delete zeroes them; the WAL is emptied), not just from queries.
func TestMixing_FlushLeavesNoSealedRowOnDisk(t *testing.T) {
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "digigap.db")
	st, err := survey.Open(ctx, dsn, survey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st, c := openCampaign(t, st)
	team, _ := st.TeamByCode(ctx, "A1")
	var sealed [][]byte
	for i := range 5 {
		if i == 4 { // the fifth answer flushes: read the four waiting before
			st.DB().Raw("SELECT sealed FROM pending_responses").Scan(&sealed)
		}
		mustSubmit(t, st, c, team.ID, survey.Answers{"email.private": i})
	}
	if len(sealed) != 4 {
		t.Fatalf("%d sealed rows before the flush, want 4", len(sealed))
	}
	db, wal := copyDB(t, dsn).db, copyDB(t, dsn).wal
	for _, s := range sealed {
		if bytes.Contains(db, s[:64]) || bytes.Contains(wal, s[:64]) {
			t.Fatal("a flushed sealed row is still on disk")
		}
	}
}
