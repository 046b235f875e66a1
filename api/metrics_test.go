package api_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"digigap/api"
	"digigap/survey/surveytest"
)

// TestMetrics_MixedConcurrentTrafficIsCountedExactly sends every method to
// many routes (known and unknown) concurrently through a real listener, then
// scrapes /metrics: fasthttp reuses the buffers behind c.Method(), so a
// label kept without a copy reads "GETT" or "POS" and the scrape fails with
// "collected before with the same name and label values".
func TestMetrics_MixedConcurrentTrafficIsCountedExactly(t *testing.T) {
	st := surveytest.MustOpenDB(t)
	app := api.New(api.Deps{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	base := serve(t, app)
	methods := []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"}
	paths := []string{"/healthz", "/readyz", "/s/", "/s/team/abc", "/s/thanks", "/login", "/api/v1/campaigns",
		"/api/v1/campaigns/7/gaps?team=1", "/api/v1/responses", "/api/v1/openapi.json", "/api/v1/no/such/route",
		"/dashboard/", "/hr", "/nowhere", "/static/no-such-file.css", "/" + strings.Repeat("x", 300)}
	const rounds = 6
	// Redirects are not followed: each request sent is counted once.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var wg sync.WaitGroup
	errs := make(chan error, len(methods))
	for _, m := range methods {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				for _, p := range paths {
					req, _ := http.NewRequest(m, base+p, strings.NewReader(`{"a":1}`))
					resp, err := client.Do(req)
					if err != nil {
						errs <- fmt.Errorf("%s %s: %v", m, p, err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("/metrics = %d, want 200: %s", resp.StatusCode, body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	valid := map[string]bool{}
	for _, m := range methods {
		valid[m] = true
	}
	total := 0.0
	for _, m := range families["digigap_http_requests_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "method" && !valid[l.GetValue()] {
				t.Errorf("method label %q is not a method that was sent", l.GetValue())
			}
		}
		total += m.GetCounter().GetValue()
	}
	if got, want := int(total), len(methods)*len(paths)*rounds; got != want {
		t.Errorf("requests counted = %d, want %d", got, want)
	}
}
