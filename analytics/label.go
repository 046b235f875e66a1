package analytics

import (
	"strings"
	"unicode/utf8"
)

// Chart labels. ECharts' own label overflow cuts words ("Visioconféren/ce",
// "Messagerie instantanée (WhatsAp…"), so long channel and team names are
// laid out here instead, between words only. The full name stays in the
// chart's tooltip and in its table view.

// Label widths, in characters, of the charts' long labels.
const (
	HeaderWidth   = 14 // a heatmap column header: two short lines
	EndLabelWidth = 24 // a trend line's name at its end
	AxisWidth     = 26 // a dumbbell or ranking row
)

// ShortLabel writes s on at most lines lines of about width characters,
// breaking only between words; a word longer than width keeps a line of
// its own, whole. When s does not fit, its parenthesised tail goes first
// ("(WhatsApp, Teams…)"), then its last words: an ellipsis then follows
// the last whole word kept, never a connective such as "en" or "and".
func ShortLabel(s string, width, lines int) string {
	words := strings.Fields(s)
	if out := wrapWords(words, width); len(out) <= lines {
		return strings.Join(out, "\n")
	}
	if i := strings.Index(s, " ("); i > 0 && strings.HasSuffix(strings.TrimSpace(s), ")") {
		words = strings.Fields(s[:i])
		if out := wrapWords(words, width); len(out) <= lines {
			return strings.Join(out, "\n")
		}
	}
	out := wrapWords(words, width)[:lines]
	last := strings.Fields(out[lines-1])
	for len(last) > 1 && runes(strings.Join(last, " "))+1 > width {
		last = last[:len(last)-1]
	}
	for len(last) > 1 && connective[strings.ToLower(last[len(last)-1])] {
		last = last[:len(last)-1]
	}
	out[lines-1] = strings.TrimRight(strings.Join(last, " "), ",;:—–-") + "…"
	return strings.Join(out, "\n")
}

// WrapLabel breaks s between words into lines of about width characters,
// however many lines that takes.
func WrapLabel(s string, width int) string {
	return strings.Join(wrapWords(strings.Fields(s), width), "\n")
}

// wrapWords fills lines greedily: a word goes on the current line while
// the line stays within width.
func wrapWords(words []string, width int) []string {
	var out []string
	line := ""
	for _, w := range words {
		switch {
		case line == "":
			line = w
		case runes(line)+1+runes(w) <= width:
			line += " " + w
		default:
			out = append(out, line)
			line = w
		}
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// connective words never end a shortened label: "Documents partagés en…"
// says less than "Documents partagés…".
var connective = map[string]bool{
	"à": true, "au": true, "aux": true, "avec": true, "d'": true, "de": true, "des": true, "du": true,
	"en": true, "et": true, "la": true, "le": true, "les": true, "ou": true, "par": true, "pour": true,
	"sans": true, "sur": true, "un": true, "une": true,
	"a": true, "an": true, "and": true, "by": true, "for": true, "in": true, "of": true, "on": true,
	"or": true, "the": true, "to": true, "with": true,
}
