package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"digigap/survey"
)

// TestInput_InvalidUTF8Is422WithTheField sends strings that are not UTF-8
// (a raw byte, a lone surrogate escape) in JSON bodies and forms: each is
// refused with 422 naming the field, and nothing is stored. encoding/json
// alone would store U+FFFD in their place and answer 201.
func TestInput_InvalidUTF8Is422WithTheField(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name, method, path, ctype, body, field string
	}{
		{"raw byte in a JSON title", "POST", "/api/v1/teams/3/actions", "application/json", strings.Replace(actionJSON, "by SMS", "by \xff SMS", 1), "title"},
		{"lone surrogate escape", "POST", "/api/v1/teams/3/actions", "application/json", strings.Replace(actionJSON, "by SMS", `by \ud800 SMS`, 1), "title"},
		{"raw byte in a list", "POST", "/api/v1/teams/3/actions", "application/json", strings.Replace(actionJSON, `["sms"]`, "[\"sms\xc3\"]", 1), "channels"},
		{"raw byte in a key", "POST", "/api/v1/teams/3/actions", "application/json", strings.Replace(actionJSON, `"title"`, "\"ti\xfftle\"", 1), "ti\ufffdtle"},
		{"form field", "POST", "/dashboard/teams/3/actions", "application/x-www-form-urlencoded", "title=Caf%C3&channels=sms&starts_on=2026-01-05&owner_role=director", "title"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, out := f.hr.do(tc.method, tc.path, tc.ctype, tc.body)
			if got, want := resp.StatusCode, 422; got != want {
				t.Fatalf("status = %d, want %d: %.300s", got, want, out)
			}
			if tc.ctype == "application/json" {
				var e apiError
				if err := json.Unmarshal([]byte(out), &e); err != nil || e.Error.Field != tc.field || e.Error.Code != survey.EINVALID {
					t.Errorf("error = %+v (%v), want invalid on %q", e.Error, err, tc.field)
				}
			}
		})
	}
	if list, _ := f.st.Actions(context.Background(), survey.FullScope(), 3); len(list) != 0 {
		t.Errorf("%d actions stored from invalid text", len(list))
	}
}
