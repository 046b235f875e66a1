package analytics_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"digigap/analytics"
	"digigap/survey"
)

// Every channel name of the questionnaire, in every language it has, fits
// each chart's label width by breaking between words only: each line holds
// whole words of the name, in order; a line wider than the width is one
// word alone; a shortened name ends with "…" after a word that says
// something.
func TestShortLabel_EveryChannelNameBreaksBetweenWholeWords(t *testing.T) {
	def := survey.DefaultDefinition()
	widths := map[string]int{"header": analytics.HeaderWidth, "end label": analytics.EndLabelWidth, "axis": analytics.AxisWidth}
	for _, lang := range def.Languages {
		for _, ch := range def.Channels {
			full := ch.Label.In(lang)
			for where, width := range widths {
				got := analytics.ShortLabel(full, width, 2)
				checkWholeWords(t, full, got, width, 2, where)
			}
			checkWholeWords(t, full, analytics.WrapLabel(full, analytics.AxisWidth), analytics.AxisWidth, 99, "wrapped")
		}
	}
}

func checkWholeWords(t *testing.T, full, got string, width, maxLines int, where string) {
	t.Helper()
	lines := strings.Split(got, "\n")
	if len(lines) > maxLines {
		t.Errorf("%s %q: %d lines, want at most %d: %q", where, full, len(lines), maxLines, got)
	}
	var words []string
	for _, line := range lines {
		w := strings.Fields(strings.TrimSuffix(line, "…"))
		if len(w) > 1 && utf8.RuneCountInString(line) > width {
			t.Errorf("%s %q: line %q is wider than %d", where, full, line, width)
		}
		words = append(words, w...)
	}
	shortened := strings.HasSuffix(got, "…")
	fullWords := strings.Fields(full)
	if i := strings.Index(full, " ("); i > 0 && len(words) < len(fullWords) {
		fullWords = strings.Fields(full[:i]) // the parenthesised tail dropped first
	}
	if len(words) > len(fullWords) {
		t.Fatalf("%s %q: %q has more words than the name", where, full, got)
	}
	for i, w := range words {
		if shortened && i == len(words)-1 {
			w = strings.TrimRight(fullWords[i], ",;:—–-")
			if strings.TrimRight(words[i], ",;:—–-") != w {
				t.Errorf("%s %q: word %d is %q, not the name's %q", where, full, i, words[i], fullWords[i])
			}
			continue
		}
		if w != fullWords[i] {
			t.Errorf("%s %q: word %d is %q, not the name's %q (a word was cut)", where, full, i, w, fullWords[i])
		}
	}
	if !shortened && len(words) != len(fullWords) {
		t.Errorf("%s %q: %q drops words without an ellipsis", where, full, got)
	}
	if shortened {
		last := strings.ToLower(words[len(words)-1])
		for _, c := range []string{"en", "et", "ou", "de", "sur", "and", "or", "of"} {
			if last == c {
				t.Errorf("%s %q: %q ends on the connective %q", where, full, got, c)
			}
		}
	}
}

func TestShortLabel_NamesOfTheIssue(t *testing.T) {
	for _, c := range []struct {
		in    string
		width int
		want  string
	}{
		{"Visioconférence ou appel vidéo", analytics.HeaderWidth, "Visioconférence\nou appel vidéo"},
		{"Messagerie instantanée (WhatsApp, Teams…)", analytics.EndLabelWidth, "Messagerie instantanée\n(WhatsApp, Teams…)"},
		{"Messagerie instantanée (WhatsApp, Teams…)", analytics.HeaderWidth, "Messagerie\ninstantanée"},
		{"Documents partagés en ligne (espace de dépôt, coffre-fort numérique)", analytics.HeaderWidth, "Documents\npartagés…"},
		{"Signature électronique et formulaires en ligne", analytics.HeaderWidth, "Signature\nélectronique…"},
		{"SMS", analytics.HeaderWidth, "SMS"},
		{"Agence Montpellier-Antigone", analytics.HeaderWidth, "Agence\nMontpellier-Antigone"},
	} {
		if got := analytics.ShortLabel(c.in, c.width, 2); got != c.want {
			t.Errorf("ShortLabel(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
	}
}

// The heatmap's column headers are the shortened names; its tooltips and
// table view keep the full ones, and no axis label is left to ECharts'
// overflow, which cuts words.
func TestHeatmap_HeadersShortenedTooltipsAndTableFull(t *testing.T) {
	st, camp, _ := clusteredCampaign(t, survey.SQLite)
	table, err := analytics.New(st).GapTable(context.Background(), survey.FullScope(), analytics.GapQuery{CampaignID: camp.ID, Depth: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"fr", "en"} {
		l := analytics.Locale{Lang: lang, T: func(key string, _ ...any) string { return key }}
		c := analytics.HeatmapChart(table, 9, l)
		b, err := c.Spec()
		if err != nil {
			t.Fatal(err)
		}
		var spec struct {
			Option struct {
				XAxis []struct {
					Data      []string       `json:"data"`
					AxisLabel map[string]any `json:"axisLabel"`
				} `json:"xAxis"`
			} `json:"option"`
			Tips [][][]string `json:"tips"`
		}
		if err := json.Unmarshal(b, &spec); err != nil {
			t.Fatal(err)
		}
		ax := spec.Option.XAxis[0]
		if _, ok := ax.AxisLabel["overflow"]; ok {
			t.Errorf("%s: the header labels are left to ECharts' overflow: %v", lang, ax.AxisLabel)
		}
		tips := string(mustJSON(t, spec.Tips))
		for i, ch := range table.Def.Channels {
			full := ch.Label.In(lang)
			if got, want := ax.Data[i], analytics.ShortLabel(full, analytics.HeaderWidth, 2); got != want {
				t.Errorf("%s header %d = %q, want %q", lang, i, got, want)
			}
			if got := c.Table.Head[i+1]; got != full {
				t.Errorf("%s table head %d = %q, want the full %q", lang, i, got, full)
			}
			if !strings.Contains(tips, mustJSON(t, " — "+full)[1:]) {
				t.Errorf("%s: no tooltip names %q in full", lang, full)
			}
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(string(b), `"`)
}
