package analytics

import (
	"testing"

	"digigap/survey"
)

// designView is a network R (own answers in R1) with teams T1 (shown) and
// T2, T3 (withheld), each with the given email tables (a, b, c, d).
func designView(t1, t2, t3 [4]int64) (*view, []bool) {
	parent := int64(1)
	o := newOrg(survey.NewTree([]survey.Team{{ID: 1, Name: "R"}, {ID: 2, Name: "T1", ParentID: &parent},
		{ID: 3, Name: "T2", ParentID: &parent}, {ID: 4, Name: "T3", ParentID: &parent}}))
	v := &view{layout: survey.LayoutOf(survey.DefaultDefinition()), org: o, noFPC: true}
	base := v.layout.ChannelBase(0)
	v.total = make([][]int64, o.len())
	own := map[int64][4]int64{2: t1, 3: t2, 4: t3}
	for i, id := range o.ids {
		v.total[i] = make([]int64, v.layout.Len)
		tbl := own[id]
		copy(v.total[i][base:base+4], tbl[:])
	}
	for x := range 4 {
		for _, c := range o.children[o.pos[1]] {
			v.total[o.pos[1]][base+x] += v.total[c][base+x]
		}
	}
	shown := make([]bool, o.len())
	shown[o.pos[1]], shown[o.pos[2]] = true, true
	return v, shown
}

// The design of R uses only what its shown figures determine: T1 and the
// rest of R (T2 + T3 together). How the withheld T2 and T3 split their
// answers must not change R's interval, or the interval would tell
// something of a withheld group.
func TestChannelDesigns_UseOnlyShownGroups(t *testing.T) {
	v1, shown := designView([4]int64{6, 0, 0, 0}, [4]int64{0, 3, 0, 0}, [4]int64{0, 0, 0, 3})
	v2, _ := designView([4]int64{6, 0, 0, 0}, [4]int64{0, 0, 0, 3}, [4]int64{0, 3, 0, 0})
	v3, _ := designView([4]int64{6, 0, 0, 0}, [4]int64{0, 1, 0, 2}, [4]int64{0, 2, 0, 1})
	r := v1.org.pos[1]
	d1 := v1.channelDesigns(0, shown)[r]
	if d1.Clusters != 2 || d1.DeffP <= 1 {
		t.Fatalf("R design = %+v, want 2 clusters (T1, the rest) and clustering", d1)
	}
	for _, v := range []*view{v2, v3} {
		if d := v.channelDesigns(0, shown)[r]; d != d1 {
			t.Errorf("R design = %+v with another split of the withheld teams, want %+v", d, d1)
		}
	}
}
