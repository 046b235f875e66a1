package api_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"digigap/survey"
)

// Route classes: the group a route must be registered in (see api/routes.go).
const (
	public = "public" // anyone, no session
	// respondent routes are public too, but answer the table's blank call
	// with their own refusal (no token, unknown link): never 401 or /login.
	respondent = "respondent"
	login      = "login" // sign-in pages: anyone, CSRF-protected
	// loginStep routes are sign-in steps begun elsewhere (the provider's
	// callback, the second factor): anyone, CSRF-protected; without the
	// step's state they refuse or send to /login, never 401 or 500.
	loginStep = "login step"
	signedIn  = "page"    // signed-in pages: anonymous → redirect to /login
	hrPage    = "hr page" // HR pages: manager → 403
	scoped    = "api"     // HR or manager: anonymous → 401; manager sees only their subtree
	hrOnly    = "hr api"  // HR only: anonymous → 401, manager → 403
	formPost  = "application/x-www-form-urlencoded"
)

// routeSpec says how to call a route and what it may show. in is a path
// inside the manager's scope (or with no object); out, when the route
// takes a team or campaign, a path outside it.
type routeSpec struct {
	class   string
	in, out string
	body    string
	ctype   string
	setup   func(f *fixture) // brings data into the state the call needs
	// sessionOnly routes refuse API tokens (403): a person must be present.
	sessionOnly bool
	// json marks a signed-in route that feeds a page's script, not a page.
	json bool
	// redirect marks a signed-in route that answers with a redirect.
	redirect bool
	// answers is the status of a signed-in call whose table body is a
	// form the route rightly refuses (a wrong TOTP code): not a failure.
	answers int
}

// routeTable classifies EVERY route of the app. A route missing here fails
// TestRoutes_EveryRouteIsClassified: whoever adds a route (respondent pages,
// analytics…) says here who may call it, and the checks below then cover it.
var routeTable = map[string]routeSpec{
	"GET /healthz":                            {class: public, in: "/healthz"},
	"GET /readyz":                             {class: public, in: "/readyz"},
	"GET /static/*":                           {class: public, in: "/static/css/app.css"},
	"GET /api/v1/openapi.json":                {class: public, in: "/api/v1/openapi.json"},
	"GET /metrics":                            {class: hrOnly, in: "/metrics"},
	"GET /s/":                                 {class: public, in: "/s/"},
	"POST /s/":                                {class: respondent, in: "/s/", ctype: formPost, body: "code=unknown"},
	"GET /s/team/:key":                        {class: respondent, in: "/s/team/unknown"},
	"POST /s/questionnaire":                   {class: respondent, in: "/s/questionnaire", ctype: formPost, body: "token=unknown"},
	"POST /s/submit":                          {class: respondent, in: "/s/submit", ctype: formPost, body: "token=unknown"},
	"GET /s/thanks":                           {class: public, in: "/s/thanks"},
	"POST /s/another":                         {class: respondent, in: "/s/another", ctype: formPost, body: "team_link=unknown"},
	"GET /s/questionnaire":                    {class: respondent, in: "/s/questionnaire"},
	"GET /s/submit":                           {class: respondent, in: "/s/submit"},
	"POST /api/v1/responses":                  {class: respondent, in: "/api/v1/responses", body: `{"campaign_id":1,"token":"unknown"}`},
	"POST /api/v1/campaigns/:id/invitations":  {class: hrOnly, in: "/api/v1/campaigns/1/invitations", body: `{"count":1}`, setup: openCampaign1},
	"GET /api/v1/campaigns/:id/gaps":          {class: scoped, in: "/api/v1/campaigns/3/gaps?team=2", out: "/api/v1/campaigns/3/gaps?team=4", setup: closeCampaign3},
	"GET /api/v1/campaigns/:id/participation": {class: scoped, in: "/api/v1/campaigns/3/participation?team=2", out: "/api/v1/campaigns/3/participation?team=4", setup: closeCampaign3},
	"GET /api/v1/campaigns/:id/teams/:team/summary":               {class: scoped, in: "/api/v1/campaigns/3/teams/2/summary", out: "/api/v1/campaigns/3/teams/4/summary", setup: closeCampaign3},
	"GET /api/v1/campaigns/:id/teams/:team/barriers":              {class: scoped, in: "/api/v1/campaigns/3/teams/2/barriers", out: "/api/v1/campaigns/3/teams/4/barriers", setup: closeCampaign3},
	"GET /api/v1/campaigns/:id/teams/:team/culture":               {class: scoped, in: "/api/v1/campaigns/3/teams/2/culture", out: "/api/v1/campaigns/3/teams/4/culture", setup: closeCampaign3},
	"GET /api/v1/campaigns/:id/teams/:team/bands/:item":           {class: scoped, in: "/api/v1/campaigns/3/teams/2/bands/profile.tenure", out: "/api/v1/campaigns/3/teams/4/bands/profile.tenure", setup: closeCampaign3},
	"GET /api/v1/campaigns/:id/export/:table":                     {class: scoped, in: "/api/v1/campaigns/3/export/gaps?team=2", out: "/api/v1/campaigns/3/export/gaps?team=4", setup: closeCampaign3},
	"GET /api/v1/campaigns/:id/teams/:team/comments":              {class: hrOnly, in: "/api/v1/campaigns/3/teams/1/comments", setup: closeCampaign3},
	"GET /api/v1/reference-values":                                {class: scoped, in: "/api/v1/reference-values"},
	"POST /api/v1/reference-values":                               {class: hrOnly, in: "/api/v1/reference-values", body: `{"label":"Clients on the web site","source":"Bank 2025","value":70,"channel":"web_services"}`},
	"DELETE /api/v1/reference-values/:id":                         {class: hrOnly, in: "/api/v1/reference-values/1", setup: addReference},
	"GET /":                                                       {class: signedIn, in: "/", redirect: true},
	"GET /api/v1/coverage":                                        {class: scoped, in: "/api/v1/coverage?team=2", out: "/api/v1/coverage?team=4", setup: addCoverage},
	"POST /api/v1/coverage":                                       {class: hrOnly, in: "/api/v1/coverage", ctype: "text/csv", body: coverageCSV},
	"GET /api/v1/teams/:team/actions":                             {class: scoped, in: "/api/v1/teams/2/actions", out: "/api/v1/teams/4/actions", setup: addActions},
	"POST /api/v1/teams/:team/actions":                            {class: scoped, in: "/api/v1/teams/3/actions", out: "/api/v1/teams/4/actions", body: actionJSON},
	"PUT /api/v1/actions/:id":                                     {class: scoped, in: "/api/v1/actions/1", out: "/api/v1/actions/2", body: `{"status":"done"}`, setup: addActions},
	"GET /dashboard/":                                             {class: signedIn, in: "/dashboard/"},
	"GET /dashboard/campaigns/:id":                                {class: signedIn, in: "/dashboard/campaigns/3", out: "/dashboard/campaigns/2", setup: closeCampaign3},
	"GET /dashboard/campaigns/:id/teams/:team":                    {class: signedIn, in: "/dashboard/campaigns/3/teams/2", out: "/dashboard/campaigns/3/teams/4", setup: closeCampaign3},
	"GET /dashboard/campaigns/:id/teams/:team/csv/:chart":         {class: signedIn, in: "/dashboard/campaigns/3/teams/2/csv/heatmap", out: "/dashboard/campaigns/3/teams/4/csv/heatmap", setup: closeCampaign3},
	"GET /dashboard/campaigns/:id/teams/:team/xlsx/:chart":        {class: signedIn, in: "/dashboard/campaigns/3/teams/2/xlsx/heatmap", out: "/dashboard/campaigns/3/teams/4/xlsx/heatmap", setup: closeCampaign3},
	"GET /dashboard/campaigns/:id/teams/:team/live/participation": {class: signedIn, in: "/dashboard/campaigns/3/teams/2/live/participation", out: "/dashboard/campaigns/3/teams/4/live/participation", setup: openCampaign3, json: true},
	"GET /dashboard/teams/:team":                                  {class: signedIn, in: "/dashboard/teams/2", out: "/dashboard/teams/4", setup: addActions},
	"POST /dashboard/teams/:team/actions":                         {class: signedIn, in: "/dashboard/teams/3/actions", out: "/dashboard/teams/4/actions", ctype: formPost, body: "title=Training&channels=sms&starts_on=2026-01-05&owner_role=branch+director", redirect: true},
	"POST /dashboard/teams/:team/actions/:id/status":              {class: signedIn, in: "/dashboard/teams/2/actions/1/status", out: "/dashboard/teams/4/actions/2/status", ctype: formPost, body: "status=done", setup: addActions, redirect: true},
	"GET /api/v1/campaigns/:id/team-links":                        {class: hrOnly, in: "/api/v1/campaigns/1/team-links"},
	"GET /api/v1/campaigns/:id/team-links/:code/qr.png":           {class: hrOnly, in: "/api/v1/campaigns/1/team-links/NORD/qr.png"},
	"GET /login":                              {class: login, in: "/login"},
	"GET /login/oidc":                         {class: loginStep, in: "/login/oidc"},
	"GET /login/oidc/callback":                {class: loginStep, in: "/login/oidc/callback?state=x&code=y"},
	"GET /login/second-factor":                {class: loginStep, in: "/login/second-factor"},
	"POST /login/second-factor":               {class: loginStep, in: "/login/second-factor", ctype: formPost, body: "code=123456"},
	"GET /account/second-factor":              {class: signedIn, sessionOnly: true, in: "/account/second-factor"},
	"POST /account/second-factor":             {class: signedIn, sessionOnly: true, in: "/account/second-factor", ctype: formPost, body: "code=000000", answers: 422},
	"POST /login":                             {class: login, in: "/login", ctype: formPost, body: "email=x@bank.example&password=whatever1"},
	"POST /logout":                            {class: login, in: "/logout", ctype: formPost},
	"GET /account":                            {class: signedIn, in: "/account"},
	"POST /account/password":                  {class: signedIn, sessionOnly: true, in: "/account/password", ctype: formPost, body: "current_password=wrong-one&new_password=x", answers: 422},
	"GET /set-password/:token":                {class: loginStep, in: "/set-password/unknown"},
	"POST /set-password/:token":               {class: loginStep, in: "/set-password/unknown", ctype: formPost, body: "new_password=x"},
	"GET /api/v1/me":                          {class: scoped, in: "/api/v1/me"},
	"PUT /api/v1/me/password":                 {class: scoped, sessionOnly: true, in: "/api/v1/me/password", body: `{"current_password":"` + testPassword + `","new_password":"` + testPassword + `"}`},
	"GET /api/v1/teams":                       {class: scoped, in: "/api/v1/teams"},
	"GET /api/v1/questionnaires":              {class: scoped, in: "/api/v1/questionnaires"},
	"GET /api/v1/questionnaires/:id":          {class: scoped, in: "/api/v1/questionnaires/1"},
	"GET /api/v1/campaigns":                   {class: scoped, in: "/api/v1/campaigns"},
	"GET /api/v1/campaigns/:id":               {class: scoped, in: "/api/v1/campaigns/1", out: "/api/v1/campaigns/2"},
	"POST /api/v1/org/import":                 {class: hrOnly, in: "/api/v1/org/import", ctype: "text/csv", body: secOrg},
	"POST /api/v1/questionnaires":             {class: hrOnly, in: "/api/v1/questionnaires", ctype: "application/yaml", body: "!v2"},
	"POST /api/v1/questionnaires/:id/current": {class: hrOnly, in: "/api/v1/questionnaires/1/current"},
	"POST /api/v1/campaigns": {class: hrOnly, in: "/api/v1/campaigns",
		body: `{"name":"Vague 3","questionnaire_id":1,"team_codes":["NORD"],"opens_on":"2026-04-01","closes_on":"2026-04-20"}`},
	"PUT /api/v1/campaigns/:id": {class: hrOnly, in: "/api/v1/campaigns/1",
		body: `{"name":"Vague Nord bis","questionnaire_id":1,"team_codes":["NORD"],"opens_on":"2026-03-02","closes_on":"2026-03-21","min_group":6}`},
	"POST /api/v1/campaigns/:id/open":        {class: hrOnly, in: "/api/v1/campaigns/1/open"},
	"POST /api/v1/campaigns/:id/close":       {class: hrOnly, in: "/api/v1/campaigns/1/close", setup: openCampaign1},
	"GET /api/v1/users":                      {class: hrOnly, in: "/api/v1/users"},
	"POST /api/v1/users":                     {class: hrOnly, in: "/api/v1/users", body: `{"email":"new@bank.example","role":"manager","team_codes":["LILLE"],"password":"` + testPassword + `"}`},
	"GET /api/v1/users/:id":                  {class: hrOnly, in: "/api/v1/users/3"},
	"PUT /api/v1/users/:id/teams":            {class: hrOnly, in: "/api/v1/users/3/teams", body: `{"team_codes":["LILLE"]}`},
	"POST /api/v1/users/:id/disable":         {class: hrOnly, in: "/api/v1/users/3/disable"},
	"POST /api/v1/users/:id/enable":          {class: hrOnly, in: "/api/v1/users/3/enable"},
	"GET /api/v1/tokens":                     {class: hrOnly, in: "/api/v1/tokens"},
	"POST /api/v1/tokens":                    {class: hrOnly, sessionOnly: true, in: "/api/v1/tokens", body: `{"name":"nightly export","expires_in_days":30}`},
	"DELETE /api/v1/tokens/:id":              {class: hrOnly, in: "/api/v1/tokens/1"},
	"GET /api/v1/audit":                      {class: hrOnly, in: "/api/v1/audit?limit=5"},
	"GET /hr":                                {class: hrPage, in: "/hr"},
	"GET /hr/org":                            {class: hrPage, in: "/hr/org"},
	"GET /hr/coverage":                       {class: hrPage, in: "/hr/coverage", setup: addCoverage},
	"POST /hr/coverage":                      {class: hrPage, in: "/hr/coverage", ctype: multipartType, body: multipartFile("file", "coverage.csv", coverageCSV)},
	"POST /hr/org/preview":                   {class: hrPage, in: "/hr/org/preview", ctype: multipartType, body: multipartFile("file", "org.csv", secOrg)},
	"POST /hr/org/apply":                     {class: hrPage, in: "/hr/org/apply", ctype: formPost, body: "file=" + url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(secOrg)))},
	"GET /hr/questionnaires":                 {class: hrPage, in: "/hr/questionnaires"},
	"POST /hr/questionnaires":                {class: hrPage, in: "/hr/questionnaires", ctype: multipartType, body: multipartFile("file", "q.yaml", questionnaireV2())},
	"GET /hr/questionnaires/:id":             {class: hrPage, in: "/hr/questionnaires/1"},
	"POST /hr/questionnaires/:id/current":    {class: hrPage, in: "/hr/questionnaires/1/current", ctype: formPost},
	"GET /hr/campaigns":                      {class: hrPage, in: "/hr/campaigns"},
	"GET /hr/campaigns/new":                  {class: hrPage, in: "/hr/campaigns/new"},
	"POST /hr/campaigns":                     {class: hrPage, in: "/hr/campaigns", ctype: formPost, body: campaignForm},
	"GET /hr/campaigns/:id":                  {class: hrPage, in: "/hr/campaigns/1"},
	"GET /hr/campaigns/:id/edit":             {class: hrPage, in: "/hr/campaigns/1/edit"},
	"POST /hr/campaigns/:id":                 {class: hrPage, in: "/hr/campaigns/1", ctype: formPost, body: campaignForm},
	"POST /hr/campaigns/:id/open":            {class: hrPage, in: "/hr/campaigns/1/open", ctype: formPost, body: "confirm=yes"},
	"POST /hr/campaigns/:id/close":           {class: hrPage, in: "/hr/campaigns/1/close", ctype: formPost, body: "confirm=yes", setup: openCampaign1},
	"POST /hr/campaigns/:id/invitations":     {class: hrPage, in: "/hr/campaigns/1/invitations", ctype: formPost, body: "count=1", setup: openCampaign1},
	"GET /hr/campaigns/:id/posters":          {class: hrPage, in: "/hr/campaigns/1/posters"},
	"GET /hr/users":                          {class: hrPage, in: "/hr/users"},
	"POST /hr/users":                         {class: hrPage, in: "/hr/users", ctype: formPost, body: "email=new%40bank.example&role=manager&team_codes=LILLE&password=" + url.QueryEscape(testPassword)},
	"GET /hr/users/:id":                      {class: hrPage, in: "/hr/users/3"},
	"POST /hr/users/:id/teams":               {class: hrPage, in: "/hr/users/3/teams", ctype: formPost, body: "team_codes=LILLE"},
	"POST /hr/users/:id/disable":             {class: hrPage, in: "/hr/users/3/disable", ctype: formPost, body: "confirm=yes"},
	"POST /hr/users/:id/enable":              {class: hrPage, in: "/hr/users/3/enable", ctype: formPost},
	"GET /hr/audit":                          {class: hrPage, in: "/hr/audit"},
	"GET /hr/campaigns/:id/mail":             {class: hrPage, in: "/hr/campaigns/1/mail"},
	"POST /hr/campaigns/:id/mail/recipients": {class: hrPage, in: "/hr/campaigns/1/mail/recipients", ctype: multipartType, body: multipartFile("file", "list.csv", "LILLE;agent@banque.example\n"), setup: openCampaign1},
	"POST /hr/campaigns/:id/mail/template":   {class: hrPage, in: "/hr/campaigns/1/mail/template", ctype: formPost, body: "action=preview"},
	"POST /hr/campaigns/:id/mail/send":       {class: hrPage, in: "/hr/campaigns/1/mail/send", ctype: formPost, setup: listRecipients},
	"POST /hr/campaigns/:id/mail/remind":     {class: hrPage, in: "/hr/campaigns/1/mail/remind", ctype: formPost, setup: mailedRecipients},
	"POST /hr/campaigns/:id/delete":          {class: hrPage, in: "/hr/campaigns/1/delete", ctype: formPost},
	"GET /hr/campaigns/:id/comments":         {class: hrPage, in: "/hr/campaigns/3/comments", setup: closeCampaign3},
	"POST /hr/users/:id/password-link":       {class: hrPage, in: "/hr/users/3/password-link", ctype: formPost},
	"GET /hr/org/archive":                    {class: hrPage, in: "/hr/org/archive"},
	"POST /hr/org/archive":                   {class: hrPage, in: "/hr/org/archive", ctype: formPost, body: "code=SUDX&confirm=yes", setup: archivableSud},
	"GET /hr/references":                     {class: hrPage, in: "/hr/references", setup: addReference},
	"POST /hr/references":                    {class: hrPage, in: "/hr/references", ctype: formPost, body: "label=Web&channel=web_services&value=70%2C5"},
	"POST /hr/references/:id/delete":         {class: hrPage, in: "/hr/references/1/delete", ctype: formPost, body: "confirm=yes", setup: addReference},
}

// campaignForm is a valid campaign as the console's form posts it.
const campaignForm = "name=Vague+3&questionnaire_id=1&team_codes=NORD&team_codes=LILLE&opens_on=2026-04-01&closes_on=2026-04-20&min_group=5&access_mode=both&retention_days=730"

const multipartType = "multipart/form-data; boundary=digigapBoundary"

// multipartFile is a form with one uploaded file, as a browser sends it.
func multipartFile(field, name, content string) string {
	return "--digigapBoundary\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + name +
		"\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n--digigapBoundary--\r\n"
}

// closeCampaign3 closes campaign 3 (the whole bank), so its figures may be read.
func closeCampaign3(f *fixture) {
	ctx := context.Background()
	if _, err := f.st.OpenCampaign(ctx, 3); err != nil && survey.ErrorCode(err) != survey.ECONFLICT {
		f.t.Fatal(err)
	}
	if _, err := f.st.CloseCampaign(ctx, 3); err != nil && survey.ErrorCode(err) != survey.ECONFLICT {
		f.t.Fatal(err)
	}
}

// openCampaign3 opens campaign 3 (the whole bank) unless it is open already.
func openCampaign3(f *fixture) {
	if _, err := f.st.OpenCampaign(context.Background(), 3); err != nil && survey.ErrorCode(err) != survey.ECONFLICT {
		f.t.Fatal(err)
	}
}

// addReference stores reference value 1 unless it exists.
func addReference(f *fixture) {
	if refs, _ := f.st.ReferenceValues(context.Background()); len(refs) == 0 {
		if _, err := f.st.AddReferenceValue(context.Background(), survey.ReferenceInput{Label: "Web", Value: 70, Channel: "web_services"}); err != nil {
			f.t.Fatal(err)
		}
	}
}

// coverageCSV is a month of client coverage for every branch of the fixture.
const coverageCSV = "team_code,period,clients,with_mobile,with_email,sms_consent,email_consent\nLILLE,2026-02,100,50,40,30,20\nNIMESX,2026-02,80,20,20,10,10\n"

// addCoverage imports coverageCSV.
func addCoverage(f *fixture) {
	rows, err := survey.ParseCoverageCSV(strings.NewReader(coverageCSV))
	if err == nil {
		_, err = f.st.ImportCoverage(context.Background(), rows)
	}
	if err != nil {
		f.t.Fatal(err)
	}
}

// actionJSON is an action as a manager records it.
const actionJSON = `{"title":"Contact clients by SMS","channels":["sms"],"starts_on":"2026-01-05","owner_role":"branch director"}`

// addActions closes campaign 3 and records action 1 for LILLE and action
// 2 for NIMESX, unless they exist.
func addActions(f *fixture) {
	closeCampaign3(f)
	ctx := context.Background()
	if list, _ := f.st.Actions(ctx, survey.FullScope(), 1); len(list) > 0 {
		return
	}
	for _, team := range []int64{3, 5} {
		in := survey.ActionInput{Title: "Contact clients by SMS", Channels: []string{"sms", "email"}, StartsOn: "2026-01-05", OwnerRole: "branch director"}
		if _, err := f.st.AddAction(ctx, survey.FullScope(), team, in); err != nil {
			f.t.Fatal(err)
		}
	}
}

// archivableSud closes campaign 2 (SUDX) and deletes the draft campaign 3
// (the whole bank), so SUDX may be archived.
func archivableSud(f *fixture) {
	ctx := context.Background()
	if _, err := f.st.OpenCampaign(ctx, 2); err != nil && survey.ErrorCode(err) != survey.ECONFLICT {
		f.t.Fatal(err)
	}
	if _, err := f.st.CloseCampaign(ctx, 2); err != nil && survey.ErrorCode(err) != survey.ECONFLICT {
		f.t.Fatal(err)
	}
	if err := f.st.DeleteCampaign(ctx, 3); err != nil && survey.ErrorCode(err) != survey.ENOTFOUND {
		f.t.Fatal(err)
	}
}

// openCampaign1 opens campaign 1 unless it is open already.
func openCampaign1(f *fixture) {
	if _, err := f.st.OpenCampaign(context.Background(), 1); err != nil && survey.ErrorCode(err) != survey.ECONFLICT {
		f.t.Fatal(err)
	}
}

// listRecipients opens campaign 1 with a fresh address to invite.
func listRecipients(f *fixture) {
	openCampaign1(f)
	f.st.DB().Exec("DELETE FROM mail_outbox")
	f.st.DB().Exec("DELETE FROM mail_recipients")
	if _, err := f.st.AddRecipients(context.Background(), 1, strings.NewReader("LILLE;agent@banque.example")); err != nil {
		f.t.Fatal(err)
	}
}

// mailedRecipients is listRecipients once the invitation went out.
func mailedRecipients(f *fixture) {
	listRecipients(f)
	f.st.DB().Exec("UPDATE mail_recipients SET token_hash = 'sent'")
	f.st.DB().Exec("UPDATE mail_settings SET reminders_sent = 0, last_reminder_on = NULL")
}

func routeKey(method, path string) string { return method + " " + path }

func TestRoutes_EveryRouteIsClassified(t *testing.T) {
	f := newFixture(t)
	seen := map[string]bool{}
	for _, r := range f.app.GetRoutes(true) {
		if r.Method == "HEAD" {
			continue // Fiber adds HEAD to every GET
		}
		key := routeKey(r.Method, r.Path)
		seen[key] = true
		if _, ok := routeTable[key]; !ok {
			t.Errorf("route %s is not classified: add it to routeTable with its class (public, page, api, hr api…)", key)
		}
	}
	for key := range routeTable {
		if !seen[key] {
			t.Errorf("routeTable lists %s, which the app does not have", key)
		}
	}
}

// TestRoutes_AccessMatchesClass calls every route as nobody, as a manager
// in and out of scope, and as HR with a session and with a token. A call
// that writes gets a fresh app, so each sees the data it expects.
func TestRoutes_AccessMatchesClass(t *testing.T) {
	f0 := newFixture(t)
	for _, r := range f0.app.GetRoutes(true) {
		key := routeKey(r.Method, r.Path)
		spec, ok := routeTable[key]
		if r.Method == "HEAD" || !ok {
			continue
		}
		t.Run(key, func(t *testing.T) {
			f := newFixture(t)
			checkAnonymous(t, f, r.Method, spec)
			if spec.class == public || spec.class == login || spec.class == loginStep || spec.class == respondent {
				return
			}
			checkManager(t, f, r.Method, spec)
			fresh := func() *fixture {
				if r.Method == "GET" {
					return f
				}
				return newFixture(t)
			}
			checkHR(t, "HR session", fresh().hr, r.Method, spec, false)
			g := fresh()
			checkHR(t, "HR token", g.bearerClient(), r.Method, spec, spec.sessionOnly)
		})
	}
}

func send(c *client, method, path string, spec routeSpec) (*http.Response, string) {
	body := spec.body
	if body == "!v2" {
		body = questionnaireV2()
	}
	ctype := spec.ctype
	if ctype == "" && body != "" {
		ctype = "application/json"
	}
	if spec.setup != nil {
		spec.setup(c.f)
	}
	return c.do(method, path, ctype, body)
}

func checkAnonymous(t *testing.T, f *fixture, method string, spec routeSpec) {
	resp, body := send(f.anon, method, spec.in, spec)
	status, loc := resp.StatusCode, resp.Header.Get("Location")
	switch spec.class {
	case public:
		if status >= 300 {
			t.Errorf("anonymous: status %d, want a public answer", status)
		}
	case respondent:
		if status == 401 || strings.HasPrefix(loc, "/login") || status >= 500 {
			t.Errorf("anonymous: status %d Location %q, want the route's own answer, not a sign-in demand", status, loc)
		}
	case login:
		if method == "GET" && status != 200 {
			t.Errorf("anonymous GET: status %d, want 200", status)
		}
		if method != "GET" && status != 403 {
			t.Errorf("anonymous %s without CSRF token: status %d, want 403", method, status)
		}
	case loginStep:
		if method == "GET" && (status == 401 || status >= 500) {
			t.Errorf("anonymous GET: status %d, want the step's own refusal or a redirect", status)
		}
		if method != "GET" && status != 403 {
			t.Errorf("anonymous %s without CSRF token: status %d, want 403", method, status)
		}
	case signedIn, hrPage:
		if method == "GET" && (status != 303 || !strings.HasPrefix(loc, "/login?next=")) {
			t.Errorf("anonymous: status %d Location %q, want a redirect to /login", status, loc)
		}
		if method != "GET" && status != 401 {
			t.Errorf("anonymous %s: status %d, want 401", method, status)
		}
	default:
		if status != 401 || !strings.Contains(body, `"unauthorized"`) {
			t.Errorf("anonymous: status %d %s, want 401", status, body)
		}
	}
}

func checkManager(t *testing.T, f *fixture, method string, spec routeSpec) {
	resp, body := send(f.mgr, method, spec.in, spec)
	switch spec.class {
	case hrOnly, hrPage:
		if resp.StatusCode != 403 {
			t.Errorf("manager on an HR route: status %d, want 403", resp.StatusCode)
		}
		return
	}
	if resp.StatusCode >= 300 && !(spec.redirect && resp.StatusCode == 303) && resp.StatusCode != spec.answers {
		t.Errorf("manager in scope: status %d %s, want success", resp.StatusCode, body)
	}
	noForeignData(t, body)
	if spec.out != "" {
		resp, body := send(f.mgr, method, spec.out, spec)
		if resp.StatusCode != 403 {
			t.Errorf("manager out of scope: status %d, want 403", resp.StatusCode)
		}
		noForeignData(t, body)
	}
}

func checkHR(t *testing.T, name string, c *client, method string, spec routeSpec, refused bool) {
	resp, body := send(c, method, spec.in, spec)
	// A console form that worked redirects to its result (post/redirect/get).
	redirected := (spec.class == hrPage || spec.redirect) && resp.StatusCode == 303 && !strings.HasPrefix(resp.Header.Get("Location"), "/login")
	switch {
	case redirected && !refused:
	case refused && resp.StatusCode != 403:
		t.Errorf("%s: status %d, want 403", name, resp.StatusCode)
	case !refused && resp.StatusCode >= 300 && resp.StatusCode != spec.answers:
		t.Errorf("%s: status %d %s, want success", name, resp.StatusCode, body)
	}
}

// bearerClient calls like a script: no cookie, no CSRF token, no browser header.
func (f *fixture) bearerClient() *client {
	return &client{tb: f.t, f: f, app: f.app, jar: map[string]string{}, bearer: f.hrToken}
}

func noForeignData(t *testing.T, body string) {
	t.Helper()
	for _, s := range foreign {
		if strings.Contains(body, s) {
			t.Errorf("a manager's answer holds %q of another team: %s", s, body)
		}
	}
}

func questionnaireV2() string {
	return strings.Replace(string(defaultDef()), "version: 1", "version: 2", 1)
}
