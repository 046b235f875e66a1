package analytics

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"digigap/demo"
	"digigap/survey"
)

// The org-wide heatmap benchmark: every team × every channel of a closed
// campaign over about 2,000 teams, rollups, intervals, suppression and the
// complete JSON answer, from the counters ("counters") and, as the
// baseline, from a plain SQL GROUP BY over the raw answers ("groupby") fed
// to the same rollup, suppression and JSON code.
//
//	go test ./analytics -run '^$' -bench 'Heatmap/.*/counters' -benchtime 50x -v   # 10k and 1M
//	go test ./analytics -run '^$' -bench 'Heatmap/10k' -benchtime 1x                # CI
//
// Each size also runs the baseline once, untimed by the loop, and reports
// the ratio (x-faster-than-groupby); the groupby sub-benchmark times it in
// the loop too, at about 18 s an iteration at 1M.
//
// The databases are generated once (the 1M one in about a minute) into
// the temporary folder and reused by later runs; -short skips 1M.
func BenchmarkHeatmap(b *testing.B) {
	for _, size := range []struct {
		name      string
		responses int
	}{{"10k", 10_000}, {"1M", 1_000_000}} {
		b.Run(size.name, func(b *testing.B) {
			if size.responses > 100_000 && testing.Short() {
				b.Skip("1M responses: run without -short")
			}
			st := benchStore(b, size.responses)
			counters := New(st)
			baseline := New(st)
			baseline.counters = groupByCounters(st)
			ctx := context.Background()
			q := GapQuery{CampaignID: 1, Depth: -1}
			want := heatmapJSON(b, counters, q)
			start := time.Now()
			got := heatmapJSON(b, baseline, q)
			groupBy := time.Since(start)
			if !bytes.Equal(got, want) {
				b.Fatalf("the GROUP BY baseline and the counters disagree (%d vs %d bytes)", len(got), len(want))
			}
			compact := compactJSON(b, counters, q)
			b.Logf("%s: %d rows, %d bytes of JSON (%d in the compact layout), database %.1f MB per 100,000 responses, GROUP BY baseline %v", size.name,
				strings.Count(string(want), `"depth"`), len(want), len(compact), benchMBPer100k(b, size.responses), groupBy.Round(time.Millisecond))
			for _, eng := range []struct {
				name string
				e    *Engine
			}{{"counters", counters}, {"groupby", baseline}} {
				b.Run(eng.name, func(b *testing.B) {
					var buf []byte
					cpu := processCPU()
					for b.Loop() {
						t, err := eng.e.GapTable(ctx, survey.FullScope(), q)
						if err != nil {
							b.Fatal(err)
						}
						buf = t.AppendJSON(buf[:0], "fr")
					}
					// CPU time is steadier than wall time on a shared machine.
					b.ReportMetric(float64(processCPU()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
					if eng.name == "counters" {
						// The baseline, timed once in this same run: how many times faster the counters are.
						b.ReportMetric(float64(groupBy)/(float64(b.Elapsed())/float64(b.N)), "x-faster-than-groupby")
					}
				})
			}
		})
	}
}

func heatmapJSON(b *testing.B, e *Engine, q GapQuery) []byte {
	t, err := e.GapTable(context.Background(), survey.FullScope(), q)
	if err != nil {
		b.Fatal(err)
	}
	return t.AppendJSON(nil, "fr")
}

func compactJSON(b *testing.B, e *Engine, q GapQuery) []byte {
	t, err := e.GapTable(context.Background(), survey.FullScope(), q)
	if err != nil {
		b.Fatal(err)
	}
	return t.AppendCompactJSON(nil, "fr")
}

// benchPath is where the database of a size is cached between runs.
func benchPath(responses int) string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("digigap-bench-%d-v%d.db", responses, survey.SchemaVersion()))
}

// benchStore opens the cached database of a size, generating it first.
func benchStore(b *testing.B, responses int) *survey.Store {
	ctx := context.Background()
	path := benchPath(responses)
	if _, err := os.Stat(path); err != nil {
		tmp := path + ".tmp"
		os.Remove(tmp)
		st, err := survey.Open(ctx, tmp, survey.Options{SynchronousNormal: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := demo.GenerateBulk(ctx, st, demo.BulkOptions{Seed: 1, Teams: 2000, Responses: responses}); err != nil {
			b.Fatal(err)
		}
		st.DB().Exec("VACUUM")
		st.Close()
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
	}
	st, err := survey.Open(ctx, path, survey.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// benchMBPer100k is the database file size per 100,000 responses,
// counters and indexes included.
func benchMBPer100k(b *testing.B, responses int) float64 {
	fi, err := os.Stat(benchPath(responses))
	if err != nil {
		b.Fatal(err)
	}
	return float64(fi.Size()) / 1e6 * 100_000 / float64(responses)
}

// groupByCounters computes, per team, the counters the heatmap reads
// (responses, every channel's 2×2 table, blocked count and frequency sums,
// and the index's per-respondent counters of survey/counter_index.go) with
// one GROUP BY over the stored answers: the baseline.
func groupByCounters(st *survey.Store) countersFunc {
	return func(ctx context.Context, campaignID int64, def *survey.Definition, band string, _ bool, fn func(int64, []int64)) error {
		l := survey.LayoutOf(def)
		exprs, answered, gaps := groupByExprs(def, st.Dialect())
		// Each answer's score, as counter_index.go rounds it: x = round((b−c)·scale/m)
		// over the m channels it answered, b of them regular privately only, c at work only.
		x := fmt.Sprintf("CAST(ROUND(d * %d.0 / m) AS BIGINT)", survey.IndexScale)
		index := []string{
			"SUM(CASE WHEN m > 0 THEN 1 ELSE 0 END)",
			fmt.Sprintf("SUM(CASE WHEN m > 0 THEN %s + %d ELSE 0 END)", x, survey.IndexScale),
			fmt.Sprintf("SUM(CASE WHEN m > 0 THEN %s * %s ELSE 0 END)", x, x),
		}
		rows, err := st.ReadDB().WithContext(ctx).Raw(`SELECT team_id, COUNT(*), `+strings.Join(append(exprs, index...), ", ")+
			` FROM (SELECT team_id, codes, `+answered+` AS m, `+gaps+` AS d FROM responses WHERE campaign_id = ?) r`+
			` GROUP BY team_id ORDER BY team_id`, campaignID).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var team int64
			v := make([]int64, l.Len)
			dst := []any{&team, &v[survey.CountResponses]}
			for c := range l.Channels {
				for k := range survey.ChannelWidth {
					dst = append(dst, &v[l.ChannelBase(c)+k])
				}
			}
			for k := range survey.IndexWidth {
				dst = append(dst, &v[l.Index+k])
			}
			if err := rows.Scan(dst...); err != nil {
				return err
			}
			fn(team, v)
		}
		return rows.Err()
	}
}

// groupByExprs are the SUM expressions of every channel's counters, over
// the answer codes (value + 1, 0 when unanswered) read out of the blob,
// and, per answer, how many channels it answered and its count of channels
// regular privately only minus those regular at work only.
func groupByExprs(def *survey.Definition, dialect string) (sums []string, answered, gaps string) {
	offset, off := map[string]int{}, 0
	for _, it := range def.Items() {
		offset[it.ID] = off
		switch it.Kind {
		case survey.KindSingle:
			off++
		case survey.KindMulti:
			off += 4
		}
	}
	code := func(id string) string {
		if dialect == survey.Postgres {
			return fmt.Sprintf("get_byte(codes, %d)", offset[id])
		}
		return fmt.Sprintf("(instr(x'000102030405060708090a0b0c0d0e0f', substr(codes, %d, 1)) - 1)", offset[id]+1)
	}
	var exprs, m, d []string
	for _, ch := range def.ChannelIDs() {
		priv, work := def.FrequencyItems(ch)
		p, w := code(priv.ID), code(work.ID)
		blocked := "-1"
		for _, o := range def.ItemOptions(work) {
			if o.Blocked {
				blocked = fmt.Sprint(o.Value + 1)
			}
		}
		both := fmt.Sprintf("%s > 0 AND %s > 0", p, w)
		regW := fmt.Sprintf("(%s >= 4 AND %s <> %s)", w, w, blocked)
		sum := func(cond, val string) string { return fmt.Sprintf("SUM(CASE WHEN %s THEN %s ELSE 0 END)", cond, val) }
		exprs = append(exprs,
			sum(both+" AND "+p+" >= 4 AND "+regW, "1"),
			sum(both+" AND "+p+" >= 4 AND NOT "+regW, "1"),
			sum(both+" AND "+p+" < 4 AND "+regW, "1"),
			sum(both+" AND "+p+" < 4 AND NOT "+regW, "1"),
			sum(both+" AND "+w+" = "+blocked, "1"),
			sum(both, p+" - 1"),
			sum(both+" AND "+w+" <> "+blocked, w+" - 1"))
		m = append(m, "CASE WHEN "+both+" THEN 1 ELSE 0 END")
		d = append(d, "CASE WHEN "+both+" AND "+p+" >= 4 AND NOT "+regW+" THEN 1 WHEN "+both+" AND "+p+" < 4 AND "+regW+" THEN -1 ELSE 0 END")
	}
	return exprs, strings.Join(m, " + "), strings.Join(d, " + ")
}

// processCPU is the process's user and system CPU time, in nanoseconds.
func processCPU() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkDecide is the disclosure decision of a closed campaign of 10,000
// responses over about 2,000 teams: reading the raw answers, then deciding
// (what happens once, when the campaign closes).
func BenchmarkDecide(b *testing.B) {
	st := benchStore(b, 10_000)
	e := New(st)
	ctx := context.Background()
	v, err := e.open(ctx, survey.FullScope(), 1, "", true)
	if err != nil {
		b.Fatal(err)
	}
	cpu := processCPU()
	for b.Loop() {
		answers, err := e.readAnswers(ctx, v.camp, v.def, v.org)
		if err != nil {
			b.Fatal(err)
		}
		if decideCampaign(v, answers, false, nil) == nil {
			b.Fatal("no decision")
		}
	}
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
}
