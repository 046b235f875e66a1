package api_test

import (
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// HR deletes a draft campaign after confirming; an opened one stays.
func TestConsoleCampaignDelete_OnlyDraftsAfterConfirmation(t *testing.T) {
	f := newFixture(t)
	if resp, page := f.hr.do("POST", "/hr/campaigns/1/delete", fiber.MIMEApplicationForm, ""); resp.StatusCode != 200 || !strings.Contains(page, `name="confirm"`) {
		t.Fatalf("first step: %d, want the confirmation page", resp.StatusCode)
	}
	resp, _ := f.hr.do("POST", "/hr/campaigns/1/delete", fiber.MIMEApplicationForm, "confirm=yes")
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/hr/campaigns?done=campaign_deleted" {
		t.Fatalf("delete: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := f.hr.do("GET", "/hr/campaigns/1", "", ""); resp.StatusCode != 404 {
		t.Errorf("the deleted draft still shows: %d", resp.StatusCode)
	}
	var audited int64
	f.st.DB().Raw("SELECT COUNT(*) FROM audit_log WHERE action = 'campaign.deleted'").Scan(&audited)
	if audited != 1 {
		t.Errorf("audit entries for the deletion = %d, want 1", audited)
	}

	g := newFixture(t)
	openCampaign1(g)
	if resp, _ := g.hr.do("POST", "/hr/campaigns/1/delete", fiber.MIMEApplicationForm, "confirm=yes"); resp.StatusCode != 409 {
		t.Errorf("deleting an opened campaign: %d, want 409", resp.StatusCode)
	}
	if resp, _ := g.hr.do("GET", "/hr/campaigns/1", "", ""); resp.StatusCode != 200 {
		t.Errorf("the opened campaign is gone: %d", resp.StatusCode)
	}
}

// Error pages speak the reader's language: a keyed refusal from the
// catalogue, never the English wording of the domain on a French page.
func TestErrorPages_FrenchReaderGetsNoEnglishSentence(t *testing.T) {
	f := newFixture(t)
	f.mgr.headers["Accept-Language"], f.mgr.headers["Accept"] = "fr", "text/html"
	resp, page := f.mgr.do("GET", "/hr", "", "")
	if resp.StatusCode != 403 || !strings.Contains(page, "Cette page est réservée aux RH.") || strings.Contains(page, "for HR only") {
		t.Errorf("manager on /hr in French: %d %s", resp.StatusCode, page)
	}
	openCampaign1(f)
	f.hr.headers["Accept-Language"], f.hr.headers["Accept"] = "fr", "text/html"
	resp, page = f.hr.do("POST", "/hr/campaigns/1/delete", fiber.MIMEApplicationForm, "confirm=yes")
	if resp.StatusCode != 409 || !strings.Contains(page, "seul un brouillon peut être supprimé") || strings.Contains(page, "only a draft") {
		t.Errorf("deleting an opened campaign in French: %d %s", resp.StatusCode, page)
	}
}
