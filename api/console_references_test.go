package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// HR adds a reference value from the console as a French reader types it
// (decimal comma), sees it listed with the channel's French name, and
// removes it after confirming; each write is audited.
func TestConsoleReferences_HRAddsAndRemovesThemInFrench(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		app, st := newApp(t, dialect)
		ctx := context.Background()
		s, _, page := hrCall(t, app, "GET", "/hr/references", "")
		if s != 200 || !strings.Contains(page, "Aucune valeur de référence") || !strings.Contains(page, `<option value="all_channels"`) {
			t.Fatalf("empty page: %d %s", s, page)
		}
		form := url.Values{"label": {"Clients utilisant le site web"}, "channel": {"web_services"}, "value": {"70,5"}, "source": {"Baromètre clients 2025"}}
		s, loc, _ := hrCall(t, app, "POST", "/hr/references", form.Encode())
		if s != 303 || loc != "/hr/references?done=reference_added" {
			t.Fatalf("add: %d %q", s, loc)
		}
		refs, _ := st.ReferenceValues(ctx)
		if len(refs) != 1 || refs[0].Value != 70.5 || refs[0].Source != "Baromètre clients 2025" {
			t.Fatalf("stored %+v, want one value of 70.5", refs)
		}
		if e := lastAuditOf(t, st); e.Action != survey.AuditReferenceAdded {
			t.Errorf("audit = %+v, want reference.added", e)
		}
		_, _, page = hrCall(t, app, "GET", loc, "")
		if !strings.Contains(page, "La valeur de référence a été ajoutée") || !strings.Contains(page, "70,5\u202f%") || !strings.Contains(page, "Services en ligne (sites web, espaces clients)") {
			t.Errorf("list after adding: %s", page)
		}
		del := "/hr/references/" + itoa(refs[0].ID) + "/delete"
		if s, _, page := hrCall(t, app, "POST", del, ""); s != 200 || !strings.Contains(page, "Retirer la valeur de référence « Clients utilisant le site web » ?") {
			t.Fatalf("first step of removing: %d %s", s, page)
		}
		if refs, _ := st.ReferenceValues(ctx); len(refs) != 1 {
			t.Fatal("the confirmation step removed the value")
		}
		if s, loc, _ := hrCall(t, app, "POST", del, "confirm=yes"); s != 303 || loc != "/hr/references?done=reference_deleted" {
			t.Fatalf("remove: %d %q", s, loc)
		}
		if refs, _ := st.ReferenceValues(ctx); len(refs) != 0 {
			t.Errorf("%d values left", len(refs))
		}
		if e := lastAuditOf(t, st); e.Action != survey.AuditReferenceDeleted {
			t.Errorf("audit = %+v, want reference.deleted", e)
		}
		if s, _, _ := hrCall(t, app, "POST", del, "confirm=yes"); s != 404 {
			t.Errorf("removing it twice: %d, want 404", s)
		}
	})
}

// A wrong form keeps what was typed, says in French next to each field
// what is wrong, and stores nothing (no value, no audit entry).
func TestConsoleReferences_BadFormShowsFrenchMessagesNextToFieldsAndStoresNothing(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		app, st := newApp(t, dialect)
		before := lastAuditOf(t, st)
		cases := []struct {
			form  url.Values
			field string
			want  string
		}{
			{url.Values{"label": {"  "}, "channel": {"sms"}, "value": {"40"}}, "label", "Donnez un libellé à la référence"},
			{url.Values{"label": {strings.Repeat("é", 81)}, "channel": {"sms"}, "value": {"40"}}, "label", "Le libellé compte 81 caractères ; 80 au plus"},
			{url.Values{"label": {"SMS"}, "channel": {"sms"}, "value": {"beaucoup"}}, "value", "La valeur est un pourcentage de 0 à 100"},
			{url.Values{"label": {"SMS"}, "channel": {"sms"}, "value": {"101"}}, "value", "La valeur est un pourcentage de 0 à 100"},
			{url.Values{"label": {"SMS"}, "channel": {"fax"}, "value": {"40"}}, "channel", "Choisissez un canal des questionnaires"},
			{url.Values{"label": {"SMS"}, "channel": {"sms"}, "value": {"40"}, "source": {strings.Repeat("x", 201)}}, "source", "La source dépasse 200 caractères."},
		}
		for _, c := range cases {
			s, _, page := hrCall(t, app, "POST", "/hr/references", c.form.Encode())
			if s != 422 || !strings.Contains(page, `id="`+c.field+`-error">`+c.want) {
				t.Errorf("%v: %d, want 422 with %q next to %s", c.form, s, c.want, c.field)
			}
			if !strings.Contains(page, `value="`+c.form.Get("value")+`"`) {
				t.Errorf("%v: the page lost the typed value", c.form)
			}
			for _, en := range []string{"give the reference", "percentage between", "is neither a channel", "characters"} {
				if strings.Contains(page, en) {
					t.Errorf("%v: English %q on the French page", c.form, en)
				}
			}
		}
		// Every wrong field at once, each message beside its own field.
		all := url.Values{"label": {""}, "channel": {"fax"}, "value": {"-3"}}
		_, _, page := hrCall(t, app, "POST", "/hr/references", all.Encode())
		for _, id := range []string{"label-error", "value-error", "channel-error"} {
			if !strings.Contains(page, `id="`+id+`"`) {
				t.Errorf("all wrong: no %s", id)
			}
		}
		if refs, _ := st.ReferenceValues(context.Background()); len(refs) != 0 {
			t.Errorf("a wrong form stored %d values", len(refs))
		}
		if after := lastAuditOf(t, st); after.ID != before.ID {
			t.Errorf("a wrong form was audited: %+v", after)
		}
	})
}

// A manager can neither read nor write the reference-values page.
func TestConsoleReferences_ManagerIsRefused(t *testing.T) {
	f := newFixture(t)
	if resp, _ := f.mgr.do("GET", "/hr/references", "", ""); resp.StatusCode != http.StatusForbidden {
		t.Errorf("manager GET: %d, want 403", resp.StatusCode)
	}
	if resp, _ := f.mgr.do("POST", "/hr/references", formPost, "label=Web&channel=sms&value=50"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("manager POST: %d, want 403", resp.StatusCode)
	}
	addReference(f)
	if resp, _ := f.mgr.do("POST", "/hr/references/1/delete", formPost, "confirm=yes"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("manager delete: %d, want 403", resp.StatusCode)
	}
	if refs, _ := f.st.ReferenceValues(context.Background()); len(refs) != 1 || refs[0].Label != "Web" {
		t.Errorf("after the manager's calls: %+v, want HR's one value", refs)
	}
}

func lastAuditOf(t *testing.T, st *survey.Store) survey.AuditEntry {
	t.Helper()
	page, err := st.AuditLog(context.Background(), 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Entries) == 0 {
		return survey.AuditEntry{}
	}
	return page.Entries[0]
}

// Both new pages read in English too, and neither shows a raw catalogue
// key (a missing message shows its key).
func TestConsoleReferencesAndArchive_EnglishPagesHaveEveryMessage(t *testing.T) {
	app, _, _ := archiveCase(t, survey.SQLite)
	wants := map[string]string{
		"/hr/references?lang=en":  "Reference values",
		"/hr/org/archive?lang=en": "Part of “Vague NORD”, not closed yet.",
	}
	for path, want := range wants {
		s, _, page := hrCall(t, app, "GET", path, "")
		if s != 200 || !strings.Contains(page, want) {
			t.Errorf("%s: %d, want %q", path, s, want)
		}
		for _, raw := range []string{"console.references.", "console.archive.", "err.reference.", "err.archive."} {
			if strings.Contains(page, raw) {
				t.Errorf("%s shows a raw key %s…", path, raw)
			}
		}
	}
	s, _, page := hrCall(t, app, "POST", "/hr/references?lang=en", "label=&channel=sms&value=x")
	if s != 422 || !strings.Contains(page, `id="label-error">Give the reference a label`) || !strings.Contains(page, `id="value-error">The value is a percentage from 0 to 100`) {
		t.Errorf("English form errors: %d", s)
	}
}
