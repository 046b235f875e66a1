package analytics

import "digigap/survey"

// ChannelFigures are the DESIGN.md figures of one group, campaign and
// channel, over the N respondents who answered both frequency questions.
// Shares are proportions in [0,1]; Gap and its interval are proportions
// too (the JSON shows them in percentage points).
type ChannelFigures struct {
	N int
	// RegularPrivate and RegularWork count the regular users behind P and Q.
	RegularPrivate, RegularWork int
	P, Q                        float64 // regular private and professional users
	PCI, QCI                    Interval
	Gap                         float64 // P − Q
	GapCI                       Interval
	Transfer                    float64 // Q / P, meaningless when HasRatio is false (P = 0)
	HasRatio                    bool
	Blocked                     float64 // share answering "not available or not allowed at work"
	Intensity                   float64 // mean private − mean professional frequency (blocked = 0)
	// Design is what the intervals account for beyond n (design.go):
	// clustering by team and the finite population. Zero: none computed.
	Design Design
}

// channelFigures computes a channel's figures from block, the channel's
// ChannelWidth counters of a counters vector.
func channelFigures(block []int64) ChannelFigures {
	a, b, c, d := int(block[survey.ChA]), int(block[survey.ChB]), int(block[survey.ChC]), int(block[survey.ChD])
	n := a + b + c + d
	f := ChannelFigures{N: n, RegularPrivate: a + b, RegularWork: a + c}
	if n == 0 {
		return f
	}
	f.P, f.Q = float64(a+b)/float64(n), float64(a+c)/float64(n)
	f.PCI, f.QCI = Wilson(a+b, n), Wilson(a+c, n)
	f.Gap, f.GapCI = pairedDifference(a, b, c, d, f.PCI, f.QCI)
	if a+b > 0 {
		f.Transfer, f.HasRatio = float64(a+c)/float64(a+b), true
	}
	f.Blocked = Mean(int(block[survey.ChBlocked]), n)
	f.Intensity = Mean(int(block[survey.ChSumPrivate]), n) - Mean(int(block[survey.ChSumWork]), n)
	return f
}

// channelN is the number of respondents of a channel's 2×2 table.
func channelN(v []int64, base int) int64 {
	return v[base+survey.ChA] + v[base+survey.ChB] + v[base+survey.ChC] + v[base+survey.ChD]
}

// Share is a count over a base, with its Wilson interval.
type Share struct {
	Count, Base int
	Value       float64
	CI          Interval
}

func share(count, base int64) Share {
	return Share{Count: int(count), Base: int(base), Value: Mean(int(count), int(base)), CI: Wilson(int(count), int(base))}
}

// adoptionGapIndex is the unweighted mean of the Gap over channels. It is
// defined only when every channel's Gap is shown: a mean over the shown
// channels would not compare across groups, and one over all channels
// would let a withheld Gap be recovered from the index and the others.
func adoptionGapIndex(cells []GapCell) (float64, bool) {
	if len(cells) == 0 {
		return 0, false
	}
	sum := 0.0
	for _, c := range cells {
		if !c.Shown {
			return 0, false
		}
		sum += c.Gap
	}
	return sum / float64(len(cells)), true
}

// CultureFigures are one agreement item's distribution and mean.
type CultureFigures struct {
	Item   string
	N      int
	Values []int     // option values, in order
	Counts []int     // respondents per option
	Shares []float64 // Counts / N
	Mean   float64
}

func cultureFigures(b survey.CultureBlock, v []int64) CultureFigures {
	f := CultureFigures{Item: b.Item.ID}
	sum := 0
	for i, o := range b.Options {
		c := int(v[b.Base+i])
		f.Values = append(f.Values, o.Value)
		f.Counts = append(f.Counts, c)
		f.N += c
		sum += c * o.Value
	}
	for _, c := range f.Counts {
		f.Shares = append(f.Shares, Mean(c, f.N))
	}
	f.Mean = Mean(sum, f.N)
	return f
}

// cultureN is the number of respondents who answered culture item b.
func cultureN(b survey.CultureBlock, v []int64) int64 {
	n := int64(0)
	for i := range b.Options {
		n += v[b.Base+i]
	}
	return n
}
