package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// The compact gap table must carry exactly the released figures of the
// object layout — no more, no fewer, the same decimals, withheld in the
// same places — over every team of the demo, with and without comparison.
func TestGaps_CompactCarriesExactlyTheSameFigures(t *testing.T) {
	st := demoStore(t)
	app := appOf(t, st)
	closed := closedWaves(t, st)
	for _, q := range []string{
		fmt.Sprintf("/api/v1/campaigns/%d/gaps?depth=all", closed[0]),
		fmt.Sprintf("/api/v1/campaigns/%d/gaps?depth=all&compare=%d", closed[0], closed[1]),
		fmt.Sprintf("/api/v1/campaigns/%d/gaps?depth=all&lang=en", closed[1]),
		fmt.Sprintf("/api/v1/campaigns/%d/gaps?depth=1", closed[0]),
	} {
		objects, compact := getRaw(t, app, q, ""), getRaw(t, app, q+"&format=compact", "")
		want, got := flattenObjects(t, objects), flattenCompact(t, compact)
		if len(want) < 50 {
			t.Fatalf("%s: only %d figures: the demo should give many", q, len(want))
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %s is %q in the compact layout, %q in the objects", q, k, got[k], v)
			}
		}
		for k, v := range got {
			if _, ok := want[k]; !ok {
				t.Errorf("%s: the compact layout has %s = %q, which the objects withhold or lack", q, k, v)
			}
		}
		if len(compact)*2 > len(objects) {
			t.Errorf("%s: compact %d bytes, objects %d: want less than half", q, len(compact), len(objects))
		}
		t.Logf("%s: %d figures, objects %d bytes, compact %d bytes", q, len(want), len(objects), len(compact))
	}
	if resp := doGet(t, app, fmt.Sprintf("/api/v1/campaigns/%d/gaps?format=xml", closed[0]), ""); resp.StatusCode != fiber.StatusUnprocessableEntity {
		t.Errorf("format=xml: status %d, want 422", resp.StatusCode)
	}
}

// Pages and API answers are compressed for the site's own requests, with
// brotli first, and decode to the same bytes; a request from another site
// (BREACH) and a respondent page are not.
func TestCompression_PagesAndJSONForTheSiteOnly(t *testing.T) {
	st := demoStore(t)
	app := appOf(t, st)
	closed := closedWaves(t, st)
	tree, _ := st.Tree(context.Background())
	page := fmt.Sprintf("/dashboard/campaigns/%d/teams/%d", closed[0], tree.Roots()[0])
	api := fmt.Sprintf("/api/v1/campaigns/%d/gaps?depth=all", closed[0])
	for _, tc := range []struct {
		path, site, accept, want string
	}{
		{page, "same-origin", "gzip, deflate, br", "br"},
		{page, "none", "gzip", "gzip"},
		{page, "cross-site", "gzip, deflate, br", ""},
		{page, "same-site", "gzip, deflate, br", ""},
		{api, "", "br", "br"}, // bearer token, no cookie
		{api, "same-origin", "", ""},
		{"/s/", "none", "br", ""},
	} {
		plain := getRaw(t, app, tc.path, "")
		resp := doGet(t, app, tc.path, tc.site, "Accept-Encoding", tc.accept)
		body, _ := io.ReadAll(resp.Body)
		if got := resp.Header.Get("Content-Encoding"); got != tc.want {
			t.Errorf("%s from %q accepting %q: Content-Encoding %q, want %q", tc.path, tc.site, tc.accept, got, tc.want)
			continue
		}
		var r io.Reader = bytes.NewReader(body)
		switch tc.want {
		case "br":
			r = brotli.NewReader(r)
		case "gzip":
			zr, err := gzip.NewReader(r)
			if err != nil {
				t.Fatal(err)
			}
			r = zr
		}
		decoded, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if tc.path != "/s/" && !bytes.Equal(withoutNonces(decoded), withoutNonces(plain)) {
			t.Errorf("%s (%s): decodes to %d bytes that differ from the plain %d", tc.path, tc.want, len(decoded), len(plain))
		}
		if tc.want != "" && len(body)*4 > len(decoded) {
			t.Errorf("%s (%s): %d bytes for %d: want a quarter or less", tc.path, tc.want, len(body), len(decoded))
		}
	}
}

// closedWaves are the demo's closed campaigns, newest first.
func closedWaves(t *testing.T, st *survey.Store) []int64 {
	t.Helper()
	cs, err := st.Campaigns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, c := range cs {
		if c.Phase(st.Today()) == survey.PhaseClosed {
			out = append(out, c.ID)
		}
	}
	if len(out) < 2 {
		t.Fatalf("the demo has %d closed waves, want 2", len(out))
	}
	return out
}

// doGet sends a GET as HR (bearer token) with Sec-Fetch-Site site (when
// not "") and the header pairs given.
func doGet(t *testing.T, app *fiber.App, path, site string, headers ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if tok, ok := hrTokens.Load(app); ok {
		req.Header.Set("Authorization", "Bearer "+tok.(string))
	}
	if site != "" {
		req.Header.Set("Sec-Fetch-Site", site)
		req.Header.Set("Cookie", "digigap_lang=fr") // a browser sends its cookies
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// getRaw is the body of an uncompressed GET.
func getRaw(t *testing.T, app *fiber.App, path, site string) []byte {
	t.Helper()
	resp := doGet(t, app, path, site)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: status %d", path, resp.StatusCode)
	}
	if enc := resp.Header.Get("Content-Encoding"); enc != "" {
		t.Fatalf("%s: compressed (%s) though not asked", path, enc)
	}
	body, _ := io.ReadAll(resp.Body)
	return body
}

// withoutNonces blanks the per-answer CSP nonces and CSRF tokens, which
// differ between two requests for the same page.
func withoutNonces(b []byte) []byte {
	s := string(b)
	for _, attr := range []string{`nonce="`, `name="_csrf" value="`} {
		parts := strings.Split(s, attr)
		for i := 1; i < len(parts); i++ {
			if j := strings.IndexByte(parts[i], '"'); j >= 0 {
				parts[i] = parts[i][j:]
			}
		}
		s = strings.Join(parts, attr)
	}
	return []byte(s)
}

// flattenObjects lists every figure of the object layout as
// "t<team>/<field>" or "t<team>/<channel>/<field>[/i]" → its JSON text;
// withheld (null) figures are left out, as are the suppressed flags that
// say the same as the nulls.
func flattenObjects(t *testing.T, body []byte) map[string]string {
	t.Helper()
	var doc struct {
		Rows []map[string]any
	}
	decode(t, body, &doc)
	out := map[string]string{}
	for _, row := range doc.Rows {
		team := row["team"].(map[string]any)
		p := "t" + string(team["id"].(json.Number)) + "/"
		flatten(p+"team/", team, out)
		for _, c := range row["cells"].([]any) {
			cell := c.(map[string]any)
			cp := p + cell["channel"].(string) + "/"
			if ch, ok := cell["change"].(map[string]any); ok {
				delete(ch, "suppressed")
				flatten(cp+"change/", ch, out)
			}
			for _, k := range []string{"channel", "suppressed", "change"} {
				delete(cell, k)
			}
			flatten(cp, cell, out)
		}
		for _, k := range []string{"team", "cells", "suppressed", "index_suppressed"} {
			delete(row, k)
		}
		flatten(p, row, out)
	}
	return out
}

// flattenCompact lists the compact layout's figures the same way, naming
// each through the answer's own "columns".
func flattenCompact(t *testing.T, body []byte) map[string]string {
	t.Helper()
	var doc struct {
		Format   string
		Channels []struct{ ID string }
		Columns  struct{ Row, Cell, Change []string }
		Rows     [][]any
	}
	decode(t, body, &doc)
	if doc.Format != "compact" {
		t.Fatalf("format %q", doc.Format)
	}
	teamField := map[string]string{"team_id": "team/id", "code": "team/code", "name": "team/name", "parent_id": "team/parent_id"}
	out := map[string]string{}
	for _, row := range doc.Rows {
		p := "t" + string(row[0].(json.Number)) + "/"
		for i, col := range doc.Columns.Row {
			if col != "cells" {
				name := col
				if f, ok := teamField[col]; ok {
					name = f
				}
				flatten(p+name, row[i], out)
				continue
			}
			for c, cell := range row[i].([]any) {
				cp := p + doc.Channels[c].ID + "/"
				values, _ := cell.([]any) // nil: withheld as a whole
				for j, v := range values {
					name := doc.Columns.Cell[j]
					if name != "change" {
						flatten(cp+name, v, out)
						continue
					}
					change, _ := v.([]any)
					for m, cv := range change {
						flatten(cp+"change/"+doc.Columns.Change[m], cv, out)
					}
				}
			}
		}
	}
	return out
}

func decode(t *testing.T, body []byte, v any) {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		t.Fatalf("bad JSON: %v", err)
	}
}

// flatten writes v's leaves under prefix: objects by key, arrays by index.
func flatten(prefix string, v any, out map[string]string) {
	switch x := v.(type) {
	case nil:
	case map[string]any:
		for k, e := range x {
			flatten(strings.TrimSuffix(prefix, "/")+"/"+k, e, out)
		}
	case []any:
		for i, e := range x {
			flatten(fmt.Sprintf("%s/%d", strings.TrimSuffix(prefix, "/"), i), e, out)
		}
	default:
		b, _ := json.Marshal(x)
		out[strings.TrimSuffix(prefix, "/")] = string(b)
	}
}

func brotliReader(b []byte) io.Reader { return brotli.NewReader(bytes.NewReader(b)) }
