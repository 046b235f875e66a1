package api_test

import (
	"fmt"
	"testing"

	"digigap/analytics"

	"digigap/survey"
	"digigap/survey/surveytest"
)

// Issue 12's cases, each through the HTTP API on every dialect: the
// released counts, solved exactly, isolate nobody under k.

func sms(p, w int) survey.Answers { return survey.Answers{"sms.private": p, "sms.work": w} }

func with(a survey.Answers, k string, v any) survey.Answers {
	out := survey.Answers{k: v}
	for key, val := range a {
		out[key] = val
	}
	return out
}

// Case 1: a sector's band figures minus a branch's, beside the overall
// groups, gave the one band-1 person of the other branch.
func case1BandsAcrossTheTree(t *testing.T, dialect string) (*anonCase, int) {
	c := newAnonCase(t, dialect, "code,parent_code,name,headcount\nP,,Secteur,0\nX,P,Agence X,12\nY,P,Agence Y,8\n", 5, false)
	c.answer("X", 5, with(sms(4, 1), "profile.tenure", 1))
	c.answer("X", 5, with(sms(3, 3), "profile.tenure", 0))
	c.answer("Y", 1, with(sms(4, 0), "profile.tenure", 1))
	c.answer("Y", 5, with(sms(2, 2), "profile.tenure", 0))
	c.close()
	c.readGaps(false)
	c.readBands("profile.tenure")
	return c, c.camp.MinGroup
}

// Case 2: a team's SMS figure minus its band-0 SMS figure gave the one
// band-1 person who answered SMS.
func case2BandsWithinATeamPerChannel(t *testing.T, dialect string) (*anonCase, int) {
	c := newAnonCase(t, dialect, "code,parent_code,name,headcount\nT,,Agence,12\n", 5, false)
	c.answer("T", 5, with(sms(4, 1), "profile.tenure", 0))
	c.answer("T", 1, with(sms(4, 4), "profile.tenure", 1))
	c.answer("T", 4, survey.Answers{"profile.tenure": 1, "email.private": 2, "email.work": 2})
	c.close()
	c.readGaps(false)
	c.readBands("profile.tenure")
	return c, c.camp.MinGroup
}

// Case 3: "all respondents" minus "respondents with a Gap" on the barriers
// page gave the barriers of the one person without a Gap.
func case3BarriersAllMinusWithAGap(t *testing.T, dialect string) (*anonCase, int) {
	c := newAnonCase(t, dialect, "code,parent_code,name,headcount\nT,,Agence,12\n", 5, false)
	c.answer("T", 5, with(sms(4, 1), "barriers", []int{2}))
	c.answer("T", 1, with(sms(1, 1), "barriers", []int{6}))
	c.close()
	var raw struct {
		Respondents    struct{ N *int } `json:"respondents"`
		GapRespondents struct{ N *int } `json:"gap_respondents"`
	}
	c.get(fmt.Sprintf("/teams/%d/barriers", c.ids["T"]), &raw)
	if raw.Respondents.N != nil {
		c.release("T", false, everyone)
	}
	if raw.GapRespondents.N != nil {
		c.release("T", false, withGap)
	}
	return c, c.camp.MinGroup
}

// Case 4: a team of one respondent moved to another branch after closing:
// the branch before minus after gave that respondent.
func case4OrgMoveAfterClosing(t *testing.T, dialect string) (*anonCase, int) {
	before := "code,parent_code,name,headcount\nR,,Banque,0\nB1,R,Nord,0\nB2,R,Sud,0\nT1,B1,T1,9\nT2,B1,T2,3\nT3,B2,T3,9\n"
	c := newAnonCase(t, dialect, before, 5, false)
	c.answer("T1", 5, sms(3, 1))
	c.answer("T2", 1, sms(4, 4))
	c.answer("T3", 5, sms(2, 2))
	c.close()
	c.readGaps(false)
	c.importOrg("code,parent_code,name,headcount\nR,,Banque,0\nB1,R,Nord,0\nB2,R,Sud,0\nT1,B1,T1,9\nT2,B2,T2,3\nT3,B2,T3,9\n")
	c.readGaps(false)
	return c, c.camp.MinGroup
}

// Case 5: live snapshots moved in steps of k, but closing served the full
// counts: the last step held 1 to k−1 answers.
func case5LiveResultsThenClosing(t *testing.T, dialect string) (*anonCase, int) {
	c := newAnonCase(t, dialect, "code,parent_code,name,headcount\nR,,Banque,0\nT,R,Agence,12\nU,R,Agence U,12\n", 5, true)
	c.answer("T", 5, sms(4, 1))
	c.answer("U", 5, sms(2, 2))
	for i := range c.people {
		c.people[i].snap = true
	}
	c.readGaps(true)
	c.answer("T", 2, sms(1, 4))
	c.close()
	c.readGaps(false)
	return c, c.camp.MinGroup
}

// Case 6: comments(sector) − comments(branch A) listed the 5 comments of
// branch B, below the 10 free text requires (k = 3).
func case6CommentsBySetDifference(t *testing.T, dialect string) (*anonCase, int) {
	c := newAnonCase(t, dialect, "code,parent_code,name,headcount\nS,,Secteur,0\nA,S,Agence A,20\nB,S,Agence B,8\n", 3, false)
	c.answer("A", 10, survey.Answers{"comment": "plus de formation"})
	c.answer("B", 5, survey.Answers{"comment": "pas le temps"})
	c.close()
	commented := func(a survey.Answers) bool { _, ok := a["comment"]; return ok }
	for code, id := range c.ids {
		var doc struct{ Comments []string }
		c.get(fmt.Sprintf("/teams/%d/comments", id), &doc)
		if len(doc.Comments) > 0 {
			c.release(code, false, commented)
		}
	}
	return c, 10
}

// Case 8: counts are figures: a participation count beside the heatmap's
// channel counts gave the respondents who skipped the channel.
func case8ParticipationCountsAreFigures(t *testing.T, dialect string) (*anonCase, int) {
	c := newAnonCase(t, dialect, "code,parent_code,name,headcount\nR,,Banque,0\nT1,R,T1,9\nT2,R,T2,9\n", 5, false)
	c.answer("T1", 5, sms(3, 1))
	c.answer("T2", 2, survey.Answers{"email.private": 1, "email.work": 1})
	c.close()
	c.readGaps(false)
	var doc struct {
		Rows []struct {
			Team      struct{ Code string }
			Responses *int
		}
	}
	c.get("/participation?depth=all", &doc)
	for _, r := range doc.Rows {
		if r.Responses != nil {
			c.release(r.Team.Code, false, everyone)
		}
	}
	return c, c.camp.MinGroup
}

// anonCases are issue 12's cases and the protection that stops each.
var anonCases = []struct {
	name     string
	scenario func(*testing.T, string) (*anonCase, int)
	off      analytics.Protections
}{
	{"Case1BandsAcrossTheTree", case1BandsAcrossTheTree, without("Atoms")},
	{"Case2BandsWithinATeamPerChannel", case2BandsWithinATeamPerChannel, without("Atoms")},
	{"Case3BarriersAllMinusWithAGap", case3BarriersAllMinusWithAGap, without("Atoms")},
	{"Case4OrgMoveAfterClosing", case4OrgMoveAfterClosing, without("FrozenTree")},
	{"Case5LiveResultsThenClosing", case5LiveResultsThenClosing, without("LiveEpochs")},
	{"Case6CommentsBySetDifference", case6CommentsBySetDifference, without("Comments")},
	{"Case8ParticipationCountsAreFigures", case8ParticipationCountsAreFigures, without("Atoms")},
}

// without is every protection but one.
func without(name string) analytics.Protections {
	p := analytics.AllProtections()
	switch name {
	case "Atoms":
		p.Atoms = false
	case "FrozenTree":
		p.FrozenTree = false
	case "LiveEpochs":
		p.LiveEpochs = false
	case "Comments":
		p.Comments = false
	}
	return p
}

func TestAnonymity_NoCaseIsolatesAnyoneUnderK(t *testing.T) {
	for _, tc := range anonCases {
		t.Run(tc.name, func(t *testing.T) {
			surveytest.EachDialect(t, func(t *testing.T, dialect string) {
				c, k := tc.scenario(t, dialect)
				if s := c.isolatedUnder(k); s != nil {
					t.Errorf("the released figures isolate respondents %v (under %d, %d rows)", s, k, len(c.rows))
				}
			})
		})
	}
}

// Each case is found again when the protection that stops it is off: the
// test above can fail.
func TestAnonymity_EachCaseIsFoundWithItsProtectionOff(t *testing.T) {
	for _, tc := range anonCases {
		t.Run(tc.name, func(t *testing.T) {
			defer analytics.SetProtections(tc.off)()
			c, k := tc.scenario(t, survey.SQLite)
			if c.isolatedUnder(k) == nil {
				t.Errorf("nobody isolated with protections %+v", tc.off)
			}
		})
	}
}
