package analytics

import (
	"strconv"
	"testing"
)

func TestJSONWriter_NumMatchesRoundedFormatting(t *testing.T) {
	cases := []struct {
		x    float64
		dec  int
		want string
	}{
		{0, 4, "0"}, {0.5, 4, "0.5"}, {2.0 / 3, 4, "0.6667"}, {-0.00012, 4, "-0.0001"}, {16.666666, 2, "16.67"},
		{100, 2, "100"}, {-31.5031, 2, "-31.5"}, {0.00004, 4, "0"}, {1234.5, 1, "1234.5"}, {0.0123, 4, "0.0123"},
	}
	for _, c := range cases {
		w := &jw{}
		w.num(c.x, c.dec)
		if got := string(w.b); got != c.want {
			t.Errorf("num(%v, %d) = %q, want %q", c.x, c.dec, got, c.want)
		}
		if f, err := strconv.ParseFloat(string(w.b), 64); err != nil || f != mustParse(strconv.FormatFloat(c.x, 'f', c.dec, 64)) {
			t.Errorf("num(%v, %d) = %q, not the value of %s", c.x, c.dec, w.b, strconv.FormatFloat(c.x, 'f', c.dec, 64))
		}
	}
}

func mustParse(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	if f == 0 {
		return 0 // "-0.0000" is 0
	}
	return f
}

func TestJSONWriter_StrEscapesForJSONAndHTML(t *testing.T) {
	w := &jw{}
	w.str("a\"b\\c\n<d>&\x01é\u2028")
	if got, want := string(w.b), `"a\"b\\c\n\u003cd\u003e\u0026\u0001é\u2028"`; got != want {
		t.Errorf("str = %s, want %s", got, want)
	}
}
