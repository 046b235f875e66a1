package api_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"digigap/api"
	"digigap/survey/surveytest"
)

// lockedBuffer collects log lines written by the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// take returns what was logged since the last call.
func (b *lockedBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	b.buf.Reset()
	return s
}

// marker fills the oversized parts of the requests: it must never reach the log.
const marker = "tok3n"

func fill(n int) string { return strings.Repeat(marker, n/len(marker)+1)[:n] }

func params(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "p%d=%s&", i, marker)
	}
	return b.String()
}

func headers(n int, format string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, format, i, marker)
	}
	return b.String()
}

// headCase is one request sent raw on its own connection; stall means the
// client then sends nothing more and waits for the server's answer.
type headCase struct {
	name   string
	raw    string
	status int
}

func rawGet(path, extra string) string {
	return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extra + "\r\n"
}

func headCases() []headCase {
	return []headCase{
		{"long path 5 KiB", rawGet("/s/"+fill(5<<10), ""), 414},
		{"long path 9 KiB", rawGet("/s/team/"+fill(9<<10), ""), 414},
		{"long path 15 KiB", rawGet("/"+fill(15<<10), ""), 414},
		{"long path 40 KiB, over the head buffer", rawGet("/s/"+fill(40<<10), ""), 431},
		{"long API path 6 KiB", rawGet("/api/v1/campaigns/"+fill(6<<10), ""), 414},
		{"many query parameters", rawGet("/api/v1/campaigns/1/gaps?"+params(600), ""), 414},
		{"very many query parameters", rawGet("/s/?"+params(1000), ""), 414},
		{"one long query value", rawGet("/s/team/x?lang="+fill(5<<10), ""), 414},
		{"long query on a submission", "POST /api/v1/responses?" + params(500) + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}", 414},
		{"big header 9 KiB", rawGet("/s/", "X-Filler: "+fill(9<<10)+"\r\n"), 431},
		{"big header 15 KiB", rawGet("/healthz", "X-Filler: "+fill(15<<10)+"\r\n"), 431},
		{"big header 30 KiB, over the head buffer", rawGet("/s/", "X-Filler: "+fill(30<<10)+"\r\n"), 431},
		{"many headers", rawGet("/api/v1/campaigns", headers(400, "X-H%d: %s-------------\r\n")), 431},
		{"big cookie 9 KiB", rawGet("/s/", "Cookie: dg="+fill(9<<10)+"\r\n"), 431},
		{"big cookie 20 KiB, over the head buffer", rawGet("/dashboard/", "Cookie: dg="+fill(20<<10)+"\r\n"), 431},
		{"many cookies", rawGet("/login", "Cookie: "+strings.TrimSuffix(headers(900, "c%d=%s; "), "; ")+"\r\n"), 431},
		{"big bearer token", rawGet("/api/v1/campaigns", "Authorization: Bearer "+fill(10<<10)+"\r\n"), 431},
		{"big referer", "POST /s/ HTTP/1.1\r\nHost: localhost\r\nReferer: http://x/" + fill(10<<10) + "\r\nContent-Length: 0\r\n\r\n", 431},
		{"slow request line", "GET /s/te", 408},
		{"slow headers", "GET /s/ HTTP/1.1\r\nHost: localhost\r\nAccept: te", 408},
		{"idle client", "", 408},
		{"slow body", "POST /api/v1/responses HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"campaign_id\"", 408},
		{"body over the global limit", "POST /api/v1/campaigns HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 9437184\r\n\r\n", 413},
		{"body over the submission limit", "POST /api/v1/responses HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 70000\r\n\r\n" + fill(70000), 413},
		{"unknown method on the API", "BREW /api/v1/campaigns HTTP/1.1\r\nHost: localhost\r\n\r\n", 501},
		{"lower-case method", "get /api/v1/responses HTTP/1.1\r\nHost: localhost\r\n\r\n", 501},
		{"unknown method on a page", "PROPFIND /s/ HTTP/1.1\r\nHost: localhost\r\n\r\n", 501},
		{"garbage request line", "NONSENSE\r\n\r\n", 400},
	}
}

// TestLimits_OversizedSlowAndOddRequestsGetTheJSONError sends request heads
// over the limits (long paths, many query parameters, big headers and
// cookies), slow and idle clients, oversized bodies and unknown methods on
// raw connections: each gets its status with the JSON error, is logged at
// WARN without the request line, and never as a 500 or an ERROR.
func TestLimits_OversizedSlowAndOddRequestsGetTheJSONError(t *testing.T) {
	st := surveytest.MustOpenDB(t)
	var logs lockedBuffer
	app := api.New(api.Deps{Store: st, Logger: slog.New(slog.NewTextHandler(&logs, nil)), ReadTimeout: time.Second})
	addr := strings.TrimPrefix(serve(t, app), "http://")
	for _, tc := range headCases() {
		t.Run(tc.name, func(t *testing.T) {
			logs.take()
			resp, body := rawRequest(t, addr, tc.raw)
			if got, want := resp.StatusCode, tc.status; got != want {
				t.Errorf("status = %d, want %d (%s)", got, want, body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q, want JSON: %s", ct, body)
			}
			var e apiError
			if err := json.Unmarshal(body, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Errorf("body %q is not the JSON error (%v)", body, err)
			}
			logged := logs.take()
			if strings.Contains(logged, "level=ERROR") || strings.Contains(logged, marker) {
				t.Errorf("log holds an ERROR line or the request's contents:\n%.500s", logged)
			}
			if !strings.Contains(logged, "level=WARN") {
				t.Errorf("no WARN line for a refused request; log:\n%.500s", logged)
			}
		})
	}
}

// rawRequest writes raw on a new connection and reads the one answer.
func rawRequest(t *testing.T, addr, raw string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no HTTP answer: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}
