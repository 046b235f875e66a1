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
