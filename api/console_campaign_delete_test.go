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
