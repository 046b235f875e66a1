package loadtest

import (
	"bytes"
	"context"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"digigap/survey"
	"digigap/survey/surveytest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// digigapBinary builds digigap once for the tests that run it as a subprocess.
func digigapBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "digigap-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "digigap")
		out, err := exec.Command("go", "build", "-o", binPath, "digigap").CombinedOutput()
		if err != nil {
			buildErr = err
			t.Log(string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("build: %v", buildErr)
	}
	return binPath
}

// server is one digigap serve subprocess.
type server struct {
	cmd  *exec.Cmd
	addr string
}

// startServer starts digigap serve on dsn, with env added to the test's.
func startServer(t *testing.T, dsn string, env ...string) *server {
	t.Helper()
	addr, err := freeAddr()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(digigapBinary(t), "serve", "--db", dsn, "--addr", addr, "--log-level", "error")
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if err := waitHealthy(context.Background(), "http://"+addr+"/readyz"); err != nil {
		cmd.Process.Kill()
		t.Fatalf("%v: %s", err, stderr.String())
	}
	return &server{cmd: cmd, addr: addr}
}

// drive submits tokens from next with clients goroutines until stop closes
// or tokens run out, and returns the tokens acknowledged with 201.
func drive(srvURL string, fix *Fixture, next *atomic.Int64, clients int, stop <-chan struct{}) []string {
	var mu sync.Mutex
	var acked []string
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 5 * time.Second}
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				i := int(next.Add(1) - 1)
				if i >= len(fix.Tokens) {
					return
				}
				resp, err := client.Post(srvURL+"/api/v1/responses", "application/json", bytes.NewReader(fix.Body(fix.Tokens[i])))
				if err != nil {
					return // the server is gone
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated {
					mu.Lock()
					acked = append(acked, fix.Tokens[i])
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return acked
}

// checkDurable opens the database and checks every acknowledged token is
// used, each used invitation left exactly one answer (stored, or still in
// the mixing stage), the file is sound and the counters match.
func checkDurable(t *testing.T, dsn string, acked []string) {
	t.Helper()
	ctx := context.Background()
	st, err := survey.Open(ctx, dsn, storeOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hashes := make([]string, len(acked))
	for i, tok := range acked {
		hashes[i] = survey.HashToken(tok)
	}
	for len(hashes) > 0 {
		chunk := hashes[:min(500, len(hashes))]
		hashes = hashes[len(chunk):]
		var used int64
		st.DB().Model(&survey.Invitation{}).Where("token_hash IN ? AND used", chunk).Count(&used)
		if used != int64(len(chunk)) {
			t.Fatalf("%d of %d acknowledged invitations are not marked used", int64(len(chunk))-used, len(chunk))
		}
	}
	responses, pending, used := answerCounts(t, st)
	if responses+pending != used {
		t.Fatalf("%d responses and %d pending for %d used invitations: want one each", responses, pending, used)
	}
	if responses+pending < int64(len(acked)) {
		t.Fatalf("%d answers stored, %d acknowledged", responses+pending, len(acked))
	}
	if verdict, err := st.IntegrityCheck(ctx); err != nil || verdict != "ok" {
		t.Fatalf("integrity_check = %q, %v", verdict, err)
	}
	diffs, err := st.Verify(ctx)
	if err != nil || len(diffs) > 0 {
		t.Fatalf("verify: %d counter differences (%v), first: %+v", len(diffs), err, diffs[:min(1, len(diffs))])
	}
}

// The three counts come from one statement, so from one snapshot: read one
// after the other, a flush of the live server committing in between moved
// answers from the stage to responses unseen (165 + 19 of 194 answers).
func answerCounts(t *testing.T, st *survey.Store) (responses, pending, used int64) {
	t.Helper()
	row := st.DB().Raw(`SELECT (SELECT COUNT(*) FROM responses), (SELECT COUNT(*) FROM pending_responses),
		(SELECT COUNT(*) FROM invitations WHERE used)`).Row()
	if err := row.Scan(&responses, &pending, &used); err != nil {
		t.Fatal(err)
	}
	return responses, pending, used
}

// checkClosing closes the campaign, which empties the mixing stage, and
// checks that exactly one response per used invitation remains, with
// counters that match.
func checkClosing(t *testing.T, dsn string, campaignID int64) {
	t.Helper()
	ctx := context.Background()
	st, err := survey.Open(ctx, dsn, storeOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.CloseCampaign(ctx, campaignID); err != nil {
		t.Fatal(err)
	}
	responses, pending, used := answerCounts(t, st)
	if responses != used || pending != 0 {
		t.Fatalf("after closing: %d responses, %d pending, %d used invitations; want one response each", responses, pending, used)
	}
	diffs, err := st.Verify(ctx)
	if err != nil || len(diffs) > 0 {
		t.Fatalf("verify after closing: %d counter differences (%v)", len(diffs), err)
	}
}

// TestCrash_Kill9DuringAFlushLosesNothing kills the server while a flush
// of the mixing stage has written its responses, counters and deletions
// but not committed: after restart the answers are in the stage or in
// responses, never both, never neither.
func TestCrash_Kill9DuringAFlushLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills the real binary")
	}
	dsn := surveytest.DSN(t, survey.SQLite)
	fix, err := Prepare(context.Background(), dsn, 20, 20000)
	if err != nil {
		t.Fatal(err)
	}
	flushing := filepath.Join(t.TempDir(), "flushing")
	srv := startServer(t, dsn, "DIGIGAP_TEST_FLUSH_PAUSE_FILE="+flushing)
	var next atomic.Int64
	stop := make(chan struct{})
	done := make(chan []string)
	go func() { done <- drive("http://"+srv.addr, fix, &next, 16, stop) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(flushing); err == nil {
			break
		}
		if time.Now().After(deadline) {
			srv.cmd.Process.Kill()
			t.Fatal("no flush started under load")
		}
		time.Sleep(10 * time.Millisecond)
	}
	srv.cmd.Process.Signal(syscall.SIGKILL)
	srv.cmd.Wait()
	close(stop)
	acked := <-done
	if len(acked) == 0 {
		t.Fatal("no submission was acknowledged: the test proved nothing")
	}
	restarted := startServer(t, dsn)
	restarted.cmd.Process.Signal(syscall.SIGTERM)
	restarted.cmd.Wait()
	checkDurable(t, dsn, acked)
	checkClosing(t, dsn, fix.CampaignID)
	t.Logf("%d acknowledged, killed during a flush", len(acked))
}

func TestCrash_Kill9KeepsEveryAcknowledgedAnswer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills the real binary")
	}
	dsn := surveytest.DSN(t, survey.SQLite)
	fix, err := Prepare(context.Background(), dsn, 20, 20000)
	if err != nil {
		t.Fatal(err)
	}
	var next atomic.Int64
	var acked []string
	for round := 0; round < 4; round++ {
		srv := startServer(t, dsn)
		stop := make(chan struct{})
		done := make(chan []string)
		go func() { done <- drive("http://"+srv.addr, fix, &next, 16, stop) }()
		time.Sleep(time.Duration(200+rand.IntN(600)) * time.Millisecond)
		srv.cmd.Process.Signal(syscall.SIGKILL)
		srv.cmd.Wait()
		close(stop)
		acked = append(acked, <-done...)
		restarted := startServer(t, dsn) // recovery runs on open
		restarted.cmd.Process.Signal(syscall.SIGTERM)
		restarted.cmd.Wait()
		checkDurable(t, dsn, acked)
		t.Logf("round %d: %d acknowledged so far", round, len(acked))
	}
	if len(acked) == 0 {
		t.Fatal("no submission was acknowledged: the test proved nothing")
	}
	checkClosing(t, dsn, fix.CampaignID)
}

func TestSigterm_FinishesInFlightAndLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	dsn := surveytest.DSN(t, survey.SQLite)
	fix, err := Prepare(context.Background(), dsn, 20, 20000)
	if err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, dsn)
	var next atomic.Int64
	done := make(chan []string)
	go func() { done <- drive("http://"+srv.addr, fix, &next, 16, nil) }()
	time.Sleep(400 * time.Millisecond)
	srv.cmd.Process.Signal(syscall.SIGTERM)
	if err := srv.cmd.Wait(); err != nil {
		t.Errorf("serve exited with %v after SIGTERM, want 0", err)
	}
	acked := <-done
	if len(acked) == 0 {
		t.Fatal("nothing acknowledged before SIGTERM")
	}
	checkDurable(t, dsn, acked)
}
