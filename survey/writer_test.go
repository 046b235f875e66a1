package survey_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"digigap/survey"
	"digigap/survey/surveytest"
)

func TestWriter_GroupCommitKeepsEachSubmissionExact(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		var batches, largest int
		var mu sync.Mutex
		st.StartWriter(64, func(size int, _ time.Duration) {
			mu.Lock()
			batches++
			largest = max(largest, size)
			mu.Unlock()
		})
		st, c := openCampaign(t, st)
		team, _ := st.TeamByCode(ctx, "A1")
		token := mustInvitation(t, st, c, team.ID)
		const n = 60
		var wg sync.WaitGroup
		outcomes := make([]string, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				sub := survey.Submission{CampaignID: c.ID, TeamID: team.ID, Answers: survey.Answers{"email.private": i % 5}}
				if i%3 == 0 {
					sub = survey.Submission{CampaignID: c.ID, Token: token, Answers: survey.Answers{"sms.private": 1}}
				}
				_, err := st.Submit(ctx, sub)
				outcomes[i] = survey.ErrorCode(err)
			}(i)
		}
		wg.Wait()
		count := map[string]int{}
		for _, o := range outcomes {
			count[o]++
		}
		// 20 token submissions: one wins, 19 conflict; the 40 team-link ones all succeed.
		if count[""] != 41 || count[survey.ECONFLICT] != 19 {
			t.Fatalf("outcomes = %v, want 41 successes and 19 conflicts", count)
		}
		mustClose(t, st, c) // what still waits in the mixing stage leaves it
		var stored int64
		st.DB().Model(&survey.Response{}).Count(&stored)
		if got, want := stored, int64(41); got != want {
			t.Errorf("responses = %d, want %d", got, want)
		}
		if diffs, err := st.Verify(ctx); err != nil || len(diffs) > 0 {
			t.Errorf("verify after group commits: %d differences, %v", len(diffs), err)
		}
		st.Close()
		if batches == 0 || largest < 1 {
			t.Errorf("writer saw %d batches", batches)
		}
		t.Logf("%d batches, largest %d", batches, largest)
	})
}

func TestWriter_SubmitAfterCloseIsUnavailable(t *testing.T) {
	st := surveytest.MustOpenDB(t)
	st.StartWriter(8, nil)
	st, c := openCampaign(t, st)
	team, _ := st.TeamByCode(context.Background(), "A1")
	st.Close()
	_, err := st.Submit(context.Background(), survey.Submission{CampaignID: c.ID, TeamID: team.ID})
	if got, want := survey.ErrorCode(err), survey.EUNAVAILABLE; got != want {
		t.Errorf("code = %q, want %q (%v)", got, want, err)
	}
}

// The writer's flush picks the answers it staged from its own memory, not
// the stage: when another process moved some of them meanwhile (a second
// server, a command-line verify), that flush moves nothing, and the next
// one reads the whole stage, so each answer is counted exactly once.
func TestWriter_FlushSkipsAnswersAnotherProcessMoved(t *testing.T) {
	ctx := context.Background()
	dsn := surveytest.DSN(t, survey.SQLite)
	opt := survey.Options{Now: clock("2026-03-05"), MixKeyFile: filepath.Join(t.TempDir(), "digigap.mixkey")}
	st, err := survey.Open(ctx, dsn, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.StartWriter(8, nil)
	st, c := openCampaign(t, st) // k = 5
	team, _ := st.TeamByCode(ctx, "A1")
	for i := range 4 { // below k: they wait, known to this process
		mustSubmit(t, st, c, team.ID, survey.Answers{"email.private": i})
	}
	if _, err := st.FlushAsWriter(ctx); err != nil { // reads the stage: the next flushes choose from memory
		t.Fatal(err)
	}
	other, err := survey.Open(ctx, dsn, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	mustSubmit(t, other, c, team.ID, survey.Answers{"email.private": 4}) // the fifth: other moves all five
	for i := range 5 {
		mustSubmit(t, st, c, team.ID, survey.Answers{"sms.private": i})
	}
	moved := 0
	for range 2 { // the first may find the four gone and roll back; the second reads the stage
		n, err := st.FlushAsWriter(ctx)
		if err != nil {
			t.Fatal(err)
		}
		moved += n
	}
	var responses, pending int64
	st.DB().Raw("SELECT COUNT(*) FROM responses").Scan(&responses)
	st.DB().Raw("SELECT COUNT(*) FROM pending_responses").Scan(&pending)
	if moved != 5 || responses != 10 || pending != 0 {
		t.Errorf("writer moved %d, responses %d, pending %d; want 5, 10, 0", moved, responses, pending)
	}
	mustVerify(t, st)
}
