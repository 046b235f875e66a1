package survey

import "testing"

// Stage rows are numbered in order, as strings that sort like the numbers
// (the stage's key is text), from a start that differs between processes.
func TestStageIDs_FollowEachOtherFromARandomStart(t *testing.T) {
	a, b := newStageIDs(), newStageIDs()
	prev := a.next()
	if len(prev) != 16 {
		t.Fatalf("id %q: want 16 hex digits", prev)
	}
	for range 10_000 {
		id := a.next()
		if id <= prev {
			t.Fatalf("id %q after %q: stage rows would not go at the end of the key", id, prev)
		}
		prev = id
	}
	if first := b.next(); first == a.next() {
		t.Errorf("two stores start at the same id %q", first)
	}
}

// TestOpenedCache_KeepsAnswersRememberedAfterTheStageWasRead: on
// PostgreSQL the writer commits beside a flush; an answer it remembers
// between the flush's read of the stage and its lookup is not in that
// read, yet still waits, and must stay known (else the next flush reads
// and opens it again from the database). One remembered before the read
// and missing from it was moved elsewhere: it goes.
func TestOpenedCache_KeepsAnswersRememberedAfterTheStageWasRead(t *testing.T) {
	var c openedCache
	answer := func(id string) *preparedResponse {
		return &preparedResponse{Campaign: &Campaign{ID: 1}, PendingID: id}
	}
	c.remember(answer("moved"))
	c.remember(answer("read"))
	mark := c.mark()
	c.remember(answer("late")) // committed after the flush's read
	known, unknown := c.lookup(1, []string{"read", "other"}, mark)
	if len(known) != 1 || known[0].ID != "read" || len(unknown) != 1 || unknown[0] != "other" {
		t.Fatalf("lookup: known %v, unknown %v; want read known and other unknown", known, unknown)
	}
	left := map[string]bool{}
	for _, a := range c.waiting(1) {
		left[a.ID] = true
	}
	if !left["late"] || !left["read"] || left["moved"] || c.n != 2 {
		t.Errorf("after the lookup the cache holds %v (n=%d), want read and late, not moved", left, c.n)
	}
	if _, unknown := c.lookup(1, []string{"read", "late"}, c.mark()); len(unknown) != 0 {
		t.Errorf("the next flush still reads %v from the database", unknown)
	}
}
