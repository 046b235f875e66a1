package survey_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// upgradeFixture is a small database written by the release before this
// one (main at a1b1087: the demo org, three waves, two accounts, eight
// invitations of which three were used, team links). Every migration
// must open it in place and keep its data; never regenerate it.
const upgradeFixture = "testdata/upgrade/main-a1b1087.db"

// openUpgradeFixture copies the fixture into a temp dir and opens the copy
// with today's code, which migrates it.
func openUpgradeFixture(t *testing.T) *survey.Store {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "old.db")
	in, err := os.Open(upgradeFixture)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := survey.Open(context.Background(), dst, survey.Options{})
	if err != nil {
		t.Fatalf("open the previous release's database: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestUpgrade_PreviousReleaseDatabaseOpensWithItsData(t *testing.T) {
	ctx := context.Background()
	st := openUpgradeFixture(t)
	if got, want := mustVersion(t, st), survey.SchemaVersion(); got != want {
		t.Errorf("version = %d, want %d", got, want)
	}
	var teams, campaigns, users int64
	st.DB().Raw("SELECT COUNT(*) FROM teams").Scan(&teams)
	st.DB().Raw("SELECT COUNT(*) FROM campaigns").Scan(&campaigns)
	st.DB().Raw("SELECT COUNT(*) FROM users").Scan(&users)
	if teams != 78 || campaigns != 3 || users != 2 {
		t.Errorf("teams, campaigns, users = %d, %d, %d; want 78, 3, 2", teams, campaigns, users)
	}
	diffs, err := st.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) > 0 {
		t.Errorf("counters differ from the raw answers after the upgrade: %v", diffs[0])
	}
}

// The team-link cap starts from the answers a campaign already took not
// through an invitation: in the fixture's open wave, team 4 has 12
// answers, 3 of them through invitations, so its link has taken 9.
func TestUpgrade_TeamLinkCountsStartFromExistingAnswers(t *testing.T) {
	st := openUpgradeFixture(t)
	var team4, total, responses, used int64
	st.DB().Raw("SELECT answers FROM team_link_answers WHERE campaign_id = 3 AND team_id = 4").Scan(&team4)
	st.DB().Raw("SELECT COALESCE(SUM(answers), 0) FROM team_link_answers").Scan(&total)
	st.DB().Raw("SELECT COUNT(*) FROM responses").Scan(&responses)
	st.DB().Raw("SELECT COUNT(*) FROM invitations WHERE used").Scan(&used)
	if team4 != 9 || total != responses-used {
		t.Errorf("team 4 took %d through its link (want 9); %d in all, want %d responses − %d invitations", team4, total, responses, used)
	}
}

// The accounts of the previous release keep their passwords and stay
// local accounts without a second factor after the SSO/TOTP migration.
func TestUpgrade_AccountsStayLocalWithoutSecondFactor(t *testing.T) {
	st := openUpgradeFixture(t)
	var rows []struct {
		PasswordHash string
		SSO, FromOrg bool
		TOTPEnabled  bool   `gorm:"column:totp_enabled"`
		TOTPSecret   string `gorm:"column:totp_secret"`
	}
	if err := st.DB().Raw("SELECT password_hash, sso, from_org, totp_enabled, totp_secret FROM users").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("users = %d, want 2", len(rows))
	}
	for _, r := range rows {
		if r.PasswordHash == "" || r.SSO || r.FromOrg || r.TOTPEnabled || r.TOTPSecret != "" {
			t.Errorf("upgraded account %+v: want its password kept, local, not from the org file, no TOTP", r)
		}
	}
	var codes int64
	if err := st.DB().Raw("SELECT COUNT(*) FROM recovery_codes").Scan(&codes).Error; err != nil || codes != 0 {
		t.Errorf("recovery codes = %d, %v; want an empty table", codes, err)
	}
}

// The mixing-stage migration rebuilds responses without rowid, copying
// the old rows in random order: no answer is lost, none can be ordered.
func TestUpgrade_ResponsesLoseTheirArrivalOrder(t *testing.T) {
	st := openUpgradeFixture(t)
	var responses, pending int64
	st.DB().Raw("SELECT COUNT(*) FROM responses").Scan(&responses)
	st.DB().Raw("SELECT COUNT(*) FROM pending_responses").Scan(&pending)
	if responses != 1089 || pending != 0 {
		t.Errorf("responses, pending = %d, %d; want the fixture's 1089, 0", responses, pending)
	}
	if err := st.DB().Exec("SELECT rowid FROM responses").Error; err == nil {
		t.Error("responses still has a rowid: ORDER BY rowid gives the arrival order")
	}
}

// The fixture's invitations were handed out as CSV: after the upgrade they
// are not mailed ones, keep their state, and a replaced one (revoked
// without a reminder date) still says plainly that it was replaced.
func TestUpgrade_OldInvitationsStayCSVOnesAndTheOpenWaveCanBeMailed(t *testing.T) {
	ctx := context.Background()
	st := openUpgradeFixture(t)
	var all, mailed, used, dated int64
	st.DB().Raw("SELECT COUNT(*) FROM invitations").Scan(&all)
	st.DB().Raw("SELECT COUNT(*) FROM invitations WHERE mailed").Scan(&mailed)
	st.DB().Raw("SELECT COUNT(*) FROM invitations WHERE used").Scan(&used)
	st.DB().Raw("SELECT COUNT(*) FROM invitations WHERE replaced_on IS NOT NULL").Scan(&dated)
	if all != 8 || mailed != 0 || used != 3 || dated != 0 {
		t.Errorf("invitations %d, mailed %d, used %d, dated %d; want 8, 0, 3, 0", all, mailed, used, dated)
	}
	m, err := st.MailSettingsOf(ctx, 3)
	if err != nil || m.MaxReminders != 2 || m.ReminderDays != 7 {
		t.Errorf("mail settings of the open wave: %+v, %v; want the defaults", m, err)
	}
	mc, err := st.MailCountsOf(ctx, 3)
	if err != nil || *mc != (survey.MailCounts{NextReminder: mc.NextReminder}) {
		t.Errorf("mail counts of an upgraded wave: %+v, %v; want none", mc, err)
	}
}

// The self-service migration keeps the old accounts' own passwords: none
// is asked to change it, and no set-password link exists yet.
func TestUpgrade_OldPasswordsNeedNoChange(t *testing.T) {
	st := openUpgradeFixture(t)
	var forced, links int64
	if err := st.DB().Raw("SELECT COUNT(*) FROM users WHERE must_change_password").Scan(&forced).Error; err != nil || forced != 0 {
		t.Errorf("accounts asked to change their password = %d, %v; want 0", forced, err)
	}
	if err := st.DB().Raw("SELECT COUNT(*) FROM password_links").Scan(&links).Error; err != nil || links != 0 {
		t.Errorf("set-password links = %d, %v; want an empty table", links, err)
	}
}

// The crash-safe outbox migration adds the prepared-message columns; the
// fixture, from before e-mail, has no message in them.
func TestUpgrade_OutboxHoldsPreparedMessages(t *testing.T) {
	st := openUpgradeFixture(t)
	var rows int64
	err := st.DB().Raw("SELECT COUNT(*) FROM mail_outbox WHERE token_hash IS NOT NULL OR replaces_hash IS NOT NULL OR token_box IS NOT NULL OR message_id IS NOT NULL OR prepared_at IS NOT NULL").Scan(&rows).Error
	if err != nil || rows != 0 {
		t.Errorf("prepared messages after the upgrade = %d, %v; want the columns, empty", rows, err)
	}
}

// Vectors written before the per-respondent index counters get them from
// the raw answers when the store opens: every team's index.n is then its
// respondents who answered a channel, and nothing is left to backfill.
func TestUpgrade_IndexCountersAreRecountedFromTheAnswers(t *testing.T) {
	ctx := context.Background()
	st := openUpgradeFixture(t)
	var left int64
	st.DB().Raw("SELECT COUNT(*) FROM index_backfill").Scan(&left)
	if left != 0 {
		t.Errorf("%d campaigns left to backfill after opening", left)
	}
	c, err := st.Campaign(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	def, err := st.Definition(ctx, c.QuestionnaireID)
	if err != nil {
		t.Fatal(err)
	}
	l := survey.LayoutOf(def)
	rows, err := st.Counters(ctx, 1, def, "", false)
	if err != nil {
		t.Fatal(err)
	}
	var n, responses int64
	for _, v := range rows.Counts {
		n += v[l.Index+survey.IndexN]
		responses += v[survey.CountResponses]
	}
	if n == 0 || n > responses {
		t.Errorf("index respondents = %d over %d responses; want the recounted ones", n, responses)
	}
}

// The archived-teams migration leaves every team of the fixture in
// today's tree, and one that took part only in a closed wave archives.
func TestUpgrade_TeamsStayActiveAndAClosedWavesTeamArchives(t *testing.T) {
	ctx := context.Background()
	st := openUpgradeFixture(t)
	tree, err := st.Tree(ctx)
	if err != nil || tree.Len() != 78 {
		t.Fatalf("today's tree after the upgrade: %v teams, %v; want all 78", tree.Len(), err)
	}
	cands, err := st.ArchiveCandidates(ctx)
	if err != nil || len(cands) != 78 {
		t.Fatalf("candidates = %d, %v", len(cands), err)
	}
	// The fixture's open wave covers the whole bank: nothing may go yet.
	for _, a := range cands {
		if a.Archivable() {
			t.Fatalf("%s is archivable while the open wave covers it", a.Code)
		}
	}
	if _, err := st.CloseCampaign(ctx, 3); err != nil {
		t.Fatal(err)
	}
	leaf := cands[len(cands)-1]
	if _, err := st.ArchiveTeam(ctx, leaf.Code); err != nil {
		t.Fatalf("archive %s once every wave is closed: %v", leaf.Code, err)
	}
	if tree, _ := st.Tree(ctx); tree.Len() != 77 {
		t.Errorf("today's tree = %d teams, want 77", tree.Len())
	}
	diffs, err := st.Verify(ctx)
	if err != nil || len(diffs) > 0 {
		t.Errorf("counters after archiving: %v %v", diffs, err)
	}
}

// On PostgreSQL the sealed answers of the mixing stage stay in their rows
// (storage PLAIN), not in the TOAST table, which would write and delete
// three chunks and their index entries for each answer.
func TestUpgrade_PendingAnswersStayInTheirRowOnPostgres(t *testing.T) {
	st, err := survey.Open(context.Background(), surveytest.DSN(t, survey.Postgres), survey.Options{MixKeyFile: filepath.Join(t.TempDir(), "digigap.mixkey")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var storage string
	st.DB().Raw("SELECT attstorage FROM pg_attribute WHERE attrelid = 'pending_responses'::regclass AND attname = 'sealed'").Scan(&storage)
	if storage != "p" {
		t.Fatalf("storage of pending_responses.sealed = %q, want p (plain)", storage)
	}
	st, c := openCampaign(t, st)
	team, _ := st.TeamByCode(context.Background(), "A1")
	mustSubmit(t, st, c, team.ID, survey.Answers{"email.private": 1, "comment": "assez long pour compter"})
	var rows []struct{ Stored, Length int64 }
	st.DB().Raw("SELECT pg_column_size(sealed) AS stored, length(sealed) AS length FROM pending_responses").Scan(&rows)
	// Whole in its row, a value counts its 4-byte header; out of line (TOAST)
	// or compressed, it does not.
	if len(rows) != 1 || rows[0].Length < 4000 || rows[0].Stored <= rows[0].Length {
		t.Errorf("pending rows (bytes in the row, length): %+v; want one sealed answer of about 4.4 KB kept whole", rows)
	}
}

// The previous release's audit entries keep their English detail, with no
// catalogue key (the console shows them as they were); entries written
// after the upgrade carry their key and arguments.
func TestUpgrade_OldAuditEntriesKeepTheirDetailNewOnesHaveKeys(t *testing.T) {
	ctx := context.Background()
	st := openUpgradeFixture(t)
	old, err := st.AuditLog(ctx, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	if len(old.Entries) < 20 {
		t.Fatalf("%d entries in the fixture's audit log, want its 20 and more", len(old.Entries))
	}
	for _, e := range old.Entries {
		if e.DetailKey != "" || e.DetailArgs != "" {
			t.Errorf("old entry %d got a key: %q %q", e.ID, e.DetailKey, e.DetailArgs)
		}
		if e.ID == 20 && e.Detail != "manager.nord@fixture.invalid as manager, teams CRV-NORD" {
			t.Errorf("old entry 20 = %q, want its English detail unchanged", e.Detail)
		}
	}
	// Action 4 of the fixture is planned.
	if _, err := st.SetActionStatus(ctx, survey.FullScope(), 4, survey.ActionInProgress); err != nil {
		t.Fatal(err)
	}
	page, err := st.AuditLog(ctx, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	e := page.Entries[0]
	args, err := e.DetailArguments()
	if e.DetailKey != "action_status" || err != nil || len(args) != 2 || args[1] != (survey.Term{Key: "action.status.in_progress", Code: "in_progress"}) {
		t.Errorf("new entry: key %q, arguments %v (%v)", e.DetailKey, args, err)
	}
	if e.Detail != "planned → in_progress" {
		t.Errorf("new entry's English detail = %q", e.Detail)
	}
}
