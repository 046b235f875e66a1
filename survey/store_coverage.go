package survey

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"
)

// AuditCoverageImported is the audit action of a coverage import.
const AuditCoverageImported = "coverage.imported"

// CoverageImport says what an import stored: the periods it replaced.
type CoverageImport struct {
	Rows    int      `json:"rows"`
	Periods []string `json:"periods"`
}

// ImportCoverage stores rows in one transaction: every period present in
// the file is replaced as a whole, so re-importing a month corrects it.
// Unknown team codes and months after the current one refuse the file.
func (s *Store) ImportCoverage(ctx context.Context, rows []CoverageRow) (*CoverageImport, error) {
	out := &CoverageImport{Rows: len(rows)}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var teams []Team
		if err := active(tx).Find(&teams).Error; err != nil {
			return err
		}
		if err := resolveCoverage(NewTree(teams), rows, MonthOfDay(s.Today())); err != nil {
			return err
		}
		out.Periods = periodsOf(rows)
		if err := tx.Where("period IN ?", out.Periods).Delete(&CoverageRow{}).Error; err != nil {
			return err
		}
		if err := tx.CreateInBatches(rows, 500).Error; err != nil {
			return err
		}
		return RecordAudit(tx, ctx, AuditCoverageImported, "coverage "+strings.Join(out.Periods, ","), Detail("coverage_rows", "%d rows", len(rows)))
	})
	if err != nil {
		return nil, storeError(err, "coverage")
	}
	return out, nil
}

// resolveCoverage sets each row's team id, listing every unknown team
// code and every month in the future.
func resolveCoverage(tree *Tree, rows []CoverageRow, thisMonth string) error {
	var fe FieldErrors
	for i := range rows {
		r := &rows[i]
		where := fmt.Sprintf("line %d", r.Line)
		if t := tree.ByCode(r.TeamCode); t != nil {
			r.TeamID = t.ID
		} else {
			fe.list = append(fe.list, FieldError(EINVALID, where, "%s: team %q is not in the org tree (import the org first)", where, r.TeamCode).Keyed("coverage.team", r.Line, r.TeamCode))
		}
		if r.Period > thisMonth {
			fe.list = append(fe.list, FieldError(EINVALID, where, "%s: period %s is after the current month", where, r.Period).Keyed("coverage.future", r.Line, r.Period))
		}
	}
	return fe.Err()
}

func periodsOf(rows []CoverageRow) []string {
	set := map[string]bool{}
	var out []string
	for _, r := range rows {
		if !set[r.Period] {
			set[r.Period] = true
			out = append(out, r.Period)
		}
	}
	sort.Strings(out)
	return out
}

// CoverageFigures are client counts summed over a group of teams for one
// month: rollups up the org tree are sums of counts, never of shares.
type CoverageFigures struct {
	Period       string `json:"period"`
	Teams        int    `json:"reporting_teams"`
	Clients      int64  `json:"clients"`
	WithMobile   int64  `json:"with_mobile"`
	WithEmail    int64  `json:"with_email"`
	SMSConsent   int64  `json:"sms_consent"`
	EmailConsent int64  `json:"email_consent"`
}

func (f *CoverageFigures) add(r CoverageRow) {
	f.Teams++
	f.Clients += r.Clients
	f.WithMobile += r.WithMobile
	f.WithEmail += r.WithEmail
	f.SMSConsent += r.SMSConsent
	f.EmailConsent += r.EmailConsent
}

// Share returns count over the group's clients (0 without clients).
func (f CoverageFigures) Share(count int64) float64 {
	if f.Clients == 0 {
		return 0
	}
	return float64(count) / float64(f.Clients)
}

// CoverageRows returns every stored coverage row, by period then team.
func (s *Store) CoverageRows(ctx context.Context) ([]CoverageRow, error) {
	var rows []CoverageRow
	err := s.read.WithContext(ctx).Order("period, team_id").Find(&rows).Error
	return rows, storeError(err, "coverage")
}

// RollupCoverage sums rows over the subtree of team, one entry per month,
// oldest first.
func RollupCoverage(tree *Tree, rows []CoverageRow, team int64) []CoverageFigures {
	in := map[int64]bool{}
	for _, id := range tree.Subtree(team) {
		in[id] = true
	}
	out := []CoverageFigures{}
	for _, r := range rows {
		if !in[r.TeamID] {
			continue
		}
		if len(out) == 0 || out[len(out)-1].Period != r.Period {
			out = append(out, CoverageFigures{Period: r.Period})
		}
		out[len(out)-1].add(r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Period < out[j].Period })
	return out
}

// TeamCoverage is one child group's coverage in one month.
type TeamCoverage struct {
	Team *Team `json:"team"`
	CoverageFigures
}

// CoverageByChild returns, for each child of team, its subtree's sums in
// period (children without figures that month are left out): the
// "coverage by branch" view of a sector.
func CoverageByChild(tree *Tree, rows []CoverageRow, team int64, period string) []TeamCoverage {
	out := []TeamCoverage{}
	for _, child := range tree.Children(team) {
		for _, f := range RollupCoverage(tree, rows, child) {
			if f.Period == period {
				out = append(out, TeamCoverage{Team: tree.Team(child), CoverageFigures: f})
			}
		}
	}
	return out
}
