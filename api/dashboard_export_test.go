package api_test

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"digigap/survey"
)

// closedWaveRoot is the demo's closed campaign and its root team.
func closedWaveRoot(t *testing.T, st *survey.Store) (int64, int64) {
	ctx := context.Background()
	cs, _ := st.Campaigns(ctx)
	tree, _ := st.Tree(ctx)
	for _, c := range cs {
		if c.Phase(st.Today()) == survey.PhaseClosed {
			return c.ID, tree.Roots()[0]
		}
	}
	t.Fatal("the demo has no closed campaign")
	return 0, 0
}

// Every CSV link of a page has an XLSX link beside it, and the CSV opens in
// French Excel as one value per cell: ";" between fields, decimal commas,
// an interval as two columns, a BOM; English keeps "," and dots.
func TestDashboardDownloads_OpenCleanlyInFrenchAndEnglishExcel(t *testing.T) {
	st := demoStore(t)
	app := appOf(t, st)
	campaign, root := closedWaveRoot(t, st)
	group := fmt.Sprintf("/dashboard/campaigns/%d/teams/%d", campaign, root)
	_, _, page := get(t, app, group+"?lang=fr")
	csvLinks, xlsxLinks := strings.Count(page, group+"/csv/"), strings.Count(page, group+"/xlsx/")
	if csvLinks == 0 || csvLinks != xlsxLinks {
		t.Errorf("the page has %d CSV links and %d XLSX links, want one XLSX beside each CSV", csvLinks, xlsxLinks)
	}

	frDecimal, dotDecimal := regexp.MustCompile(`^-?\d+,\d+$`), regexp.MustCompile(`^-?\d+\.\d+$`)
	fr := csvOf(t, app, group+"/csv/ranking?lang=fr")
	if !strings.Contains(strings.Join(fr[0], "|"), "borne basse") || !strings.Contains(strings.Join(fr[0], "|"), "borne haute") {
		t.Errorf("French header %q: want each interval as two columns (borne basse, borne haute)", fr[0])
	}
	commas := 0
	for _, rec := range fr[1:] {
		if len(rec) != len(fr[0]) {
			t.Fatalf("record %q has %d values, header %d: not one value per cell", rec, len(rec), len(fr[0]))
		}
		for _, v := range rec {
			if dotDecimal.MatchString(v) || strings.Contains(v, ";") {
				t.Errorf("French CSV value %q: want a decimal comma, one value", v)
			}
			if frDecimal.MatchString(v) {
				commas++
			}
		}
	}
	if commas == 0 {
		t.Error("the French CSV has no decimal comma at all")
	}
	en := csvOf(t, app, group+"/csv/ranking?lang=en")
	if len(en) != len(fr) || len(en[0]) != len(fr[0]) || !strings.Contains(strings.Join(en[0], "|"), " low") {
		t.Errorf("English CSV: %d×%d with header %q, want the French shape with low/high columns", len(en), len(en[0]), en[0])
	}

	status, h, body := get(t, app, group+"/xlsx/ranking?lang=fr")
	if status != 200 || !strings.Contains(h["Content-Type"], "spreadsheetml") {
		t.Fatalf("XLSX: %d %q", status, h["Content-Type"])
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rows), len(fr)+1; got != want { // + the note row
		t.Errorf("XLSX rows = %d, want %d", got, want)
	}
	typ, _ := f.GetCellType(f.GetSheetName(0), "B3")
	if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("XLSX B3 (%q) is text, want a number", rows[2][1])
	}
}

// The group and branch pages carry the print button in the reader's
// language and a page header for paper (campaign, group, k, date).
func TestDashboardPages_HavePrintButtonAndPaperHeader(t *testing.T) {
	st := demoStore(t)
	app := appOf(t, st)
	campaign, root := closedWaveRoot(t, st)
	for _, c := range []struct{ path, button, header string }{
		{fmt.Sprintf("/dashboard/campaigns/%d/teams/%d?lang=fr", campaign, root), "Imprimer ou enregistrer en PDF", "imprimé le "},
		{fmt.Sprintf("/dashboard/campaigns/%d/teams/%d?lang=en", campaign, root), "Print or save as PDF", "printed on "},
		{fmt.Sprintf("/dashboard/teams/%d?lang=fr", root), "Imprimer ou enregistrer en PDF", "imprimé le "},
	} {
		_, _, page := get(t, app, c.path)
		if !strings.Contains(page, "data-print>"+c.button+"</button>") {
			t.Errorf("%s: no %q button", c.path, c.button)
		}
		if !regexp.MustCompile(`class="print-only print-header">[^<]*` + c.header).MatchString(page) {
			t.Errorf("%s: no page header for paper", c.path)
		}
	}
}
