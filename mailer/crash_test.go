package mailer_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"digigap/mailer/mailtest"
	"digigap/survey"
)

// buildDigigap builds the real binary once for this test.
func buildDigigap(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "digigap")
	if out, err := exec.Command("go", "build", "-o", bin, "digigap").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// server is a running `digigap serve`.
type server struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	exited chan struct{}
	once   sync.Once
}

// kill sends SIGKILL and returns once the process is gone.
func (s *server) kill() {
	s.once.Do(func() { _ = s.cmd.Process.Signal(syscall.SIGKILL) })
	<-s.exited
}

// stop asks the server to stop and waits for it.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	<-s.exited
}

// serveMail starts `digigap serve` sending through relay, and waits until it is ready.
func serveMail(t *testing.T, bin, db string, relay *mailtest.Server) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", addr, "--log-level", "error", "--base-url", base,
		"--smtp-url", relay.URL(), "--mail-from", "enquete@banque.example", "--smtp-rate", "6000")
	stderr := new(bytes.Buffer)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, stderr: stderr, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.exited) }()
	t.Cleanup(s.kill)
	waitFor(t, "digigap to be ready", time.Minute, func() bool {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	})
	return s
}

// A sender killed at any instant loses no message and sends no second
// working link. Five runs of the real binary on one database: the first
// is killed wherever the kill lands; the next three by the relay itself,
// exactly at RCPT, at the end of a message it then does not keep, and
// once it kept a message but before it says so (the sender cannot have
// recorded that one: it sends it again); the last sends the rest. Each
// recipient ends with one message (one Message-ID; a second copy, if
// any, the same bytes) whose link works once.
func TestSend_KillDashNineMidRunThenRestartSendsTheRestOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "digigap.db")
	st, err := survey.Open(ctx, db, survey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 600
	importOrg(t, st)
	today := st.Today()
	q, _ := st.EnsureDefaultQuestionnaire(ctx)
	c, err := st.CreateCampaign(ctx, survey.CampaignInput{Name: "Vague réelle", QuestionnaireID: q.ID, TeamCodes: []string{"B"},
		OpensOn: survey.AddDays(today, -1), ClosesOn: survey.AddDays(today, 30), AccessMode: survey.AccessInvitation})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.OpenCampaign(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddRecipients(ctx, c.ID, strings.NewReader(list(n))); err != nil {
		t.Fatal(err)
	}
	if _, err := st.QueueInvitations(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	st.Close()

	bin := buildDigigap(t)
	relay := mailtest.Start(t)
	k := newKiller(relay)

	first := serveMail(t, bin, db, relay)
	relay.Wait(t, n/5, 2*time.Minute)
	first.kill() // wherever it lands
	runs := []string{fmt.Sprintf("killed anywhere after %d messages", len(relay.Messages()))}
	var keptTwice []string // the addresses whose message the relay kept as the sender died
	var sentOnce []string  // those whose message it had not kept
	for _, stage := range []string{atRcpt, atEnd, atKept} {
		victim := serveMail(t, bin, db, relay)
		to := k.kill(t, victim, stage, len(relay.Messages())+n/8)
		runs = append(runs, fmt.Sprintf("killed %s after %d", stage, len(relay.Messages())))
		if stage == atKept {
			keptTwice = append(keptTwice, to)
		} else {
			sentOnce = append(sentOnce, to)
		}
	}

	third := serveMail(t, bin, db, relay)
	relay.WaitFor(t, "every recipient", 3*time.Minute, func(got []mailtest.Received) bool { return recipients(got) == n })
	st, err = survey.Open(ctx, db, survey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	waitFor(t, "the outbox to empty", 2*time.Minute, func() bool {
		mc, err := st.MailCountsOf(ctx, c.ID)
		return err == nil && mc.ToSend == 0
	})
	third.stop()

	got := relay.Messages()
	msgs, copies := oneMessageEach(t, got, n)
	for _, to := range keptTwice {
		if copies[to] != 2 {
			t.Errorf("the message the relay kept as the sender was killed arrived %d times, want 2 (sent again, identical)", copies[to])
		}
	}
	for _, to := range sentOnce {
		if copies[to] != 1 {
			t.Errorf("a message the relay had not kept as the sender was killed arrived %d times, want 1", copies[to])
		}
	}
	for i := range n {
		if link := msgs[address(i)].Link(); !strings.HasPrefix(link, base+"/s/#t=") {
			t.Fatalf("link %q, want it on --base-url %s", link, base)
		}
		tok := msgs[address(i)].Token()
		if _, err := st.InvitationByToken(ctx, tok); err != nil {
			t.Fatalf("the link sent to %s has no valid invitation: %v", address(i), err)
		}
		if i%20 != 0 && !slices.Contains(keptTwice, address(i)) && !slices.Contains(sentOnce, address(i)) {
			continue
		}
		if err := answer(st, c, tok); err != nil {
			t.Fatalf("the link of %s refused: %v", address(i), err)
		}
		if err := answer(st, c, tok); survey.ErrorCode(err) != survey.ECONFLICT {
			t.Fatalf("second use of the link of %s: %v, want a conflict", address(i), err)
		}
	}
	var valid, sealed int64
	st.DB().Raw("SELECT COUNT(*) FROM invitations WHERE mailed AND NOT revoked").Scan(&valid)
	st.DB().Raw("SELECT COUNT(*) FROM mail_outbox WHERE token_box IS NOT NULL").Scan(&sealed)
	if valid != n || sealed != 0 {
		t.Errorf("%d mailed invitations valid (want %d: one link each), %d tokens still sealed (want 0)", valid, n, sealed)
	}
	mc, err := st.MailCountsOf(ctx, c.ID)
	if err != nil || mc.Sent != n || mc.Failed != 0 {
		t.Errorf("counts %+v, %v; want %d sent", mc, err, n)
	}
	t.Logf("%s; %d copies on the wire for %d recipients", strings.Join(runs, ", "), len(got), n)
}

// SMTP stages at which the relay kills the sender.
const (
	atRcpt = "at RCPT"                                 // mid-transaction, nothing written
	atEnd  = "at the end of the data, not kept"        // message written, relay keeps nothing
	atKept = "once the relay kept it, before replying" // relay has it, sender cannot know
)

// killer lets the relay SIGKILL a sender at a chosen stage of the SMTP
// exchange of a chosen message: the worst instants, reached exactly.
type killer struct {
	relay  *mailtest.Server
	mu     sync.Mutex
	victim *server
	stage  string
	after  int // messages the relay holds before the stage may fire
	to     chan string
}

func newKiller(relay *mailtest.Server) *killer {
	k := &killer{relay: relay}
	relay.Rcpt = func(to string) error { k.fire(atRcpt, to); return nil }
	relay.End = func(to []string) error {
		if k.fire(atEnd, to[0]) {
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "not kept"}
		}
		return nil
	}
	relay.Accepted = func(to []string) bool { k.fire(atKept, to[0]); return false }
	return k
}

// fire kills the victim if stage is the one awaited, and says so.
func (k *killer) fire(stage, to string) bool {
	k.mu.Lock()
	v := k.victim
	if v == nil || stage != k.stage || len(k.relay.Messages()) < k.after {
		k.mu.Unlock()
		return false
	}
	k.victim = nil
	k.mu.Unlock()
	v.kill() // gone before the relay answers anything
	k.to <- to
	return true
}

// kill arms the killer and waits until it struck v; it returns the
// address of the message it struck.
func (k *killer) kill(t *testing.T, v *server, stage string, after int) string {
	t.Helper()
	k.mu.Lock()
	k.victim, k.stage, k.after, k.to = v, stage, after, make(chan string, 1)
	k.mu.Unlock()
	select {
	case to := <-k.to:
		return to
	case <-v.exited:
		select {
		case to := <-k.to: // killed at that very instant
			return to
		case <-time.After(time.Minute):
			t.Fatalf("the sender ended before the relay killed it %s: %s", stage, v.stderr.String())
		}
	}
	return ""
}

// recipients counts the addresses reached.
func recipients(got []mailtest.Received) int {
	seen := map[string]bool{}
	for _, m := range got {
		for _, to := range m.To {
			seen[to] = true
		}
	}
	return len(seen)
}

// oneMessageEach checks that each of the n recipients got one message:
// one Message-ID, and any second copy of it the very same bytes (what a
// mail system folds into one). It returns the message and the number of
// copies by address.
func oneMessageEach(t *testing.T, got []mailtest.Received, n int) (map[string]*mailtest.Parsed, map[string]int) {
	t.Helper()
	first := map[string]mailtest.Received{}
	msgs := map[string]*mailtest.Parsed{}
	copies := map[string]int{}
	for _, m := range got {
		to := m.To[0]
		copies[to]++
		if f, ok := first[to]; ok {
			if !bytes.Equal(f.Data, m.Data) {
				p, _ := mailtest.Parse(m.Data)
				t.Fatalf("%s got two different messages (Message-IDs %s and %s)", to, msgs[to].Header.Get("Message-Id"), p.Header.Get("Message-Id"))
			}
			continue
		}
		p, err := mailtest.Parse(m.Data)
		if err != nil {
			t.Fatalf("message to %s does not parse: %v", to, err)
		}
		first[to], msgs[to] = m, p
	}
	for i := range n {
		if msgs[address(i)] == nil {
			t.Fatalf("%s got no message", address(i))
		}
	}
	if len(msgs) != n {
		t.Fatalf("%d addresses reached, want %d", len(msgs), n)
	}
	return msgs, copies
}
