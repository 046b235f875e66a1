package survey_test

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// linkAttack is what an insider extracts from the database with the token
// list: groups of consumed invitations and stored answers that appeared
// together (one transaction id, one WAL commit), and an order of each.
type linkAttack struct {
	groups        []linkGroup
	tokenOrder    map[string]float64 // token hash → rank of its consumption
	responseOrder map[string]float64 // response id → rank of its arrival
}

type linkGroup struct{ tokens, responses []string }

func newLinkAttack() *linkAttack {
	return &linkAttack{tokenOrder: map[string]float64{}, responseOrder: map[string]float64{}}
}

// TestUnlinkable_DatabaseReaderCannotLinkOrOrderAnswers plays the insider
// of the threat model: 40 colleagues of three teams answer with personal
// invitations (k = 5); the attacker reads the whole database with plain
// SQL, system columns included (PostgreSQL: xmin, ctid; SQLite: rowid),
// and on SQLite replays commit by commit a copy of the database and its
// WAL taken after every answer. Knowing which token is whose, they must
// not link an answer to its invitation better than chance within a
// mixing batch, nor order answers finer than a batch.
func TestUnlinkable_DatabaseReaderCannotLinkOrOrderAnswers(t *testing.T) {
	surveytest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dsn := surveytest.DSN(t, dialect)
		st, err := survey.Open(ctx, dsn, survey.Options{MixKeyFile: t.TempDir() + "/mix.key"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		st, c := openCampaign(t, st)
		const n, k = 40, 5
		rng := rand.New(rand.NewPCG(7, 13))
		var teams []int64
		for _, code := range []string{"A1", "A2", "A3"} {
			team, _ := st.TeamByCode(ctx, code)
			teams = append(teams, team.ID)
		}
		truth := map[string]string{} // token hash → the comment its answer carries
		var snaps []dbSnapshot
		for i := range n {
			token := mustInvitation(t, st, c, teams[rng.IntN(len(teams))])
			comment := fmt.Sprintf("respondent %02d", i)
			truth[survey.HashToken(token)] = comment
			a := survey.Answers{"email.private": 4, "email.work": rng.IntN(5), "comment": comment}
			if _, err := st.Submit(ctx, survey.Submission{CampaignID: c.ID, Token: token, Answers: a}); err != nil {
				t.Fatal(err)
			}
			if dialect == survey.SQLite {
				snaps = append(snaps, copyDB(t, dsn))
			}
		}
		if _, err := st.CloseCampaign(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		atk := newLinkAttack()
		if dialect == survey.SQLite {
			snaps = append(snaps, copyDB(t, dsn))
			atk.replayWAL(t, snaps)
			atk.rowids(t, st)
		} else {
			atk.systemColumns(t, st)
		}
		judgeLinkAttack(t, st, c.ID, atk, truth, k)
	})
}

func copyDB(t *testing.T, path string) dbSnapshot {
	db, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(path + "-wal")
	return dbSnapshot{db: db, wal: wal}
}

// replayWAL diffs consecutive states of every WAL generation: invitations
// newly used and responses newly there in one commit form a group; the
// commit where each first appears orders them.
func (a *linkAttack) replayWAL(t *testing.T, snaps []dbSnapshot) {
	step := 0.0
	for _, g := range walGenerations(snaps) {
		var used, resp map[string]bool
		g.replay(t, func(db *sql.DB) {
			u, r := queryColumn(t, db, "SELECT token_hash FROM invitations WHERE used"), queryColumn(t, db, "SELECT id FROM responses")
			if used != nil {
				var grp linkGroup
				for h := range u {
					if !used[h] {
						grp.tokens = append(grp.tokens, h)
					}
				}
				for id := range r {
					if !resp[id] {
						grp.responses = append(grp.responses, id)
					}
				}
				a.add(grp, step)
			}
			used, resp, step = u, r, step+1
		})
	}
}

func queryColumn(t *testing.T, db *sql.DB, q string) map[string]bool {
	rows, err := db.Query(q)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return map[string]bool{}
		}
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out[s] = true
	}
	return out
}

// add records a group; the first sighting of a token or response ranks it.
func (a *linkAttack) add(g linkGroup, rank float64) {
	if len(g.tokens) > 0 && len(g.responses) > 0 {
		a.groups = append(a.groups, g)
	}
	for _, h := range g.tokens {
		if _, ok := a.tokenOrder[h]; !ok {
			a.tokenOrder[h] = rank
		}
	}
	for _, id := range g.responses {
		if _, ok := a.responseOrder[id]; !ok {
			a.responseOrder[id] = rank
		}
	}
}

// rowids refines the order of answers by SQLite's rowid, where the table has one.
func (a *linkAttack) rowids(t *testing.T, st *survey.Store) {
	rows, err := st.DB().Raw("SELECT id, rowid FROM responses").Rows()
	if err != nil {
		t.Logf("responses has no rowid: %v", err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var rowid int64
		if err := rows.Scan(&id, &rowid); err != nil {
			t.Fatal(err)
		}
		a.responseOrder[id] += float64(rowid) / 1e9
	}
}

// systemColumns reads PostgreSQL's xmin (the writing transaction) and
// ctid (the physical place) of invitations and responses.
func (a *linkAttack) systemColumns(t *testing.T, st *survey.Store) {
	type row struct {
		Key  string
		Xmin string
		Ctid string
	}
	var invs, resps []row
	if err := st.DB().Raw("SELECT token_hash AS key, xmin::text AS xmin, ctid::text AS ctid FROM invitations WHERE used").Scan(&invs).Error; err != nil {
		t.Fatal(err)
	}
	if err := st.DB().Raw("SELECT id AS key, xmin::text AS xmin, ctid::text AS ctid FROM responses").Scan(&resps).Error; err != nil {
		t.Fatal(err)
	}
	groups := map[string]*linkGroup{}
	group := func(x string) *linkGroup {
		if groups[x] == nil {
			groups[x] = &linkGroup{}
		}
		return groups[x]
	}
	for _, r := range invs {
		group(r.Xmin).tokens = append(group(r.Xmin).tokens, r.Key)
		a.tokenOrder[r.Key] = physicalRank(r.Xmin, r.Ctid)
	}
	for _, r := range resps {
		group(r.Xmin).responses = append(group(r.Xmin).responses, r.Key)
		a.responseOrder[r.Key] = physicalRank(r.Xmin, r.Ctid)
	}
	for _, g := range groups {
		a.add(*g, 0)
	}
}

// physicalRank orders rows by transaction id, then place on disk.
func physicalRank(xmin, ctid string) float64 {
	x, _ := strconv.ParseFloat(xmin, 64)
	var block, item float64
	fmt.Sscanf(ctid, "(%g,%g)", &block, &item)
	return x*1e9 + block*1e4 + item
}

// judgeLinkAttack scores the attack against the truth. Every group that
// ties invitations to answers must hold at least k answers; pairing each
// team's invitations and answers by the attacker's order must get no more
// than 60 % right (chance within batches of k gets about one per batch).
func judgeLinkAttack(t *testing.T, st *survey.Store, campaignID int64, a *linkAttack, truth map[string]string, k int) {
	t.Helper()
	var resps []struct {
		ID      string
		TeamID  int64
		Comment string
	}
	st.DB().Raw("SELECT id, team_id, comment FROM responses WHERE campaign_id = ?", campaignID).Scan(&resps)
	var invs []usedInvitation
	st.DB().Raw("SELECT token_hash, team_id FROM invitations WHERE campaign_id = ? AND used", campaignID).Scan(&invs)
	if len(resps) != len(truth) || len(invs) != len(truth) {
		t.Fatalf("%d responses and %d used invitations, want %d of each", len(resps), len(invs), len(truth))
	}
	comment := map[string]string{}
	for _, r := range resps {
		comment[r.ID] = r.Comment
	}
	linked := 0
	for _, g := range a.groups {
		if len(g.responses) < k {
			for _, h := range g.tokens {
				if slices.ContainsFunc(g.responses, func(id string) bool { return comment[id] == truth[h] }) {
					linked++
				}
			}
		}
	}
	if linked > 0 {
		t.Errorf("%d of %d answers are in a group of fewer than %d with their own invitation (same transaction or commit)", linked, len(truth), k)
	}
	right := 0
	for _, team := range uniqueTeams(invs) {
		var hs, ids []string
		for _, i := range invs {
			if i.TeamID == team {
				hs = append(hs, i.TokenHash)
			}
		}
		for _, r := range resps {
			if r.TeamID == team {
				ids = append(ids, r.ID)
			}
		}
		slices.SortFunc(hs, func(x, y string) int { return cmp.Compare(a.tokenOrder[x], a.tokenOrder[y]) })
		slices.SortFunc(ids, func(x, y string) int { return cmp.Compare(a.responseOrder[x], a.responseOrder[y]) })
		for i := range min(len(hs), len(ids)) {
			if comment[ids[i]] == truth[hs[i]] {
				right++
			}
		}
	}
	if right > len(truth)*6/10 {
		t.Errorf("pairing invitations and answers by their order links %d of %d: the storage orders answers finer than a batch", right, len(truth))
	}
	t.Logf("attack: %d groups, %d links in groups under k, %d of %d right by order", len(a.groups), linked, right, len(truth))
}

type usedInvitation struct {
	TokenHash string
	TeamID    int64
}

func uniqueTeams(invs []usedInvitation) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, i := range invs {
		if !seen[i.TeamID] {
			seen[i.TeamID] = true
			out = append(out, i.TeamID)
		}
	}
	return out
}
