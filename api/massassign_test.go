package api_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// extraFields are what an attacker would add to a body to raise a role,
// move an object to another team, pick an id or skip a state.
var extraFields = map[string]any{
	"role": "hr", "team_id": 5, "team_ids": []int{4, 5}, "id": 99, "state": "closed",
	"user_id": 1, "disabled": true, "password_hash": "x", "revoked": true, "is_current": true,
}

// volatile fields differ between two runs by nature (secrets, times).
var volatile = []string{"token", "created_at", "updated_at", "csrf_token"}

// TestMassAssignment_ExtraFieldsChangeNothing sends every JSON write of
// the route table twice, on two fresh apps: as is, and with extra fields.
// Both answers and the data read back afterwards must be the same.
func TestMassAssignment_ExtraFieldsChangeNothing(t *testing.T) {
	for key, spec := range routeTable {
		method, path, _ := strings.Cut(key, " ")
		if method == "GET" || (spec.ctype != "" && spec.ctype != "application/json") || spec.class == login || spec.class == respondent {
			continue
		}
		t.Run(key, func(t *testing.T) {
			plain, plainState := writeAndRead(t, method, spec, spec.body)
			extra, extraState := writeAndRead(t, method, spec, withExtras(t, spec.body))
			if !reflect.DeepEqual(plain, extra) {
				t.Errorf("%s: extra fields changed the answer:\n plain %v\n extra %v", path, plain, extra)
			}
			if plainState != extraState {
				t.Errorf("%s: extra fields changed the stored data:\n plain %s\n extra %s", path, plainState, extraState)
			}
		})
	}
}

func withExtras(t *testing.T, body string) string {
	m := map[string]any{}
	if body != "" {
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range extraFields {
		if _, ok := m[k]; !ok {
			m[k] = v
		}
	}
	out, _ := json.Marshal(m)
	return string(out)
}

// writeAndRead makes the call as HR on a fresh app, then reads back the
// users, campaigns, tokens and teams, with volatile fields removed.
func writeAndRead(t *testing.T, method string, spec routeSpec, body string) (any, string) {
	f := newFixture(t)
	c := f.hr
	if spec.class == scoped {
		c = f.mgr
	}
	spec.body = body
	resp, answer := send(c, method, spec.in, spec)
	if resp.StatusCode >= 300 {
		t.Fatalf("status %d: %s", resp.StatusCode, answer)
	}
	var state strings.Builder
	for _, p := range []string{"/api/v1/users", "/api/v1/campaigns", "/api/v1/campaigns/1", "/api/v1/tokens", "/api/v1/teams"} {
		_, b := f.hr.do("GET", p, "", "")
		state.WriteString(stripVolatile(t, b) + "\n")
	}
	return stripVolatileValue(t, answer), state.String()
}

func stripVolatile(t *testing.T, s string) string {
	out, _ := json.Marshal(stripVolatileValue(t, s))
	return string(out)
}

func stripVolatileValue(t *testing.T, s string) any {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		// A CSV answer (invitations) holds fresh secrets: compare its shape.
		return fmt.Sprintf("%d lines", strings.Count(s, "\n"))
	}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, k := range volatile {
				delete(x, k)
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return v
}
