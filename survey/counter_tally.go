package survey

import "encoding/binary"

// TallyCodes adds one response, given by its stored codes, to the vector v
// of length l.Len. It reads the codes directly (no map per response), so
// that the write path and the bulk loader stay cheap; Verify recounts the
// same figures through DecodeAnswers, an independent path.
func (l *CounterLayout) TallyCodes(v []int64, codes []byte) {
	v[CountResponses]++
	all, allPrivate, allWork, gap := true, true, true, false
	var nb, nc, m int // the respondent's index score (counter_index.go)
	for _, fc := range l.freq {
		if fc.private < 0 || fc.work < 0 || codes[fc.private] == 0 || codes[fc.work] == 0 {
			all = false
			continue
		}
		p := int64(codes[fc.private]) - 1
		blocked := fc.blocked != 0 && int(codes[fc.work]) == fc.blocked
		w := int64(codes[fc.work]) - 1
		if blocked {
			w = 0
			v[fc.base+ChBlocked]++
		}
		x := cell(p >= RegularFrequency, w >= RegularFrequency)
		v[fc.base+x]++
		m++
		nb += int(b2i(x == ChB))
		nc += int(b2i(x == ChC))
		v[fc.base+ChSumPrivate] += p
		v[fc.base+ChSumWork] += w
		allPrivate = allPrivate && p >= 1
		allWork = allWork && w >= 1
		gap = gap || (p >= RegularFrequency && w < RegularFrequency)
	}
	if all {
		v[CountAllAnswered]++
		v[CountAllPrivate] += b2i(allPrivate)
		v[CountAllWork] += b2i(allWork)
	}
	if gap {
		v[CountGapRespondents]++
	}
	l.addIndexScore(v, nb, nc, m)
	for _, b := range l.Barriers {
		mask := binary.LittleEndian.Uint32(codes[b.code:])
		if mask == 0 {
			continue
		}
		v[b.Answered]++
		v[b.AnsweredGap] += b2i(gap)
		for i := range b.Options {
			if mask&(1<<i) != 0 {
				v[b.Base+2*i]++
				v[b.Base+2*i+1] += b2i(gap)
			}
		}
	}
	for _, c := range l.Culture {
		if code := codes[c.code]; code != 0 {
			for i, o := range c.Options {
				if o.Value == int(code)-1 {
					v[c.Base+i]++
				}
			}
		}
	}
}

// cell is the offset of the 2×2 cell of a respondent regular privately
// (private) and at work (work).
func cell(private, work bool) int {
	switch {
	case private && work:
		return ChA
	case private:
		return ChB
	case work:
		return ChC
	}
	return ChD
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// AddCounts adds src into dst, element by element.
func AddCounts(dst, src []int64) {
	for i, x := range src {
		dst[i] += x
	}
}
