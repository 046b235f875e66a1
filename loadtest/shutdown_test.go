package loadtest

import (
	"bytes"
	"context"
	"net"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// TestSigterm_OneSlowClientDoesNotHoldShutdownPastTheGrace keeps one
// client sending its request head slowly (a byte now and then, as a bad
// mobile link or a slowloris does) while the server gets SIGTERM: serve
// must exit with status 0 within --shutdown-grace plus a margin, not wait
// for the client (20 s before, more than Docker's 10 s grace).
func TestSigterm_OneSlowClientDoesNotHoldShutdownPastTheGrace(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	dsn := surveytest.DSN(t, survey.SQLite)
	addr, err := freeAddr()
	if err != nil {
		t.Fatal(err)
	}
	const grace = time.Second
	cmd := exec.Command(digigapBinary(t), "serve", "--db", dsn, "--addr", addr, "--shutdown-grace", grace.String())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	if err := waitHealthy(context.Background(), "http://"+addr+"/readyz"); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	stop := make(chan struct{})
	defer close(stop)
	go func() { // one byte of a request head every 200 ms
		head := []byte("GET /s/ HTTP/1.1\r\nHost: localhost\r\nAccept-Language: fr-FR,fr;q=0.9,en;q=0.8,de;q=0.7\r\n")
		for _, b := range head {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Millisecond):
				if _, err := slow.Write([]byte{b}); err != nil {
					return
				}
			}
		}
	}()
	time.Sleep(500 * time.Millisecond) // the head has started arriving
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	const margin = 4 * time.Second
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("serve exited with %v after SIGTERM, want status 0: %s", err, stderr.String())
		}
		if took := time.Since(start); took > grace+margin {
			t.Errorf("serve took %v to stop, want at most %v", took, grace+margin)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("serve still running 30 s after SIGTERM with one slow client")
	}
}
