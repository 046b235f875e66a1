package analytics

import (
	"fmt"
	"strings"
	"testing"

	"digigap/survey"
)

// A reference line (clients' use of the app) is labelled as another
// measure than the staff's "weekly or more", on the channels chart, the
// all-channel chart and in its tooltip.
func TestReferenceLines_SayTheyAreAnotherMeasure(t *testing.T) {
	l := Locale{Lang: "en", T: func(key string, args ...any) string {
		switch key {
		case "chart.ref_label":
			return fmt.Sprintf("%s %s (another measure)", args...)
		case "chart.ref_other":
			return "another measure"
		case "chart.ref_table":
			return fmt.Sprintf("References: %s", args...)
		}
		return key
	}}
	app := survey.ReferenceValue{Channel: "app", Label: "Clients", Value: 62}
	all := survey.ReferenceValue{Channel: survey.AllChannels, Label: "Clients", Value: 40}
	series, tips := channelRefs([]channelCell{{ID: "app"}}, []survey.ReferenceValue{app}, l)
	if s := fmt.Sprint(series); !strings.Contains(s, "Clients 62% (another measure)") {
		t.Errorf("channels chart reference = %s", s)
	}
	if len(tips) != 1 || !strings.Contains(strings.Join(tips[0], "|"), "another measure") {
		t.Errorf("tooltip = %v", tips)
	}
	if s := fmt.Sprint(allChannelRefs([]survey.ReferenceValue{all}, l)); !strings.Contains(s, "Clients 40% (another measure)") {
		t.Errorf("all-channel chart reference = %s", s)
	}
	// The table view names them too, as another measure, each on its chart.
	isAll := func(r survey.ReferenceValue) bool { return r.Channel == survey.AllChannels }
	if s := refCaption([]survey.ReferenceValue{app, all}, isAll, l); !strings.Contains(s, "Clients 40% (another measure)") || strings.Contains(s, "62%") {
		t.Errorf("all-channel table caption = %q", s)
	}
}
