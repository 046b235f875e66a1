package mailer_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

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
// working link. Three runs of the real binary: the first is killed
// wherever the kill lands; the second exactly when the relay has kept a
// message but not yet said so (the sender cannot have recorded it: it
// will send it again); the third sends the rest. Each recipient ends with
// one message (one Message-ID; a second copy, if any, the same bytes)
// whose link works once.
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
	// victim is killed by the relay once it has kept message number at,
	// before it replies to the end of that message.
	var victim atomic.Pointer[server]
	var at atomic.Int64
	var killedAfter string // the address of that message
	killed := make(chan struct{})
	relay.Accepted = func(to []string) bool {
		if int64(len(relay.Messages())) >= at.Load() {
			if v := victim.Swap(nil); v != nil {
				killedAfter = to[0]
				close(killed)
				v.kill()
			}
		}
		return false
	}
	at.Store(1 << 62)

	first := serveMail(t, bin, db, relay)
	relay.Wait(t, n/4, 2*time.Minute)
	first.kill() // wherever it lands
	atFirst := len(relay.Messages())

	at.Store(int64(atFirst + n/4))
	second := serveMail(t, bin, db, relay)
	victim.Store(second)
	select {
	case <-killed:
	case <-second.exited:
		t.Fatalf("the second run ended before the relay killed it: %s", second.stderr.String())
	}
	<-second.exited
	atSecond := len(relay.Messages())

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
	if again := msgs[killedAfter]; copies[killedAfter] != 2 {
		t.Errorf("the message the relay kept as the sender was killed arrived %d times, want 2 (sent again, identical): %v", copies[killedAfter], again != nil)
	}
	for i := range n {
		if link := msgs[address(i)].Link(); !strings.HasPrefix(link, base+"/s/#t=") {
			t.Fatalf("link %q, want it on --base-url %s", link, base)
		}
		tok := msgs[address(i)].Token()
		if _, err := st.InvitationByToken(ctx, tok); err != nil {
			t.Fatalf("the link sent to %s has no valid invitation: %v", address(i), err)
		}
		if i%20 != 0 && address(i) != killedAfter {
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
	t.Logf("killed after %d, then after %d of %d messages; %d copies on the wire for %d recipients",
		atFirst, atSecond, n, len(got), n)
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
