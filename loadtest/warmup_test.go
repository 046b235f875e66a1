package loadtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// TestLoad_WarmUpIsNotCountedAndUsesNoInvitationTwice drives a server that
// records each token it receives: the warm-up takes at most a tenth of the
// invitations, the measured attack goes on with the next ones, no token is
// sent twice, and the result counts only the measured answers.
func TestLoad_WarmUpIsNotCountedAndUsesNoInvitationTwice(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	var order []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Token string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		seen[body.Token]++
		order = append(order, body.Token)
		mu.Unlock()
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()

	fix := &Fixture{CampaignID: 1, Answers: []byte(`{}`)}
	for i := range 400 {
		fix.Tokens = append(fix.Tokens, fmt.Sprintf("t%03d", i))
	}
	l := &load{fix: fix, url: srv.URL}
	// A warm-up longer than the server needs for 40 requests: it stops at
	// its tenth of the invitations, not at its duration.
	l.warmUp(4, time.Minute)
	mu.Lock()
	warm := len(order)
	mu.Unlock()
	if warm != 40 {
		t.Fatalf("the warm-up sent %d requests, want a tenth of the invitations (40)", warm)
	}
	res := l.attack(Options{Clients: 4, Duration: time.Minute})
	mu.Lock()
	defer mu.Unlock()
	if res.stored != 360 {
		t.Errorf("the attack counted %.0f answers, want the 360 it sent after the warm-up", res.stored)
	}
	for tok, n := range seen {
		if n != 1 {
			t.Errorf("token %s sent %d times", tok, n)
		}
	}
	if len(seen) != 400 {
		t.Errorf("%d tokens sent, want all 400", len(seen))
	}
	for _, tok := range order[:warm] {
		var i int
		if _, err := fmt.Sscanf(tok, "t%d", &i); err != nil || i >= 40 {
			t.Errorf("the warm-up sent %s, beyond its tenth", tok)
		}
	}
}
