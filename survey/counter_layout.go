package survey

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"sync"
)

// Aggregate counters
//
// Every response adds to one counters vector per (campaign, band, team):
// band "" holds everyone, and one band per answered profile item
// ("profile.tenure=0") holds the respondents of that band, so that a
// breakdown is a group like any other. Reads sum these vectors up the org
// tree and never scan responses. The positions in a vector follow the
// questionnaire definition, like the answer codes (CounterLayout).

// RegularFrequency is the frequency from which a respondent is a regular
// user of a channel (DESIGN.md: weekly or more).
const RegularFrequency = 3

// Positions of the group-wide counters at the start of every vector.
const (
	CountResponses      = iota // responses of the group
	CountAllAnswered           // respondents who answered every frequency item
	CountAllPrivate            // …of whom every private frequency is ≥ 1
	CountAllWork               // …of whom every work frequency is ≥ 1 (blocked is 0)
	CountGapRespondents        // respondents regular privately but not at work on some channel
	countHeader
)

// Offsets inside one channel's block of ChannelWidth counters. A..D are the
// paired 2×2 table over the respondents who answered both frequency items
// of the channel: A regular privately and at work, B privately only, C at
// work only, D neither.
const (
	ChA = iota
	ChB
	ChC
	ChD
	ChBlocked    // work answer "not available or not allowed at work"
	ChSumPrivate // sum of private frequencies
	ChSumWork    // sum of work frequencies, blocked counted as 0
	ChannelWidth
)

// CounterLayout maps a definition to positions in a counters vector and
// answer items to positions in the stored codes.
type CounterLayout struct {
	Channels []string
	Barriers []BarrierBlock
	Culture  []CultureBlock
	Profiles []*Item
	// Index is the first of the IndexWidth per-respondent index counters,
	// the last of every vector (counter_index.go).
	Index int
	Len   int // length of a vector

	freq    []freqCodes // per channel, where its two answers sit in the codes
	profile []int       // code offset of each profile item
}

// BarrierBlock is one barrier (multi) item: Answered and AnsweredGap count
// respondents who chose at least one option, overall and among gap
// respondents; option i is counted at Base+2i (overall) and Base+2i+1 (gap).
type BarrierBlock struct {
	Item        *Item
	Options     []Option
	Answered    int
	AnsweredGap int
	Base        int
	code        int
}

// CultureBlock is one agreement item: option i is counted at Base+i.
type CultureBlock struct {
	Item    *Item
	Options []Option
	Base    int
	code    int
}

type freqCodes struct {
	private, work int // code offsets
	blocked       int // work code of the blocked answer (value+1), 0 if none
	base          int // first counter of the channel
}

// ChannelBase is the position of channel i's block.
func (l *CounterLayout) ChannelBase(i int) int { return countHeader + i*ChannelWidth }

var layouts sync.Map // *Definition → *CounterLayout

// LayoutOf returns the counter layout of a definition, computed once.
func LayoutOf(d *Definition) *CounterLayout {
	if l, ok := layouts.Load(d); ok {
		return l.(*CounterLayout)
	}
	l := newLayout(d)
	layouts.Store(d, l)
	return l
}

func newLayout(d *Definition) *CounterLayout {
	l := &CounterLayout{Channels: d.ChannelIDs()}
	codeAt := map[string]int{}
	off := 0
	for _, it := range d.Items() {
		codeAt[it.ID] = off
		switch it.Kind {
		case KindSingle:
			off++
		case KindMulti:
			off += 4
		}
	}
	next := countHeader + len(l.Channels)*ChannelWidth
	for i, ch := range l.Channels {
		fc := freqCodes{private: -1, work: -1, base: l.ChannelBase(i)}
		priv, work := d.FrequencyItems(ch)
		if priv != nil {
			fc.private = codeAt[priv.ID]
		}
		if work != nil {
			fc.work = codeAt[work.ID]
			for _, o := range d.ItemOptions(work) {
				if o.Blocked {
					fc.blocked = o.Value + 1
				}
			}
		}
		l.freq = append(l.freq, fc)
	}
	for _, it := range d.ItemsByRole(RoleBarrier) {
		opts := d.ItemOptions(it)
		b := BarrierBlock{Item: it, Options: opts, Answered: next, AnsweredGap: next + 1, Base: next + 2, code: codeAt[it.ID]}
		next += 2 + 2*len(opts)
		l.Barriers = append(l.Barriers, b)
	}
	for _, it := range d.ItemsByRole(RoleCulture) {
		opts := d.ItemOptions(it)
		l.Culture = append(l.Culture, CultureBlock{Item: it, Options: opts, Base: next, code: codeAt[it.ID]})
		next += len(opts)
	}
	for _, it := range d.ItemsByRole(RoleProfile) {
		l.Profiles = append(l.Profiles, it)
		l.profile = append(l.profile, codeAt[it.ID])
	}
	l.Index = next
	l.Len = next + IndexWidth
	return l
}

// Band names the breakdown group of profile item id answered with value.
func Band(itemID string, value int) string { return itemID + "=" + strconv.Itoa(value) }

// Bands lists the bands of one response's codes: "" (everyone) first, then
// one per answered profile item, in sorted order so that concurrent
// writers lock counter rows in the same order.
func (l *CounterLayout) Bands(codes []byte) []string {
	bands := []string{""}
	for i, it := range l.Profiles {
		if c := codes[l.profile[i]]; c != 0 {
			bands = append(bands, Band(it.ID, int(c)-1))
		}
	}
	slices.Sort(bands[1:])
	return bands
}

// EncodeCounts packs a vector as unsigned varints: small counts take a byte.
func EncodeCounts(v []int64) []byte {
	out := make([]byte, 0, len(v)+len(v)/4)
	for _, x := range v {
		out = binary.AppendUvarint(out, uint64(x))
	}
	return out
}

// DecodeCounts unpacks a vector of want counters into dst (reused when large enough).
func DecodeCounts(b []byte, want int, dst []int64) ([]int64, error) {
	if cap(dst) < want {
		dst = make([]int64, want)
	}
	dst = dst[:want]
	for i := range want {
		x, n := binary.Uvarint(b)
		if n <= 0 && len(b) == 0 && i == want-IndexWidth {
			// A vector written before the index counters existed: they
			// read as 0 until BackfillIndexCounters recounts them.
			clear(dst[i:])
			return dst, nil
		}
		if n <= 0 {
			return nil, fmt.Errorf("counters hold %d values, want %d", i, want)
		}
		dst[i] = int64(x)
		b = b[n:]
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("counters hold more than %d values", want)
	}
	return dst, nil
}
