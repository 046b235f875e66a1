package analytics

import (
	"math"
	"strconv"
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

func (w *jw) bool(v bool) { w.b = strconv.AppendBool(w.b, v) }

func (w *jw) int(v int64) { w.b = strconv.AppendInt(w.b, v, 10) }

var pow10 = [...]float64{1, 10, 100, 1000, 10000, 100000, 1000000}

// num writes x rounded to dec decimals (at most 6), without trailing zeros.
func (w *jw) num(x float64, dec int) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		w.null()
		return
	}
	m := math.Round(x * pow10[dec])
	if math.Abs(m) >= 1<<53 {
		w.b = strconv.AppendFloat(w.b, x, 'g', -1, 64)
		return
	}
	v := int64(m)
	if v < 0 {
		w.b = append(w.b, '-')
		v = -v
	}
	unit := int64(pow10[dec])
	w.b = strconv.AppendInt(w.b, v/unit, 10)
	frac := v % unit
	if frac == 0 {
		return
	}
	for dec > 0 && frac%10 == 0 {
		frac /= 10
		dec--
	}
	w.b = append(w.b, '.')
	for d := dec - 1; d >= 0; d-- {
		w.b = append(w.b, byte('0'+frac/int64(pow10[d])%10))
	}
}

// interval writes [low, high] with dec decimals.
func (w *jw) interval(ci Interval, scale float64, dec int) {
	w.b = append(w.b, '[')
	w.num(ci.Low*scale, dec)
	w.b = append(w.b, ',')
	w.num(ci.High*scale, dec)
	w.b = append(w.b, ']')
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
