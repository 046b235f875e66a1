package analytics

import (
	"math"
	"strconv"
	"sync"
	"unicode/utf8"
)

// jw appends JSON to a byte slice. The gap table of a large group has
// tens of thousands of cells; writing them directly, with figures rounded
// to a fixed number of decimals, keeps the answer within milliseconds
// where encoding/json's reflection would take several times longer.
type jw struct{ b []byte }

func (w *jw) raw(s string) { w.b = append(w.b, s...) }

// key writes "name": after a comma when needed; name must need no escaping.
func (w *jw) key(name string) {
	if n := len(w.b); n > 0 && w.b[n-1] != '{' && w.b[n-1] != '[' {
		w.b = append(w.b, ',')
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, '"', ':')
}

func (w *jw) null() { w.b = append(w.b, "null"...) }

// strs writes a JSON array of strings.
func (w *jw) strs(list []string) {
	w.raw("[")
	for i, s := range list {
		if i > 0 {
			w.raw(",")
		}
		w.str(s)
	}
	w.raw("]")
}

// count writes {"suppressed":…,"n":…}: a count is a figure too, withheld below k.
func (w *jw) count(shown bool, n int) {
	w.raw("{")
	w.key("suppressed")
	w.bool(!shown)
	w.key("n")
	optInt(w, shown, n)
	w.raw("}")
}

func (w *jw) bool(v bool) { w.b = strconv.AppendBool(w.b, v) }

func (w *jw) int(v int64) { w.b = strconv.AppendInt(w.b, v, 10) }

var pow10 = [...]float64{1, 10, 100, 1000, 10000, 100000, 1000000}

// num writes x rounded to dec decimals (at most 6), without trailing
// zeros: the rounded value is written as an integer, then the decimal
// point is put in, which is several times faster than strconv.AppendFloat.
func (w *jw) num(x float64, dec int) { w.b = appendNum(w.b, x, dec) }

// appendNum is num on a plain slice: the hot loops keep their slice in a
// local variable, which spares a write barrier per append.
func appendNum(b []byte, x float64, dec int) []byte {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return append(b, "null"...)
	}
	m := math.Round(x * pow10[dec])
	if dec >= 2 && dec <= 4 && math.Abs(m) <= tableMax {
		t := fixedTables[dec]()
		i := int(m) + tableMax
		return append(b, t.text[t.end[i]:t.end[i+1]]...)
	}
	return appendFixed(b, m, x, dec)
}

// tableMax bounds the values kept written out in advance: ±1 for shares
// (4 decimals), ±100 for percentage points (2), ±10 for means (3).
const tableMax = 10_000

// fixedTable is the text of m/10^dec for every m in [-tableMax, tableMax]:
// the few figures a table shows take a copy each instead of a conversion.
type fixedTable struct {
	text []byte
	end  []uint32 // value i ends at end[i+1]
}

var fixedTables = [...]func() *fixedTable{2: tableOf(2), 3: tableOf(3), 4: tableOf(4)}

func tableOf(dec int) func() *fixedTable {
	return sync.OnceValue(func() *fixedTable {
		t := &fixedTable{end: make([]uint32, 1, 2*tableMax+2)}
		for m := -tableMax; m <= tableMax; m++ {
			t.text = appendFixed(t.text, float64(m), float64(m)/pow10[dec], dec)
			t.end = append(t.end, uint32(len(t.text)))
		}
		return t
	})
}

// appendFixed writes m/10^dec (m = x·10^dec rounded) without trailing zeros.
func appendFixed(b []byte, m, x float64, dec int) []byte {
	if math.Abs(m) >= 1<<53 {
		return strconv.AppendFloat(b, x, 'g', -1, 64)
	}
	v := int64(m)
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	for dec > 0 && v%10 == 0 {
		v /= 10
		dec--
	}
	var tmp [24]byte
	digits := strconv.AppendInt(tmp[:0], v, 10)
	if dec == 0 {
		return append(b, digits...)
	}
	if len(digits) <= dec { // 0.00ddd
		b = append(b, '0', '.')
		b = append(b, "000000"[:dec-len(digits)]...)
		return append(b, digits...)
	}
	cut := len(digits) - dec
	b = append(b, digits[:cut]...)
	b = append(b, '.')
	return append(b, digits[cut:]...)
}

// interval writes [low, high] with dec decimals.
func (w *jw) interval(ci Interval, scale float64, dec int) { w.b = appendInterval(w.b, ci, scale, dec) }

func appendInterval(b []byte, ci Interval, scale float64, dec int) []byte {
	b = append(b, '[')
	b = appendNum(b, ci.Low*scale, dec)
	b = append(b, ',')
	b = appendNum(b, ci.High*scale, dec)
	return append(b, ']')
}

const hexDigits = "0123456789abcdef"

// str writes s as a JSON string; <, > and & are escaped too, so that the
// text is safe wherever a page embeds it.
func (w *jw) str(s string) {
	w.b = append(w.b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
				w.b = append(w.b, `\ufffd`...)
				if r != utf8.RuneError {
					w.b = append(w.b[:len(w.b)-4], hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
				}
			} else {
				w.b = append(w.b, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch {
		case c == '"' || c == '\\':
			w.b = append(w.b, '\\', c)
		case c == '\n':
			w.b = append(w.b, '\\', 'n')
		case c < 0x20 || c == '<' || c == '>' || c == '&':
			w.b = append(w.b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		default:
			w.b = append(w.b, c)
		}
		i++
	}
	w.b = append(w.b, '"')
}
