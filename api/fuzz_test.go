package api_test

import (
	"testing"
)

// fuzzTargets are the write endpoints whose bodies are parsed: CSV, YAML
// and JSON decoding and validation, all the way through the real app.
var fuzzTargets = []struct{ path, ctype string }{
	{"/api/v1/org/import?dry_run=true", "text/csv"},
	{"/api/v1/questionnaires", "application/yaml"},
	{"/api/v1/campaigns", "application/json"},
	{"/api/v1/users", "application/json"},
	{"/api/v1/tokens", "application/json"},
	{"/login", "application/x-www-form-urlencoded"},
}

// FuzzAPIInputs sends arbitrary bodies to the endpoints that parse them:
// whatever comes in, the answer is never a 5xx (nor a panic).
func FuzzAPIInputs(f *testing.F) {
	f.Add(uint8(0), []byte(secOrg))
	f.Add(uint8(1), []byte(questionnaireV2()))
	f.Add(uint8(2), []byte(`{"name":"V","questionnaire_id":1,"team_codes":["NORD"],"opens_on":"2026-04-01","closes_on":"2026-04-20"}`))
	f.Add(uint8(3), []byte(`{"email":"a@b.example","role":"manager","team_codes":["NORD","NORD"],"password":"correct horse battery staple"}`))
	f.Add(uint8(4), []byte(`{"name":"x","expires_in_days":-1}`))
	f.Add(uint8(5), []byte("email=a%40b.example&password=%00%ff"))
	fx := newFixture(f)
	c := fx.bearerClient()
	f.Fuzz(func(t *testing.T, target uint8, body []byte) {
		tg := fuzzTargets[int(target)%len(fuzzTargets)]
		c.tb = t // the client reports to this input's test, not to f
		resp, answer := c.do("POST", tg.path, tg.ctype, string(body))
		if resp.StatusCode >= 500 {
			t.Fatalf("POST %s: status %d: %s", tg.path, resp.StatusCode, answer)
		}
	})
}
