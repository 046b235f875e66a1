package api

import (
	"database/sql"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"digigap/survey"
)

// Metrics are the Prometheus series digigap exposes at /metrics. Labels
// carry route patterns and codes only, never anything from a respondent.
type Metrics struct {
	registry    *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	submissions *prometheus.CounterVec
	batchSize   prometheus.Histogram
	batchTime   prometheus.Histogram
}

// NewMetrics registers digigap's series, Go runtime and process metrics.
func NewMetrics() *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "digigap_http_requests_total", Help: "HTTP requests by route pattern, method and status."}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "digigap_http_request_duration_seconds", Help: "HTTP request latency by route pattern.", Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}}, []string{"route"})
	m.submissions = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "digigap_submissions_total", Help: "Questionnaire submissions by outcome (accepted or an error code)."}, []string{"outcome"})
	m.batchSize = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "digigap_write_batch_size", Help: "Submissions committed per group-commit transaction.", Buckets: prometheus.ExponentialBuckets(1, 2, 10)})
	m.batchTime = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "digigap_write_batch_seconds", Help: "Time to write and commit one batch.", Buckets: prometheus.ExponentialBuckets(.0005, 2, 12)})
	m.registry.MustRegister(m.requests, m.latency, m.submissions, m.batchSize, m.batchTime,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveBatch records one group commit; pass it to Store.StartWriter.
func (m *Metrics) ObserveBatch(size int, took time.Duration) {
	m.batchSize.Observe(float64(size))
	m.batchTime.Observe(took.Seconds())
}

// ObserveSubmission counts one submission by its outcome.
func (m *Metrics) ObserveSubmission(err error) {
	outcome := "accepted"
	if err != nil {
		outcome = survey.ErrorCode(err)
	}
	m.submissions.WithLabelValues(outcome).Inc()
}

// watchDB adds the connection pool's statistics.
func (m *Metrics) watchDB(name string, db *sql.DB) {
	_ = m.registry.Register(collectors.NewDBStatsCollector(db, name))
}

// middleware counts every request by route pattern and status.
func (m *Metrics) middleware(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		status = statusOf[toDomainError(err).Code]
	}
	route := routeOf(c)
	m.requests.WithLabelValues(route, methodLabel(c.Method()), strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	return err
}

// methodLabel returns a constant for the request's method: c.Method() is a
// view of a buffer fasthttp reuses for the next request, and a label value
// is kept for the life of the process. Fiber refuses other methods earlier.
func methodLabel(m string) string {
	for _, known := range fiber.DefaultMethods {
		if m == known {
			return known
		}
	}
	return strings.Clone(m)
}

// handler serves /metrics to the allowed networks (a Prometheus server
// scraping without credentials) and to HR callers (a bearer token). The
// address checked is the client's as resolved through the trusted proxies
// (as sign-in throttling counts it): behind a reverse proxy on the same
// host, the TCP peer is the proxy and would let anyone in.
func (m *Metrics) handler(allowed []*net.IPNet, clientAddr func(*fiber.Ctx) string) fiber.Handler {
	h := adaptor.HTTPHandler(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
	return func(c *fiber.Ctx) error {
		switch {
		case addressAllowed(net.ParseIP(clientAddr(c)), allowed) || callerScope(c).All:
			return h(c)
		case callerUser(c) == nil:
			return survey.Errorf(survey.EUNAUTH, "metrics are served to the configured addresses and to HR API tokens only")
		}
		return survey.Errorf(survey.EFORBIDDEN, "metrics are for HR only")
	}
}

func addressAllowed(ip net.IP, allowed []*net.IPNet) bool {
	for _, n := range allowed {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// ParseNetworks reads a comma-separated list of CIDRs or single addresses.
func ParseNetworks(list string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if !strings.Contains(s, "/") {
			if strings.Contains(s, ":") {
				s += "/128"
			} else {
				s += "/32"
			}
		}
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}
