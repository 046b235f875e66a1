package analytics

import (
	"context"
	"math"
	"testing"
	"time"

	"digigap/demo"
	"digigap/survey"
	"digigap/survey/surveytest"
)

// The note of issue 15 asks for the demo's figures before and after the
// design-adjusted intervals: how many bank and sector Gap intervals the
// design (clustering and finite population) widens against a simple
// random sample, by how much, and the bank's index interval against the
// mean of the channels' bounds the ranking drew before. The test logs
// them (go test -run DemoFigures -v) and checks what must hold: the bank
// has an index interval, narrower than the mean of bounds, and clustering
// widens some rolled-up interval.
func TestDemoFigures_DesignWidensRollupsAndTheIndexHasItsInterval(t *testing.T) {
	ctx := context.Background()
	st := surveytest.MustOpen(t, survey.SQLite, survey.Options{SynchronousNormal: true}).
		WithClock(func() time.Time { return time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC) })
	if _, err := demo.Generate(ctx, st, demo.Options{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	e := New(st)
	campaigns, err := st.Campaigns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	widenedAny := false
	for _, c := range campaigns {
		if c.State != survey.StateClosed {
			continue
		}
		v, err := e.open(ctx, survey.FullScope(), c.ID, "", true)
		if err != nil {
			t.Fatal(err)
		}
		tb, err := e.GapTable(ctx, survey.FullScope(), GapQuery{CampaignID: c.ID, Depth: 1})
		if err != nil {
			t.Fatal(err)
		}
		var cells, widened, deffWidened int
		var ratios, deffRatios []float64
		for _, r := range tb.Rows {
			i := v.org.pos[r.Team.ID]
			for x, cell := range r.Cells {
				if !cell.Shown {
					continue
				}
				base := v.layout.ChannelBase(x)
				block := v.total[i][base : base+survey.ChannelWidth]
				srs := channelFigures(block)
				noFPC := cell.Design
				noFPC.FPC = 1
				clustered := designedFigures(block, noFPC)
				ratio := width(cell.GapCI) / width(srs.GapCI)
				dr := width(clustered.GapCI) / width(srs.GapCI)
				cells++
				if ratio > 1+1e-9 {
					widened++
					ratios = append(ratios, ratio)
				}
				if dr > 1+1e-9 {
					deffWidened++
					deffRatios = append(deffRatios, dr)
				}
			}
		}
		widenedAny = widenedAny || widened > 0
		t.Logf("%s: %d bank/sector Gap intervals; with clustering and fpc %d widened (%.0f %%), by ×%.2f median, ×%.2f max; clustering alone widens %d (%.0f %%), ×%.2f median, ×%.2f max",
			c.Name, cells, widened, pct(widened, cells), median(ratios), maxOf(ratios), deffWidened, pct(deffWidened, cells), median(deffRatios), maxOf(deffRatios))
		bank := tb.Rows[0]
		if !bank.IndexShown {
			t.Logf("%s: bank index withheld", c.Name)
			continue
		}
		var mean Interval
		for _, cell := range bank.Cells {
			mean.Low += cell.GapCI.Low / float64(len(bank.Cells))
			mean.High += cell.GapCI.High / float64(len(bank.Cells))
		}
		f := bank.IndexFig
		srs := indexCI(bank.Index, indexSumsOf(v.total[v.org.pos[bank.Team.ID]], v.layout), Design{DeffGap: 1, FPC: 1})
		t.Logf("%s: bank index %.2f pp over n = %d: interval %.2f to %.2f pp (±%.2f; deff %.2f, fpc %.3f); as a simple random sample ±%.2f; the mean of the channels' bounds was %.2f to %.2f pp (±%.2f)",
			c.Name, 100*bank.Index, f.N, 100*f.CI.Low, 100*f.CI.High, 50*width(f.CI), f.Deff, f.FPC, 50*width(srs.CI), 100*mean.Low, 100*mean.High, 50*width(mean))
		if !f.HasCI || width(f.CI) >= width(mean) {
			t.Errorf("%s: bank index interval %v (%v), want one narrower than the mean of bounds %v", c.Name, f.CI, f.HasCI, mean)
		}
	}
	if !widenedAny {
		t.Error("clustering widened no bank or sector interval of the demo")
	}
}

func width(ci Interval) float64 { return ci.High - ci.Low }

func pct(a, b int) float64 { return 100 * float64(a) / math.Max(1, float64(b)) }

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	for i := range s { // insertion sort: a few dozen values
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s[len(s)/2]
}

func maxOf(xs []float64) float64 {
	m := math.NaN()
	for _, x := range xs {
		if math.IsNaN(m) || x > m {
			m = x
		}
	}
	return m
}
