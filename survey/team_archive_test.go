package survey_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// closedOver creates, opens and closes a campaign over code's subtree.
func closedOver(tb testing.TB, st *survey.Store, code string) *survey.Campaign {
	tb.Helper()
	c := mustCampaign(tb, st, code)
	ctx := context.Background()
	if _, err := st.OpenCampaign(ctx, c.ID); err != nil {
		tb.Fatal(err)
	}
	if _, err := st.CloseCampaign(ctx, c.ID); err != nil {
		tb.Fatal(err)
	}
	return c
}

// An archived sector leaves today's tree with its branches, stays in the
// frozen tree of its closed campaign, and an import that omits it passes.
func TestArchiveTeam_LeavesTodaysTreeKeepsHistoryAndImportsWithout(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		mustImport(t, st, smallOrg)
		c := closedOver(t, st, "S2")
		got, err := st.ArchiveTeam(ctx, "S2")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Errorf("archived %d teams, want S2 and A3", len(got))
		}
		tree, _ := st.Tree(ctx)
		if tree.ByCode("S2") != nil || tree.ByCode("A3") != nil || tree.Len() != 4 {
			t.Errorf("today's tree still holds archived teams (%d teams)", tree.Len())
		}
		frozen, err := st.FrozenTree(ctx, c.ID)
		if err != nil || frozen.ByCode("A3") == nil {
			t.Errorf("the closed campaign's frozen tree lost A3: %v", err)
		}
		archived, _ := st.ArchivedTeams(ctx)
		if len(archived) != 2 || archived[0].Code != "A3" || archived[0].ArchivedAt == nil {
			t.Errorf("archived teams = %+v", archived)
		}
		if e := lastAudit(t, st); e.Action != survey.AuditTeamArchived || e.Detail != "A3 S2" {
			t.Errorf("audit = %+v, want team.archived naming A3 S2", e)
		}

		without := strings.Replace(strings.Replace(smallOrg, "S2,B,Secteur Sud,1\n", "", 1), "A3,S2,Agence Nîmes,9\n", "", 1)
		plan := mustImport(t, st, without)
		if len(plan.Removed) != 0 || len(plan.Restored) != 0 {
			t.Errorf("import without the archived teams: removed %v, restored %v; want neither", plan.Removed, plan.Restored)
		}
		// A new campaign over the whole bank no longer covers them.
		next := mustCampaign(t, st, "B")
		if len(next.TeamIDs) != 4 {
			t.Errorf("new campaign covers %d teams, want the 4 of today's tree", len(next.TeamIDs))
		}
	})
}

// An import that lists an archived team again restores it (and says so in
// its plan and the audit log); its archived children stay archived.
func TestImportOrg_ListingAnArchivedTeamRestoresIt(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		mustImport(t, st, smallOrg)
		closedOver(t, st, "S2")
		if _, err := st.ArchiveTeam(ctx, "S2"); err != nil {
			t.Fatal(err)
		}
		back := strings.Replace(smallOrg, "A3,S2,Agence Nîmes,9\n", "", 1)
		rows, _ := survey.ParseOrgCSV(strings.NewReader(back))
		preview, err := st.PlanOrgImport(ctx, rows)
		if err != nil || len(preview.Restored) != 1 || preview.Restored[0].Code != "S2" {
			t.Fatalf("preview restores %+v (%v), want S2", preview, err)
		}
		if tree, _ := st.Tree(ctx); tree.ByCode("S2") != nil {
			t.Fatal("the preview restored S2")
		}
		mustImport(t, st, back)
		tree, _ := st.Tree(ctx)
		if tree.ByCode("S2") == nil || tree.ByCode("A3") != nil {
			t.Errorf("after the import: S2 in today's tree %v (want true), A3 %v (want false)", tree.ByCode("S2") != nil, tree.ByCode("A3") != nil)
		}
		if e := lastAudit(t, st); e.Action != survey.AuditOrgImported || !strings.Contains(e.Detail, "1 restored") {
			t.Errorf("last audit = %+v, want the import saying 1 restored", e)
		}
		page, _ := st.AuditLog(ctx, 0, 3)
		found := false
		for _, e := range page.Entries {
			found = found || (e.Action == survey.AuditTeamRestored && e.Detail == "S2")
		}
		if !found {
			t.Errorf("no team.restored entry naming S2 in %+v", page.Entries)
		}
	})
}

// Archiving is refused, storing nothing, for a team of a campaign not yet
// closed, a team without history and an unknown code.
func TestArchiveTeam_RefusalsStoreNothing(t *testing.T) {
	surveytest.EachStore(t, func(t *testing.T, st *survey.Store) {
		ctx := context.Background()
		mustImport(t, st, smallOrg)
		closedOver(t, st, "A3")
		draft := mustCampaign(t, st, "A1")
		cases := []struct {
			code, want, key string
		}{
			{"A1", survey.ECONFLICT, "archive.blocking"},
			{"S1", survey.ECONFLICT, "archive.blocking"}, // A1 below it is in the draft
			{"A2", survey.ECONFLICT, "archive.no_history"},
			{"NOPE", survey.ENOTFOUND, "archive.unknown"},
		}
		for _, c := range cases {
			_, err := st.ArchiveTeam(ctx, c.code)
			var de *survey.Error
			if survey.ErrorCode(err) != c.want || !errors.As(err, &de) || de.Key != c.key || de.Field != "code" {
				t.Errorf("archive %s: %v, want %s keyed %s on field code", c.code, err, c.want, c.key)
			}
		}
		if archived, _ := st.ArchivedTeams(ctx); len(archived) != 0 {
			t.Errorf("refused archivings stored %d archived teams", len(archived))
		}
		if e := lastAudit(t, st); e.Action == survey.AuditTeamArchived {
			t.Error("a refused archiving was audited")
		}
		// Once the draft is gone, the branch archives; an archived one is unknown.
		if err := st.DeleteCampaign(ctx, draft.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ArchiveTeam(ctx, "A3"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ArchiveTeam(ctx, "A3"); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("archiving twice: %v, want not found", err)
		}
		cands, _ := st.ArchiveCandidates(ctx)
		for _, a := range cands {
			if a.Code == "S2" && a.Archivable() {
				t.Errorf("S2 took part in no campaign itself (an import removes it), yet is archivable: %+v", a)
			}
			if a.Code == "A3" {
				t.Error("an archived team is listed as a candidate")
			}
		}
		// S2 goes with an import; archived A3, once under it, hangs from no one.
		without := strings.Replace(strings.Replace(smallOrg, "S2,B,Secteur Sud,1\n", "", 1), "A3,S2,Agence Nîmes,9\n", "", 1)
		if plan := mustImport(t, st, without); len(plan.Removed) != 1 || plan.Removed[0].Code != "S2" {
			t.Errorf("removed %+v, want S2 only", plan.Removed)
		}
		if a3, err := st.TeamByCode(ctx, "A3"); err != nil || a3.ParentID != nil || a3.ArchivedAt == nil {
			t.Errorf("archived A3 after its parent left: %+v, %v", a3, err)
		}
	})
}

func lastAudit(t *testing.T, st *survey.Store) survey.AuditEntry {
	t.Helper()
	page, err := st.AuditLog(context.Background(), 0, 1)
	if err != nil || len(page.Entries) == 0 {
		t.Fatalf("audit log: %v", err)
	}
	return page.Entries[0]
}
