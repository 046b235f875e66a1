package mailer_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"digigap/mailer"
	"digigap/mailer/mailtest"
	"digigap/survey"
	"digigap/survey/surveytest"
)

const base = "https://enquete.banque.example"

// org has six teams under one bank, so lists spread over several teams.
const org = `code,parent_code,name,headcount
B,,Banque,0
T1,B,Agence Lille,300
T2,B,Agence Douai,300
T3,B,Agence Nîmes,300
T4,B,Agence Arras,300
T5,B,Agence Béthune,300
T6,B,Agence Lens,300
`

// clock is a settable test clock, read by the store and the sender.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(day string) {
	t, _ := time.Parse(survey.DateLayout, day)
	c.mu.Lock()
	c.t = t.Add(9 * time.Hour)
	c.mu.Unlock()
}

type fixture struct {
	st   *survey.Store
	c    *survey.Campaign
	clk  *clock
	smtp *mailtest.Server
}

// newFixture opens a store of dialect with an open campaign over the six
// teams, on 2026-03-05, and a test relay.
func newFixture(t testing.TB, dialect string) *fixture {
	t.Helper()
	clk := &clock{}
	clk.Set("2026-03-05")
	st := surveytest.MustOpen(t, dialect, survey.Options{Now: clk.Now})
	return setUp(t, st, clk)
}

func setUp(t testing.TB, st *survey.Store, clk *clock) *fixture {
	t.Helper()
	ctx := context.Background()
	importOrg(t, st)
	q, err := st.EnsureDefaultQuestionnaire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: "Vague d'été", QuestionnaireID: q.ID, TeamCodes: []string{"B"},
		OpensOn: "2026-03-02", ClosesOn: "2026-03-31", AccessMode: survey.AccessInvitation})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.OpenCampaign(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	return &fixture{st: st, c: c, clk: clk, smtp: mailtest.Start(t)}
}

// address is the i-th recipient's address.
func address(i int) string { return fmt.Sprintf("agent%04d@banque.example", i) }

// list is n recipients spread over the six teams, as HR uploads it.
func list(n int) string {
	var b strings.Builder
	b.WriteString("\ufeffteam_code;email\n")
	for i := range n {
		fmt.Fprintf(&b, "T%d;%s\n", i%6+1, address(i))
	}
	return b.String()
}

// upload stores a list of n recipients and queues their invitations.
func (f *fixture) upload(t testing.TB, n int) {
	t.Helper()
	ctx := context.Background()
	if _, err := f.st.AddRecipients(ctx, f.c.ID, strings.NewReader(list(n))); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.QueueInvitations(ctx, f.c.ID); err != nil {
		t.Fatal(err)
	}
}

// options are fast sender settings against the fixture's relay.
func (f *fixture) options(t testing.TB) mailer.Options {
	relay, err := mailer.ParseRelay(f.smtp.URL(), "")
	if err != nil {
		t.Fatal(err)
	}
	return mailer.Options{Relay: relay, From: "enquete@banque.example", BaseURL: base, Rate: 1_000_000,
		Poll: 20 * time.Millisecond, Backoff: func(int) time.Duration { return 0 },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// run starts a sender until the test ends.
func run(t *testing.T, st *survey.Store, opt mailer.Options) {
	t.Cleanup(runUntil(t, st, opt))
}

// runUntil starts a sender; the returned function stops it and waits.
func runUntil(t testing.TB, st *survey.Store, opt mailer.Options) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	s := mailer.New(st, opt)
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	return func() { cancel(); <-done }
}

// byRecipient parses the received messages by address.
func byRecipient(t *testing.T, got []mailtest.Received) map[string][]*mailtest.Parsed {
	t.Helper()
	out := map[string][]*mailtest.Parsed{}
	for _, m := range got {
		p, err := mailtest.Parse(m.Data)
		if err != nil {
			t.Fatalf("message to %v does not parse: %v", m.To, err)
		}
		for _, to := range m.To {
			out[to] = append(out[to], p)
		}
	}
	return out
}

// answer submits with a token, as the respondent's browser does.
func answer(st *survey.Store, c *survey.Campaign, token string) error {
	_, err := st.Submit(context.Background(), survey.Submission{CampaignID: c.ID, Token: token, Answers: survey.Answers{"sms.private": 1}})
	return err
}

// counts reads the console's counts.
func (f *fixture) counts(t testing.TB) survey.MailCounts {
	t.Helper()
	mc, err := f.st.MailCountsOf(context.Background(), f.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return *mc
}

// waitFor polls cond until it holds.
func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func asError(err error, target **survey.Error) bool { return errors.As(err, target) }

// importOrg loads the six teams.
func importOrg(t testing.TB, st *survey.Store) {
	t.Helper()
	rows, err := survey.ParseOrgCSV(strings.NewReader(org))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportOrg(context.Background(), rows); err != nil {
		t.Fatal(err)
	}
}

// mailedWave opens a store of dialect on 2026-03-05, mails a wave of n
// invitations through a sender and waits until they are recorded sent.
// stop ends the sender (it also ends with the test).
func mailedWave(t *testing.T, dialect string, n int) (f *fixture, msgs map[string][]*mailtest.Parsed, stop func()) {
	t.Helper()
	clk := &clock{}
	clk.Set("2026-03-05")
	st, err := survey.Open(context.Background(), surveytest.DSN(t, dialect), survey.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f = setUp(t, st, clk)
	f.upload(t, n)
	stop = runUntil(t, f.st, f.options(t))
	t.Cleanup(stop)
	msgs = byRecipient(t, f.smtp.Wait(t, n, time.Minute))
	waitFor(t, "the invitations to be recorded", time.Minute, func() bool { return f.counts(t).ToSend == 0 })
	return f, msgs, stop
}
