package survey

import "math"

// Per-respondent index counters
//
// The adoption gap index of a group is the mean of its channel Gaps. Its
// interval needs how respondents vary (analytics/index.go): each
// respondent's score is the mean, over the channels whose two frequency
// questions they answered, of their own gap on the channel (1 regular
// privately only, −1 at work only, 0 otherwise). Three counters at the end
// of every vector keep what that needs, as non-negative integers (vectors
// are unsigned varints): respondents with a score, Σ(score+1)·IndexScale
// and Σ(score·IndexScale)², the score rounded to 1/IndexScale (exact for
// up to 10 channels).
const (
	IndexN     = iota // respondents who answered both questions of a channel
	IndexSum          // Σ round((score + 1)·IndexScale)
	IndexSumSq        // Σ round(score·IndexScale)²
	IndexWidth
)

// IndexScale is the unit of a stored score: 2520 is divisible by every
// channel count from 1 to 10.
const IndexScale = 2520

// addIndexScore adds one respondent who answered m channels, regular
// privately only on b of them and at work only on c, to v.
func (l *CounterLayout) addIndexScore(v []int64, b, c, m int) {
	if m == 0 {
		return
	}
	x := int64(math.Round(float64((b-c)*IndexScale) / float64(m)))
	v[l.Index+IndexN]++
	v[l.Index+IndexSum] += x + IndexScale
	v[l.Index+IndexSumSq] += x * x
}
