package api_test

import (
	"strings"
	"testing"
)

func TestConsoleMail_UploadReportsEveryBadLineAndStoresNothing(t *testing.T) {
	f := newFixture(t)
	openCampaign1(f)
	list := "\ufeffteam_code;email\nLILLE;ok@banque.example\nLILLE;pas-une-adresse\nSUDX;autre@banque.example\nLILLE;x@banque.example;trop\nLILLE;OK@banque.example\n"
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"fr", []string{"Ligne 3 : l’adresse e-mail n’est pas valide.", "Ligne 4 : l’équipe &#34;SUDX&#34; ne fait pas partie", "La ligne 5 a 3 champs, 2 attendus.", "Ligne 6 : la même adresse figure déjà ligne 2."}},
		{"en", []string{"Line 3: the e-mail address is not valid.", "Line 4: the team &#34;SUDX&#34; is not part", "Line 5 has 3 fields, 2 expected.", "Line 6: the same address is already on line 2."}},
	} {
		f.hr.headers["Accept-Language"] = tt.lang
		resp, body := f.hr.do("POST", "/hr/campaigns/1/mail/recipients", multipartType, multipartFile("file", "list.csv", list))
		if resp.StatusCode != 422 {
			t.Fatalf("%s: status %d, want 422", tt.lang, resp.StatusCode)
		}
		for _, want := range tt.want {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the page does not say %q", tt.lang, want)
			}
		}
		if strings.Contains(body, "pas-une-adresse") || strings.Contains(body, "ok@banque.example") {
			t.Errorf("%s: the refusal shows an address back", tt.lang)
		}
	}
	if body := f.hr.get("/hr/campaigns/1/mail"); strings.Contains(body, "Line 4") {
		t.Error("errors stay on the page after a new visit")
	}
	var n int64
	f.st.DB().Raw("SELECT COUNT(*) FROM mail_recipients").Scan(&n)
	if n != 0 {
		t.Errorf("%d addresses stored from a refused list, want 0", n)
	}
}

func TestConsoleMail_CountsOnlyNeverAddresses(t *testing.T) {
	f := newFixture(t)
	openCampaign1(f)
	list := "LILLE,un@banque.example\nLILLE,deux@banque.example\n"
	resp, _ := f.hr.do("POST", "/hr/campaigns/1/mail/recipients", multipartType, multipartFile("file", "list.csv", list))
	if resp.StatusCode != 303 {
		t.Fatalf("upload: status %d, want 303", resp.StatusCode)
	}
	if resp, _ := f.hr.do("POST", "/hr/campaigns/1/mail/send", formPost, ""); resp.StatusCode != 303 {
		t.Fatalf("send: status %d, want 303", resp.StatusCode)
	}
	body := f.hr.get("/hr/campaigns/1/mail")
	if !strings.Contains(body, `<dd id="count-to-send">2</dd>`) {
		t.Errorf("the page does not count 2 messages to send")
	}
	if strings.Contains(body, "@banque.example") {
		t.Error("the page shows an address")
	}
	audit := f.hr.get("/hr/audit")
	if !strings.Contains(audit, "2 adresses ajoutées") || !strings.Contains(audit, "2 invitations en attente d&#39;envoi") || strings.Contains(audit, "@banque.example") {
		t.Error("the audit log must count the addresses and queued invitations, never show one")
	}
}

func TestConsoleMail_WithoutRelayOffersTheCSV(t *testing.T) {
	f := newFixture(t, fixtureOpts{noMail: true})
	openCampaign1(f)
	f.hr.headers["Accept-Language"] = "en"
	body := f.hr.get("/hr/campaigns/1/mail")
	if !strings.Contains(body, `id="mail-off"`) || !strings.Contains(body, `href="/hr/campaigns/1#invitations"`) || strings.Contains(body, `id="file"`) {
		t.Error("without a relay the page must say so, link to the CSV and offer no upload")
	}
	resp, body := f.hr.do("POST", "/hr/campaigns/1/mail/send", formPost, "")
	if resp.StatusCode != 422 || !strings.Contains(body, "No mail server is configured") {
		t.Errorf("send without relay: status %d, want 422 saying no mail server is configured", resp.StatusCode)
	}
	if page := f.hr.get("/hr/campaigns/1"); !strings.Contains(page, `id="mail-link"`) || !strings.Contains(page, `id="generate"`) {
		t.Error("the campaign page must offer both the e-mail page and the CSV")
	}
}

func TestConsoleMail_PreviewThenSaveTheMessage(t *testing.T) {
	f := newFixture(t)
	openCampaign1(f)
	form := func(action, subject, text string) string {
		return "action=" + action + "&subject=" + subject + "&body_text=" + text + "&body_html=%3Cp%3E%7Blink%7D%3C%2Fp%3E&max_reminders=1&reminder_days=3"
	}
	resp, body := f.hr.do("POST", "/hr/campaigns/1/mail/template", formPost, form("preview", "Rappel+%7Bcampaign%7D", "Lien+%3A+%7Blink%7D"))
	if resp.StatusCode != 200 || !strings.Contains(body, `<span id="preview-subject" translate="no">Rappel Vague Nord</span>`) || !strings.Contains(body, "https://example.com/s/#t=exemple-example") && !strings.Contains(body, "/s/#t=exemple-example") {
		t.Fatalf("preview: status %d, want the subject and text filled in", resp.StatusCode)
	}
	if page := f.hr.get("/hr/campaigns/1/mail"); strings.Contains(page, "Rappel Vague Nord") {
		t.Error("a preview saved the message")
	}
	resp, body = f.hr.do("POST", "/hr/campaigns/1/mail/template", formPost, form("save", "Sujet", "sans+lien"))
	if resp.StatusCode != 422 || !strings.Contains(body, "{link}") {
		t.Errorf("a message without {link}: status %d, want 422 naming {link}", resp.StatusCode)
	}
	resp, _ = f.hr.do("POST", "/hr/campaigns/1/mail/template", formPost, form("save", "Sujet+%7Bcampaign%7D", "Lien+%7Blink%7D"))
	if resp.StatusCode != 303 {
		t.Fatalf("save: status %d, want 303", resp.StatusCode)
	}
	if page := f.hr.get("/hr/campaigns/1/mail"); !strings.Contains(page, `value="Sujet {campaign}"`) {
		t.Error("the saved subject is not shown")
	}
	if audit := f.hr.get("/hr/audit"); !strings.Contains(audit, "mail.template_changed") {
		t.Error("the change of message is not audited")
	}
}

// get reads a page, failing the test unless it answers 200.
func (c *client) get(path string) string {
	c.tb.Helper()
	resp, body := c.do("GET", path, "", "")
	if resp.StatusCode != 200 {
		c.tb.Fatalf("GET %s: status %d", path, resp.StatusCode)
	}
	return body
}
