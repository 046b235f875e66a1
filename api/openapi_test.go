package api_test

import (
	"strings"
	"testing"

	"digigap/survey"
)

// A description with an unquoted ", x." in a flow mapping splits into a
// bogus key: every description of the served document must be a string,
// and no key may be a fragment of prose (no key holds a space).
func TestOpenAPI_EveryDescriptionIsAString(t *testing.T) {
	app, _ := newApp(t, survey.SQLite)
	var doc map[string]any
	if resp := do(t, app, "GET", "/api/v1/openapi.json", "", nil, &doc); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	descriptions := 0
	var walk func(path string, n any)
	walk = func(path string, n any) {
		switch n := n.(type) {
		case map[string]any:
			for k, v := range n {
				if k == "description" {
					if s, ok := v.(string); !ok || s == "" {
						t.Errorf("%s/description = %#v, want a text", path, v)
					}
					descriptions++
				}
				if strings.Contains(k, " ") {
					t.Errorf("%s: key %q is broken prose", path, k)
				}
				walk(path+"/"+k, v)
			}
		case []any:
			for _, v := range n {
				walk(path+"/[]", v)
			}
		}
	}
	walk("", doc)
	if descriptions < 50 {
		t.Errorf("%d descriptions: the document was not read whole", descriptions)
	}
}
